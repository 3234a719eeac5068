#include "service/metrics.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "prometheus/text_serializer.h"
#include "service/server_options.h"

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
    {kScanService, "ScanDocument", "unary"},
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
  lexicon_info_ =
      &prometheus::BuildGauge()
           .Name("divcheck_lexicon_info")
           .Help(
               "1 for the lexicon set in use; its content hash (every "
               "report's lexicon_version) is the label, so replicas that "
               "serve different sets during a rollout can be told apart.")
           .Register(*registry_);
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
  // Reloads run one at a time (service/reload.cc), so this swap does not
  // race with itself; a scrape sees the old series or the new one.
  if (lexicon_version_ != nullptr) lexicon_info_->Remove(lexicon_version_);
  lexicon_version_ =
      &lexicon_info_->Add({{"lexicon_version", set.content_hash()}});
  lexicon_version_->Set(1);
}

void ServerMetrics::CountReload(bool ok) {
  (ok ? reloads_ok_ : reloads_error_)->Increment();
}

// A minimal HTTP/1.x server for GET /metrics (Debian's civetweb, under
// prometheus-cpp's Exposer, is built without IPv6).
class ServerMetrics::HttpServer {
 public:
  HttpServer(int listen_fd, std::shared_ptr<prometheus::Registry> registry)
      : listen_fd_(listen_fd), registry_(std::move(registry)) {
    if (::pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
    thread_ = std::thread([this] { Loop(); });
  }
  ~HttpServer() {
    if (wake_[1] >= 0) (void)!::write(wake_[1], "x", 1);
    thread_.join();
    ::close(listen_fd_);
    if (wake_[0] >= 0) ::close(wake_[0]);
    if (wake_[1] >= 0) ::close(wake_[1]);
  }

 private:
  void Loop() {
    for (;;) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (::poll(fds, wake_[0] >= 0 ? 2 : 1, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors or an aborted connection: try again shortly.
        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        continue;
      }
      Answer(fd);
      ::close(fd);
    }
  }

  void Answer(int fd) {
    const timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    std::string request;
    char buf[2048];
    while (request.find("\r\n\r\n") == std::string::npos &&
           request.find("\n\n") == std::string::npos && request.size() < 8192) {
      const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    const absl::string_view line =
        absl::string_view(request).substr(0, request.find('\n'));
    std::string response;
    if (absl::StartsWith(line, "GET /metrics ") ||
        absl::StartsWith(line, "GET /metrics?")) {
      std::ostringstream body;
      prometheus::TextSerializer().Serialize(body, registry_->Collect());
      const std::string text = body.str();
      response = absl::StrCat(
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; "
          "charset=utf-8\r\nContent-Length: ",
          text.size(), "\r\nConnection: close\r\n\r\n", text);
    } else {
      response =
          "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
          "Content-Length: 10\r\nConnection: close\r\n\r\nnot found\n";
    }
    for (size_t sent = 0; sent < response.size();) {
      const ssize_t n = ::send(fd, response.data() + sent,
                               response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  const int listen_fd_;
  const std::shared_ptr<prometheus::Registry> registry_;
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

ServerMetrics::~ServerMetrics() = default;

absl::StatusOr<int> ServerMetrics::Serve(const std::string& address) {
  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(address, &host, &port); !s.ok()) {
    return s;
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(),
                                   port_text.c_str(), &hints, &found);
      rc != 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot serve metrics on ", address, ": ", ::gai_strerror(rc)));
  }
  std::string error = "no address";
  int fd = -1;
  for (const addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", error));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  const int bound_port =
      bound.ss_family == AF_INET6
          ? ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port)
          : ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
  http_ = std::make_unique<HttpServer>(fd, registry_);
  return bound_port;
}

}  // namespace divcheck::service
