// Integration test of the per-request options of ScanTextRequest (fields
// 110–114: disabled_rules, only_rules, min_severity, employer_type,
// report_language): the real divcheckd with the real lexicons and an HTTP
// port, called over gRPC (ScanText, StreamScanText) and over POST /v1/scan
// with proto3 JSON. Every option has its effect, and both transports give
// the same report or the same error.
#include <httplib.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::google::protobuf::util::JsonStringToMessage;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::MessageToJsonString;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ServerProcess;

constexpr char kAd[] =
    "Verkäufer gesucht\n"
    "Wir sind ein junges, dynamisches Team und suchen eine "
    "durchsetzungsstarke Persönlichkeit.\n"
    "Mitgliedschaft in einer christlichen Kirche setzen wir voraus.\n"
    "Teilzeit ist möglich.\n";
constexpr char kReligionRule[] = "de.religion.kirchenmitgliedschaft";

// What one transport answered: a report, or an error's reason and
// BadRequest fields.
struct Answer {
  bool ok = false;
  v1::Report report;
  std::string reason;
  std::vector<std::string> fields;
  std::string message;
};

void ReadRpcStatus(const google::rpc::Status& status, Answer* out) {
  out->message = status.message();
  for (const auto& any : status.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      out->reason = info.reason();
    } else if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) {
        out->fields.push_back(v.field());
      }
    }
  }
}

class ScanOptionsServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(
        {"--lexicons=" DIVCHECK_SOURCE_LEXICONS, "--http_listen=127.0.0.1:0"});
    ASSERT_TRUE(server_->Start()) << server_->Log();
    http_port_ = server_->ListeningField("http_port");
    ASSERT_GT(http_port_, 0);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    stub_ = v1::ScanService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    http_ = std::make_unique<httplib::Client>("127.0.0.1", http_port_);
    http_->set_read_timeout(20, 0);
  }

  Answer Grpc(const v1::ScanTextRequest& request) {
    grpc::ClientContext ctx;
    v1::ScanTextResponse response;
    const grpc::Status status = stub_->ScanText(&ctx, request, &response);
    Answer out;
    out.ok = status.ok();
    if (status.ok()) {
      out.report = response.report();
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      google::rpc::Status details;
      EXPECT_TRUE(details.ParseFromString(status.error_details()));
      ReadRpcStatus(details, &out);
    }
    return out;
  }

  Answer Http(const std::string& json_body) {
    Answer out;
    auto res = http_->Post("/v1/scan", json_body, "application/json");
    if (!res) {
      ADD_FAILURE() << "no HTTP response";
      return out;
    }
    out.ok = res->status == 200;
    if (out.ok) {
      v1::ScanTextResponse response;
      EXPECT_TRUE(JsonStringToMessage(res->body, &response).ok()) << res->body;
      out.report = response.report();
    } else {
      EXPECT_EQ(res->status, 400) << res->body;
      google::rpc::Status status;
      EXPECT_TRUE(JsonStringToMessage(res->body, &status).ok()) << res->body;
      ReadRpcStatus(status, &out);
    }
    return out;
  }

  Answer Http(const v1::ScanTextRequest& request) {
    std::string json;
    EXPECT_TRUE(MessageToJsonString(request, &json).ok());
    return Http(json);
  }

  // Both transports; expects them to agree and returns the gRPC answer.
  Answer Both(const v1::ScanTextRequest& request) {
    const Answer grpc = Grpc(request);
    const Answer http = Http(request);
    EXPECT_EQ(grpc.ok, http.ok);
    EXPECT_TRUE(MessageDifferencer::Equals(grpc.report, http.report))
        << grpc.report.DebugString() << "\nvs\n"
        << http.report.DebugString();
    EXPECT_EQ(grpc.reason, http.reason);
    EXPECT_EQ(grpc.fields, http.fields);
    EXPECT_EQ(grpc.message, http.message);
    return grpc;
  }

  static v1::ScanTextRequest Request() {
    v1::ScanTextRequest r;
    r.set_text(kAd);
    r.set_language_code("de");
    return r;
  }

  static ServerProcess* server_;
  static int http_port_;
  std::unique_ptr<v1::ScanService::Stub> stub_;
  std::unique_ptr<httplib::Client> http_;
};
ServerProcess* ScanOptionsServerTest::server_ = nullptr;
int ScanOptionsServerTest::http_port_ = 0;

std::set<std::string> RuleIds(const v1::Report& report) {
  std::set<std::string> ids;
  for (const v1::Finding& f : report.findings()) ids.insert(f.rule_id());
  return ids;
}

const v1::Finding* FindingOf(const v1::Report& report,
                             const std::string& rule) {
  for (const v1::Finding& f : report.findings()) {
    if (f.rule_id() == rule) return &f;
  }
  return nullptr;
}

