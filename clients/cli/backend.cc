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
  explicit RemoteBackend(const Connection& connection)
      : server_(connection.address), remote_(connection) {}

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

 private:
  const std::string server_;
  RemoteScanner remote_;
};

}  // namespace

std::unique_ptr<ScanBackend> MakeScanBackend(
    const ConnectionFlags& remote,
    const std::optional<std::string>& lexicon_dir, size_t max_bytes) {
  if (!remote.server.empty() || remote.UsesTls()) {
    const std::optional<Connection> connection = ConnectOrPrint(remote);
    if (!connection.has_value()) return nullptr;
    return std::make_unique<RemoteBackend>(*connection);
  }
  EngineOptions options;
  options.lexicon_dir = lexicon_dir.value_or(DefaultLexiconDir());
  options.max_input_bytes = max_bytes;
  std::unique_ptr<Engine> engine = LoadEngine(options);
  if (engine == nullptr) return nullptr;
  return std::make_unique<LocalBackend>(std::move(engine), max_bytes);
}

}  // namespace divcheck::cli
