// Reading whole files, with a size limit checked while reading (a file or
// pipe larger than the limit is never read past it).
//
//   absl::StatusOr<std::string> text = ReadFile("ad.txt", 1 << 20);
//
// Thread-safe: the functions touch no shared state.
#ifndef DIVCHECK_BASE_FILE_H_
#define DIVCHECK_BASE_FILE_H_

#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>

#include "absl/status/statusor.h"

namespace divcheck {

inline constexpr size_t kNoSizeLimit = std::numeric_limits<size_t>::max();

// The bytes of the file at `path`. Errors: NOT_FOUND when it does not exist,
// PERMISSION_DENIED when it may not be read, FAILED_PRECONDITION when it is
// a directory, OUT_OF_RANGE when it holds more than `max_bytes` (reading
// stops there), UNAVAILABLE for other read errors. Messages name the path.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     size_t max_bytes = kNoSizeLimit);

// The rest of the open stream `in` (standard input, a pipe), read until its
// end or until it holds more than `max_bytes` (OUT_OF_RANGE; reading stops
// there). `name` names the stream in messages. UNAVAILABLE on a read error.
absl::StatusOr<std::string> ReadStream(std::FILE* in, const std::string& name,
                                       size_t max_bytes = kNoSizeLimit);

}  // namespace divcheck

#endif  // DIVCHECK_BASE_FILE_H_
