// The CLI's gRPC side: scanning through a divcheckd server (`divcheck scan
// --server=HOST:PORT`) and the closed-loop load generator (`divcheck bench`).
//
// Reports come back as the same divcheck.v1.Report the engine makes
// in-process, so report_format prints them byte for byte alike.
#ifndef DIVCHECK_CLIENTS_CLI_REMOTE_H_
#define DIVCHECK_CLIENTS_CLI_REMOTE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/connection.h"
#include "divcheck/v1/form.pb.h"
#include "divcheck/v1/report.pb.h"
#include "divcheck/v1/scan_service.pb.h"
#include "grpcpp/support/status.h"

namespace divcheck::cli {

// The server's status as the api made it: code, message and, from the
// grpc-status-details-bin trailer, the ErrorInfo and BadRequest
// (api::FromRpcStatus).
absl::Status StatusFromGrpc(const grpc::Status& status);

// Scans texts through a divcheckd server. Not thread-safe (the CLI scans one
// file at a time).
class RemoteScanner {
 public:
  // The connection's API key is sent as "authorization: Bearer <key>" when
  // not empty.
  explicit RemoteScanner(const Connection& connection);
  ~RemoteScanner();

  // The server's report. Errors: the server's status as api::FromRpcStatus
  // reads it (code, message, reason, BadRequest; UNAVAILABLE when it cannot
  // be reached, with WithTlsHint's hint).
  absl::StatusOr<v1::Report> Scan(const v1::ScanTextRequest& request);
  // The server's audit of a form (ScanForm). Errors as for Scan; an
  // INVALID_ARGUMENT message lists every violation the server reported.
  absl::StatusOr<v1::ScanFormResponse> ScanForm(
      const v1::ScanFormRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct BenchOptions {
  Connection connection;
  std::string text;
  std::string language;
  int concurrency = 16;
  int channels = 1;
  std::chrono::seconds duration{10};
  std::chrono::seconds warmup{1};
  // If set, called about once a second while calls are in flight, from the
  // thread that runs RunBench: the seconds since the start (warm-up
  // included), the calls measured so far (answered after the warm-up) and
  // the errors so far.
  std::function<void(double seconds, uint64_t measured, uint64_t errors)>
      progress;
};

struct BenchResult {
  uint64_t ok = 0;
  uint64_t errors = 0;
  std::string first_error;  // code and message of the first failed call
  double seconds = 0;
  double requests_per_second = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

// Keeps `concurrency` ScanText calls in flight (callback API) for warmup +
// duration and measures the calls that finish after the warmup.
BenchResult RunBench(const BenchOptions& options);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_REMOTE_H_
