// HttpServer: divcheckd's HTTP/JSON port (--http_listen), on cpp-httplib.
//
// Every request, whatever its route, goes through one function: it picks
// the request id (`X-Request-Id` when it is 1–64 characters of
// [A-Za-z0-9._-], else a new one; sent back), sets the security headers
// (nosniff, a Content-Security-Policy that allows nothing, no referrer,
// no-store) and the CORS headers for an allowed `Origin`, finds the route
// (404 UNKNOWN_ROUTE, 405 METHOD_NOT_ALLOWED with `Allow`), reads the body
// up to the limit (413 REQUEST_TOO_LARGE), checks its type (415
// UNSUPPORTED_MEDIA_TYPE), authenticates (`Authorization: Bearer <key>`;
// for /v2/check also the `apiKey` form field LanguageTool clients send),
// sets the deadline (the configured one, or less with `X-Server-Timeout:
// <seconds>`), runs the handler (http_routes.h), and converts an error once
// (http_status.h). Then it counts the request (ServerMetrics) and logs one
// JSON line: route, method, status, reason, latency, sizes — never the
// text.
//
// Threads: one thread accepts; a pool of `threads` serves connections, one
// keep-alive connection per thread while it is open (more wait in a queue).
// Stop() refuses new connections, lets the requests being served finish
// and closes idle keep-alive connections within a few seconds.
//
// Thread-safe. The APIs, keys, log and metrics must outlive the server.
#ifndef DIVCHECK_SERVICE_HTTP_SERVER_H_
#define DIVCHECK_SERVICE_HTTP_SERVER_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "api/assessment_api.h"
#include "api/scan_api.h"
#include "service/api_keys.h"
#include "service/json_log.h"
#include "service/metrics.h"

namespace httplib {
class Server;
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace divcheck::service {

struct HttpServerOptions {
  // HOST:PORT; port 0 picks a free one (Start returns it).
  std::string listen;
  // Pool threads: connections served at once.
  int threads = 64;
  // Largest request body; a text may need up to three bytes per byte in a
  // form post, so divcheckd allows 3 × max_text_bytes + 64 KiB.
  size_t max_body_bytes = 3 << 20;
  // Origins allowed to call from a browser; "*" allows any.
  std::vector<std::string> cors_origins;
  // Longest a request may run.
  std::chrono::milliseconds deadline{30000};
  bool log_requests = true;
  // For /v2/check's "software" field.
  std::string version;
  // TLS (PEM files), as on the gRPC port; empty cert_file: plaintext. With
  // client_ca_file every client must present a certificate it signed.
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;
};

class HttpServer {
 public:
  // `assessment`, `keys` and `metrics` may be null.
  HttpServer(const api::ScanApi* scan, const api::AssessmentApi* assessment,
             const ApiKeys* keys, JsonLog* log, ServerMetrics* metrics,
             HttpServerOptions options);
  // Stops the server if it runs.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on a thread of its own. Returns the port.
  // Errors: INVALID_ARGUMENT for a bad address or unusable TLS files,
  // UNAVAILABLE when it cannot bind.
  absl::StatusOr<int> Start();

  // /readyz answers 503 from now on (the first step of a graceful stop).
  void SetNotReady() { ready_ = false; }

  // Stops accepting, waits for the requests being served. Idempotent.
  void Stop();

 private:
  void Handle(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader* reader);
  // Everything of Handle between the headers and the response; *route is
  // the route's pattern once found.
  absl::Status Dispatch(const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader* reader,
                        const std::string& request_id, std::string* route,
                        std::string* key_name,
                        std::vector<LogField>* log_fields);
  // Makes server_, with TLS when a certificate is configured.
  absl::Status CreateServer();
  // Routes every method to Handle; answers httplib's own errors and
  // handler exceptions with a google.rpc.Status body.
  void InstallHandlers(httplib::Server& s);
  // Answers a CORS preflight (204), or CORS_ORIGIN_NOT_ALLOWED.
  absl::Status AnswerPreflight(const httplib::Request& req,
                               httplib::Response& res) const;
  // The request id and the security headers every answer carries.
  static void SetCommonHeaders(const std::string& request_id,
                               httplib::Response& res);
  void SetCorsHeaders(const httplib::Request& req,
                      httplib::Response& res) const;
  bool OriginAllowed(const std::string& origin) const;

  const api::ScanApi* scan_;
  const api::AssessmentApi* assessment_;
  const ApiKeys* keys_;
  JsonLog* log_;
  ServerMetrics* metrics_;
  const HttpServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> ready_{true};
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_HTTP_SERVER_H_
