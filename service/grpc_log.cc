#include "service/grpc_log.h"

#include <cstdio>
#include <cstring>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace divcheck::service {
namespace {

ABSL_CONST_INIT absl::Mutex grpc_log_mu(absl::kConstInit);
JsonLog* grpc_log_target ABSL_GUARDED_BY(grpc_log_mu) = nullptr;

}  // namespace

void ForwardGrpcLog(gpr_log_func_args* args) {
  const char* file = args->file != nullptr ? args->file : "";
  const char* slash = std::strrchr(file, '/');
  if (slash != nullptr) file = slash + 1;
  absl::MutexLock lock(&grpc_log_mu);
  if (grpc_log_target == nullptr) {
    std::fprintf(stderr, "grpc %s:%d] %s\n", file, args->line, args->message);
    return;
  }
  grpc_log_target->Log(
      args->severity == GPR_LOG_SEVERITY_ERROR ? "error" : "info",
      absl::StrCat("grpc: ", args->message),
      {{"file", file}, {"line", args->line}});
}

void SetGrpcLogTarget(JsonLog* log) {
  absl::MutexLock lock(&grpc_log_mu);
  grpc_log_target = log;
}

}  // namespace divcheck::service
