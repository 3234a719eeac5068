#include "clients/cli/fleet.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "clients/cli/command_support.h"
#include "clients/cli/remote.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "grpcpp/grpcpp.h"

namespace divcheck::cli {

// round_robin: one connection per address, calls spread over the ready
// ones. ScanText only reads its request, so a call that found its replica
// gone (UNAVAILABLE, nothing answered) is safe to send again. Retry
// throttling: each failure costs a token, each success gives back 0.1, and
// retries stop while fewer than half the tokens are left, so when the whole
// fleet is gone the ads after the first few dozen fail at once instead of
// each being retried for seconds.
std::string FleetServiceConfig(int concurrency) {
  const int tokens = std::clamp(4 * concurrency, 100, 1000);
  return absl::StrFormat(R"({
  "loadBalancingConfig": [{"round_robin": {}}],
  "methodConfig": [{
    "name": [{"service": "divcheck.v1.ScanService", "method": "ScanText"}],
    "retryPolicy": {
      "maxAttempts": %d,
      "initialBackoff": "0.2s",
      "maxBackoff": "2s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }],
  "retryThrottling": {"maxTokens": %d, "tokenRatio": 0.1}
})",
                         kFleetMaxAttempts, tokens);
}

namespace {

constexpr std::chrono::seconds kCallTimeout{60};
// gRPC keeps a request for retrying only up to this size; an ad is at most
// a few MiB.
constexpr int kRetryBufferBytes = 8 << 20;

struct Call {
  size_t index = 0;
  grpc::ClientContext ctx;
  v1::ScanTextRequest request;
  v1::ScanTextResponse response;
  absl::Status status;
};

}  // namespace

std::optional<int> ParseConcurrency(const std::optional<std::string>& value,
                                    int* out, const char* help) {
  if (!value.has_value()) return std::nullopt;
  int n = 0;
  if (!absl::SimpleAtoi(*value, &n) || n < 1 || n > 1024) {
    return Usage("--concurrency must be a number from 1 to 1024", help);
  }
  *out = n;
  return std::nullopt;
}

std::optional<int> CheckServerFlag(const ConnectionFlags& flags,
                                   const char* help) {
  if (flags.server.empty()) return std::nullopt;
  absl::StatusOr<ServerTarget> target = ParseServer(flags.server);
  if (target.ok()) return std::nullopt;
  return Usage(std::string(target.status().message()), help);
}

struct FleetScanner::Impl {
  Connection connection;
  int concurrency = 1;
  size_t window = 0;  // items made but not yet given to `done`, at most
  std::unique_ptr<v1::ScanService::Stub> stub;

  std::mutex mu;
  std::condition_variable changed;
  const ScanDone* done = nullptr;  // guarded by mu
  int active = 0;                  // calls in flight; guarded by mu
  size_t next = 0;                 // next item for `done`; guarded by mu
  // Finished items waiting for an earlier one; guarded by mu.
  absl::flat_hash_map<size_t, std::unique_ptr<Call>> finished;

  // With mu held: keeps `call` and gives every finished item from `next`
  // on to `done`, in order.
  void Finish(std::unique_ptr<Call> call) {
    finished[call->index] = std::move(call);
    for (auto it = finished.find(next); it != finished.end();
         it = finished.find(next)) {
      const Call& c = *it->second;
      (*done)(c.index, c.status, c.response.report());
      finished.erase(it);
      ++next;
    }
    changed.notify_all();
  }

  void OnDone(Call* raw, const grpc::Status& status) {
    std::unique_ptr<Call> call(raw);
    if (!status.ok()) {
      call->status = WithServerName(
          connection.address, WithTlsHint(connection, StatusFromGrpc(status)));
    }
    std::lock_guard<std::mutex> lock(mu);
    --active;
    Finish(std::move(call));
  }

  void Start(std::unique_ptr<Call> call) {
    call->ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    if (!connection.api_key.empty()) {
      call->ctx.AddMetadata("authorization", "Bearer " + connection.api_key);
    }
    Call* raw = call.release();
    // Text that is not UTF-8 goes as it is, for the server to refuse (as
    // RemoteScanner does); protobuf's warning would be a second message.
    google::protobuf::LogSilencer silence;
    stub->async()->ScanText(
        &raw->ctx, &raw->request, &raw->response,
        [this, raw](grpc::Status status) { OnDone(raw, status); });
  }
};

FleetScanner::FleetScanner(const Connection& connection, int concurrency)
    : impl_(std::make_unique<Impl>()) {
  impl_->connection = connection;
  impl_->concurrency = std::max(1, concurrency);
  impl_->window = std::max<size_t>(256, 8 * size_t(impl_->concurrency));
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(FleetServiceConfig(impl_->concurrency));
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 1);
  args.SetInt(GRPC_ARG_PER_RPC_RETRY_BUFFER_SIZE, kRetryBufferBytes);
  impl_->stub = v1::ScanService::NewStub(connection.NewChannel(args));
}

FleetScanner::~FleetScanner() = default;

void FleetScanner::Run(size_t n, const MakeScanRequest& make,
                       const ScanDone& done, const std::atomic<bool>* stop) {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> lock(m.mu);
    m.done = &done;
    m.next = 0;
  }
  size_t made = 0;
  for (size_t i = 0; i < n; ++i) {
    if (stop != nullptr && stop->load()) break;
    {
      std::unique_lock<std::mutex> lock(m.mu);
      m.changed.wait(lock, [&] {
        return m.active < m.concurrency && i < m.next + m.window;
      });
    }
    auto call = std::make_unique<Call>();
    call->index = i;
    const absl::Status made_ok = make(i, &call->request);
    ++made;
    std::unique_lock<std::mutex> lock(m.mu);
    if (!made_ok.ok()) {
      call->status = made_ok;
      m.Finish(std::move(call));
      continue;
    }
    ++m.active;
    // The callback takes mu: not held while the call starts.
    lock.unlock();
    m.Start(std::move(call));
  }
  std::unique_lock<std::mutex> lock(m.mu);
  m.changed.wait(lock, [&] { return m.next == made; });
  m.done = nullptr;
}

Progress::Progress(size_t total, const std::atomic<size_t>* done)
    : total_(total), done_(done) {
  if (isatty(STDERR_FILENO)) thread_ = std::thread([this] { Loop(); });
}

Progress::~Progress() {
  stop_.store(true);
  if (!thread_.joinable()) return;
  thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  std::cerr << "\r" << std::string(60, ' ') << "\r" << std::flush;
}

void Progress::Print(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) std::cerr << "\r" << std::string(60, ' ') << "\r";
  std::cerr << line << std::flush;
}

void Progress::Loop() {
  const auto start = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const size_t n = done_->load();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    const double rate = s > 0 ? n / s : 0;
    const double left = rate > 0 ? (total_ - n) / rate : 0;
    std::lock_guard<std::mutex> lock(mu_);
    std::cerr << absl::StrFormat("\r%zu/%zu ads, %.0f ads/s, %.0f s left   ", n,
                                 total_, rate, left)
              << std::flush;
  }
}

}  // namespace divcheck::cli
