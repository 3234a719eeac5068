// Integration tests of ScanService.ScanForm: the real divcheckd with the
// shipped lexicons, on a loopback port. Every golden form of tests/forms/
// must come back from the server exactly as the engine audits it
// in-process, and broken requests get one BadRequest listing every problem.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "formats/form_input.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/data_cases.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::RawUnaryCall;
using testing::ReadFile;
using testing::ServerProcess;

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  return details;
}

std::string ReasonOf(const google::rpc::Status& status) {
  for (const auto& any : status.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info))
      return info.reason();
  }
  return "";
}

std::vector<std::string> ViolatedFields(const google::rpc::Status& status) {
  std::vector<std::string> fields;
  int bad_requests = 0;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad;
    if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad)) continue;
    ++bad_requests;
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  EXPECT_EQ(bad_requests, 1);
  return fields;
}

class ScanFormServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(
        {std::string("--lexicons=") + DIVCHECK_SOURCE_LEXICONS});
    ASSERT_TRUE(server_->Start()) << server_->Log();
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto engine = Engine::Create(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete engine_;
    engine_ = nullptr;
  }

  grpc::Status Call(const v1::ScanFormRequest& request,
                    v1::ScanFormResponse* response) {
    auto stub = v1::ScanService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    return stub->ScanForm(&ctx, request, response);
  }

  static ServerProcess* server_;
  static Engine* engine_;
};
ServerProcess* ScanFormServer::server_ = nullptr;
Engine* ScanFormServer::engine_ = nullptr;

// Every golden form, one test each:
// GoldenForms/ScanFormServerGolden.SameAnswerAsInProcess/de_01_....
std::vector<testing::DataCase> GoldenForms() {
  return testing::DataFiles(DIVCHECK_FORMS_DIR, {".html", ".json"});
}

class ScanFormServerGolden
    : public ScanFormServer,
      public ::testing::WithParamInterface<testing::DataCase> {};

TEST_P(ScanFormServerGolden, SameAnswerAsInProcess) {
  ASSERT_NE(engine_, nullptr);
  const fs::path path = GetParam().path;
  const std::string name = path.filename().string();
  auto request = formats::FormFromFile(path.string(), ReadFile(path.string()));
  ASSERT_TRUE(request.ok()) << request.status();
  request->set_request_id(name);
  auto local = engine_->ScanForm(*request, ScanOptions());
  ASSERT_TRUE(local.ok()) << local.status();
  v1::ScanFormResponse remote;
  grpc::Status status = Call(*request, &remote);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(remote.request_id(), name);
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(*local, remote)) << diff;
}

INSTANTIATE_TEST_SUITE_P(GoldenForms, ScanFormServerGolden,
                         ::testing::ValuesIn(GoldenForms()),
                         testing::DataCaseName);

TEST(ScanFormServerGoldenForms, AtLeastTwenty) {
  EXPECT_GE(GoldenForms().size(), 20u) << "in " << DIVCHECK_FORMS_DIR;
}

TEST_F(ScanFormServer, FieldFindingsCarryFieldIdsAndLabelSpans) {
  v1::ScanFormRequest request;
  request.set_language_code("de");
  v1::FormField* f = request.add_fields();
  f->set_field_id("gd");
  f->set_label("Ihr Geburtsdatum *");
  f->set_type(v1::FIELD_TYPE_DATE);
  request.set_instructions("Wir sind ein junges Team.");
  v1::ScanFormResponse response;
  ASSERT_TRUE(Call(request, &response).ok());
  ASSERT_EQ(response.report().findings_size(), 2);
  const v1::Finding& text = response.report().findings(0);
  EXPECT_EQ(text.field_id(), "");
  EXPECT_EQ(text.rule_id(), "de.age.junges_team");
  EXPECT_EQ(text.span().start_byte(), 13u);
  const v1::Finding& field = response.report().findings(1);
  EXPECT_EQ(field.field_id(), "gd");
  EXPECT_EQ(field.severity(), v1::SEVERITY_CRITICAL);  // "*" marks it required
  EXPECT_EQ(field.span().start_byte(), 4u);
  EXPECT_EQ(field.span().end_byte(), 16u);
  EXPECT_EQ(field.matched_text(), "Geburtsdatum");
  EXPECT_LT(response.readiness().score(), 100u);
}

TEST_F(ScanFormServer, AnEmptyFormIsInvalidForm) {
  v1::ScanFormRequest request;
  v1::ScanFormResponse response;
  grpc::Status status = Call(request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("the form has no fields"));
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ReasonOf(details), "INVALID_FORM");
  EXPECT_THAT(ViolatedFields(details), ElementsAre("fields"));
}

