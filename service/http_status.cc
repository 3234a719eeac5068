#include "service/http_status.h"

#include "api/errors.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace divcheck::service {

int HttpStatusFor(const absl::Status& status) {
  const std::string reason = api::ReasonOf(status);
  if (reason == "TEXT_TOO_LARGE" || reason == "REQUEST_TOO_LARGE") return 413;
  if (reason == "METHOD_NOT_ALLOWED") return 405;
  if (reason == "UNSUPPORTED_MEDIA_TYPE") return 415;
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

HttpError ToHttpError(const absl::Status& status,
                      absl::string_view request_id) {
  HttpError out;
  out.http_status = HttpStatusFor(status);
  const google::rpc::Status rpc = api::ToRpcStatus(status, request_id);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  if (!google::protobuf::util::MessageToJsonString(rpc, &out.json, options)
           .ok()) {
    // Only when a detail's type is unknown to the pool: never for ours.
    out.json = R"({"code":13,"message":"cannot render the error"})";
  }
  return out;
}

}  // namespace divcheck::service
