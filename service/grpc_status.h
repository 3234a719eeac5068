// The one place where an API error (api/errors.h) becomes a grpc::Status.
//
// Thread-safe: touches no shared state.
#ifndef DIVCHECK_SERVICE_GRPC_STATUS_H_
#define DIVCHECK_SERVICE_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace divcheck::service {

// api::ToRpcStatus as a grpc::Status: the same code and message, with the
// serialized google.rpc.Status as error details (the
// `grpc-status-details-bin` trailer). OK gives grpc::Status::OK.
grpc::Status ToGrpcStatus(const absl::Status& status,
                          absl::string_view request_id);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_GRPC_STATUS_H_
