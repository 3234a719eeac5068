#include "service/http_routes.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/errors.h"
#include "base/status_macros.h"
#include "divcheck/v1/assessment_service.pb.h"
#include "divcheck/v1/scan_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "service/languagetool.h"
#include "service/proto_json.h"

namespace divcheck::service {
namespace {

namespace pb = google::protobuf;

// `body` (proto3 JSON) into *message. Errors: INVALID_ARGUMENT with reason
// UNKNOWN_FIELD for a field the message does not have, MALFORMED_JSON for
// anything else protobuf's parser refuses.
absl::Status ParseJsonBody(absl::string_view body, pb::Message* message) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = pb::util::JsonStringToMessage(
      pb::StringPiece(body.data(), body.size()), message, options);
  if (parsed.ok()) return absl::OkStatus();
  const std::string problem(parsed.message().data(), parsed.message().size());
  const bool unknown = absl::StrContains(problem, "Cannot find field");
  return api::InvalidRequest(
      {{"body",
        absl::StrCat("the body is not a ", message->GetDescriptor()->name(),
                     " in proto3 JSON: ", problem),
        unknown ? "UNKNOWN_FIELD" : "MALFORMED_JSON"}});
}

absl::Status WriteJson(const pb::Message& message, RouteResult* out) {
  pb::util::JsonPrintOptions options;
  out->body.clear();
  const auto printed =
      pb::util::MessageToJsonString(message, &out->body, options);
  if (!printed.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot write the response as JSON: ",
        std::string(printed.message().data(), printed.message().size())));
  }
  return absl::OkStatus();
}

void LogReport(const v1::Report& report, RouteResult* out) {
  out->log_fields.emplace_back("language", report.language());
  out->log_fields.emplace_back("findings", report.findings_size());
  out->log_fields.emplace_back("score", report.score());
}

absl::Status ScanText(const RouteContext& ctx, RouteResult* out) {
  // The handler runs to its end on this pool thread: one request and one
  // response per thread are reused, as in the gRPC handler, so Clear()
  // keeps their strings' storage.
  thread_local v1::ScanTextRequest request;
  thread_local v1::ScanTextResponse response;
  request.Clear();
  response.Clear();
  RETURN_IF_ERROR(ParseJsonBody(ctx.body, &request));
  const absl::Status status = ctx.scan->ScanInto(
      request, ctx.call, api::Utf8::kVerified, response.mutable_report());
  out->log_fields.emplace_back("text_bytes",
                               static_cast<uint64_t>(request.text().size()));
  if (ctx.observer != nullptr) {
    ctx.observer->OnScanDone(status.code(), request.text().size(),
                             status.ok() ? &response.report() : nullptr);
  }
  RETURN_IF_ERROR(status);
  response.set_request_id(request.request_id());
  LogReport(response.report(), out);
  out->body.clear();
  if (AppendProtoJson(response, &out->body)) return absl::OkStatus();
  return WriteJson(response, out);
}

absl::Status ScanForm(const RouteContext& ctx, RouteResult* out) {
  v1::ScanFormRequest request;
  RETURN_IF_ERROR(ParseJsonBody(ctx.body, &request));
  ASSIGN_OR_RETURN(const v1::ScanFormResponse response,
                   ctx.scan->ScanForm(request, ctx.call));
  if (ctx.observer != nullptr) ctx.observer->OnFormDone(response.report());
  LogReport(response.report(), out);
  return WriteJson(response, out);
}

absl::Status ScanDocument(const RouteContext& ctx, RouteResult* out) {
  v1::ScanDocumentRequest request;
  RETURN_IF_ERROR(ParseJsonBody(ctx.body, &request));
  absl::StatusOr<v1::ScanDocumentResponse> response =
      ctx.scan->ScanDocument(request, ctx.call);
  out->log_fields.emplace_back("content_bytes",
                               static_cast<uint64_t>(request.content().size()));
  if (ctx.observer != nullptr) {
    ctx.observer->OnScanDone(
        response.status().code(),
        response.ok() ? response->extracted_text().size() : 0,
        response.ok() ? &response->report() : nullptr);
  }
  RETURN_IF_ERROR(response.status());
  out->log_fields.emplace_back("format", response->detected_format());
  out->log_fields.emplace_back(
      "text_bytes", static_cast<uint64_t>(response->extracted_text().size()));
  LogReport(response->report(), out);
  return WriteJson(*response, out);
}

