// Integration tests of divcheckd's HTTP port: the real binary with
// --http_listen on a loopback port, called as an integrator's web
// application, a browser page or a LanguageTool client would.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "divcheck/v1/assessment_service.pb.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::google::protobuf::util::JsonStringToMessage;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ServerProcess;
using testing::TempDir;

constexpr char kAd[] = "Verkäufer gesucht\nWir sind ein junges Team.\n";
constexpr char kJson[] = "application/json";

// A started divcheckd with an HTTP port, and a client for it.
struct HttpServer {
  explicit HttpServer(std::vector<std::string> args)
      : process([&] {
          args.push_back("--http_listen=127.0.0.1:0");
          return args;
        }()) {}
  bool Start() {
    if (!process.Start()) return false;
    port = process.ListeningField("http_port");
    return port > 0;
  }
  std::unique_ptr<httplib::Client> Client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
    c->set_read_timeout(20, 0);
    return c;
  }
  ServerProcess process;
  int port = 0;
};

std::vector<std::string> Lexicons() {
  return {"--lexicons=" + testing::TestLexiconDir()};
}

std::string ScanBody(const std::string& text, const std::string& language) {
  v1::ScanTextRequest request;
  request.set_text(text);
  request.set_language_code(language);
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(request, &json).ok());
  return json;
}

// The google.rpc.Status body of an error response: code, reason.
struct ErrorBody {
  int code = -1;
  std::string reason;
  std::string message;
  std::vector<std::string> fields;  // BadRequest field violations
};

ErrorBody ParseError(const httplib::Result& res) {
  ErrorBody out;
  if (!res) return out;
  google::protobuf::Struct body;
  if (!JsonStringToMessage(res->body, &body).ok()) {
    ADD_FAILURE() << "error body is not JSON: " << res->body;
    return out;
  }
  out.code = static_cast<int>(body.fields().at("code").number_value());
  out.message = body.fields().at("message").string_value();
  for (const auto& d : body.fields().at("details").list_value().values()) {
    const auto& f = d.struct_value().fields();
    const std::string type = f.at("@type").string_value();
    if (absl::EndsWith(type, "ErrorInfo")) {
      out.reason = f.at("reason").string_value();
      EXPECT_EQ(f.at("domain").string_value(), "divcheck.dev");
    } else if (absl::EndsWith(type, "BadRequest")) {
      for (const auto& v : f.at("fieldViolations").list_value().values()) {
        out.fields.push_back(
            v.struct_value().fields().at("field").string_value());
      }
    }
  }
  EXPECT_EQ(res->get_header_value("Content-Type"), kJson);
  return out;
}

void ExpectError(const httplib::Result& res, int http_status,
                 const std::string& reason) {
  ASSERT_TRUE(res) << "no response";
  EXPECT_EQ(res->status, http_status) << res->body;
  EXPECT_EQ(ParseError(res).reason, reason) << res->body;
}

TEST(HttpApi, HealthReadinessAndSecurityHeaders) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  for (const char* path : {"/healthz", "/readyz"}) {
    auto res = cli->Get(path, {{"X-Request-Id", "probe-1"}});
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, R"({"status":"SERVING"})");
    EXPECT_EQ(res->get_header_value("X-Request-Id"), "probe-1");
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
              "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin"));
  }
  // A request id that is not [A-Za-z0-9._-]{1,64} is replaced.
  auto res = cli->Get("/healthz", {{"X-Request-Id", "bad id!"}});
  ASSERT_TRUE(res);
  EXPECT_NE(res->get_header_value("X-Request-Id"), "bad id!");
  EXPECT_EQ(res->get_header_value("X-Request-Id").size(), 16u);
}

// The report `divcheck scan --format=json` prints for `text`, in-process.
v1::Report CliReport(const std::string& text) {
  TempDir dir;
  dir.Write("ad.txt", text);
  const std::string command =
      absl::StrCat(DIVCHECK_CLI, " scan --format=json --lang=de ",
                   Lexicons()[0], " ", dir.path(), "/ad.txt");
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r"); pipe != nullptr) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
      out.append(buffer, n);
    pclose(pipe);
  }
  v1::Report report;
  EXPECT_TRUE(JsonStringToMessage(out, &report).ok()) << command << "\n" << out;
  return report;
}

