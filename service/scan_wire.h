// The ScanText wire messages, read and written without protobuf's UTF-8
// checks.
//
// protobuf checks every proto3 string when it parses and again when it
// serializes (~500 MB/s here). A ScanText call paid for ~4 KB of request
// text and ~10 KB of report strings that way — ~25 µs, as much as a third
// of the scan itself. The text is checked once anyway (ScanApi, then the
// engine's Document), and the report's strings come from the engine, which
// only ever produces UTF-8. So divcheckd reads requests and writes
// responses with these functions instead; the bytes are the same.
//
//   v1::ScanTextRequest request;
//   Utf8 utf8;
//   if (absl::Status s = ParseScanTextRequest(wire, &request, &utf8); ...
//   ...
//   std::string bytes;
//   AppendScanTextResponse(response, &bytes);  // == SerializeAsString()
#ifndef DIVCHECK_SERVICE_SCAN_WIRE_H_
#define DIVCHECK_SERVICE_SCAN_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "api/scan_api.h"
#include "divcheck/v1/scan_service.pb.h"

namespace divcheck::service {

// Reads a serialized ScanTextRequest the way protobuf's parser does (the
// last occurrence of a field wins; unknown fields, and known fields with
// another wire type, are skipped) except that strings are not checked for
// UTF-8: *utf8 is always Utf8::kUnchecked, and ScanApi::Scan reports a text
// that is not UTF-8 as a field violation with its byte offset.
// Errors: INVALID_ARGUMENT (reason MALFORMED_REQUEST) when the bytes are not
// a protobuf message.
absl::Status ParseScanTextRequest(absl::string_view wire,
                                  v1::ScanTextRequest* out, api::Utf8* utf8);

// Writes `response` into target[0, size), where `size` is what
// response.ByteSizeLong() returned just before (which also caches the
// nested messages' sizes this relies on). The bytes are exactly those of
// protobuf's serializer, minus its UTF-8 checks; an error response is
// written by protobuf's own serializer. Returns false when the bytes written
// would not fill exactly `size` (a field this writer does not know of):
// target's contents are then unspecified and the caller must fall back to
// response.SerializeWithCachedSizesToArray(target).
bool WriteScanTextResponse(const v1::ScanTextResponse& response, size_t size,
                           uint8_t* target);

// Appends the serialized `response` to *out: WriteScanTextResponse, with
// protobuf's serializer as the fallback. Byte for byte what
// response.SerializeAsString() gives.
void AppendScanTextResponse(const v1::ScanTextResponse& response,
                            std::string* out);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_SCAN_WIRE_H_
