// The routes of divcheckd's HTTP port: REST `/v1/…` mirroring the gRPC
// methods (bodies and answers are the proto3 JSON of the gRPC messages),
// LanguageTool's `/v2/check` and `/v2/languages`, and `/healthz`/`/readyz`.
// docs/API.md lists them with examples.
//
// A handler gets the request already routed, read, authenticated and given
// a deadline (http_server.cc); it validates through the API layer (api/)
// and returns an absl::Status that http_status.h turns into the response,
// so the same bad input gets the same reason and wording as over gRPC.
//
// The route table is immutable; handlers are thread-safe.
#ifndef DIVCHECK_SERVICE_HTTP_ROUTES_H_
#define DIVCHECK_SERVICE_HTTP_ROUTES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "api/assessment_api.h"
#include "api/caller.h"
#include "api/scan_api.h"
#include "google/protobuf/message.h"
#include "service/json_log.h"
#include "service/scan_service.h"

namespace divcheck::service {

// Query or form parameters (httplib::Params is this type).
using HttpParams = std::multimap<std::string, std::string>;

// What a handler gets.
struct RouteContext {
  const api::ScanApi* scan = nullptr;
  const api::AssessmentApi* assessment = nullptr;
  // May be null.
  CallObserver* observer = nullptr;
  api::CallControl call;
  std::string request_id;
  std::string version;
  // The request body (POST), already read and within the limit.
  absl::string_view body;
  // Query parameters, and for form posts the form's parameters too.
  const HttpParams* params = nullptr;
  // The `{…}` segment of the route's path, e.g. the id of
  // /v1/assessments/{id}; "" for routes without one.
  std::string path_value;
  // Whether /readyz answers 200.
  bool ready = true;
  // Who calls, from the API key: the assessment routes pass it to
  // AssessmentApi, which enforces the tenant boundary.
  api::Caller caller;
};

// What a handler answers with (on success; errors are the Status).
struct RouteResult {
  int http_status = 200;
  std::string body;
  std::string content_type = "application/json";
  // Extra fields of the request's log line (sizes, counts; never text).
  std::vector<LogField> log_fields;
};

using RouteHandler = absl::Status (*)(const RouteContext&, RouteResult*);

// What a route's request body is.
enum class BodyKind { kNone, kJson, kForm };

struct Route {
  const char* method;  // "GET" or "POST"
  // Path with at most one `{name}` segment, e.g. "/v1/assessments/{id}";
  // also the route's label in logs and metrics.
  const char* pattern;
  BodyKind body;
  // Needs an API key when keys are configured.
  bool authenticated;
  RouteHandler handler;
};

// The route for `method` and `path`, with its `{…}` segment in *path_value.
// Null when none matches; then *allowed lists the methods the path has
// ("GET, POST"), empty when the path is unknown.
const Route* FindRoute(absl::string_view method, absl::string_view path,
                       std::string* path_value, std::string* allowed);

// `params` into the fields of `message` (by proto or JSON name; strings,
// integers, booleans, enums by name or number). Errors: INVALID_ARGUMENT
// listing each parameter that is unknown (UNKNOWN_FIELD) or has a bad
// value (INVALID_QUERY_PARAMETER).
absl::Status MessageFromParams(const HttpParams& params,
                               google::protobuf::Message* message);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_HTTP_ROUTES_H_