absl::Status ListRules(const RouteContext& ctx, RouteResult* out) {
  v1::ListRulesRequest request;
  RETURN_IF_ERROR(MessageFromParams(*ctx.params, &request));
  ASSIGN_OR_RETURN(const v1::ListRulesResponse response,
                   ctx.scan->ListRules(request));
  out->log_fields.emplace_back("rules", response.rules_size());
  return WriteJson(response, out);
}

absl::Status GetLexiconInfo(const RouteContext& ctx, RouteResult* out) {
  v1::GetLexiconInfoRequest request;
  RETURN_IF_ERROR(MessageFromParams(*ctx.params, &request));
  return WriteJson(ctx.scan->GetLexiconInfo(), out);
}

absl::Status GetQuestionnaire(const RouteContext& ctx, RouteResult* out) {
  v1::GetQuestionnaireRequest request;
  RETURN_IF_ERROR(MessageFromParams(*ctx.params, &request));
  request.set_language_code(ctx.path_value);
  ASSIGN_OR_RETURN(const v1::Questionnaire response,
                   ctx.assessment->GetQuestionnaire(request));
  return WriteJson(response, out);
}

absl::Status CreateAssessment(const RouteContext& ctx, RouteResult* out) {
  v1::CreateAssessmentRequest request;
  RETURN_IF_ERROR(ParseJsonBody(ctx.body, &request));
  ASSIGN_OR_RETURN(const v1::Assessment response,
                   ctx.assessment->CreateAssessment(request, ctx.caller));
  out->log_fields.emplace_back("answers", request.answers_size());
  return WriteJson(response, out);
}

absl::Status GetAssessment(const RouteContext& ctx, RouteResult* out) {
  v1::GetAssessmentRequest request;
  RETURN_IF_ERROR(MessageFromParams(*ctx.params, &request));
  request.set_id(ctx.path_value);
  ASSIGN_OR_RETURN(const v1::Assessment response,
                   ctx.assessment->GetAssessment(request, ctx.caller));
  return WriteJson(response, out);
}

absl::Status ListAssessments(const RouteContext& ctx, RouteResult* out) {
  v1::ListAssessmentsRequest request;
  RETURN_IF_ERROR(MessageFromParams(*ctx.params, &request));
  ASSIGN_OR_RETURN(const v1::ListAssessmentsResponse response,
                   ctx.assessment->ListAssessments(request, ctx.caller));
  return WriteJson(response, out);
}

absl::Status CompareAssessments(const RouteContext& ctx, RouteResult* out) {
  v1::CompareAssessmentsRequest request;
  RETURN_IF_ERROR(MessageFromParams(*ctx.params, &request));
  ASSIGN_OR_RETURN(const v1::AssessmentComparison response,
                   ctx.assessment->CompareAssessments(request, ctx.caller));
  return WriteJson(response, out);
}

absl::Status Check(const RouteContext& ctx, RouteResult* out) {
  ASSIGN_OR_RETURN(const lt::CheckRequest check,
                   lt::ParseCheckRequest(*ctx.params));
  const v1::ScanTextRequest request = lt::ToScanTextRequest(
      check, [&](absl::string_view id) { return ctx.scan->IsRule(id); });
  v1::Report report;
  const absl::Status status =
      ctx.scan->ScanInto(request, ctx.call, api::Utf8::kVerified, &report);
  out->log_fields.emplace_back("text_bytes",
                               static_cast<uint64_t>(check.text.size()));
  if (ctx.observer != nullptr) {
    ctx.observer->OnScanDone(status.code(), check.text.size(),
                             status.ok() ? &report : nullptr);
  }
  if (!status.ok()) {
    // The scan's violations name ScanTextRequest fields; /v2/check's
    // parameters have LanguageTool's names.
    return status;
  }
  LogReport(report, out);
  out->body = lt::CheckResponseJson(check, report, ctx.version);
  return absl::OkStatus();
}

absl::Status Languages(const RouteContext&, RouteResult* out) {
  out->body = lt::LanguagesJson();
  return absl::OkStatus();
}

absl::Status Healthz(const RouteContext&, RouteResult* out) {
  out->body = R"({"status":"SERVING"})";
  return absl::OkStatus();
}

absl::Status Readyz(const RouteContext& ctx, RouteResult* out) {
  if (!ctx.ready) {
    return api::WithReason(absl::UnavailableError("the server is stopping"),
                           "SHUTTING_DOWN");
  }
  out->body = R"({"status":"SERVING"})";
  return absl::OkStatus();
}