TEST(HttpApi, CliGrpcRestAndV2CheckGiveTheSameFindings) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  // gRPC
  auto stub = v1::ScanService::NewStub(grpc::CreateChannel(
      server.process.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  v1::ScanTextRequest request;
  request.set_text(kAd);
  request.set_language_code("de");
  v1::ScanTextResponse grpc_response;
  ASSERT_TRUE(stub->ScanText(&ctx, request, &grpc_response).ok());
  ASSERT_GE(grpc_response.report().findings_size(), 2);
  // REST: the same report, field for field.
  auto cli = server.Client();
  auto res = cli->Post("/v1/scan", ScanBody(kAd, "de"), kJson);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), kJson);
  v1::ScanTextResponse rest_response;
  ASSERT_TRUE(JsonStringToMessage(res->body, &rest_response).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      rest_response.report(), grpc_response.report()))
      << rest_response.DebugString() << "\nvs\n"
      << grpc_response.DebugString();
  // The CLI (in-process): the same report.
  const v1::Report cli_report = CliReport(kAd);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      cli_report, grpc_response.report()))
      << cli_report.DebugString() << "\nvs\n"
      << grpc_response.DebugString();
  // /v2/check with level=picky: every finding, at its UTF-16 offset (the
  // ad has no characters outside the BMP, so code points = units).
  httplib::Params form = {
      {"text", kAd}, {"language", "de-DE"}, {"level", "picky"}};
  res = cli->Post("/v2/check", form);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  google::protobuf::Struct check;
  ASSERT_TRUE(JsonStringToMessage(res->body, &check).ok());
  std::multimap<std::string, std::pair<int, int>> want, got;
  for (const v1::Finding& f : grpc_response.report().findings()) {
    want.emplace(f.rule_id(),
                 std::make_pair(f.span().start_char(),
                                f.span().end_char() - f.span().start_char()));
  }
  for (const auto& m : check.fields().at("matches").list_value().values()) {
    const auto& f = m.struct_value().fields();
    got.emplace(
        f.at("rule").struct_value().fields().at("id").string_value(),
        std::make_pair(static_cast<int>(f.at("offset").number_value()),
                       static_cast<int>(f.at("length").number_value())));
  }
  EXPECT_EQ(got, want);
}

TEST(HttpApi, FormsRulesLexiconsAndQuestionnaires) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  auto res = cli->Post(
      "/v1/forms:scan",
      R"({"fields":[{"fieldId":"alter","label":"Geburtsdatum","required":true}],"languageCode":"de"})",
      kJson);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  v1::ScanFormResponse form;
  EXPECT_TRUE(JsonStringToMessage(res->body, &form).ok()) << res->body;

  res = cli->Get("/v1/rules?page_size=2&language_code=de");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  v1::ListRulesResponse rules;
  ASSERT_TRUE(JsonStringToMessage(res->body, &rules).ok());
  EXPECT_EQ(rules.rules_size(), 2);
  ASSERT_FALSE(rules.next_page_token().empty());
  res =
      cli->Get(absl::StrCat("/v1/rules?page_size=2&language_code=de&pageToken=",
                            rules.next_page_token()));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  ExpectError(cli->Get("/v1/rules?page_size=-1"), 400, "INVALID_PAGE_SIZE");
  ExpectError(cli->Get("/v1/rules?dimension=DIMENSION_NOPE"), 400,
              "INVALID_QUERY_PARAMETER");
  ExpectError(cli->Get("/v1/rules?colour=red"), 400, "UNKNOWN_FIELD");

  res = cli->Get("/v1/lexicons");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  v1::GetLexiconInfoResponse info;
  ASSERT_TRUE(JsonStringToMessage(res->body, &info).ok());
  EXPECT_FALSE(info.content_hash().empty());

  res = cli->Get("/v1/questionnaires/de");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  v1::Questionnaire q;
  ASSERT_TRUE(JsonStringToMessage(res->body, &q).ok());
  EXPECT_EQ(q.language(), "de");
  ExpectError(cli->Get("/v1/questionnaires/fr"), 400, "UNSUPPORTED_LANGUAGE");
  // Without --data_dir nothing is stored.
  ExpectError(cli->Get("/v1/assessments?organization=x"), 400,
              "STORAGE_DISABLED");
}

TEST(HttpApi, AssessmentsAreCreatedListedReadAndCompared) {
  TempDir data;
  std::vector<std::string> args = Lexicons();
  args.push_back("--data_dir=" + data.path());
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  auto res = cli->Get("/v1/questionnaires/de");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  v1::Questionnaire q;
  ASSERT_TRUE(JsonStringToMessage(res->body, &q).ok());
  std::vector<std::string> ids;
  for (int round = 0; round < 2; ++round) {
    v1::CreateAssessmentRequest create;
    create.set_organization("Bäckerei Beispiel");
    create.set_questionnaire_id(q.id());
    create.set_language_code("de");
    for (const v1::QuestionnaireSection& s : q.sections()) {
      for (const v1::Question& question : s.questions()) {
        v1::Answer* a = create.add_answers();
        a->set_question_id(question.id());
        a->set_option_id(
            question.options(round == 0 ? 0 : question.options_size() - 1)
                .id());
      }
    }
    std::string body;
    ASSERT_TRUE(
        google::protobuf::util::MessageToJsonString(create, &body).ok());
    res = cli->Post("/v1/assessments", body, kJson);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    v1::Assessment assessment;
    ASSERT_TRUE(JsonStringToMessage(res->body, &assessment).ok());
    ASSERT_FALSE(assessment.id().empty());
    ids.push_back(assessment.id());
  }
  res = cli->Get("/v1/assessments/" + ids[0]);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  res = cli->Get("/v1/assessments?organization=B%C3%A4ckerei%20Beispiel");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  v1::ListAssessmentsResponse list;
  ASSERT_TRUE(JsonStringToMessage(res->body, &list).ok());
  EXPECT_EQ(list.assessments_size(), 2);
  res = cli->Get(absl::StrCat("/v1/assessments:compare?before_id=", ids[0],
                              "&after_id=", ids[1]));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  v1::AssessmentComparison comparison;
  ASSERT_TRUE(JsonStringToMessage(res->body, &comparison).ok());
  EXPECT_EQ(comparison.before_id(), ids[0]);
  // A well-formed id that is not stored.
  std::string missing = ids[0];
  missing.back() = missing.back() == '0' ? '1' : '0';
  ExpectError(cli->Get("/v1/assessments/" + missing), 404,
              "ASSESSMENT_NOT_FOUND");
  ExpectError(cli->Post("/v1/assessments", R"({"organization":""})", kJson),
              400, "INVALID_REQUEST");
}

