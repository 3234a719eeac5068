#include "service/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace divcheck::service {
namespace {

struct Method {
  const char* service;
  const char* name;  // unique across the services
  const char* type;
};
constexpr char kScanService[] = "divcheck.v1.ScanService";
constexpr char kAssessmentService[] = "divcheck.v1.AssessmentService";
constexpr Method kMethodTable[] = {
    {kScanService, "ScanText", "unary"},
    {kScanService, "StreamScanText", "bidi_stream"},
    {kScanService, "ListRules", "unary"},
    {kScanService, "GetLexiconInfo", "unary"},
    {kScanService, "ScanForm", "unary"},
    {kAssessmentService, "GetQuestionnaire", "unary"},
    {kAssessmentService, "CreateAssessment", "unary"},
    {kAssessmentService, "GetAssessment", "unary"},
    {kAssessmentService, "ListAssessments", "unary"},
    {kAssessmentService, "CompareAssessments", "unary"},
};
static_assert(sizeof(kMethodTable) / sizeof(kMethodTable[0]) ==
                  ServerMetrics::kMethods,
              "kMethods must count the rows of kMethodTable");

// gRPC code names as go-grpc-prometheus writes them.
constexpr const char* kCodeNames[] = {"OK",
                                      "Canceled",
                                      "Unknown",
                                      "InvalidArgument",
                                      "DeadlineExceeded",
                                      "NotFound",
                                      "AlreadyExists",
                                      "PermissionDenied",
                                      "ResourceExhausted",
                                      "FailedPrecondition",
                                      "Aborted",
                                      "OutOfRange",
                                      "Unimplemented",
                                      "Internal",
                                      "Unavailable",
                                      "DataLoss",
                                      "Unauthenticated"};

int MethodIndex(absl::string_view method) {
  for (int i = 0; i < ServerMetrics::kMethods; ++i) {
    if (method == kMethodTable[i].name) return i;
  }
  return -1;
}

int CodeIndex(absl::StatusCode code) {
  const int c = static_cast<int>(code);
  return c >= 0 && c < 17 ? c : 2;  // Unknown
}

std::string EnumLabel(const std::string& name, absl::string_view prefix) {
  absl::string_view s = name;
  absl::ConsumePrefix(&s, prefix);
  return std::string(s);
}

}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()) {
  auto& handled =
      prometheus::BuildCounter()
          .Name("grpc_server_handled_total")
          .Help(
              "RPCs completed on the server, regardless of success or failure.")
          .Register(*registry_);
  auto& latency =
      prometheus::BuildHistogram()
          .Name("grpc_server_handling_seconds")
          .Help("Time from the start of an RPC to its end, in seconds.")
          .Register(*registry_);
  const prometheus::Histogram::BucketBoundaries buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  for (int m = 0; m < kMethods; ++m) {
    const prometheus::Labels labels = {
        {"grpc_type", kMethodTable[m].type},
        {"grpc_service", kMethodTable[m].service},
        {"grpc_method", kMethodTable[m].name}};
    latency_[m] = &latency.Add(labels, buckets);
    for (int c = 0; c < kCodes; ++c) {
      prometheus::Labels with_code = labels;
      with_code["grpc_code"] = kCodeNames[c];
      handled_[m][c] = &handled.Add(with_code);
    }
  }
  auto& scans =
      prometheus::BuildCounter()
          .Name("divcheck_scans_total")
          .Help("Texts scanned (ScanText calls and StreamScanText messages).")
          .Register(*registry_);
  for (int c = 0; c < kCodes; ++c)
    scans_[c] = &scans.Add({{"grpc_code", kCodeNames[c]}});
  scanned_bytes_ = &prometheus::BuildCounter()
                        .Name("divcheck_scanned_bytes_total")
                        .Help("Bytes of text scanned.")
                        .Register(*registry_)
                        .Add({});
  auto& findings =
      prometheus::BuildCounter()
          .Name("divcheck_findings_total")
          .Help(
              "Findings reported for texts and forms, counted once per "
              "dimension they touch.")
          .Register(*registry_);
  for (int d = 1; d < kDimensions; ++d) {
    for (int s = 1; s < kSeverities; ++s) {
      findings_[d][s] = &findings.Add(
          {{"dimension",
            EnumLabel(v1::Dimension_Name(static_cast<v1::Dimension>(d)),
                      "DIMENSION_")},
           {"severity",
            EnumLabel(v1::Severity_Name(static_cast<v1::Severity>(s)),
                      "SEVERITY_")}});
    }
  }
  lexicon_entries_ = &prometheus::BuildGauge()
                          .Name("divcheck_lexicon_entries")
                          .Help("Entries in the lexicon set in use.")
                          .Register(*registry_)
                          .Add({});
  lexicon_files_ = &prometheus::BuildGauge()
                        .Name("divcheck_lexicon_files")
                        .Help("Files in the lexicon set in use.")
                        .Register(*registry_)
                        .Add({});
  auto& reloads = prometheus::BuildCounter()
                      .Name("divcheck_lexicon_reloads_total")
                      .Help("Lexicon reloads (SIGHUP), by result.")
                      .Register(*registry_);
  reloads_ok_ = &reloads.Add({{"result", "ok"}});
  reloads_error_ = &reloads.Add({{"result", "error"}});
  http_handled_ = &prometheus::BuildCounter()
                       .Name("http_server_requests_total")
                       .Help(
                           "HTTP requests completed, by route, method and "
                           "status code.")
                       .Register(*registry_);
  http_latency_ = &prometheus::BuildHistogram()
                       .Name("http_server_request_duration_seconds")
                       .Help(
                           "Time from reading an HTTP request to its "
                           "response, in seconds.")
                       .Register(*registry_);
}

