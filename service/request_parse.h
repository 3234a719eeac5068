// Requests read from raw gRPC bytes, with an answer a client can act on
// when they cannot be read.
//
// When gRPC itself parses a request and protobuf refuses it — a proto3
// string that is not UTF-8, or bytes that are not the message at all — the
// call ends with a bare status and no details (UNIMPLEMENTED from gRPC
// 1.51's callback handlers, as if the method did not exist). The handlers
// of divcheckd take raw bytes instead and call ParseRequest, which says
// what is wrong: INVALID_ARGUMENT with ErrorInfo and a BadRequest
// naming every string field that is not UTF-8 ("fields[2].label"), or
// reason MALFORMED_REQUEST.
//
//   v1::ScanFormRequest request;
//   absl::Status status = ParseRequest(*wire, &request);
//   ...
//   if (status.ok()) status = SerializeResponse(response, wire_response);
#ifndef DIVCHECK_SERVICE_REQUEST_PARSE_H_
#define DIVCHECK_SERVICE_REQUEST_PARSE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace divcheck::service {

// The bytes of `buffer`: the slice itself when the buffer is one slice (the
// usual case for a request that fits one read), else a copy in *scratch.
// The view lives as long as *slices and *scratch.
absl::string_view Flatten(const grpc::ByteBuffer& buffer,
                          std::vector<grpc::Slice>* slices,
                          std::string* scratch);

// OK when gRPC delivered a request message in `buffer`; otherwise
// INVALID_ARGUMENT with reason MALFORMED_REQUEST naming `type`. A raw
// handler gets a buffer holding no message at all (not Valid()) when none
// arrived whole: no message before the client half-closed, a message
// shorter than its length prefix, a frame flag gRPC cannot read, random
// bytes. A Valid() buffer of zero bytes is a whole message: an empty proto3
// message, all fields at their defaults.
absl::Status CheckMessageReceived(const grpc::ByteBuffer& buffer,
                                  const google::protobuf::Descriptor* type);

// Parses `wire` into *message (cleared first). Errors: INVALID_ARGUMENT with
// one BadRequest violation (reason INVALID_UTF8) per string field that is
// not UTF-8, at most 50, or with reason MALFORMED_REQUEST when the bytes
// are not a message of that type (for a ByteBuffer, also when it holds no
// message: CheckMessageReceived). Thread-safe.
absl::Status ParseRequest(const grpc::ByteBuffer& wire,
                          google::protobuf::Message* message);
absl::Status ParseRequest(absl::string_view wire,
                          google::protobuf::Message* message);

// Why protobuf refused to parse `wire` as `type`: the error ParseRequest
// returns. Exposed for tests.
absl::Status ExplainParseFailure(absl::string_view wire,
                                 const google::protobuf::Descriptor* type);

// Serializes a response for a raw handler into one slice; INTERNAL if it
// cannot be (over 2 GiB).
absl::Status SerializeResponse(const google::protobuf::Message& response,
                               grpc::ByteBuffer* out);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_REQUEST_PARSE_H_