TEST(HttpApi, EveryBadRequestIsAClear4xxWithAStatusBody) {
  std::vector<std::string> args = Lexicons();
  args.push_back("--max_text_bytes=1000");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  ExpectError(cli->Post("/v1/scan", "{\"text\": ", kJson), 400,
              "MALFORMED_JSON");
  ExpectError(cli->Post("/v1/scan", "", kJson), 400, "MALFORMED_JSON");
  ExpectError(cli->Post("/v1/scan", R"({"text":"x","colour":"red"})", kJson),
              400, "UNKNOWN_FIELD");
  ExpectError(cli->Post("/v1/scan", ScanBody(kAd, "de"), "text/plain"), 415,
              "UNSUPPORTED_MEDIA_TYPE");
  ExpectError(cli->Post("/v1/scan", ScanBody(kAd, "fr"), kJson), 400,
              "UNSUPPORTED_LANGUAGE");
  // The text over --max_text_bytes: the API's own reason, as over gRPC.
  auto res =
      cli->Post("/v1/scan", ScanBody(std::string(2000, 'a'), "de"), kJson);
  ExpectError(res, 413, "TEXT_TOO_LARGE");
  EXPECT_EQ(ParseError(res).fields, std::vector<std::string>{"text"});
  // The body over the limit (3 × 1000 + 64 KiB) is not even parsed.
  ExpectError(
      cli->Post("/v1/scan", ScanBody(std::string(200000, 'a'), "de"), kJson),
      413, "REQUEST_TOO_LARGE");
  res = cli->Get("/v1/scan");
  ExpectError(res, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(res->get_header_value("Allow"), "POST");
  ExpectError(cli->Delete("/v1/rules"), 405, "METHOD_NOT_ALLOWED");
  ExpectError(cli->Get("/v1/nothing"), 404, "UNKNOWN_ROUTE");
  ExpectError(cli->Get("/nothing.html"), 404, "UNKNOWN_ROUTE");
  // Deadlines: one that has passed, and one that is not a number.
  ExpectError(cli->Post("/v1/scan", {{"X-Server-Timeout", "0"}},
                        ScanBody(kAd, "de"), kJson),
              504, "DEADLINE_EXCEEDED");
  ExpectError(cli->Post("/v1/scan", {{"X-Server-Timeout", "soon"}},
                        ScanBody(kAd, "de"), kJson),
              400, "INVALID_TIMEOUT");
  // /v2/check's own parameters.
  ExpectError(cli->Post("/v2/check", httplib::Params{{"language", "de"}}), 400,
              "MISSING_TEXT");
  ExpectError(cli->Post("/v2/check",
                        httplib::Params{{"text", "x"}, {"language", "fr"}}),
              400, "UNSUPPORTED_LANGUAGE");
  ExpectError(cli->Post("/v2/check", "text=x", kJson), 415,
              "UNSUPPORTED_MEDIA_TYPE");
  // As LanguageTool's server: no body, every field in the query string.
  res = cli->Post("/v2/check?language=de&text=Verk%C3%A4ufer%20gesucht",
                  std::string(), std::string());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr("\"offset\":0,\"length\":9"));
  ExpectError(
      cli->Post("/v2/check", httplib::Params{{"data", "{\"annotation\":[1]}"}}),
      400, "INVALID_ANNOTATION");
  // The server is still fine, and logged every error without the text.
  res = cli->Post("/v1/scan", ScanBody(kAd, "de"), kJson);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  ASSERT_TRUE(server.process.WaitForLogLines("\"reason\":\"UNKNOWN_ROUTE\"", 2))
      << server.process.Log();
  EXPECT_THAT(server.process.Log(), Not(HasSubstr("junges Team")));
  EXPECT_EQ(server.process.CountLogLines("\"http_status\":500"), 0);
}

