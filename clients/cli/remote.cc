#include "clients/cli/remote.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/errors.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"

namespace divcheck::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kCallTimeout{60};

v1::ScanTextRequest MakeRequest(const std::string& text,
                                const std::string& language) {
  v1::ScanTextRequest request;
  request.set_text(text);
  request.set_language_code(language);
  // A request that sets no field is refused (an empty FILE, no --lang).
  request.set_document_kind(v1::DOCUMENT_KIND_JOB_AD);
  return request;
}

void Authorize(grpc::ClientContext* ctx, const std::string& api_key) {
  if (!api_key.empty()) ctx->AddMetadata("authorization", "Bearer " + api_key);
}

}  // namespace

absl::Status StatusFromGrpc(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (status.error_details().empty() ||
      !rpc.ParseFromString(status.error_details())) {
    rpc.Clear();
    rpc.set_code(static_cast<int>(status.error_code()));
    rpc.set_message(status.error_message());
  }
  return api::FromRpcStatus(rpc);
}

struct RemoteScanner::Impl {
  Connection connection;
  std::unique_ptr<v1::ScanService::Stub> stub;
};

RemoteScanner::RemoteScanner(const Connection& connection)
    : impl_(std::make_unique<Impl>()) {
  impl_->connection = connection;
  impl_->stub = v1::ScanService::NewStub(connection.NewChannel());
}

RemoteScanner::~RemoteScanner() = default;

absl::StatusOr<v1::Report> RemoteScanner::Scan(
    const v1::ScanTextRequest& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  Authorize(&ctx, impl_->connection.api_key);
  v1::ScanTextResponse response;
  grpc::Status status;
  {
    // Text that is not UTF-8 is sent as it is, for the server's api to
    // refuse in the same words as the in-process one; protobuf's warning
    // about it would be a second, different message on stderr.
    google::protobuf::LogSilencer silence;
    status = impl_->stub->ScanText(&ctx, request, &response);
  }
  if (!status.ok())
    return WithTlsHint(impl_->connection, StatusFromGrpc(status));
  return std::move(*response.mutable_report());
}

absl::StatusOr<v1::ScanFormResponse> RemoteScanner::ScanForm(
    const v1::ScanFormRequest& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  Authorize(&ctx, impl_->connection.api_key);
  v1::ScanFormResponse response;
  grpc::Status status = impl_->stub->ScanForm(&ctx, request, &response);
  if (!status.ok())
    return WithTlsHint(impl_->connection, StatusFromGrpc(status));
  return response;
}

namespace {

// One closed loop: a call, then the next as soon as it finishes. The load
// generator shares the machine with the server in most measurements, so it
// spends as little CPU as it can: the request is serialized once, and the
// answers are not parsed. One call before the loops is, to check it is a
// report; as the same text is sent every time, every later answer must be
// byte for byte the same as that one, and one that is not counts as an
// error.
constexpr char kScanTextMethod[] = "/divcheck.v1.ScanService/ScanText";

class BenchRun {
 public:
  explicit BenchRun(const BenchOptions& options) : options_(options) {
    const v1::ScanTextRequest request =
        MakeRequest(options.text, options.language);
    const std::string wire = request.SerializeAsString();
    grpc::Slice slice(wire);
    request_ = grpc::ByteBuffer(&slice, 1);
    for (int i = 0; i < std::max(1, options.channels); ++i) {
      grpc::ChannelArguments args;
      // Separate connections, not one shared subchannel.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      args.SetInt("divcheck.bench_channel", i);
      stubs_.push_back(std::make_unique<grpc::GenericStub>(
          options.connection.NewChannel(args)));
    }
    slots_.resize(static_cast<size_t>(std::max(1, options.concurrency)));
  }

  BenchResult Run() {
    if (absl::Status s = FetchReference(); !s.ok()) {
      BenchResult result;
      result.errors = 1;
      result.first_error = std::string(s.message());
      return result;
    }
    start_ = Clock::now();
    measure_from_ = start_ + options_.warmup;
    stop_at_ = measure_from_ + options_.duration;
    active_ = static_cast<int>(slots_.size());
    for (size_t i = 0; i < slots_.size(); ++i) Issue(i);
    {
      std::unique_lock<std::mutex> lock(mu_);
      while (!done_.wait_for(lock, std::chrono::seconds(1),
                             [this] { return active_ == 0; })) {
        if (!options_.progress) continue;
        lock.unlock();
        options_.progress(
            std::chrono::duration<double>(Clock::now() - start_).count(),
            measured_.load(std::memory_order_relaxed), errors_.load());
        lock.lock();
      }
    }
    BenchResult result;
    std::vector<uint32_t> all;
    for (const Slot& s : slots_)
      all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    result.ok = all.size();
    result.errors = errors_.load();
    result.first_error = first_error_;
    result.seconds = std::chrono::duration<double>(options_.duration).count();
    if (result.seconds > 0)
      result.requests_per_second = result.ok / result.seconds;
    auto percentile = [&all](double p) {
      if (all.empty()) return 0.0;
      size_t k = static_cast<size_t>(p * static_cast<double>(all.size() - 1));
      std::nth_element(all.begin(),
                       all.begin() + static_cast<std::ptrdiff_t>(k), all.end());
      return all[k] / 1000.0;
    };
    result.p50_ms = percentile(0.50);
    result.p90_ms = percentile(0.90);
    result.p99_ms = percentile(0.99);
    result.max_ms = percentile(1.0);
    return result;
  }

