#include "service/call_start.h"

#include <atomic>
#include <cstdint>
#include <random>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "api/errors.h"
#include "service/auth_limiter.h"

namespace divcheck::service {
namespace {

constexpr char kRequestIdHeader[] = "x-request-id";
constexpr size_t kMaxClientRequestIdChars = 64;

std::atomic<bool> stopped_accepting_calls{false};
std::atomic<int> streams_in_flight{0};

bool IsValidClientRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxClientRequestIdChars) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }()};
  return absl::StrFormat("%016x", rng());
}

}  // namespace

std::string ChooseRequestId(absl::string_view client_id) {
  return IsValidClientRequestId(client_id) ? std::string(client_id)
                                           : NewRequestId();
}

absl::string_view ClientMetadata(const grpc::CallbackServerContext* ctx,
                                 absl::string_view key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  return it == md.end()
             ? absl::string_view()
             : absl::string_view(it->second.data(), it->second.size());
}

std::string StartCall(grpc::CallbackServerContext* ctx) {
  const absl::string_view client_id = ClientMetadata(ctx, kRequestIdHeader);
  std::string id = ChooseRequestId(client_id);
  ctx->AddInitialMetadata(kRequestIdHeader, id);
  return id;
}

void StopAcceptingCalls() {
  stopped_accepting_calls.store(true, std::memory_order_relaxed);
}

bool AcceptingCalls() {
  return !stopped_accepting_calls.load(std::memory_order_relaxed);
}

void StreamStarted() { streams_in_flight.fetch_add(1); }
void StreamEnded() { streams_in_flight.fetch_sub(1); }
int StreamsInFlight() { return streams_in_flight.load(); }

absl::Status AuthenticateCall(const ApiKeys* keys,
                              const grpc::CallbackServerContext* ctx,
                              std::string* key_name, api::Caller* caller) {
  if (stopped_accepting_calls.load(std::memory_order_relaxed)) {
    return api::WithReason(
        absl::UnavailableError("the server is shutting down; try again"),
        "SHUTTING_DOWN");
  }
  if (keys == nullptr || !keys->enabled()) {
    if (caller != nullptr) *caller = api::Caller::Unrestricted();
    return absl::OkStatus();
  }
  AuthFailureLimiter* limiter = keys->failure_limiter();
  std::string peer;
  if (limiter != nullptr) {
    peer = PeerAddress(ctx->peer());
    if (limiter->Blocked(peer)) {
      return api::WithReason(
          absl::ResourceExhaustedError(
              "too many failed authentications from this address; try "
              "again later"),
          "TOO_MANY_AUTH_FAILURES");
    }
  }
  absl::StatusOr<api::Caller> identified =
      keys->Identify(ClientMetadata(ctx, "authorization"), key_name);
  if (!identified.ok()) {
    if (limiter != nullptr) {
      limiter->RecordFailure(peer, identified.status().message());
    }
    return identified.status();
  }
  if (caller != nullptr) *caller = *std::move(identified);
  return absl::OkStatus();
}

}  // namespace divcheck::service