TEST(HttpApi, HostileBodiesAre4xxAndTheServerStaysUp) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  const size_t n = 200000;
  const std::string nested_arrays = std::string(n, '[') + std::string(n, ']');
  std::string nested_objects;
  for (size_t i = 0; i < n; ++i) nested_objects += "{\"a\":";
  nested_objects += "1" + std::string(n, '}');
  for (const std::string& body :
       {std::string(n, '['), "{\"text\":" + nested_arrays + "}",
        "{\"fields\":" + nested_arrays + "}", "{\"x\":" + nested_objects + "}",
        std::string("null"), std::string("[]"), std::string("{\"text\":5}"),
        std::string("{\"text\":\"\xff\"}"),
        std::string("{\"documentKind\":\"NOPE\"}")}) {
    for (const char* path : {"/v1/scan", "/v1/forms:scan", "/v1/assessments"}) {
      auto res = cli->Post(path, body, kJson);
      ASSERT_TRUE(res) << path << " " << body.substr(0, 40);
      EXPECT_EQ(res->status, 400) << path << " " << body.substr(0, 40);
      EXPECT_EQ(ParseError(res).code, 3);
    }
  }
  for (const std::string& data :
       {"{\"annotation\":" + nested_arrays + "}",
        "{\"annotation\":[" + nested_objects + "]}"}) {
    ExpectError(cli->Post("/v2/check", httplib::Params{{"data", data}}), 400,
                "INVALID_ANNOTATION");
  }
  auto res = cli->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(server.process.CountLogLines("\"http_status\":500"), 0);
}

