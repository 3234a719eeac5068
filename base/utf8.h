// UTF-8 validation for strings that did not pass through protobuf's own
// check (requests read leniently, log fields).
#ifndef DIVCHECK_BASE_UTF8_H_
#define DIVCHECK_BASE_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace divcheck {

// Length of the well-formed UTF-8 sequence starting at s[i] (1–4), or 0 when
// the bytes there are not well-formed UTF-8 (overlong forms, surrogates and
// code points over U+10FFFF included). REQUIRES: i < s.size().
size_t Utf8SequenceLength(absl::string_view s, size_t i);

// Offset of the first byte of `s` that is not well-formed UTF-8, or
// absl::string_view::npos when all of `s` is.
size_t FirstInvalidUtf8Byte(absl::string_view s);

}  // namespace divcheck

#endif  // DIVCHECK_BASE_UTF8_H_
