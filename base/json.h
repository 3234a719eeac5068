// Writing JSON string literals, byte for byte as protobuf's JSON printer
// writes them, so hand-written JSON (logs, streamed reports) and protobuf's
// own output agree.
//
//   std::string out;
//   AppendJsonString("Verkäufer \"m/w\"", &out);  // "Verkäufer \"m/w\""
//
// Thread-safe: the functions touch no shared state.
#ifndef DIVCHECK_BASE_JSON_H_
#define DIVCHECK_BASE_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace divcheck {

// Appends `s` to *out as a quoted JSON string. Escapes what protobuf's
// printer escapes: '"', '\\', control characters, '<' and '>', DEL, and
// the invisible format characters it writes as \uXXXX (soft hyphen,
// zero-width and bidirectional controls, BOM, …). Bytes that are not
// well-formed UTF-8 become U+FFFD, so the output is always valid JSON.
void AppendJsonString(absl::string_view s, std::string* out);

// AppendJsonString into a new string.
std::string JsonQuote(absl::string_view s);

}  // namespace divcheck

#endif  // DIVCHECK_BASE_JSON_H_
