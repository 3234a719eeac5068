#include "clients/cli/backend.h"

#include <utility>

#include "analyzers/engine.h"
#include "api/scan_api.h"
#include "clients/cli/command_support.h"
#include "clients/cli/remote.h"

namespace divcheck::cli {
namespace {

class LocalBackend : public ScanBackend {
 public:
  LocalBackend(std::unique_ptr<Engine> engine, size_t max_bytes)
      : engine_(std::move(engine)), api_(engine_.get(), max_bytes) {}

  absl::Status ScanInto(const v1::ScanTextRequest& request,
                        v1::Report* report) override {
    // The CLI reads files as bytes: their UTF-8 is not known.
    api::CallControl call;
    call.trace = trace_;
    return api_.ScanInto(request, call, api::Utf8::kUnchecked, report);
  }
  bool SetTrace(std::vector<TraceEntry>* trace) override {
    trace_ = trace;
    return true;
  }
  absl::StatusOr<v1::ScanFormResponse> ScanForm(
      const v1::ScanFormRequest& request) override {
    return api_.ScanForm(request, api::CallControl());
  }

 private:
  std::unique_ptr<Engine> engine_;
  api::ScanApi api_;
  std::vector<TraceEntry>* trace_ = nullptr;
};

class RemoteBackend : public ScanBackend {
 public:
  RemoteBackend(const Connection& connection, int concurrency)
      : server_(connection.address),
        remote_(connection),
        fleet_(connection, concurrency) {}

  absl::Status ScanInto(const v1::ScanTextRequest& request,
                        v1::Report* report) override {
    absl::StatusOr<v1::Report> r = remote_.Scan(request);
    if (!r.ok()) return WithServerName(server_, r.status());
    *report = *std::move(r);
    return absl::OkStatus();
  }
  absl::StatusOr<v1::ScanFormResponse> ScanForm(
      const v1::ScanFormRequest& request) override {
    absl::StatusOr<v1::ScanFormResponse> r = remote_.ScanForm(request);
    if (!r.ok()) return WithServerName(server_, r.status());
    return r;
  }
  void ScanEach(size_t n, const MakeScanRequest& make, const ScanDone& done,
                const std::atomic<bool>* stop) override {
    fleet_.Run(n, make, done, stop);
  }

 private:
  const std::string server_;
  RemoteScanner remote_;
  FleetScanner fleet_;
};

}  // namespace

void ScanBackend::ScanEach(size_t n, const MakeScanRequest& make,
                           const ScanDone& done,
                           const std::atomic<bool>* stop) {
  v1::ScanTextRequest request;
  v1::Report report;
  for (size_t i = 0; i < n; ++i) {
    if (stop != nullptr && stop->load()) return;
    absl::Status s = make(i, &request);
    if (s.ok()) s = ScanInto(request, &report);
    done(i, s, report);
  }
}

std::unique_ptr<ScanBackend> MakeScanBackend(
    const ConnectionFlags& remote,
    const std::optional<std::string>& lexicon_dir, size_t max_bytes,
    int concurrency) {
  if (!remote.server.empty() || remote.UsesTls()) {
    const std::optional<Connection> connection = ConnectOrPrint(remote);
    if (!connection.has_value()) return nullptr;
    return std::make_unique<RemoteBackend>(*connection, concurrency);
  }
  EngineOptions options;
  options.lexicon_dir = lexicon_dir.value_or(DefaultLexiconDir());
  options.max_input_bytes = max_bytes;
  std::unique_ptr<Engine> engine = LoadEngine(options);
  if (engine == nullptr) return nullptr;
  return std::make_unique<LocalBackend>(std::move(engine), max_bytes);
}

}  // namespace divcheck::cli
