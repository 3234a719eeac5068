// `divcheck audit --server=…`: the ads scanned through divcheckd replicas
// instead of in-process, spread over every replica behind --server
// (FleetScanner, fleet.h), with the same per-ad results.
//
// Thread-compatible: one call at a time.
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_REMOTE_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_REMOTE_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "clients/cli/connection.h"
#include "divcheck/cli/audit.pb.h"

namespace divcheck::cli {

// One ad as the audit read it (pointers into the caller's ad).
struct AdRef {
  const std::string* id;
  const std::string* text;
  const std::string* lang;   // "" for the default language
  const std::string* error;  // not empty: reading failed, not scanned
};

// Scans ads 0..n-1 (ad_at(i)) through the servers of `remote` with up to
// `concurrency` calls in flight; (*results)[i] becomes the ad's result
// (ResultOf, or ErrorResult naming the server when a call failed after its
// retries), (*finished)[i] true, and *done counts them. Ads without their
// own language are sent with `lang` ("" to detect). Stops sending new ads
// once *stop is true. False, after printing why, when the connection
// flags, TLS files or API key are refused.
bool AuditScanRemote(const ConnectionFlags& remote, int concurrency,
                     const std::string& lang, size_t max_bytes, size_t n,
                     const std::function<AdRef(size_t)>& ad_at,
                     std::vector<AuditResult>* results,
                     std::vector<char>* finished, std::atomic<size_t>* done,
                     const std::atomic<bool>* stop);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_REMOTE_H_
