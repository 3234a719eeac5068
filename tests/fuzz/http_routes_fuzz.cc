// Fuzzes divcheckd's HTTP routes without a socket, as HttpServer runs them
// after reading a request: the first line of the input is the request line
// "METHOD PATH[?QUERY]", the rest the body. The route is looked up
// (FindRoute), the query and, for /v2/check, the URL-encoded form body are
// decoded with httplib's decoder, and the handler runs: proto3 JSON bodies
// (/v1/scan, /v1/forms:scan, /v1/assessments), query parameters into
// request messages (MessageFromParams), LanguageTool's /v2/check. Errors
// go through ToHttpError as they would in a response, which must be valid
// UTF-8. Assessments have no storage here (STORAGE_DISABLED), as in
// divcheckd without --data_dir.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "api/assessment_api.h"
#include "api/scan_api.h"
#include "base/utf8.h"
#include "httplib.h"
#include "service/http_routes.h"
#include "service/http_status.h"
#include "tests/fuzz/fuzz_engine.h"
#include "tests/fuzz/fuzz_questionnaires.h"

// Loads what every input needs before fuzzing starts, so that loading
// does not count against the first input's time limit.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)divcheck::fuzz::SharedEngine();
  (void)divcheck::fuzz::SharedQuestionnaires();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const divcheck::api::ScanApi scan(&divcheck::fuzz::SharedEngine(),
                                           1 << 20);
  static const divcheck::api::AssessmentApi assessment(
      divcheck::fuzz::SharedQuestionnaires(), nullptr);
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  absl::string_view line = input.substr(0, eol);
  const std::string body(
      eol == absl::string_view::npos ? "" : input.substr(eol + 1));
  const size_t space = line.find(' ');
  if (space == absl::string_view::npos) return 0;
  const absl::string_view method = line.substr(0, space);
  absl::string_view target = line.substr(space + 1);
  const size_t question = target.find('?');
  const absl::string_view path = target.substr(0, question);

  std::string path_value;
  std::string allowed;
  const divcheck::service::Route* route =
      divcheck::service::FindRoute(method, path, &path_value, &allowed);
  if (route == nullptr) return 0;
  divcheck::service::HttpParams params;
  if (question != absl::string_view::npos) {
    httplib::detail::parse_query_text(std::string(target.substr(question + 1)),
                                      params);
  }
  if (route->body == divcheck::service::BodyKind::kForm) {
    httplib::detail::parse_query_text(body, params);
  }
  divcheck::service::RouteContext ctx;
  ctx.scan = &scan;
  ctx.assessment = &assessment;
  ctx.request_id = "fuzz";
  ctx.version = "fuzz";
  ctx.body = body;
  ctx.params = &params;
  ctx.path_value = path_value;
  divcheck::service::RouteResult result;
  const absl::Status status = route->handler(ctx, &result);
  if (!status.ok()) {
    // The error answer is JSON a client can read: valid UTF-8 whatever the
    // request held.
    const divcheck::service::HttpError error =
        divcheck::service::ToHttpError(status, ctx.request_id);
    if (divcheck::FirstInvalidUtf8Byte(error.json) != absl::string_view::npos) {
      std::abort();
    }
  }
  return 0;
}
