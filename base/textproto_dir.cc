#include "base/textproto_dir.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/file.h"
#include "base/fnv1a.h"

namespace divcheck {

namespace fs = std::filesystem;

absl::StatusOr<std::vector<DataFile>> ReadTextprotoDir(
    const std::string& dir, absl::string_view what,
    std::vector<DataProblem>* problems) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat(what, " directory \"", dir, "\" does not exist"));
  }
  std::vector<std::string> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".textproto") {
      paths.push_back(fs::relative(it->path(), dir).generic_string());
    }
  }
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "cannot read ", what, " directory \"", dir, "\": ", ec.message()));
  }
  std::sort(paths.begin(), paths.end());
  std::vector<DataFile> files;
  files.reserve(paths.size());
  for (std::string& rel : paths) {
    absl::StatusOr<std::string> content =
        ReadFile((fs::path(dir) / rel).string());
    if (!content.ok()) {
      problems->push_back({rel, 0, 0, "cannot read file"});
      continue;
    }
    files.push_back({std::move(rel), *std::move(content)});
  }
  return files;
}

uint64_t ContentHash(const std::vector<DataFile>& files) {
  uint64_t hash = kFnv1aOffset;
  for (const DataFile& f : files) hash = Fnv1a(Fnv1a(hash, f.path), f.content);
  return hash;
}

std::string HashHex(uint64_t hash) { return absl::StrFormat("%016x", hash); }

}  // namespace divcheck
