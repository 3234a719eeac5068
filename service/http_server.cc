#include "service/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "api/errors.h"
#include "service/call_start.h"
#include "service/http_routes.h"
#include "service/http_status.h"
#include "service/server_options.h"

namespace divcheck::service {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kAllowedHeaders[] =
    "Authorization, Content-Type, X-Request-Id, X-Server-Timeout";

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(const std::string& content_type) {
  absl::string_view t = content_type;
  t = t.substr(0, std::min(t.find(';'), t.size()));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(t));
}

absl::Status UnsupportedMediaType(const std::string& got,
                                  absl::string_view want) {
  return api::WithReason(absl::InvalidArgumentError(absl::StrCat(
                             "the body must be ", want, ", not \"",
                             got.empty() ? "(no Content-Type)" : got, "\"")),
                         "UNSUPPORTED_MEDIA_TYPE");
}

// The deadline of a request: now + the configured limit, or less when the
// client asks with X-Server-Timeout (seconds, decimal).
absl::StatusOr<std::chrono::system_clock::time_point> Deadline(
    const httplib::Request& req, std::chrono::milliseconds limit) {
  std::chrono::milliseconds timeout = limit;
  if (req.has_header("X-Server-Timeout")) {
    const std::string value = req.get_header_value("X-Server-Timeout");
    double seconds = 0;
    if (!absl::SimpleAtod(value, &seconds) || !(seconds >= 0)) {
      return api::InvalidRequest(
          {{"X-Server-Timeout",
            absl::StrCat("X-Server-Timeout must be a number of seconds, not \"",
                         value, "\""),
            "INVALID_TIMEOUT"}});
    }
    timeout = std::min(limit, std::chrono::milliseconds(static_cast<int64_t>(
                                  std::min(seconds, 1e9) * 1000)));
  }
  return std::chrono::system_clock::now() + timeout;
}

// Reads the request body through `reader` (none for methods without a
// body) into `body`, up to `max_bytes`; the rest of an over-long body is
// read and dropped, so that a keep-alive connection stays in step.
absl::Status ReadBody(const httplib::ContentReader* reader, size_t max_bytes,
                      httplib::Response& res, std::string* body) {
  if (reader == nullptr) return absl::OkStatus();
  bool too_large = false;
  const bool read = (*reader)([&](const char* data, size_t n) {
    if (body->size() + n > max_bytes) too_large = true;
    if (!too_large) body->append(data, n);
    return true;
  });
  if (too_large || res.status == 413) {
    return api::WithReason(
        absl::InvalidArgumentError(absl::StrCat(
            "the request body is over the limit of ", max_bytes, " bytes")),
        "REQUEST_TOO_LARGE");
  }
  if (!read) {
    res.set_header("Connection", "close");
    return api::WithReason(
        absl::InvalidArgumentError("the request body could not be read"),
        "MALFORMED_REQUEST");
  }
  return absl::OkStatus();
}

// The route of the request (of a CORS preflight: the route its GET or POST
// would take), or UNKNOWN_ROUTE / METHOD_NOT_ALLOWED (with an Allow
// header).
absl::StatusOr<const Route*> MatchRoute(const httplib::Request& req,
                                        httplib::Response& res,
                                        std::string* path_value) {
  std::string allowed;
  const bool preflight = req.method == "OPTIONS";
  const Route* route =
      FindRoute(preflight ? "GET" : req.method, req.path, path_value, &allowed);
  if (route == nullptr && preflight) {
    route = FindRoute("POST", req.path, path_value, &allowed);
  }
  if (route != nullptr) return route;
  if (allowed.empty()) {
    return api::WithReason(absl::NotFoundError(absl::StrCat(
                               "no route ", req.path, " (see docs/API.md)")),
                           "UNKNOWN_ROUTE");
  }
  res.set_header("Allow", allowed);
  return api::WithReason(
      absl::InvalidArgumentError(absl::StrCat(req.method, " is not allowed on ",
                                              req.path, "; use ", allowed)),
      "METHOD_NOT_ALLOWED");
}

// Checks the Content-Type of a route with a body and adds the fields of a
// form body to `params`.
absl::Status ParseParams(const Route& route, const httplib::Request& req,
                         const std::string& body, HttpParams* params) {
  const std::string content_type = req.get_header_value("Content-Type");
  if (route.body == BodyKind::kJson &&
      MediaType(content_type) != "application/json") {
    return UnsupportedMediaType(content_type, "application/json");
  }
  if (route.body == BodyKind::kForm) {
    if (MediaType(content_type) != "application/x-www-form-urlencoded") {
      return UnsupportedMediaType(content_type,
                                  "application/x-www-form-urlencoded");
    }
    // httplib's decoder of URL-encoded pairs ('+' and %XX).
    httplib::detail::parse_query_text(body, *params);
  }
  return absl::OkStatus();
}