TEST_F(ScanOptionsServerTest, EveryOptionWorksOverGrpcAndHttpAlike) {
  const Answer all = Both(Request());
  ASSERT_TRUE(all.ok);
  ASSERT_THAT(RuleIds(all.report),
              ::testing::IsSupersetOf({"de.age.junges_team", kReligionRule}));
  ASSERT_GT(all.report.hint_count(), 0u);

  v1::ScanTextRequest disabled = Request();
  disabled.add_disabled_rules(kReligionRule);
  Answer a = Both(disabled);
  ASSERT_TRUE(a.ok);
  std::set<std::string> want = RuleIds(all.report);
  want.erase(kReligionRule);
  EXPECT_EQ(RuleIds(a.report), want);
  EXPECT_GT(a.report.score(), all.report.score());
  EXPECT_EQ(a.report.critical_count(), all.report.critical_count() - 1);
  // Left out before context: what "junges … Team" contained comes back.
  disabled.set_disabled_rules(0, "de.age.junges_team");
  a = Both(disabled);
  EXPECT_EQ(RuleIds(a.report).count("de.age.junges_team"), 0u);
  EXPECT_EQ(RuleIds(a.report).count("de.age.jung_und_dynamisch"), 1u);

  v1::ScanTextRequest only = Request();
  only.add_only_rules(kReligionRule);
  a = Both(only);
  ASSERT_TRUE(a.ok);
  EXPECT_THAT(RuleIds(a.report), ElementsAre(kReligionRule));
  EXPECT_EQ(a.report.critical_count(), 1u);
  EXPECT_EQ(a.report.warning_count() + a.report.hint_count(), 0u);

  v1::ScanTextRequest min = Request();
  min.set_min_severity(v1::SEVERITY_WARNING);
  a = Both(min);
  ASSERT_TRUE(a.ok);
  EXPECT_EQ(a.report.hint_count(), 0u);
  EXPECT_EQ(a.report.critical_count(), all.report.critical_count());
  EXPECT_EQ(
      a.report.findings_size(),
      all.report.findings_size() - static_cast<int>(all.report.hint_count()));

  v1::ScanTextRequest church = Request();
  church.set_employer_type(v1::EMPLOYER_TYPE_RELIGIOUS);
  a = Both(church);
  ASSERT_TRUE(a.ok);
  ASSERT_NE(FindingOf(a.report, kReligionRule), nullptr);
  EXPECT_EQ(FindingOf(a.report, kReligionRule)->severity(), v1::SEVERITY_HINT);
  EXPECT_THAT(FindingOf(a.report, kReligionRule)->context_note(),
              HasSubstr("§ 9 AGG"));
  EXPECT_EQ(FindingOf(all.report, kReligionRule)->severity(),
            v1::SEVERITY_CRITICAL);

  v1::ScanTextRequest star = Request();
  star.set_gender_form(v1::GENDER_FORM_STAR);
  a = Both(star);
  ASSERT_TRUE(a.ok);
  ASSERT_NE(FindingOf(a.report, "de.gender.title_masculine_only"), nullptr);
  EXPECT_EQ(
      FindingOf(a.report, "de.gender.title_masculine_only")->replacements(0),
      "Verkäufer*in");

  v1::ScanTextRequest german = Request();
  german.set_report_language("de");
  a = Both(german);
  ASSERT_TRUE(a.ok);
  EXPECT_TRUE(MessageDifferencer::Equals(a.report, all.report));
}

TEST_F(ScanOptionsServerTest, BadOptionsGetTheSameErrorOverGrpcAndHttp) {
  v1::ScanTextRequest unknown = Request();
  unknown.add_disabled_rules("de.age.junges_team");
  unknown.add_disabled_rules("de.age.no_such_rule");
  Answer a = Both(unknown);
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.reason, "UNKNOWN_RULE");
  EXPECT_THAT(a.fields, ElementsAre("disabled_rules[1]"));
  EXPECT_THAT(a.message, HasSubstr("\"de.age.no_such_rule\" is not a rule"));

  v1::ScanTextRequest too_many = Request();
  for (int i = 0; i < 1001; ++i) too_many.add_only_rules(kReligionRule);
  a = Both(too_many);
  EXPECT_EQ(a.reason, "INVALID_RULE_FILTER");
  EXPECT_THAT(a.fields, ElementsAre("only_rules"));

  v1::ScanTextRequest severity = Request();
  severity.set_min_severity(static_cast<v1::Severity>(8));
  a = Both(severity);
  EXPECT_EQ(a.reason, "INVALID_SEVERITY");
  EXPECT_THAT(a.fields, ElementsAre("min_severity"));

  v1::ScanTextRequest employer = Request();
  employer.set_employer_type(static_cast<v1::EmployerType>(5));
  a = Both(employer);
  EXPECT_EQ(a.reason, "INVALID_EMPLOYER_TYPE");
  EXPECT_THAT(a.fields, ElementsAre("employer_type"));

  v1::ScanTextRequest gender = Request();
  gender.set_gender_form(static_cast<v1::GenderForm>(9));
  a = Both(gender);
  EXPECT_EQ(a.reason, "INVALID_GENDER_FORM");
  EXPECT_THAT(a.fields, ElementsAre("gender_form"));

  // No English messages for German rules: refused, given or detected.
  v1::ScanTextRequest english = Request();
  english.set_report_language("en");
  a = Both(english);
  EXPECT_EQ(a.reason, "UNSUPPORTED_REPORT_LANGUAGE");
  EXPECT_THAT(a.fields, ElementsAre("report_language"));
  english.clear_language_code();
  a = Both(english);
  EXPECT_EQ(a.reason, "UNSUPPORTED_REPORT_LANGUAGE");
  EXPECT_THAT(a.message, HasSubstr("for a text in \"de\""));
}

