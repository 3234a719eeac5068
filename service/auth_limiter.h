// AuthFailureLimiter: counts failed authentications per peer address and
// refuses a peer that failed too often, so API keys cannot be guessed at the
// speed of the network.
//
//   AuthFailureLimiter limiter(20, std::chrono::seconds(60), &log);
//   if (limiter.Blocked(peer)) → RESOURCE_EXHAUSTED, without checking a key
//   if (key is wrong) limiter.RecordFailure(peer, reason);
//
// A peer is blocked from its `max_failures`-th failure until `window` after
// the first failure of its window; then it starts afresh. Every failure is
// logged with the peer address (a warning line "authentication failed"), and
// the first refusal of a blocked peer in each window ("authentication
// failures limited"), so a guessing peer costs a bounded number of lines.
//
// The table is bounded (kMaxPeers addresses): when it is full, expired
// entries are dropped, and if none has expired a new peer is not tracked
// (its failures are still logged and refused as wrong keys).
//
// Safe for concurrent use; `log` must outlive the limiter.
#ifndef DIVCHECK_SERVICE_AUTH_LIMITER_H_
#define DIVCHECK_SERVICE_AUTH_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/json_log.h"

namespace divcheck::service {

// The address of a gRPC peer without its port: "ipv4:127.0.0.1:5000" →
// "ipv4:127.0.0.1", "ipv6:[::1]:5000" → "ipv6:[::1]"; anything else
// unchanged.
std::string PeerAddress(absl::string_view grpc_peer);

class AuthFailureLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kMaxPeers = 100000;

  // `max_failures` 0: never blocks (failures are still logged).
  AuthFailureLimiter(uint32_t max_failures, std::chrono::seconds window,
                     JsonLog* log);

  // True when `peer` (a PeerAddress) has reached max_failures in its
  // current window.
  bool Blocked(const std::string& peer, Clock::time_point now = Clock::now());

  // Counts one failed authentication of `peer` and logs it with `reason`.
  void RecordFailure(const std::string& peer, absl::string_view reason,
                     Clock::time_point now = Clock::now());

  uint32_t max_failures() const { return max_failures_; }
  std::chrono::seconds window() const { return window_; }

 private:
  struct Entry {
    Clock::time_point window_start;
    uint32_t failures = 0;
    bool refusal_logged = false;
  };
  void DropExpiredLocked(Clock::time_point now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const uint32_t max_failures_;
  const std::chrono::seconds window_;
  JsonLog* const log_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> peers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_AUTH_LIMITER_H_
