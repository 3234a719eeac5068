// Unit tests of the HTTP port's transport-free parts: the status mapping,
// the route table, query parameters, and the LanguageTool conversion
// (UTF-16 offsets, annotated text, pasteable replacements).
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "analyzers/engine.h"
#include "api/errors.h"
#include "base/utf8.h"
#include "divcheck/v1/scan_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/http_routes.h"
#include "service/http_status.h"
#include "service/languagetool.h"
#include "service/proto_json.h"
#include "unicode/utf8.h"

namespace divcheck::service {
namespace {

using ::testing::HasSubstr;

TEST(HttpStatus, CodesMapAsGooglesHttpMapping) {
  EXPECT_EQ(HttpStatusFor(absl::OkStatus()), 200);
  EXPECT_EQ(HttpStatusFor(absl::InvalidArgumentError("x")), 400);
  EXPECT_EQ(HttpStatusFor(absl::FailedPreconditionError("x")), 400);
  EXPECT_EQ(HttpStatusFor(absl::UnauthenticatedError("x")), 401);
  EXPECT_EQ(HttpStatusFor(absl::PermissionDeniedError("x")), 403);
  EXPECT_EQ(HttpStatusFor(absl::NotFoundError("x")), 404);
  EXPECT_EQ(HttpStatusFor(absl::ResourceExhaustedError("x")), 429);
  EXPECT_EQ(HttpStatusFor(absl::InternalError("x")), 500);
  EXPECT_EQ(HttpStatusFor(absl::UnknownError("x")), 500);
  EXPECT_EQ(HttpStatusFor(absl::UnavailableError("x")), 503);
  EXPECT_EQ(HttpStatusFor(absl::DeadlineExceededError("x")), 504);
  EXPECT_EQ(HttpStatusFor(
                api::InvalidRequest({{"text", "too long", "TEXT_TOO_LARGE"}})),
            413);
  EXPECT_EQ(HttpStatusFor(api::WithReason(absl::InvalidArgumentError("x"),
                                          "METHOD_NOT_ALLOWED")),
            405);
}

TEST(HttpStatus, BodyIsTheRpcStatusWithReasonAndViolations) {
  const HttpError e = ToHttpError(
      api::InvalidRequest(
          {{"language_code", "no such language", "UNSUPPORTED_LANGUAGE"}}),
      "req-1");
  EXPECT_EQ(e.http_status, 400);
  google::protobuf::Struct body;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(e.json, &body).ok())
      << e.json;
  EXPECT_EQ(body.fields().at("code").number_value(), 3);
  EXPECT_THAT(e.json, HasSubstr("\"reason\":\"UNSUPPORTED_LANGUAGE\""));
  EXPECT_THAT(e.json, HasSubstr("\"request_id\":\"req-1\""));
  EXPECT_THAT(e.json, HasSubstr("google.rpc.BadRequest"));
  EXPECT_THAT(e.json, HasSubstr("\"field\":\"language_code\""));
}

TEST(HttpRoutes, ExactPathsOneVariableSegmentAndAllowedMethods) {
  std::string value, allowed;
  const Route* r = FindRoute("POST", "/v1/scan", &value, &allowed);
  ASSERT_NE(r, nullptr);
  EXPECT_STREQ(r->pattern, "/v1/scan");
  EXPECT_EQ(FindRoute("GET", "/v1/scan", &value, &allowed), nullptr);
  EXPECT_EQ(allowed, "POST");
  EXPECT_EQ(FindRoute("GET", "/v1/scanx", &value, &allowed), nullptr);
  EXPECT_EQ(allowed, "");
  r = FindRoute("GET", "/v1/assessments/abc", &value, &allowed);
  ASSERT_NE(r, nullptr);
  EXPECT_STREQ(r->pattern, "/v1/assessments/{id}");
  EXPECT_EQ(value, "abc");
  r = FindRoute("GET", "/v1/assessments:compare", &value, &allowed);
  ASSERT_NE(r, nullptr);
  EXPECT_STREQ(r->pattern, "/v1/assessments:compare");
  EXPECT_EQ(FindRoute("PUT", "/v1/assessments", &value, &allowed), nullptr);
  EXPECT_EQ(allowed, "POST, GET");
  EXPECT_EQ(FindRoute("GET", "/v1/assessments/", &value, &allowed), nullptr);
}

// Found by http_routes_fuzz (tests/fuzz): protobuf's JSON parser quotes the
// bytes it refuses, so a body holding invalid UTF-8 put invalid UTF-8 into
// the error's message and BadRequest (proto3 strings): the JSON answer was
// not valid UTF-8 and a gRPC client could not parse the details.
TEST(HttpRoutes, ErrorsQuotingInvalidUtf8AreValidUtf8) {
  std::string value;
  std::string allowed;
  const Route* route = FindRoute("POST", "/v1/forms:scan", &value, &allowed);
  ASSERT_NE(route, nullptr);
  RouteContext ctx;
  const std::string body(
      "{\n\0\xC0\xA9"
      "d\"",
      7);
  ctx.body = body;
  RouteResult result;
  const absl::Status status = route->handler(ctx, &result);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const HttpError e = ToHttpError(status, "req-\xFF");
  EXPECT_EQ(FirstInvalidUtf8Byte(e.json), absl::string_view::npos) << e.json;
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(e.json, &parsed).ok())
      << e.json;
  EXPECT_THAT(e.json, HasSubstr("\xEF\xBF\xBD"));  // U+FFFD for each bad byte
  EXPECT_THAT(e.json, HasSubstr("MALFORMED_JSON"));

