#include "service/auth_limiter.h"

#include "absl/strings/ascii.h"

namespace divcheck::service {

std::string PeerAddress(absl::string_view grpc_peer) {
  const size_t colon = grpc_peer.rfind(':');
  const size_t scheme = grpc_peer.find(':');
  if (colon == absl::string_view::npos || colon == scheme ||
      colon + 1 == grpc_peer.size()) {
    return std::string(grpc_peer);
  }
  for (char c : grpc_peer.substr(colon + 1)) {
    if (!absl::ascii_isdigit(c)) return std::string(grpc_peer);
  }
  return std::string(grpc_peer.substr(0, colon));
}

AuthFailureLimiter::AuthFailureLimiter(uint32_t max_failures,
                                       std::chrono::seconds window,
                                       JsonLog* log)
    : max_failures_(max_failures), window_(window), log_(log) {}

bool AuthFailureLimiter::Blocked(const std::string& peer,
                                 Clock::time_point now) {
  if (max_failures_ == 0) return false;
  bool log_refusal = false;
  uint32_t failures = 0;
  {
    absl::MutexLock lock(&mu_);
    auto it = peers_.find(peer);
    if (it == peers_.end()) return false;
    Entry& e = it->second;
    if (now - e.window_start >= window_) {
      peers_.erase(it);
      return false;
    }
    if (e.failures < max_failures_) return false;
    log_refusal = !e.refusal_logged;
    e.refusal_logged = true;
    failures = e.failures;
  }
  if (log_refusal) {
    log_->Warning("authentication failures limited",
                  {{"peer", peer},
                   {"failures", static_cast<uint64_t>(failures)},
                   {"window_seconds", static_cast<int64_t>(window_.count())}});
  }
  return true;
}

void AuthFailureLimiter::DropExpiredLocked(Clock::time_point now) {
  for (auto it = peers_.begin(); it != peers_.end();) {
    if (now - it->second.window_start >= window_) {
      peers_.erase(it++);
    } else {
      ++it;
    }
  }
}

void AuthFailureLimiter::RecordFailure(const std::string& peer,
                                       absl::string_view reason,
                                       Clock::time_point now) {
  uint32_t failures = 1;
  if (max_failures_ > 0) {
    absl::MutexLock lock(&mu_);
    auto it = peers_.find(peer);
    if (it != peers_.end() && now - it->second.window_start >= window_) {
      peers_.erase(it);
      it = peers_.end();
    }
    if (it == peers_.end()) {
      if (peers_.size() >= kMaxPeers) DropExpiredLocked(now);
      if (peers_.size() < kMaxPeers) {
        peers_.emplace(peer, Entry{now, 1, false});
      }
    } else {
      failures = ++it->second.failures;
    }
  }
  log_->Warning("authentication failed",
                {{"peer", peer},
                 {"reason", reason},
                 {"failures", static_cast<uint64_t>(failures)}});
}

}  // namespace divcheck::service
