// ServerMetrics: Prometheus metrics of divcheckd, served on --metrics_listen.
//
//   grpc_server_handled_total{grpc_type, grpc_service, grpc_method, grpc_code}
//       RPCs completed (as in go-grpc-prometheus; grpc_code is "OK",
//       "InvalidArgument", …)
//   grpc_server_handling_seconds{grpc_type, grpc_service, grpc_method}
//       histogram of call latency
//   divcheck_scans_total{grpc_code}          texts scanned (calls and stream
//                                            messages)
//   divcheck_scanned_bytes_total             bytes of text scanned
//   divcheck_findings_total{dimension, severity}
//                                            findings reported, per dimension
//   divcheck_lexicon_entries, divcheck_lexicon_files   the loaded set
//   divcheck_lexicon_reloads_total{result}   "ok" or "error"
//   http_server_requests_total{route, method, code}
//       HTTP requests completed; route is the pattern ("/v1/scan",
//       "/v1/assessments/{id}", "other" for unknown paths), code the HTTP
//       status sent
//   http_server_request_duration_seconds{route, method}
//       histogram of HTTP request latency
//
// Every gRPC series is created up front, so the hot path only increments
// pre-resolved counters; an HTTP series is created on first use and found
// again in a small map under a mutex. Safe for concurrent use.
#ifndef DIVCHECK_SERVICE_METRICS_H_
#define DIVCHECK_SERVICE_METRICS_H_

#include <array>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "analyzers/lexicon.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "service/scan_service.h"

namespace divcheck::service {

class ServerMetrics final : public CallObserver {
 public:
  ServerMetrics();
  ~ServerMetrics() override;

  void OnCallDone(absl::string_view method, absl::StatusCode code,
                  std::chrono::nanoseconds latency) override;
  void OnScanDone(absl::StatusCode code, size_t text_bytes,
                  const v1::Report* report) override;
  void OnFormDone(const v1::Report& report) override;

  // An HTTP request ended with `http_status` (see the series above).
  void OnHttpDone(absl::string_view route, absl::string_view method,
                  int http_status, std::chrono::nanoseconds latency);

  // The set now in use, and whether a reload succeeded.
  void SetLexicons(const LexiconSet& set);
  void CountReload(bool ok);

  // Serves the metrics at http://`address`/metrics ("HOST:PORT", an IPv6
  // host in brackets: "[::1]:0") on a thread of its own, one request at a
  // time (each connection gets 2 s to send its request and read the
  // answer; anything but GET /metrics gets 404). Returns the port bound
  // (useful with port 0). Errors: INVALID_ARGUMENT for a malformed address,
  // UNAVAILABLE when it cannot be resolved or bound. Call at most once.
  absl::StatusOr<int> Serve(const std::string& address);

  const std::shared_ptr<prometheus::Registry>& registry() const {
    return registry_;
  }

  // RPC methods with their own call counters and latency histograms.
  static constexpr int kMethods = 11;

 private:
  void CountFindings(const v1::Report& report);
  static constexpr int kCodes = 17;
  static constexpr int kDimensions = 8;  // Dimension enum values
  static constexpr int kSeverities = 4;  // Severity enum values

  class HttpServer;

  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<HttpServer> http_;
  std::array<std::array<prometheus::Counter*, kCodes>, kMethods> handled_{};
  std::array<prometheus::Histogram*, kMethods> latency_{};
  std::array<prometheus::Counter*, kCodes> scans_{};
  prometheus::Counter* scanned_bytes_ = nullptr;
  std::array<std::array<prometheus::Counter*, kSeverities>, kDimensions>
      findings_{};
  prometheus::Gauge* lexicon_entries_ = nullptr;
  prometheus::Gauge* lexicon_files_ = nullptr;
  // divcheck_lexicon_info{lexicon_version}: one series, for the set in use.
  prometheus::Family<prometheus::Gauge>* lexicon_info_ = nullptr;
  prometheus::Gauge* lexicon_version_ = nullptr;
  prometheus::Counter* reloads_ok_ = nullptr;
  prometheus::Counter* reloads_error_ = nullptr;

  struct HttpSeries {
    prometheus::Counter* handled = nullptr;
    prometheus::Histogram* latency = nullptr;
  };
  prometheus::Family<prometheus::Counter>* http_handled_ = nullptr;
  prometheus::Family<prometheus::Histogram>* http_latency_ = nullptr;
  absl::Mutex http_mu_;
  // Keyed by "route method status".
  absl::flat_hash_map<std::string, HttpSeries> http_series_
      ABSL_GUARDED_BY(http_mu_);
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_METRICS_H_
