#include "service/grpc_status.h"

#include "api/errors.h"
#include "grpcpp/support/error_details.h"

namespace divcheck::service {

grpc::Status ToGrpcStatus(const absl::Status& status,
                          absl::string_view request_id) {
  if (status.ok()) return grpc::Status::OK;
  grpc::Status out;
  grpc::SetErrorDetails(api::ToRpcStatus(status, request_id), &out);
  return out;
}

}  // namespace divcheck::service