TEST(HttpApi, ApiKeysGuardEveryApiRouteButNotHealth) {
  TempDir dir;
  // sha256("s3cret")
  dir.Write("server.textproto",
            "api_keys { name: \"jobboard\" sha256: "
            "\"1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"
            "\" }\n");
  std::vector<std::string> args = Lexicons();
  args.push_back("--config=" + dir.path() + "/server.textproto");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  for (const char* key : {"", "Bearer wrong", "s3cret"}) {
    httplib::Headers headers;
    if (*key) headers.emplace("Authorization", key);
    auto res = cli->Post("/v1/scan", headers, ScanBody(kAd, "de"), kJson);
    ExpectError(res, 401, "UNAUTHENTICATED");
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
    ExpectError(cli->Get("/v1/rules", headers), 401, "UNAUTHENTICATED");
    ExpectError(cli->Get("/v1/questionnaires/de", headers), 401,
                "UNAUTHENTICATED");
    ExpectError(cli->Post("/v2/check", headers, httplib::Params{{"text", kAd}}),
                401, "UNAUTHENTICATED");
  }
  const httplib::Headers good = {{"Authorization", "Bearer s3cret"}};
  auto res = cli->Post("/v1/scan", good, ScanBody(kAd, "de"), kJson);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  // LanguageTool clients send the key as a form field.
  res = cli->Post(
      "/v2/check",
      httplib::Params{{"text", kAd}, {"apiKey", "s3cret"}, {"username", "me"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  for (const char* open :
       {"/healthz", "/readyz", "/v2/languages", "/", "/js/main.js"}) {
    res = cli->Get(open);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << open;
  }
  ASSERT_TRUE(server.process.WaitForLogLines("\"api_key\":\"jobboard\"", 2));
  EXPECT_THAT(server.process.Log(), Not(HasSubstr("s3cret")));
}

TEST(HttpApi, SighupPutsTheConfigsNewApiKeysInUse) {
  TempDir dir;
  // sha256("s3cret")
  dir.Write("server.textproto",
            "api_keys { name: \"old\" sha256: "
            "\"1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"
            "\" }\n");
  std::vector<std::string> args = Lexicons();
  args.push_back("--config=" + dir.path() + "/server.textproto");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  auto status_with = [&](const std::string& key) {
    auto res = cli->Post("/v1/scan", {{"Authorization", "Bearer " + key}},
                         ScanBody(kAd, "de"), kJson);
    return res ? res->status : -1;
  };
  EXPECT_EQ(status_with("s3cret"), 200);
  EXPECT_EQ(status_with("n3w"), 401);
  // A bad file: logged, the keys in use stay.
  dir.Write("server.textproto", "api_keys { sha256: \"nothex\" }\n");
  server.process.Signal(SIGHUP);
  ASSERT_TRUE(server.process.WaitForLogLines("config reload failed", 1));
  EXPECT_EQ(status_with("s3cret"), 200);
  // sha256("n3w")
  dir.Write("server.textproto",
            "api_keys { name: \"new\" sha256: "
            "\"1dd4d43658e2257be3f31504829536107b671bb92b73e5cae2629749dc0daa14"
            "\" }\n");
  server.process.Signal(SIGHUP);
  ASSERT_TRUE(server.process.WaitForLogLines("api keys reloaded", 1));
  EXPECT_EQ(status_with("s3cret"), 401);
  EXPECT_EQ(status_with("n3w"), 200);
  // The gRPC port shares the keys.
  auto stub = v1::ScanService::NewStub(grpc::CreateChannel(
      server.process.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer n3w");
  v1::ScanTextRequest request;
  request.set_text(kAd);
  v1::ScanTextResponse response;
  EXPECT_TRUE(stub->ScanText(&ctx, request, &response).ok());
}

TEST(HttpApi, CorsAllowsOnlyConfiguredOrigins) {
  TempDir dir;
  dir.Write("server.textproto",
            "http_cors_origins: \"https://jobs.example.org\"\n");
  std::vector<std::string> args = Lexicons();
  args.push_back("--config=" + dir.path() + "/server.textproto");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  const httplib::Headers preflight = {
      {"Origin", "https://jobs.example.org"},
      {"Access-Control-Request-Method", "POST"},
      {"Access-Control-Request-Headers", "content-type,authorization"}};
  auto res = cli->Options("/v1/scan", preflight);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"),
            "https://jobs.example.org");
  EXPECT_THAT(res->get_header_value("Access-Control-Allow-Methods"),
              HasSubstr("POST"));
  EXPECT_THAT(res->get_header_value("Access-Control-Allow-Headers"),
              HasSubstr("Authorization"));
  res = cli->Post("/v1/scan", {{"Origin", "https://jobs.example.org"}},
                  ScanBody(kAd, "de"), kJson);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"),
            "https://jobs.example.org");
  // Another origin: no preflight, no CORS header on the answer.
  res = cli->Options("/v1/scan", {{"Origin", "https://evil.example"},
                                  {"Access-Control-Request-Method", "POST"}});
  ExpectError(res, 403, "CORS_ORIGIN_NOT_ALLOWED");
  EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin"));
  res = cli->Post("/v1/scan", {{"Origin", "https://evil.example"}},
                  ScanBody(kAd, "de"), kJson);
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin"));
  ExpectError(cli->Options("/v1/nothing", preflight), 404, "UNKNOWN_ROUTE");
}

TEST(HttpApi, NoCorsOriginIsAllowedByDefault) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto res = server.Client()->Options(
      "/v2/check", {{"Origin", "https://jobs.example.org"},
                    {"Access-Control-Request-Method", "POST"}});
  ExpectError(res, 403, "CORS_ORIGIN_NOT_ALLOWED");
}

// The match of `rule` in a /v2/check answer: offset, length, context.
struct Match {
  int offset = -1;
  int length = -1;
  std::vector<std::string> replacements;
  std::string message;
};

std::map<std::string, Match> MatchesOf(const httplib::Result& res) {
  std::map<std::string, Match> out;
  EXPECT_TRUE(res);
  if (!res) return out;
  EXPECT_EQ(res->status, 200) << res->body;
  google::protobuf::Struct check;
  EXPECT_TRUE(JsonStringToMessage(res->body, &check).ok()) << res->body;
  for (const auto& m : check.fields().at("matches").list_value().values()) {
    const auto& f = m.struct_value().fields();
    Match match;
    match.offset = static_cast<int>(f.at("offset").number_value());
    match.length = static_cast<int>(f.at("length").number_value());
    match.message = f.at("message").string_value();
    for (const auto& r : f.at("replacements").list_value().values()) {
      match.replacements.push_back(
          r.struct_value().fields().at("value").string_value());
    }
    out[f.at("rule").struct_value().fields().at("id").string_value()] = match;
  }
  return out;
}

TEST(HttpApi, V2CheckOffsetsAreUtf16UnitsOfTheOriginalInput) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  constexpr char kTitle[] = "de.gender.title_masculine_only";
  // Plain: "Verkäufer" at 0, length 9.
  std::map<std::string, Match> plain =
      MatchesOf(cli->Post("/v2/check", httplib::Params{{"text", kAd}}));
  ASSERT_TRUE(plain.count(kTitle)) << "rules: " << plain.size();
  EXPECT_EQ(plain[kTitle].offset, 0);
  EXPECT_EQ(plain[kTitle].length, 9);
  EXPECT_THAT(plain[kTitle].replacements, ::testing::Contains("Verkaufskraft"));
  // An emoji (2 units) and "e" + combining acute (2 units) before it.
  const std::string prefix = "\xF0\x9F\x98\x80 e\xCC\x81 ";
  std::map<std::string, Match> shifted =
      MatchesOf(cli->Post("/v2/check", httplib::Params{{"text", prefix + kAd},
                                                       {"language", "de-CH"}}));
  ASSERT_TRUE(shifted.count(kTitle));
  EXPECT_EQ(shifted[kTitle].offset, 6);
  EXPECT_EQ(shifted[kTitle].length, 9);
  // Annotated text: markup is skipped but counted.
  const std::string data =
      R"({"annotation":[{"markup":"<h1>"},{"text":"Verkäufer gesucht"},)"
      R"({"markup":"</h1><p>","interpretAs":"\n\n"},)"
      R"({"text":"Wir sind ein junges Team."},{"markup":"</p>"}]})";
  std::map<std::string, Match> annotated = MatchesOf(cli->Post(
      "/v2/check", httplib::Params{{"data", data}, {"language", "auto"}}));
  ASSERT_TRUE(annotated.count(kTitle));
  EXPECT_EQ(annotated[kTitle].offset, 4);
  EXPECT_EQ(annotated.size(), plain.size());
}

TEST(HttpApi, V2CheckFiltersRulesAndHintsLikeLanguageTool) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  std::map<std::string, Match> all = MatchesOf(cli->Post(
      "/v2/check", httplib::Params{{"text", kAd}, {"level", "picky"}}));
  ASSERT_GE(all.size(), 2u);
  const std::string first = all.begin()->first;
  std::map<std::string, Match> without = MatchesOf(cli->Post(
      "/v2/check",
      httplib::Params{
          {"text", kAd}, {"level", "picky"}, {"disabledRules", first}}));
  EXPECT_EQ(without.size(), all.size() - 1);
  EXPECT_EQ(without.count(first), 0u);
  std::map<std::string, Match> only = MatchesOf(
      cli->Post("/v2/check", httplib::Params{{"text", kAd},
                                             {"level", "picky"},
                                             {"enabledRules", first},
                                             {"enabledOnly", "true"}}));
  EXPECT_EQ(only.size(), 1u);
  EXPECT_EQ(only.count(first), 1u);
  // A text over 8 KiB of form data (httplib's own form limit) is served.
  std::string long_text;
  while (long_text.size() < 20000) long_text += kAd;
  std::map<std::string, Match> many =
      MatchesOf(cli->Post("/v2/check", httplib::Params{{"text", long_text}}));
  EXPECT_GT(many.size(), 0u);
  auto res = cli->Get("/v2/languages");
  ASSERT_TRUE(res);
  EXPECT_THAT(res->body, HasSubstr("\"longCode\":\"de-AT\""));
}