  const google::rpc::Status rpc = api::ToRpcStatus(
      api::InvalidRequest({{"fields[0].label\xC0", "bad \xC0\xA9 value", "X"}},
                          {{"id", "a_\xFF"}}),
      "req-1");
  google::rpc::Status again;
  ASSERT_TRUE(again.ParseFromString(rpc.SerializeAsString()));
  for (const google::protobuf::Any& any : again.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad_request)) {
      EXPECT_EQ(bad_request.field_violations(0).field(),
                "fields[0].label\xEF\xBF\xBD");
    } else {
      ASSERT_TRUE(any.UnpackTo(&info));
      EXPECT_EQ(info.reason(), "X");
      EXPECT_EQ(info.metadata().at("id"), "a_\xEF\xBF\xBD");
    }
  }
  EXPECT_EQ(again.message(), "bad \xEF\xBF\xBD\xEF\xBF\xBD value");
}

TEST(HttpRoutes, QueryParametersFillTheMessageOrNameEveryBadOne) {
  v1::ListRulesRequest request;
  ASSERT_TRUE(MessageFromParams({{"page_size", "7"},
                                 {"languageCode", "de"},
                                 {"dimension", "DIMENSION_AGE"}},
                                &request)
                  .ok());
  EXPECT_EQ(request.page_size(), 7);
  EXPECT_EQ(request.language_code(), "de");
  EXPECT_EQ(request.dimension(), v1::DIMENSION_AGE);
  const absl::Status s =
      MessageFromParams({{"page_size", "seven"}, {"colour", "red"}}, &request);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(api::ReasonOf(s), "INVALID_REQUEST");
  EXPECT_THAT(std::string(s.message()), HasSubstr("colour"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("seven"));
}

TEST(LanguageTool, Utf16OffsetsCountSurrogatePairsAndCombiningMarks) {
  EXPECT_EQ(lt::Utf16Offset("abc", 2), 2u);
  // U+1F600 is 4 UTF-8 bytes and 2 UTF-16 units.
  EXPECT_EQ(lt::Utf16Offset("\xF0\x9F\x98\x80x", 4), 2u);
  // "e" + U+0301 (2 bytes, 1 unit); "ä" (2 bytes, 1 unit).
  EXPECT_EQ(lt::Utf16Offset("e\xCC\x81\xC3\xA4z", 5), 3u);
}

TEST(LanguageTool, ParsesTheFormAndNamesEveryBadParameter) {
  absl::StatusOr<lt::CheckRequest> r =
      lt::ParseCheckRequest({{"text", "Hallo"},
                             {"language", "de-AT"},
                             {"disabledRules", "a.b, c.d"},
                             {"level", "picky"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->language_code, "de");
  EXPECT_TRUE(r->picky);
  EXPECT_TRUE(r->disabled_rules.contains("c.d"));
  r = lt::ParseCheckRequest({{"text", "x"}, {"language", "auto"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->language_code, "");
  r = lt::ParseCheckRequest({{"language", "fr"}, {"level", "loud"}});
  ASSERT_FALSE(r.ok());
  const std::string message(r.status().message());
  EXPECT_THAT(message, HasSubstr("`text` or `data`"));
  EXPECT_THAT(message, HasSubstr("\"fr\""));
  EXPECT_THAT(message, HasSubstr("picky"));
  r = lt::ParseCheckRequest({{"data", "{\"annotation\": 5}"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(api::ReasonOf(r.status()), "INVALID_ANNOTATION");
}

// /v2/check's rule filters and level become the engine options every
// client has (ScanTextRequest fields 110–112); ids that are not divcheck's
// (LibreOffice sends its own) are left out instead of refused.
TEST(LanguageTool, FiltersAndLevelBecomeTheScanRequestsOptions) {
  const auto is_rule = [](absl::string_view id) {
    return id == "de.age.junges_team" || id == "de.age.dynamisch";
  };
  absl::StatusOr<lt::CheckRequest> r = lt::ParseCheckRequest(
      {{"text", "Hallo"},
       {"language", "de-DE"},
       {"disabledRules",
        "WHITESPACE_RULE,de.age.junges_team,de.age.dynamisch"}});
  ASSERT_TRUE(r.ok()) << r.status();
  v1::ScanTextRequest request = lt::ToScanTextRequest(*r, is_rule);
  EXPECT_EQ(request.text(), "Hallo");
  EXPECT_EQ(request.language_code(), "de");
  EXPECT_THAT(request.disabled_rules(),
              ::testing::ElementsAre("de.age.dynamisch", "de.age.junges_team"));
  EXPECT_EQ(request.only_rules_size(), 0);
  EXPECT_EQ(request.min_severity(), v1::SEVERITY_WARNING);  // no hints
  r = lt::ParseCheckRequest({{"text", "Hallo"},
                             {"level", "picky"},
                             {"enabledRules", "de.age.junges_team,FOO"},
                             {"enabledOnly", "true"}});
  ASSERT_TRUE(r.ok());
  request = lt::ToScanTextRequest(*r, is_rule);
  EXPECT_EQ(request.min_severity(), v1::SEVERITY_UNSPECIFIED);
  EXPECT_THAT(request.only_rules(),
              ::testing::ElementsAre("de.age.junges_team"));
  EXPECT_EQ(request.disabled_rules_size(), 0);
  // enabledRules without enabledOnly enables nothing extra; with enabled
  // categories the union is left to the response filter.
  r->enabled_only = false;
  EXPECT_EQ(lt::ToScanTextRequest(*r, is_rule).only_rules_size(), 0);
  r->enabled_only = true;
  r->enabled_categories.insert("DIVCHECK_AGE");
  EXPECT_EQ(lt::ToScanTextRequest(*r, is_rule).only_rules_size(), 0);
}

v1::Finding FindingAt(const std::string& text, const std::string& word,
                      v1::Severity severity) {
  v1::Finding f;
  f.set_rule_id("de.test.rule");
  f.add_dimensions(v1::DIMENSION_AGE);
  f.set_severity(severity);
  const size_t at = text.find(word);
  f.mutable_span()->set_start_byte(static_cast<uint32_t>(at));
  f.mutable_span()->set_end_byte(static_cast<uint32_t>(at + word.size()));
  f.set_matched_text(word);
  f.set_message("Msg.");
  f.add_suggestions("erfahren");
  f.add_suggestions("Beschreiben Sie die Aufgabe.");
  // /v2/check takes the split lists as they are (issue 14).
  f.add_replacements("erfahren");
  f.add_advice("Beschreiben Sie die Aufgabe.");
  return f;
}

TEST(LanguageTool, AnnotatedMarkupCountsInOffsetsAndHintsNeedPicky) {
  absl::StatusOr<lt::CheckRequest> r = lt::ParseCheckRequest(
      {{"data",
        R"({"annotation":[{"markup":"<p class=\"x\">"},{"text":"😀 ein junges"},)"
        R"({"markup":"<b>","interpretAs":" "},{"text":"Team"}]})"},
       {"language", "de"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "\xF0\x9F\x98\x80 ein junges Team");
  v1::Report report;
  report.set_language("de");
  *report.add_findings() = FindingAt(r->text, "junges", v1::SEVERITY_CRITICAL);
  *report.add_findings() = FindingAt(r->text, "Team", v1::SEVERITY_HINT);
  std::string json = lt::CheckResponseJson(*r, report, "1.0");
  // <p class="x"> is 13 units, the emoji 2, " ein " 5.
  EXPECT_THAT(json, HasSubstr("\"offset\":20,\"length\":6"));
  EXPECT_THAT(json, HasSubstr("\"replacements\":[{\"value\":\"erfahren\"}]"));
  EXPECT_THAT(json, HasSubstr("Msg. Beschreiben Sie die Aufgabe."));
  EXPECT_THAT(json, ::testing::Not(HasSubstr("\"Hint\"")));
  r->picky = true;
  json = lt::CheckResponseJson(*r, report, "1.0");
  // "Team" follows the <b> markup (3 units) that was scanned as " ".
  EXPECT_THAT(json, HasSubstr("\"offset\":29,\"length\":4"));
  EXPECT_THAT(json, HasSubstr("\"typeName\":\"Hint\""));
  EXPECT_THAT(json,
              HasSubstr("\"detectedLanguage\":{\"name\":\"German (Germany)\""));
}

// A soft hyphen inside a finding (issue 17): the engine finds "jun<SHY>ges
// Team", and LanguageTool clients get UTF-16 offsets into the text as sent,
// the soft hyphen counted.
TEST(LanguageTool, InvisibleCharactersCountInUtf16Offsets) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::StatusOr<lt::CheckRequest> r = lt::ParseCheckRequest(
      {{"text", "\xF0\x9F\x98\x80 ein jun\u00ADges Team"}, {"language", "de"}});
  ASSERT_TRUE(r.ok()) << r.status();
  ScanOptions scan;
  scan.language = "de";
  absl::StatusOr<v1::Report> report = (*engine)->ScanText(r->text, scan);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_GE(report->findings_size(), 1);
  EXPECT_EQ(report->findings(0).matched_text(), "jun\u00ADges Team");
  const std::string json = lt::CheckResponseJson(*r, *report, "1.0");
  // The emoji is 2 units, " ein " 5; "jun", the soft hyphen, "ges Team" 12.
  EXPECT_THAT(json, HasSubstr("\"offset\":7,\"length\":12"));
}

std::string Protobufs(const google::protobuf::Message& m) {
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(m, &out).ok());
  return out;
}

std::string Ours(const google::protobuf::Message& m) {
  std::string out;
  EXPECT_TRUE(AppendProtoJson(m, &out)) << m.GetTypeName();
  return out;
}

TEST(ProtoJson, StringsAreEscapedAsProtobufDoesForEveryCodePoint) {
  v1::ScanTextResponse response;
  // Every code point but the surrogates, 512 to a string.
  std::string chunk;
  for (UChar32 c = 0; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    char buf[4];
    int32_t i = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), i, 4, c, error);
    ASSERT_FALSE(error);
    chunk.append(buf, static_cast<size_t>(i));
    if (c % 512 == 511) {
      response.set_request_id(chunk);
      ASSERT_EQ(Ours(response), Protobufs(response))
          << "near U+" << std::hex << c;
      chunk.clear();
    }
  }
}

TEST(ProtoJson, ReportsAreWrittenByteForByteAsProtobufWritesThem) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  int reports = 0;
  for (const char* dir : {DIVCHECK_EXAMPLES_DIR, DIVCHECK_CORPUS_DIR}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".txt") {
        continue;
      }
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      v1::ScanTextResponse response;
      response.set_request_id("r<1>&\"");
      ASSERT_TRUE((*engine)
                      ->ScanTextInto(text.str(), ScanOptions(),
                                     response.mutable_report())
                      .ok());
      EXPECT_EQ(Ours(response), Protobufs(response)) << entry.path();
      ++reports;
    }
  }
  EXPECT_GT(reports, 5);
  // Defaults left out, an unknown enum number as a number.
  v1::ScanTextResponse sparse;
  sparse.mutable_report()->add_findings()->set_severity(
      static_cast<v1::Severity>(77));
  EXPECT_EQ(Ours(sparse), Protobufs(sparse));
  EXPECT_EQ(Ours(v1::ScanTextResponse()), "{}");
  // Well-known types are left to protobuf.
  google::protobuf::Struct wkt;
  std::string out;
  EXPECT_FALSE(AppendProtoJson(wkt, &out));
}

}  // namespace
}  // namespace divcheck::service