 private:
  struct Slot {
    std::unique_ptr<grpc::ClientContext> ctx;
    grpc::ByteBuffer response;
    std::vector<grpc::Slice> slices;  // scratch for comparing the answer
    Clock::time_point start;
    std::vector<uint32_t> latencies_us;  // touched only by this slot's chain
  };

  void Issue(size_t i) {
    Slot& s = slots_[i];
    s.ctx = std::make_unique<grpc::ClientContext>();
    s.ctx->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    Authorize(s.ctx.get(), options_.connection.api_key);
    s.response.Clear();
    s.start = Clock::now();
    stubs_[i % stubs_.size()]->UnaryCall(
        s.ctx.get(), kScanTextMethod, grpc::StubOptions(), &request_,
        &s.response,
        [this, i](grpc::Status status) { OnDone(i, std::move(status)); });
  }

  // One call on its own: its answer, checked to be a report, is what every
  // answer of the run must equal.
  absl::Status FetchReference() {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    Authorize(&ctx, options_.connection.api_key);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    stubs_[0]->UnaryCall(&ctx, kScanTextMethod, grpc::StubOptions(), &request_,
                         &response, [&](grpc::Status s) {
                           std::lock_guard<std::mutex> lock(mu);
                           status = std::move(s);
                           done = true;
                           cv.notify_one();
                         });
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return done; });
    }
    if (!status.ok()) {
      return WithTlsHint(
          options_.connection,
          absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                       absl::StrCat(static_cast<int>(status.error_code()), ": ",
                                    status.error_message())));
    }
    reference_ = Flatten(response);
    v1::ScanTextResponse parsed;
    if (!parsed.ParseFromString(reference_) || !parsed.has_report()) {
      return absl::InternalError(
          "the answer is not a ScanTextResponse with a report");
    }
    return absl::OkStatus();
  }

  static std::string Flatten(const grpc::ByteBuffer& buffer) {
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (!buffer.Dump(&slices).ok()) return bytes;
    for (const grpc::Slice& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return bytes;
  }

  // Whether `buffer` holds exactly the reference answer's bytes.
  bool SameAsReference(const grpc::ByteBuffer& buffer,
                       std::vector<grpc::Slice>* slices) const {
    if (buffer.Length() != reference_.size()) return false;
    slices->clear();
    if (!buffer.Dump(slices).ok()) return false;
    size_t at = 0;
    for (const grpc::Slice& s : *slices) {
      if (std::memcmp(reference_.data() + at, s.begin(), s.size()) != 0) {
        return false;
      }
      at += s.size();
    }
    return true;
  }

  void OnDone(size_t i, grpc::Status status) {
    Slot& s = slots_[i];
    const Clock::time_point now = Clock::now();
    const bool same = status.ok() && SameAsReference(s.response, &s.slices);
    if (status.ok() && !same) {
      // Counted whenever it happens, warm-up or not.
      if (errors_.fetch_add(1) == 0) {
        std::lock_guard<std::mutex> lock(mu_);
        first_error_ =
            "an answer differs from the first answer to the same text";
      }
    }
    if (now >= measure_from_ && now <= stop_at_) {
      if (same) {
        measured_.fetch_add(1, std::memory_order_relaxed);
        s.latencies_us.push_back(static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now - s.start)
                .count()));
      } else if (!status.ok()) {
        if (errors_.fetch_add(1) == 0) {
          std::lock_guard<std::mutex> lock(mu_);
          first_error_ = absl::StrCat(static_cast<int>(status.error_code()),
                                      ": ", status.error_message());
        }
      }
    }
    if (now < stop_at_) {
      Issue(i);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (--active_ == 0) done_.notify_all();
  }

  const BenchOptions options_;
  grpc::ByteBuffer request_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<Slot> slots_;
  Clock::time_point start_, measure_from_, stop_at_;
  std::atomic<uint64_t> errors_{0};
  std::atomic<uint64_t> measured_{0};  // for progress reports only
  std::string reference_;              // the answer every call must get
  std::mutex mu_;
  std::condition_variable done_;
  int active_ = 0;           // guarded by mu_
  std::string first_error_;  // guarded by mu_
};

}  // namespace

BenchResult RunBench(const BenchOptions& options) {
  return BenchRun(options).Run();
}

}  // namespace divcheck::cli
