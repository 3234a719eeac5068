// FNV-1a, 64 bit: the content hash of lexicon and questionnaire sets and
// the organisation check in assessment page tokens. Stable across builds
// and machines (unlike absl::Hash), which those uses need.
#ifndef DIVCHECK_BASE_FNV1A_H_
#define DIVCHECK_BASE_FNV1A_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace divcheck {

inline constexpr uint64_t kFnv1aOffset = 1469598103934665603ULL;

// Continues hash `h` over the bytes of `s`; start with kFnv1aOffset.
inline uint64_t Fnv1a(uint64_t h, absl::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

inline uint64_t Fnv1a(absl::string_view s) { return Fnv1a(kFnv1aOffset, s); }

}  // namespace divcheck

#endif  // DIVCHECK_BASE_FNV1A_H_
