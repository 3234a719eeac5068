// Where `divcheck scan` and `divcheck form` get their reports: in-process
// (api::ScanApi over an engine loaded here) or a divcheckd server
// (--server). Both implementations send the same v1 requests to the same
// api/ code, and the remote one turns the server's google.rpc.Status back
// into an absl::Status (api::FromRpcStatus), so reports and errors are the
// same by construction: the api layer is the only validator.
//
// Not thread-safe; one per command.
#ifndef DIVCHECK_CLIENTS_CLI_BACKEND_H_
#define DIVCHECK_CLIENTS_CLI_BACKEND_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "analyzers/engine.h"
#include "clients/cli/connection.h"
#include "clients/cli/fleet.h"
#include "divcheck/v1/form.pb.h"
#include "divcheck/v1/report.pb.h"
#include "divcheck/v1/scan_service.pb.h"

namespace divcheck::cli {

class ScanBackend {
 public:
  virtual ~ScanBackend() = default;

  // Scans into *report (cleared first; reused across inputs). Errors are
  // the api's (api/errors.h); a server that cannot be reached or refuses
  // the key gives UNAVAILABLE / UNAUTHENTICATED naming the server.
  virtual absl::Status ScanInto(const v1::ScanTextRequest& request,
                                v1::Report* report) = 0;
  // Audits a form (ScanService.ScanForm). Errors as for ScanInto.
  virtual absl::StatusOr<v1::ScanFormResponse> ScanForm(
      const v1::ScanFormRequest& request) = 0;
  // Makes later ScanInto calls fill *trace (ScanOptions::trace). Only the
  // in-process backend can: the others return false.
  virtual bool SetTrace(std::vector<TraceEntry>* trace) {
    (void)trace;
    return false;
  }

  // Scans items 0..n-1 (fleet.h: make fills item i's request, done gets
  // its outcome, in order; no new item once *stop is true). In-process:
  // one after the other on this thread. Through a server: up to the
  // backend's concurrency at once, spread over every replica behind
  // --server (FleetScanner).
  virtual void ScanEach(size_t n, const MakeScanRequest& make,
                        const ScanDone& done, const std::atomic<bool>* stop);
};

// The server's backend when `remote` names a server or TLS (Connect,
// connection.h: TLS files and API key checked), else an in-process one over
// the lexicons in `lexicon_dir` (default: DefaultLexiconDir()) with
// `max_bytes` as the text limit. `concurrency`: ScanEach's calls in flight
// through a server. nullptr after printing why the connection
// flags, a file or the key are refused, or why the lexicons do not load.
std::unique_ptr<ScanBackend> MakeScanBackend(
    const ConnectionFlags& remote,
    const std::optional<std::string>& lexicon_dir, size_t max_bytes,
    int concurrency = 1);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_BACKEND_H_
