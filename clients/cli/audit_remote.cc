#include "clients/cli/audit_remote.h"

#include <memory>
#include <optional>

#include "clients/cli/audit_summary.h"
#include "clients/cli/backend.h"

namespace divcheck::cli {

bool AuditScanRemote(const ConnectionFlags& remote, int concurrency,
                     const std::string& lang, size_t max_bytes,
                     const std::vector<Ad>& ads,
                     std::vector<AuditResult>* results,
                     std::atomic<bool>* finished, std::atomic<size_t>* done,
                     const std::atomic<bool>* stop) {
  std::unique_ptr<ScanBackend> backend =
      MakeScanBackend(remote, std::nullopt, max_bytes, concurrency);
  if (backend == nullptr) return false;
  auto make = [&](size_t i, v1::ScanTextRequest* request) {
    const Ad& ad = ads[i];
    if (!ad.error.empty()) return absl::InvalidArgumentError(ad.error);
    request->set_text(ad.text);
    request->set_language_code(ad.lang.empty() ? lang : ad.lang);
    // A server refuses a request that sets no field (an empty ad).
    request->set_document_kind(v1::DOCUMENT_KIND_JOB_AD);
    return absl::OkStatus();
  };
  auto on_done = [&](size_t i, const absl::Status& status,
                     const v1::Report& report) {
    const Ad& ad = ads[i];
    AuditResult& r = (*results)[i];
    r = status.ok() ? ResultOf(ad.id, report)
                    : ErrorResult(ad.id, std::string(status.message()));
    r.set_date(ad.date);
    r.set_category(ad.category);
    finished[i].store(true, std::memory_order_release);
    done->fetch_add(1);
  };
  backend->ScanEach(ads.size(), make, on_done, stop);
  return true;
}

}  // namespace divcheck::cli