constexpr Route kRoutes[] = {
    {"POST", "/v1/scan", BodyKind::kJson, true, ScanText},
    {"POST", "/v1/forms:scan", BodyKind::kJson, true, ScanForm},
    {"POST", "/v1/documents:scan", BodyKind::kJson, true, ScanDocument},
    {"GET", "/v1/rules", BodyKind::kNone, true, ListRules},
    {"GET", "/v1/lexicons", BodyKind::kNone, true, GetLexiconInfo},
    {"GET", "/v1/questionnaires/{language_code}", BodyKind::kNone, true,
     GetQuestionnaire},
    {"POST", "/v1/assessments", BodyKind::kJson, true, CreateAssessment},
    {"GET", "/v1/assessments", BodyKind::kNone, true, ListAssessments},
    {"GET", "/v1/assessments:compare", BodyKind::kNone, true,
     CompareAssessments},
    {"GET", "/v1/assessments/{id}", BodyKind::kNone, true, GetAssessment},
    {"POST", "/v2/check", BodyKind::kForm, true, Check},
    {"GET", "/v2/languages", BodyKind::kNone, false, Languages},
    {"GET", "/healthz", BodyKind::kNone, false, Healthz},
    {"GET", "/readyz", BodyKind::kNone, false, Readyz},
};

// Whether `path` matches `pattern`; the `{…}` segment's value goes to
// *value.
bool PathMatches(absl::string_view pattern, absl::string_view path,
                 std::string* value) {
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> have = absl::StrSplit(path, '/');
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (absl::StartsWith(want[i], "{")) {
      if (have[i].empty() || absl::StrContains(have[i], ':')) return false;
      *value = std::string(have[i]);
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return true;
}

absl::Status SetField(const std::string& value,
                      const pb::FieldDescriptor* field, pb::Message* message) {
  const pb::Reflection* r = message->GetReflection();
  const absl::Status bad = absl::InvalidArgumentError(
      absl::StrCat("\"", value, "\" is not a valid ", field->name()));
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
      r->SetString(message, field, value);
      return absl::OkStatus();
    case pb::FieldDescriptor::CPPTYPE_INT32: {
      int32_t v = 0;
      if (!absl::SimpleAtoi(value, &v)) return bad;
      r->SetInt32(message, field, v);
      return absl::OkStatus();
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v = 0;
      if (!absl::SimpleAtoi(value, &v)) return bad;
      r->SetUInt32(message, field, v);
      return absl::OkStatus();
    }
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      bool v = false;
      if (!absl::SimpleAtob(value, &v)) return bad;
      r->SetBool(message, field, v);
      return absl::OkStatus();
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      int number = 0;
      if (const pb::EnumValueDescriptor* e =
              field->enum_type()->FindValueByName(value)) {
        r->SetEnumValue(message, field, e->number());
      } else if (absl::SimpleAtoi(value, &number)) {
        // Unknown numbers reach the API, which names them (e.g.
        // INVALID_DIMENSION), as over gRPC.
        r->SetEnumValue(message, field, number);
      } else {
        return bad;
      }
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field->name(), " cannot be given as a query parameter"));
  }
}

}  // namespace

const Route* FindRoute(absl::string_view method, absl::string_view path,
                       std::string* path_value, std::string* allowed) {
  allowed->clear();
  for (const Route& route : kRoutes) {
    std::string value;
    if (!PathMatches(route.pattern, path, &value)) continue;
    if (method == route.method ||
        (method == "HEAD" && absl::string_view(route.method) == "GET")) {
      *path_value = std::move(value);
      return &route;
    }
    if (!absl::StrContains(*allowed, route.method)) {
      absl::StrAppend(allowed, allowed->empty() ? "" : ", ", route.method);
    }
  }
  return nullptr;
}

absl::Status MessageFromParams(const HttpParams& params, pb::Message* message) {
  std::vector<api::FieldViolation> violations;
  const pb::Descriptor* d = message->GetDescriptor();
  for (const auto& [key, value] : params) {
    const pb::FieldDescriptor* field = d->FindFieldByName(key);
    if (field == nullptr) field = d->FindFieldByCamelcaseName(key);
    if (field == nullptr || field->is_repeated() ||
        field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      violations.push_back({key,
                            absl::StrCat("unknown query parameter \"", key,
                                         "\" for ", d->name()),
                            "UNKNOWN_FIELD"});
      continue;
    }
    if (absl::Status s = SetField(value, field, message); !s.ok()) {
      violations.push_back(
          {key, std::string(s.message()), "INVALID_QUERY_PARAMETER"});
    }
  }
  if (violations.empty()) return absl::OkStatus();
  return api::InvalidRequest(violations);
}

}  // namespace divcheck::service
