// The one place where an API error (api/errors.h) becomes an HTTP response:
// the status code and a JSON body in the google.rpc.Status shape, the same
// ErrorInfo reason and BadRequest field violations that gRPC sends.
//
//   HttpError e = ToHttpError(status, request_id);
//   res.status = e.http_status;
//   res.set_content(e.json, "application/json");
//
// Thread-safe: touches no shared state.
#ifndef DIVCHECK_SERVICE_HTTP_STATUS_H_
#define DIVCHECK_SERVICE_HTTP_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace divcheck::service {

// The HTTP status for `status`, after Google's HTTP mapping of the gRPC
// codes: OK 200; INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE 400;
// UNAUTHENTICATED 401; PERMISSION_DENIED 403; NOT_FOUND 404;
// ALREADY_EXISTS, ABORTED 409; RESOURCE_EXHAUSTED 429; CANCELLED 499;
// UNIMPLEMENTED 501; UNAVAILABLE 503; DEADLINE_EXCEEDED 504; everything
// else 500. Two reasons refine it: TEXT_TOO_LARGE and REQUEST_TOO_LARGE are
// 413, METHOD_NOT_ALLOWED 405, UNSUPPORTED_MEDIA_TYPE 415.
int HttpStatusFor(const absl::Status& status);

struct HttpError {
  int http_status = 500;
  // proto3 JSON of api::ToRpcStatus(status, request_id): {"code": 3,
  // "message": "…", "details": [{"@type":
  // "type.googleapis.com/google.rpc.ErrorInfo", "reason": "…", …}, …]}.
  std::string json;
};

// REQUIRES: !status.ok().
HttpError ToHttpError(const absl::Status& status, absl::string_view request_id);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_HTTP_STATUS_H_