TEST(HttpApi, MetricsCountRequestsPerRouteAndStatus) {
  std::vector<std::string> args = Lexicons();
  args.push_back("--metrics_listen=127.0.0.1:0");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(cli->Post("/v1/scan", ScanBody(kAd, "de"), kJson));
  }
  ASSERT_TRUE(cli->Get("/v1/nothing"));
  const std::string metrics = testing::HttpGet(
      server.process.ListeningField("metrics_port"), "/metrics");
  EXPECT_THAT(metrics,
              HasSubstr("http_server_requests_total{code=\"200\",method="
                        "\"POST\",route=\"/v1/scan\"} 3"));
  EXPECT_THAT(metrics, HasSubstr("http_server_requests_total{code=\"404\","
                                 "method=\"GET\",route=\"other\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("divcheck_scans_total{grpc_code=\"OK\"} 3"));
}

TEST(HttpApi, TlsFromTheConfigServesHttpsOnly) {
  TempDir dir;
  ASSERT_EQ(std::system(("bash " DIVCHECK_MAKE_CERTS " " + dir.path()).c_str()),
            0);
  dir.Write("server.textproto",
            "tls { cert_file: \"server.crt\" key_file: \"server.key\" }\n");
  std::vector<std::string> args = Lexicons();
  args.push_back("--config=" + dir.path() + "/server.textproto");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  httplib::SSLClient tls("127.0.0.1", server.port);
  tls.set_ca_cert_path((dir.path() + "/ca.crt").c_str());
  tls.enable_server_certificate_verification(true);
  auto res = tls.Post("/v1/scan", ScanBody(kAd, "de"), kJson);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  // A CA that did not sign the server's certificate: no connection.
  httplib::SSLClient stranger("127.0.0.1", server.port);
  stranger.set_ca_cert_path((dir.path() + "/other.crt").c_str());
  stranger.enable_server_certificate_verification(true);
  EXPECT_FALSE(stranger.Get("/healthz"));
  // Plain HTTP gets no answer.
  EXPECT_FALSE(server.Client()->Get("/healthz"));
}

TEST(HttpApi, ClientCertificatesAreRequiredWithAClientCa) {
  // A refused handshake can close the socket under the client's write.
  signal(SIGPIPE, SIG_IGN);
  TempDir dir;
  ASSERT_EQ(std::system(("bash " DIVCHECK_MAKE_CERTS " " + dir.path()).c_str()),
            0);
  dir.Write("server.textproto",
            "tls { cert_file: \"server.crt\" key_file: \"server.key\" "
            "client_ca_file: \"ca.crt\" require_client_cert: true }\n");
  std::vector<std::string> args = Lexicons();
  args.push_back("--config=" + dir.path() + "/server.textproto");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto ask = [&](const std::string& who) {
    std::unique_ptr<httplib::SSLClient> tls =
        who.empty()
            ? std::make_unique<httplib::SSLClient>("127.0.0.1", server.port)
            : std::make_unique<httplib::SSLClient>(
                  "127.0.0.1", server.port, dir.path() + "/" + who + ".crt",
                  dir.path() + "/" + who + ".key");
    tls->set_ca_cert_path((dir.path() + "/ca.crt").c_str());
    tls->enable_server_certificate_verification(true);
    auto res = tls->Get("/healthz");
    return static_cast<bool>(res) && res->status == 200;
  };
  EXPECT_TRUE(ask("client"));
  EXPECT_FALSE(ask(""));          // no certificate
  EXPECT_FALSE(ask("stranger"));  // signed by a CA the server does not trust
}

