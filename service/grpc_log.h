// gRPC's own log lines — e.g. a refused compressed request — go to the JSON
// log while one is set, as {"level":"error","msg":"grpc: …","file",…};
// otherwise to standard error as gRPC writes them.
//
//   SetGrpcLogTarget(&log);
//   gpr_set_log_function(ForwardGrpcLog);
//
// Thread-safe: the target is guarded by a mutex.
#ifndef DIVCHECK_SERVICE_GRPC_LOG_H_
#define DIVCHECK_SERVICE_GRPC_LOG_H_

#include "grpc/support/log.h"
#include "service/json_log.h"

namespace divcheck::service {

// gRPC's log function (gpr_set_log_function).
void ForwardGrpcLog(gpr_log_func_args* args);

// Where ForwardGrpcLog writes; null: standard error. `log` must outlive the
// time it is set.
void SetGrpcLogTarget(JsonLog* log);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_GRPC_LOG_H_
