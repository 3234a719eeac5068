#include "base/file.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace divcheck {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

absl::Status OpenError(const std::string& path, int err) {
  const std::string what =
      absl::StrCat("cannot read ", path, ": ", std::strerror(err));
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(what);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(what);
    case EISDIR:
      return absl::FailedPreconditionError(what);
    default:
      return absl::UnavailableError(what);
  }
}

}  // namespace

absl::StatusOr<std::string> ReadStream(std::FILE* in, const std::string& name,
                                       size_t max_bytes) {
  std::string out;
  char buf[64 * 1024];
  while (true) {
    const size_t n = std::fread(buf, 1, sizeof(buf), in);
    if (n > 0) {
      if (n > max_bytes - out.size()) {
        return absl::OutOfRangeError(absl::StrCat(
            name, " is larger than the limit of ", max_bytes, " bytes"));
      }
      out.append(buf, n);
    }
    if (n < sizeof(buf)) {
      if (std::ferror(in)) {
        const int err = errno;
        if (err == EISDIR) return OpenError(name, err);
        return absl::UnavailableError(
            absl::StrCat("cannot read ", name, ": ", std::strerror(err)));
      }
      if (std::feof(in)) break;
    }
  }
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (f == nullptr) return OpenError(path, errno);
  return ReadStream(f.get(), path, max_bytes);
}

}  // namespace divcheck