// Whether an HTTPS client that trusts only `ca_file` gets an answer, and
// the CORS origin it is allowed (empty when none).
struct HttpsAnswer {
  bool answered = false;
  std::string allowed_origin;
};
HttpsAnswer AskHttps(int port, const std::string& ca_file) {
  httplib::SSLClient tls("127.0.0.1", port);
  tls.set_ca_cert_path(ca_file.c_str());
  tls.enable_server_certificate_verification(true);
  auto res = tls.Get("/healthz", {{"Origin", "https://jobs.example"}});
  HttpsAnswer answer;
  answer.answered = static_cast<bool>(res) && res->status == 200;
  if (res)
    answer.allowed_origin =
        res->get_header_value("Access-Control-Allow-Origin");
  return answer;
}

TEST(HttpApi, SighupReloadsTlsFilesAndCorsOriginsAndKeepsThemOnAnError) {
  signal(SIGPIPE, SIG_IGN);  // as above
  TempDir dir, next;
  ASSERT_EQ(std::system(("bash " DIVCHECK_MAKE_CERTS " " + dir.path()).c_str()),
            0);
  // Another CA and a server certificate it signed: the rotated files.
  ASSERT_EQ(
      std::system(("bash " DIVCHECK_MAKE_CERTS " " + next.path()).c_str()), 0);
  const std::string tls_config =
      "tls { cert_file: \"server.crt\" key_file: \"server.key\" }\n";
  dir.Write("server.textproto", tls_config);
  std::vector<std::string> args = Lexicons();
  args.push_back("--config=" + dir.path() + "/server.textproto");
  HttpServer server(args);
  ASSERT_TRUE(server.Start()) << server.process.Log();
  const std::string old_ca = dir.path() + "/ca.crt";
  const std::string new_ca = next.path() + "/ca.crt";
  EXPECT_TRUE(AskHttps(server.port, old_ca).answered);
  EXPECT_EQ(AskHttps(server.port, old_ca).allowed_origin, "");
  EXPECT_FALSE(AskHttps(server.port, new_ca).answered);

  // New certificate and key, and an allowed origin: in use after SIGHUP.
  dir.Write("server.crt", testing::ReadFile(next.path() + "/server.crt"));
  dir.Write("server.key", testing::ReadFile(next.path() + "/server.key"));
  dir.Write("server.textproto",
            tls_config + "http_cors_origins: \"https://jobs.example\"\n");
  server.process.Signal(SIGHUP);
  ASSERT_TRUE(
      server.process.WaitForLogLines("\"msg\":\"http settings reloaded", 1))
      << server.process.Log();
  EXPECT_TRUE(AskHttps(server.port, new_ca).answered);
  EXPECT_EQ(AskHttps(server.port, new_ca).allowed_origin,
            "https://jobs.example");
  EXPECT_FALSE(AskHttps(server.port, old_ca).answered);

  // A key that is not the certificate's: refused, the files in use stay.
  dir.Write("server.key", testing::ReadFile(dir.path() + "/client.key"));
  server.process.Signal(SIGHUP);
  ASSERT_TRUE(server.process.WaitForLogLines(
      "\"msg\":\"http settings reload failed", 1))
      << server.process.Log();
  EXPECT_THAT(server.process.Log(), HasSubstr("does not match"));
  EXPECT_TRUE(AskHttps(server.port, new_ca).answered);
}

// A raw connection, to hold a request half-sent.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  return send(fd, data.data(), data.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(data.size());
}

// Everything `fd` sends until it closes or 5 s pass.
std::string ReadAll(int fd) {
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST(HttpApi, RequestsHttplibRefusesGetAStatusBodyToo) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  for (const std::string& request :
       {std::string("GARBAGE\r\n\r\n"),
        std::string("BREW /v1/scan HTTP/1.1\r\nConnection: close\r\n\r\n"),
        absl::StrCat("GET /", std::string(9000, 'a'),
                     " HTTP/1.1\r\nConnection: close\r\n\r\n")}) {
    const int fd = Connect(server.port);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, request));
    const std::string response = ReadAll(fd);
    close(fd);
    EXPECT_THAT(response, ::testing::StartsWith("HTTP/1.1 4")) << response;
    EXPECT_THAT(response, HasSubstr("\"reason\":\"MALFORMED_REQUEST\""));
    EXPECT_THAT(response, HasSubstr("X-Content-Type-Options: nosniff"));
  }
  // A chunked body is read like any other.
  const int fd = Connect(server.port);
  ASSERT_TRUE(SendAll(
      fd,
      "POST /v1/scan HTTP/1.1\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n{\"tex\r\n10\r\nt\":\"Verk\xC3\xA4ufer\"}\r\n0\r\n\r\n"));
  const std::string response = ReadAll(fd);
  close(fd);
  EXPECT_THAT(response, ::testing::StartsWith("HTTP/1.1 200")) << response;
  EXPECT_THAT(response, HasSubstr("de.gender.title_masculine_only"));
}

