// A faster writer of proto3 JSON for the messages divcheckd answers most
// (ScanTextResponse on POST /v1/scan): the same bytes as protobuf's
// MessageToJsonString with default options — lowerCamelCase names, fields
// in declaration order, default values left out, enums by name, 64-bit
// integers quoted, protobuf's escaping (control characters, '"', '\\',
// '<', '>', U+007F–U+009F and the Unicode format characters as \uXXXX) —
// without its detour through the binary form and a type resolver.
//
// Messages with floating-point fields, maps or well-known types
// (google.protobuf.*) are not handled: AppendProtoJson returns false and the
// caller falls back to MessageToJsonString. tests/service/http_unit_test.cc
// checks the output against MessageToJsonString byte for byte.
//
// Stateless; thread-safe.
#ifndef DIVCHECK_SERVICE_PROTO_JSON_H_
#define DIVCHECK_SERVICE_PROTO_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace divcheck::service {

// Appends the proto3 JSON of `message` to *out. False (and *out holds a
// partial result) when the message uses something this writer leaves to
// protobuf (see above).
bool AppendProtoJson(const google::protobuf::Message& message,
                     std::string* out);

// Appends `s` (UTF-8) as a JSON string with protobuf's escaping.
void AppendProtoJsonString(absl::string_view s, std::string* out);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_PROTO_JSON_H_