// The JSON an integrator writes by hand (docs/API.md): enum values by name,
// lowerCamelCase field names.
TEST_F(ScanOptionsServerTest, HandWrittenJsonWithEnumNames) {
  const std::string body = absl::StrCat(
      R"({"text": "Wir sind ein junges Team. Mitgliedschaft in einer )",
      R"(christlichen Kirche setzen wir voraus. Sie sind belastbar.",)",
      R"( "languageCode": "de",)",
      R"( "onlyRules": ["de.religion.kirchenmitgliedschaft"],)",
      R"( "minSeverity": "SEVERITY_HINT",)",
      R"( "employerType": "EMPLOYER_TYPE_RELIGIOUS", "reportLanguage": "de"})");
  Answer a = Http(body);
  ASSERT_TRUE(a.ok) << a.message;
  ASSERT_THAT(RuleIds(a.report), ElementsAre(kReligionRule));
  // A church employer: the membership demand is a hint (issue 14).
  EXPECT_EQ(a.report.findings(0).severity(), v1::SEVERITY_HINT);
  EXPECT_EQ(a.report.hint_count(), 1u);
  // The same by name with a higher minimum: the hint is left out.
  a = Http(absl::StrReplaceAll(
      body, {{"\"SEVERITY_HINT\"", "\"SEVERITY_WARNING\""}}));
  ASSERT_TRUE(a.ok) << a.message;
  EXPECT_EQ(a.report.findings_size(), 0);
  // An enum name protobuf does not know is malformed JSON; a number that is
  // not a value reaches the api.
  a = Http(R"({"text": "x", "minSeverity": "SEVERITY_LOUD"})");
  EXPECT_EQ(a.reason, "MALFORMED_JSON");
  a = Http(R"({"text": "x", "employerType": 9})");
  EXPECT_EQ(a.reason, "INVALID_EMPLOYER_TYPE");
  // Issue 14: the gender form by name, over HTTP/JSON.
  a = Http(R"({"text": "Verkäufer gesucht", "languageCode": "de",)"
           R"( "genderForm": "GENDER_FORM_STAR"})");
  ASSERT_TRUE(a.ok) << a.message;
  ASSERT_EQ(a.report.findings_size(), 1);
  EXPECT_EQ(a.report.findings(0).replacements(0), "Verkäufer*in");
}

TEST_F(ScanOptionsServerTest, StreamScanTextTakesOptionsPerMessage) {
  grpc::ClientContext ctx;
  auto stream = stub_->StreamScanText(&ctx);
  v1::ScanTextRequest first = Request();
  first.set_request_id("1");
  first.set_min_severity(v1::SEVERITY_CRITICAL);
  v1::ScanTextRequest second = Request();
  second.set_request_id("2");
  second.add_only_rules("no.such.rule");
  v1::ScanTextRequest third = Request();
  third.set_request_id("3");
  ASSERT_TRUE(stream->Write(first));
  ASSERT_TRUE(stream->Write(second));
  ASSERT_TRUE(stream->Write(third));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<v1::ScanTextResponse> responses;
  v1::ScanTextResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].report().warning_count() +
                responses[0].report().hint_count(),
            0u);
  EXPECT_GT(responses[0].report().critical_count(), 0u);
  ASSERT_TRUE(responses[1].has_error());
  Answer a;
  ReadRpcStatus(responses[1].error(), &a);
  EXPECT_EQ(a.reason, "UNKNOWN_RULE");
  EXPECT_THAT(a.fields, ElementsAre("only_rules[0]"));
  EXPECT_GT(responses[2].report().hint_count(), 0u);  // no options left over
}

}  // namespace
}  // namespace divcheck