TEST(HttpApi, SigtermLetsInFlightRequestsFinishAndExitsZero) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  const std::string body = ScanBody(kAd, "de");
  const int fd = Connect(server.port);
  ASSERT_GE(fd, 0);
  // Headers and half the body are sent: the request is in flight.
  ASSERT_TRUE(SendAll(
      fd, absl::StrCat("POST /v1/scan HTTP/1.1\r\nHost: x\r\n"
                       "Content-Type: application/json\r\nContent-Length: ",
                       body.size(), "\r\n\r\n", body.substr(0, 10))));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server.process.Signal(SIGTERM);
  ASSERT_TRUE(server.process.WaitForLogLines("\"msg\":\"shutting down\"", 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The rest arrives after SIGTERM; the answer is a full report.
  ASSERT_TRUE(SendAll(fd, body.substr(10)));
  std::string response;
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
    if (response.find("\"findings\"") != std::string::npos &&
        response.rfind('}') == response.size() - 1) {
      break;
    }
  }
  close(fd);
  EXPECT_THAT(response, ::testing::StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(response, HasSubstr("\"ruleId\""));
  const int wait_status = server.process.WaitForExit(std::chrono::seconds(20));
  ASSERT_NE(wait_status, -1) << "divcheckd did not exit:\n"
                             << server.process.Log();
  ASSERT_TRUE(WIFEXITED(wait_status)) << wait_status;
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  // New connections are refused once it is gone.
  EXPECT_LT(Connect(server.port), 0);
}

TEST(HttpApi, OffUnlessSetAndBadAddressStopsStartup) {
  ServerProcess plain(Lexicons());
  ASSERT_TRUE(plain.Start()) << plain.Log();
  EXPECT_EQ(plain.ListeningField("http_port"), 0);
  std::vector<std::string> args = Lexicons();
  args.push_back("--http_listen=nonsense");
  ServerProcess bad(args);
  EXPECT_FALSE(bad.Start(std::chrono::seconds(20)));
  EXPECT_THAT(bad.Log(), HasSubstr("--http_listen"));
}

// The web app (clients/web/, compiled in): its files with their types, the
// page's own Content-Security-Policy, caching by ETag; any other path,
// however it tries to climb out, is the API's 404.
TEST(HttpApi, ServesTheWebAppAndNoOtherFile) {
  HttpServer server(Lexicons());
  ASSERT_TRUE(server.Start()) << server.process.Log();
  auto cli = server.Client();
  auto page = cli->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(page->body,
              HasSubstr("<script type=\"module\" src=\"/js/main.js\">"));
  const std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_THAT(csp, HasSubstr("default-src 'none'; script-src 'self'; "
                             "style-src 'self'"));
  EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(csp, Not(HasSubstr("unsafe")));
  EXPECT_EQ(page->headers.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  const std::string etag = page->get_header_value("ETag");
  ASSERT_EQ(etag.size(), 18u) << etag;
  auto same = cli->Get("/index.html");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->body, page->body);
  auto cached = cli->Get("/", {{"If-None-Match", etag}});
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  EXPECT_EQ(cached->body, "");
  auto head = cli->Head("/app.css");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  const std::map<std::string, std::string> types = {
      {"/app.css", "text/css; charset=utf-8"},
      {"/js/main.js", "text/javascript; charset=utf-8"},
      {"/js/i18n.js", "text/javascript; charset=utf-8"},
      {"/favicon.svg", "image/svg+xml"}};
  for (const auto& [path, type] : types) {
    auto res = cli->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), type) << path;
    EXPECT_FALSE(res->body.empty()) << path;
  }
  auto post = cli->Post("/", "x", "text/plain");
  ExpectError(post, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  // Paths sent as they are (a client library would tidy them up).
  for (const char* path :
       {"/../../../../etc/passwd", "/js/../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
        "/js/..%2fapp.css", "//etc/passwd", "/js/", "/js", "/index.html%00",
        "/CMakeLists.txt", "/clients/web/index.html", "/web_assets_data.cc",
        "/./index.html", "/INDEX.HTML"}) {
    const int fd = Connect(server.port);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, absl::StrCat("GET ", path,
                                         " HTTP/1.1\r\nHost: x\r\n"
                                         "Connection: close\r\n\r\n")));
    const std::string response = ReadAll(fd);
    close(fd);
    EXPECT_THAT(response, ::testing::StartsWith("HTTP/1.1 4")) << path;
    EXPECT_THAT(response, Not(HasSubstr("root:"))) << path;
    EXPECT_THAT(response, Not(HasSubstr("<!DOCTYPE"))) << path;
  }
  ExpectError(cli->Get("/v1/nothing"), 404, "UNKNOWN_ROUTE");
  ASSERT_TRUE(server.process.WaitForLogLines("\"route\":\"web\"", 5))
      << server.process.Log();
}

}  // namespace
}  // namespace divcheck