// The name of the API key the request carries (Authorization header, or a
// form's `apiKey` field); on failure asks for a Bearer token.
absl::StatusOr<std::string> Authenticate(const ApiKeys& keys,
                                         const Route& route,
                                         const httplib::Request& req,
                                         const HttpParams& params,
                                         httplib::Response& res) {
  std::string authorization = req.get_header_value("Authorization");
  if (authorization.empty() && route.body == BodyKind::kForm) {
    // LanguageTool clients send their key as the `apiKey` field.
    auto it = params.find("apiKey");
    if (it != params.end()) authorization = "Bearer " + it->second;
  }
  absl::StatusOr<std::string> name = keys.Authenticate(authorization);
  if (!name.ok()) res.set_header("WWW-Authenticate", "Bearer");
  return name;
}

}  // namespace

HttpServer::HttpServer(const api::ScanApi* scan,
                       const api::AssessmentApi* assessment,
                       const ApiKeys* keys, JsonLog* log,
                       ServerMetrics* metrics, HttpServerOptions options)
    : scan_(scan),
      assessment_(assessment),
      keys_(keys),
      log_(log),
      metrics_(metrics),
      options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<int> HttpServer::Start() {
  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(options_.listen, &host, &port); !s.ok()) {
    return s;
  }
  if (absl::StartsWith(host, "[") && absl::EndsWith(host, "]")) {
    host = host.substr(1, host.size() - 2);
  }
  if (absl::Status created = CreateServer(); !created.ok()) return created;
  httplib::Server& s = *server_;
  const int threads = options_.threads;
  s.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  // Headers and body go out in separate writes: without TCP_NODELAY each
  // response waits for the client's delayed ACK (~40 ms).
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(1000000);
  s.set_keep_alive_timeout(5);
  s.set_read_timeout(10);
  s.set_write_timeout(10);
  s.set_payload_max_length(options_.max_body_bytes);
  InstallHandlers(s);
  if (port == 0) {
    port = s.bind_to_any_port(host);
    if (port < 0) port = 0;
  } else if (!s.bind_to_port(host, port)) {
    port = 0;
  }
  if (port == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return port;
}

absl::Status HttpServer::CreateServer() {
  if (options_.cert_file.empty()) {
    server_ = std::make_unique<httplib::Server>();
    return absl::OkStatus();
  }
  server_ = std::make_unique<httplib::SSLServer>(
      options_.cert_file.c_str(), options_.key_file.c_str(),
      options_.client_ca_file.empty() ? nullptr
                                      : options_.client_ca_file.c_str());
  if (!server_->is_valid()) {
    server_.reset();
    return absl::InvalidArgumentError(
        absl::StrCat("cannot set up TLS for the HTTP port from ",
                     options_.cert_file, " and ", options_.key_file));
  }
  return absl::OkStatus();
}

void HttpServer::InstallHandlers(httplib::Server& s) {
  // One catch-all per method; routing is ours (http_routes.h), on exact
  // strings. POST bodies are read by Handle through the content reader, so
  // that httplib's 8 KiB limit for form posts does not apply.
  const std::string any = "/.*";
  auto plain = [this](const httplib::Request& req, httplib::Response& res) {
    Handle(req, res, nullptr);
  };
  auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
    Handle(req, res, &reader);
  };
  s.Get(any, plain);
  s.Options(any, plain);
  s.Delete(any, plain);
  s.Post(any, with_body);
  s.Put(any, with_body);
  s.Patch(any, with_body);
  // Errors httplib answers itself (a bad request line, a body over the
  // limit): a google.rpc.Status body like ours.
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        // Only httplib's own answers get here (ours have a body): a bad
        // request line or header, a URI over 8 KiB, an unknown method.
        const std::string request_id =
            ChooseRequestId(req.get_header_value("X-Request-Id"));
        SetCommonHeaders(request_id, res);
        const absl::Status status = api::WithReason(
            absl::InvalidArgumentError(absl::StrCat(
                "the HTTP request cannot be served (HTTP ", res.status, ")")),
            "MALFORMED_REQUEST");
        res.set_content(ToHttpError(status, request_id).json,
                        "application/json");
        if (metrics_ != nullptr) {
          metrics_->OnHttpDone("other", "-", res.status,
                               std::chrono::nanoseconds(0));
        }
        log_->LogBuffered("warning", "http",
                          {{"transport", "http"},
                           {"route", "other"},
                           {"request_id", request_id},
                           {"http_status", res.status},
                           {"reason", "MALFORMED_REQUEST"}});
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_exception_handler([this](const httplib::Request&,
                                 httplib::Response& res, std::exception_ptr) {
    const HttpError e =
        ToHttpError(absl::InternalError("internal error"), ChooseRequestId(""));
    res.status = e.http_status;
    res.set_content(e.json, "application/json");
    log_->Error("http handler threw");
  });
}

