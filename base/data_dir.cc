#include "base/data_dir.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace divcheck {

std::string FindDataDir(const char* env_var, const std::string& name,
                        const std::string& source_dir) {
  if (const char* env = std::getenv(env_var); env != nullptr && *env != '\0') {
    return env;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed =
        exe.parent_path().parent_path() / "share/divcheck" / name;
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return source_dir;
}

}  // namespace divcheck