// Strings that are not UTF-8 (other clients than C++ send them) are named
// with their path in the request, all of them, instead of gRPC's bare
// error for a message protobuf will not parse.
TEST_F(ScanFormServer, StringsThatAreNotUtf8AreNamedByPath) {
  v1::ScanFormRequest request;
  request.set_language_code("de");
  v1::FormField* name = request.add_fields();
  name->set_field_id("name");
  name->set_label("Name");
  v1::FormField* born = request.add_fields();
  born->set_field_id("gd");
  born->set_label(
      "Geb\xfc"
      "rtsdatum");  // Latin-1 "ü"
  request.set_instructions("\xe9t\xe9");
  std::string response;
  const grpc::Status status =
      RawUnaryCall(grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials()),
                   "/divcheck.v1.ScanService/ScanForm",
                   request.SerializeAsString(), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(status.error_message(),
              HasSubstr("fields[1].label is not valid UTF-8 (byte offset 3)"));
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ReasonOf(details), "INVALID_REQUEST");
  EXPECT_THAT(ViolatedFields(details),
              ElementsAre("fields[1].label", "instructions"));
}

TEST_F(ScanFormServer, EveryViolationIsListedInOneBadRequest) {
  v1::ScanFormRequest request;
  request.add_fields()->set_field_id("a");
  v1::FormField* dup = request.add_fields();
  dup->set_field_id("a");
  v1::FormField* huge = request.add_fields();
  huge->set_field_id("land");
  for (int i = 0; i < 10001; ++i)
    huge->add_options()->set_value(absl::StrCat(i));
  request.add_fields()->set_type(static_cast<v1::FieldType>(99));
  request.set_language_code("fr");
  request.set_employer_type(static_cast<v1::EmployerType>(42));
  request.set_request_id(std::string(300, 'x'));
  v1::ScanFormResponse response;
  grpc::Status status = Call(request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ReasonOf(details), "INVALID_REQUEST");
  EXPECT_THAT(ViolatedFields(details),
              ElementsAre("fields[1].field_id", "fields[2].options",
                          "fields[3].field_id", "fields[3].type",
                          "language_code", "employer_type", "request_id"));
}

TEST_F(ScanFormServer, TooManyFieldsIsRefused) {
  v1::ScanFormRequest request;
  for (int i = 0; i < 1001; ++i)
    request.add_fields()->set_field_id(absl::StrCat("f", i));
  v1::ScanFormResponse response;
  grpc::Status status = Call(request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("1001 fields; the limit is 1000"));
}

TEST_F(ScanFormServer, ListRulesAndLexiconInfoIncludeFormRules) {
  auto stub = v1::ScanService::NewStub(grpc::CreateChannel(
      server_->address(), grpc::InsecureChannelCredentials()));
  v1::ListRulesRequest request;
  request.set_language_code("de");
  request.set_dimension(v1::DIMENSION_SEXUAL_IDENTITY);
  request.set_page_size(1000);
  grpc::ClientContext ctx;
  v1::ListRulesResponse rules;
  ASSERT_TRUE(stub->ListRules(&ctx, request, &rules).ok());
  const v1::Rule* found = nullptr;
  for (const v1::Rule& r : rules.rules()) {
    if (r.rule_id() == "de.form.sexual_orientation") found = &r;
    EXPECT_NE(r.rule_id(), "de.form.contact_identity");  // readiness only
  }
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->lexicon_id(), "de.form_fields");
  EXPECT_EQ(found->default_severity(), v1::SEVERITY_CRITICAL);
  EXPECT_THAT(found->words(), ::testing::Contains("sexuelle Orientierung"));

  grpc::ClientContext ctx2;
  v1::GetLexiconInfoResponse info;
  ASSERT_TRUE(
      stub->GetLexiconInfo(&ctx2, v1::GetLexiconInfoRequest(), &info).ok());
  uint32_t form_rules = 0, entries = 0;
  for (const auto& f : info.files()) {
    form_rules += f.form_rule_count();
    entries += f.entry_count();
  }
  EXPECT_GE(form_rules, 40u);
  EXPECT_EQ(entries, info.entry_count());
}

TEST(ScanFormServerLimits, MaxTextBytesCoversTheWholeForm) {
  ServerProcess server({std::string("--lexicons=") + DIVCHECK_SOURCE_LEXICONS,
                        "--max_text_bytes=100"});
  ASSERT_TRUE(server.Start()) << server.Log();
  v1::ScanFormRequest request;
  v1::FormField* f = request.add_fields();
  f->set_field_id("x");
  f->set_help_text(std::string(200, 'a'));
  auto stub = v1::ScanService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::ScanFormResponse response;
  grpc::Status status = stub->ScanForm(&ctx, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ReasonOf(details), "TEXT_TOO_LARGE");
  // The server logs the call (buffered), with sizes and results only, never
  // the form's text.
  EXPECT_TRUE(server.WaitForLogLines("ScanForm", 1, std::chrono::seconds(20)))
      << server.Log();
  EXPECT_EQ(server.CountLogLines(std::string(200, 'a')), 0);
}

}  // namespace
}  // namespace divcheck
