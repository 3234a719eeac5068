// The API's error model, kept in absl::Status until the last moment.
//
// Code below the transports returns absl::Status. Errors a client can act
// on carry their google.rpc details as status payloads: an ErrorInfo reason
// (WithReason) and, for INVALID_ARGUMENT, a BadRequest listing every field
// violation (InvalidRequest). Each transport converts once, from
// ToRpcStatus (gRPC: service/grpc_status.h), which always adds an ErrorInfo
// (domain "divcheck.dev") and the request id.
//
//   std::vector<FieldViolation> violations;
//   if (too_large) {
//     violations.push_back({"text", "text is …", "TEXT_TOO_LARGE"});
//   }
//   if (!violations.empty()) return InvalidRequest(violations);
//
// All functions are thread-safe (they touch no shared state).
#ifndef DIVCHECK_API_ERRORS_H_
#define DIVCHECK_API_ERRORS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"

namespace divcheck::api {

// ErrorInfo.domain of every divcheck error.
inline constexpr char kErrorDomain[] = "divcheck.dev";

// One invalid field of a request.
struct FieldViolation {
  // The field's name in the request message, e.g. "language_code".
  std::string field;
  // What is wrong and how to fix it, in English.
  std::string description;
  // The ErrorInfo reason this violation alone would have, e.g.
  // "UNSUPPORTED_LANGUAGE".
  std::string reason;
};

// INVALID_ARGUMENT listing every violation (REQUIRES: not empty) in one
// BadRequest. The message joins the descriptions with "; ". The ErrorInfo
// reason is the violation's reason when there is one, "INVALID_REQUEST"
// when there are several. `metadata` goes into the ErrorInfo.
absl::Status InvalidRequest(
    const std::vector<FieldViolation>& violations,
    const std::map<std::string, std::string>& metadata = {});

// `status` with an ErrorInfo reason (and metadata) attached, replacing any
// reason it had. OK stays OK.
absl::Status WithReason(
    absl::Status status, absl::string_view reason,
    const std::map<std::string, std::string>& metadata = {});

// The ErrorInfo reason attached to `status`, or "" when none is.
std::string ReasonOf(const absl::Status& status);

// The google.rpc.Status for `status`: same code and message; details hold
// an ErrorInfo (the attached reason or, when none is, the code's name such
// as "INTERNAL"; domain kErrorDomain; metadata["request_id"] = request_id)
// followed by the attached BadRequest, if any. OK gives code 0 and no
// details.
google::rpc::Status ToRpcStatus(const absl::Status& status,
                                absl::string_view request_id);

// The inverse of ToRpcStatus, for clients that receive a google.rpc.Status
// (the gRPC trailer, an HTTP error body): the same code and message, with
// its ErrorInfo (request_id metadata dropped) and BadRequest attached as
// payloads again, so ReasonOf and the BadRequest read the same as on the
// server. Code 0 gives OK; a code outside the canonical range gives UNKNOWN.
absl::Status FromRpcStatus(const google::rpc::Status& status);

}  // namespace divcheck::api

#endif  // DIVCHECK_API_ERRORS_H_
