// `divcheck audit --server=…`: the ads scanned through divcheckd replicas
// instead of in-process, spread over every replica behind --server
// (FleetScanner, fleet.h), with the same per-ad results.
//
// Thread-compatible: one call at a time.
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_REMOTE_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_REMOTE_H_

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "clients/cli/audit_input.h"
#include "clients/cli/connection.h"
#include "divcheck/cli/audit.pb.h"

namespace divcheck::cli {

// Scans `ads` through the servers of `remote` with up to `concurrency`
// calls in flight; (*results)[i] becomes ad i's result (ResultOf, or
// ErrorResult naming the server when a call failed after its retries, with
// the ad's date and category), then finished[i] is set (release ordering:
// a writer thread may read the result once it sees it), and *done counts
// them. Ads without their
// own language are sent with `lang` ("" to detect). Stops sending new ads
// once *stop is true. False, after printing why, when the connection
// flags, TLS files or API key are refused.
bool AuditScanRemote(const ConnectionFlags& remote, int concurrency,
                     const std::string& lang, size_t max_bytes,
                     const std::vector<Ad>& ads,
                     std::vector<AuditResult>* results,
                     std::atomic<bool>* finished, std::atomic<size_t>* done,
                     const std::atomic<bool>* stop);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_REMOTE_H_