void ServerMetrics::OnHttpDone(absl::string_view route,
                               absl::string_view method, int http_status,
                               std::chrono::nanoseconds latency) {
  const std::string key = absl::StrCat(route, " ", method, " ", http_status);
  HttpSeries series;
  {
    absl::MutexLock lock(&http_mu_);
    auto it = http_series_.find(key);
    if (it == http_series_.end()) {
      static const prometheus::Histogram::BucketBoundaries kBuckets = {
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
      const prometheus::Labels labels = {{"route", std::string(route)},
                                         {"method", std::string(method)}};
      prometheus::Labels with_code = labels;
      with_code["code"] = absl::StrCat(http_status);
      it = http_series_
               .emplace(key, HttpSeries{&http_handled_->Add(with_code),
                                        &http_latency_->Add(labels, kBuckets)})
               .first;
    }
    series = it->second;
  }
  series.handled->Increment();
  series.latency->Observe(std::chrono::duration<double>(latency).count());
}

void ServerMetrics::OnCallDone(absl::string_view method, absl::StatusCode code,
                               std::chrono::nanoseconds latency) {
  const int m = MethodIndex(method);
  if (m < 0) return;
  handled_[m][CodeIndex(code)]->Increment();
  latency_[m]->Observe(std::chrono::duration<double>(latency).count());
}

void ServerMetrics::OnScanDone(absl::StatusCode code, size_t text_bytes,
                               const v1::Report* report) {
  scans_[CodeIndex(code)]->Increment();
  scanned_bytes_->Increment(static_cast<double>(text_bytes));
  if (report != nullptr) CountFindings(*report);
}

void ServerMetrics::OnFormDone(const v1::Report& report) {
  CountFindings(report);
}

void ServerMetrics::CountFindings(const v1::Report& report) {
  for (const v1::Finding& f : report.findings()) {
    const int s = static_cast<int>(f.severity());
    if (s <= 0 || s >= kSeverities) continue;
    for (int d : f.dimensions()) {
      if (d > 0 && d < kDimensions) findings_[d][s]->Increment();
    }
  }
}

void ServerMetrics::SetLexicons(const LexiconSet& set) {
  lexicon_entries_->Set(static_cast<double>(set.entry_count()));
  lexicon_files_->Set(static_cast<double>(set.files().size()));
}

void ServerMetrics::CountReload(bool ok) {
  (ok ? reloads_ok_ : reloads_error_)->Increment();
}

absl::StatusOr<int> ServerMetrics::Serve(const std::string& address) {
  // civetweb reports a failed bind by throwing; keep that inside.
  try {
    exposer_ =
        std::make_unique<prometheus::Exposer>(address, /*num_threads=*/1);
    exposer_->RegisterCollectable(registry_);
    const std::vector<int> ports = exposer_->GetListeningPorts();
    if (ports.empty()) return absl::UnavailableError("no metrics port bound");
    return ports[0];
  } catch (const std::exception& e) {
    exposer_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
}

}  // namespace divcheck::service