void HttpServer::Stop() {
  ready_ = false;
  if (server_ == nullptr) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpServer::SetCommonHeaders(const std::string& request_id,
                                  httplib::Response& res) {
  res.set_header("X-Request-Id", request_id);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; frame-ancestors 'none'");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

bool HttpServer::OriginAllowed(const std::string& origin) const {
  for (const std::string& allowed : options_.cors_origins) {
    if (allowed == "*" || allowed == origin) return true;
  }
  return false;
}

void HttpServer::SetCorsHeaders(const httplib::Request& req,
                                httplib::Response& res) const {
  const std::string origin = req.get_header_value("Origin");
  res.set_header("Vary", "Origin");
  if (origin.empty() || !OriginAllowed(origin)) return;
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Expose-Headers", "X-Request-Id");
}

void HttpServer::Handle(const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader* reader) {
  const Clock::time_point start = Clock::now();
  const std::string request_id =
      ChooseRequestId(req.get_header_value("X-Request-Id"));
  SetCommonHeaders(request_id, res);
  SetCorsHeaders(req, res);
  std::string route = "other";
  std::string key_name;
  std::vector<LogField> fields;
  const absl::Status status =
      Dispatch(req, res, reader, request_id, &route, &key_name, &fields);
  if (!status.ok()) {
    const HttpError e = ToHttpError(status, request_id);
    res.status = e.http_status;
    res.set_content(e.json, "application/json");
  }
  const std::chrono::nanoseconds latency = Clock::now() - start;
  if (metrics_ != nullptr) {
    metrics_->OnHttpDone(route, req.method, res.status, latency);
  }
  if (!options_.log_requests) return;
  std::vector<LogField> line;
  line.reserve(10 + fields.size());
  line.emplace_back("transport", "http");
  line.emplace_back("route", route);
  line.emplace_back("http_method", req.method);
  line.emplace_back("request_id", request_id);
  line.emplace_back("http_status", res.status);
  line.emplace_back("code", absl::StatusCodeToString(status.code()));
  if (!status.ok()) {
    const std::string reason = api::ReasonOf(status);
    line.emplace_back("reason", reason.empty()
                                    ? absl::StatusCodeToString(status.code())
                                    : reason);
  }
  line.emplace_back("latency_ms",
                    std::chrono::duration<double, std::milli>(latency).count());
  if (!key_name.empty()) line.emplace_back("api_key", key_name);
  for (LogField& f : fields) line.push_back(std::move(f));
  log_->LogBuffered(status.ok() ? "info" : "warning", "http", line);
}

absl::Status HttpServer::AnswerPreflight(const httplib::Request& req,
                                         httplib::Response& res) const {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty() || !OriginAllowed(origin)) {
    return api::WithReason(
        absl::PermissionDeniedError(absl::StrCat(
            "origin \"", origin,
            "\" may not call this API (http_cors_origins in the config)")),
        "CORS_ORIGIN_NOT_ALLOWED");
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  res.set_header("Access-Control-Allow-Headers", kAllowedHeaders);
  res.set_header("Access-Control-Max-Age", "600");
  return absl::OkStatus();
}

absl::Status HttpServer::Dispatch(const httplib::Request& req,
                                  httplib::Response& res,
                                  const httplib::ContentReader* reader,
                                  const std::string& request_id,
                                  std::string* route_name,
                                  std::string* key_name,
                                  std::vector<LogField>* log_fields) {
  // The body is read first, whatever follows, so that a keep-alive
  // connection stays in step.
  std::string body;
  if (absl::Status s = ReadBody(reader, options_.max_body_bytes, res, &body);
      !s.ok()) {
    return s;
  }
  std::string path_value;
  const bool preflight = req.method == "OPTIONS";
  absl::StatusOr<const Route*> found = MatchRoute(req, res, &path_value);
  if (!found.ok()) return found.status();
  const Route* route = *found;
  *route_name = route->pattern;
  if (preflight) return AnswerPreflight(req, res);
  HttpParams params = req.params;
  if (absl::Status s = ParseParams(*route, req, body, &params); !s.ok()) {
    return s;
  }
  if (route->authenticated && keys_ != nullptr && keys_->enabled()) {
    absl::StatusOr<std::string> name =
        Authenticate(*keys_, *route, req, params, res);
    if (!name.ok()) return name.status();
    *key_name = *std::move(name);
  }
  if (route->body == BodyKind::kForm) {
    // Not for the check itself.
    params.erase("apiKey");
    params.erase("username");
  }
  absl::StatusOr<std::chrono::system_clock::time_point> deadline =
      Deadline(req, options_.deadline);
  if (!deadline.ok()) return deadline.status();
  RouteContext ctx;
  ctx.scan = scan_;
  ctx.assessment = assessment_;
  ctx.observer = metrics_;
  ctx.call.deadline = *deadline;
  ctx.request_id = request_id;
  ctx.version = options_.version;
  ctx.body = body;
  ctx.params = &params;
  ctx.path_value = std::move(path_value);
  ctx.ready = ready_;
  if (ctx.assessment == nullptr &&
      (absl::StartsWith(route->pattern, "/v1/assess") ||
       absl::StartsWith(route->pattern, "/v1/questionnaires"))) {
    return absl::UnimplementedError("assessments are not served here");
  }
  RouteResult result;
  if (absl::Status s = route->handler(ctx, &result); !s.ok()) return s;
  res.status = result.http_status;
  res.set_content(std::move(result.body), result.content_type.c_str());
  *log_fields = std::move(result.log_fields);
  return absl::OkStatus();
}

}  // namespace divcheck::service
