// Integration tests: the real divcheckd binary on a loopback port, called
// through gRPC as an integrator would.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "health.grpc.pb.h"
#include "reflection.grpc.pb.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HttpGet;
using testing::RawUnaryCall;
using testing::ReadFile;
using testing::ServerProcess;
using testing::TempDir;

namespace health = ::grpc::health::v1;
namespace reflection = ::grpc::reflection::v1alpha;

constexpr char kAd[] = "Verkäufer gesucht\nWir sind ein junges Team.\n";
constexpr char kCleanAd[] = "Verkaufskraft (m/w/d)\nWir freuen uns auf Sie.\n";

std::chrono::system_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::now() + ms;
}

std::shared_ptr<grpc::Channel> ChannelTo(const ServerProcess& server) {
  return grpc::CreateChannel(server.address(),
                             grpc::InsecureChannelCredentials());
}

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()))
      << "no google.rpc.Status in the error details";
  return details;
}

google::rpc::ErrorInfo ErrorInfoOf(const google::rpc::Status& status) {
  google::rpc::ErrorInfo info;
  int found = 0;
  for (const auto& any : status.details()) {
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) ++found;
  }
  EXPECT_EQ(found, 1) << "want exactly one ErrorInfo";
  EXPECT_EQ(info.domain(), "divcheck.dev");
  EXPECT_FALSE(info.metadata().at("request_id").empty());
  return info;
}

google::rpc::BadRequest BadRequestOf(const google::rpc::Status& status) {
  google::rpc::BadRequest bad;
  int found = 0;
  for (const auto& any : status.details()) {
    if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) ++found;
  }
  EXPECT_EQ(found, 1) << "want exactly one BadRequest";
  return bad;
}

std::vector<std::string> ViolatedFields(const google::rpc::Status& status) {
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad = BadRequestOf(status);
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  return fields;
}

// The report the engine gives in-process, for comparison.
v1::Report LocalScan(const std::string& lexicons, const std::string& text,
                     const std::string& language) {
  EngineOptions options;
  options.lexicon_dir = lexicons;
  auto engine = Engine::Create(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  ScanOptions scan;
  scan.language = language;
  auto report = (*engine)->ScanText(text, scan);
  EXPECT_TRUE(report.ok()) << report.status();
  return *report;
}

v1::ScanTextRequest Request(const std::string& text,
                            const std::string& language,
                            const std::string& id = "") {
  v1::ScanTextRequest r;
  r.set_text(text);
  r.set_language_code(language);
  r.set_request_id(id);
  return r;
}

health::HealthCheckResponse::ServingStatus HealthOf(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
    grpc::StatusCode* code = nullptr) {
  auto stub = health::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(5000)));
  health::HealthCheckRequest request;
  request.set_service(service);
  health::HealthCheckResponse response;
  grpc::Status status = stub->Check(&ctx, request, &response);
  if (code != nullptr) *code = status.error_code();
  return response.status();
}

// One server with the fixture lexicons for the tests that do not change it.
class ScanServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess({"--lexicons=" + testing::TestLexiconDir()});
    ready_ = server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(ready_) << "divcheckd did not start:\n" << server_->Log();
    channel_ = ChannelTo(*server_);
    stub_ = v1::ScanService::NewStub(channel_);
  }

  static ServerProcess* server_;
  static bool ready_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ScanService::Stub> stub_;
};
ServerProcess* ScanServiceTest::server_ = nullptr;
bool ScanServiceTest::ready_ = false;

TEST_F(ScanServiceTest, ScanTextGivesTheInProcessReport) {
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(10000)));
  v1::ScanTextResponse response;
  grpc::Status status =
      stub_->ScanText(&ctx, Request(kAd, "de", "ad-1"), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.request_id(), "ad-1");
  ASSERT_TRUE(response.has_report());
  EXPECT_GT(response.report().findings_size(), 0);
  EXPECT_TRUE(MessageDifferencer::Equals(
      response.report(), LocalScan(testing::TestLexiconDir(), kAd, "de")));
  // The server names the request id it logged the call under.
  auto id = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(id, ctx.GetServerInitialMetadata().end());
  EXPECT_FALSE(id->second.empty());
}

TEST_F(ScanServiceTest, DetectsLanguageAndAcceptsEmptyText) {
  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  ASSERT_TRUE(stub_->ScanText(&ctx, Request(kAd, ""), &response).ok());
  EXPECT_EQ(response.report().language(), "de");
  EXPECT_TRUE(response.report().language_detected());

  grpc::ClientContext ctx2;
  v1::ScanTextResponse empty;
  ASSERT_TRUE(stub_->ScanText(&ctx2, Request("", "de"), &empty).ok());
  EXPECT_EQ(empty.report().findings_size(), 0);
  // An empty text is not checked: no score, no grade (not "100, A").
  EXPECT_EQ(empty.report().coverage(), v1::COVERAGE_EMPTY);
  EXPECT_EQ(empty.report().score(), 0u);
  EXPECT_EQ(empty.report().grade(), "");
}

TEST_F(ScanServiceTest, ClientRequestIdIsUsedAndNeverTheText) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-request-id", "client-chosen-42");
  v1::ScanTextResponse response;
  const std::string secret = "GEHEIMTEXT1234 Wir sind ein junges Team.";
  ASSERT_TRUE(stub_->ScanText(&ctx, Request(secret, "de"), &response).ok());
  EXPECT_EQ(ctx.GetServerInitialMetadata().find("x-request-id")->second,
            "client-chosen-42");
  ASSERT_TRUE(server_->WaitForLogLines("client-chosen-42", 1));
  const std::string log = server_->Log();
  EXPECT_THAT(log, HasSubstr("\"method\":\"ScanText\""));
  EXPECT_THAT(log, HasSubstr("\"latency_ms\":"));
  EXPECT_EQ(log.find("GEHEIMTEXT"), std::string::npos)
      << "the log holds submitted text";
  EXPECT_EQ(log.find("junges Team"), std::string::npos)
      << "the log holds submitted text";
}

TEST_F(ScanServiceTest, UnknownLanguageAndTooLargeTextAreReportedTogether) {
  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  grpc::Status status = stub_->ScanText(
      &ctx, Request(std::string((1 << 20) + 1, 'a'), "fr", "big"), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(details.code(), grpc::StatusCode::INVALID_ARGUMENT);
  const google::rpc::ErrorInfo info = ErrorInfoOf(details);
  EXPECT_EQ(info.reason(), "INVALID_REQUEST");
  EXPECT_EQ(info.metadata().at("max_text_bytes"), "1048576");
  EXPECT_EQ(info.metadata().at("request_id"),
            ctx.GetServerInitialMetadata().find("x-request-id")->second);
  EXPECT_THAT(ViolatedFields(details), ElementsAre("text", "language_code"));
}

TEST_F(ScanServiceTest, EachInvalidFieldHasItsReason) {
  struct Case {
    v1::ScanTextRequest request;
    std::string reason;
    std::string field;
  };
  std::vector<Case> cases;
  cases.push_back({Request(std::string((1 << 20) + 1, 'a'), "de"),
                   "TEXT_TOO_LARGE", "text"});
  cases.push_back(
      {Request(kAd, "DE"), "UNSUPPORTED_LANGUAGE", "language_code"});
  cases.push_back({Request(kAd, "de", std::string(257, 'i')),
                   "INVALID_REQUEST_ID", "request_id"});
  v1::ScanTextRequest kind = Request(kAd, "de");
  kind.set_document_kind(static_cast<v1::DocumentKind>(7));
  cases.push_back({kind, "INVALID_DOCUMENT_KIND", "document_kind"});
  for (const Case& c : cases) {
    grpc::ClientContext ctx;
    v1::ScanTextResponse response;
    grpc::Status status = stub_->ScanText(&ctx, c.request, &response);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.reason;
    google::rpc::Status details = DetailsOf(status);
    EXPECT_EQ(ErrorInfoOf(details).reason(), c.reason);
    EXPECT_THAT(ViolatedFields(details), ElementsAre(c.field));
  }
  // DOCUMENT_KIND_OTHER is valid.
  v1::ScanTextRequest other = Request(kAd, "de");
  other.set_document_kind(v1::DOCUMENT_KIND_OTHER);
  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  EXPECT_TRUE(stub_->ScanText(&ctx, other, &response).ok());
}

grpc::Status RawScanText(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& bytes, std::string* response) {
  return RawUnaryCall(channel, "/divcheck.v1.ScanService/ScanText", bytes,
                      response);
}

TEST_F(ScanServiceTest, InvalidUtf8IsAFieldViolationWithItsOffset) {
  // Field 1 (text), length 5: "gut" 0xFF 0xFE; field 2 (language_code) "fr".
  const std::string bytes("\x0a\x05gut\xff\xfe\x12\x02\x66\x72", 11);
  std::string response;
  grpc::Status status = RawScanText(channel_, bytes, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ErrorInfoOf(details).reason(), "INVALID_REQUEST");
  EXPECT_THAT(ViolatedFields(details), ElementsAre("text", "language_code"));
  EXPECT_THAT(BadRequestOf(details).field_violations(0).description(),
              HasSubstr("byte offset 3"));

  // Bytes that are no protobuf message at all.
  status = RawScanText(channel_, std::string("\xff\xff\xff", 3), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoOf(DetailsOf(status)).reason(), "MALFORMED_REQUEST");

  // The server keeps serving.
  grpc::ClientContext ctx;
  v1::ScanTextResponse ok;
  EXPECT_TRUE(stub_->ScanText(&ctx, Request(kAd, "de"), &ok).ok());
}

// A unary call that half-closes without sending its message: gRPC hands
// the raw handler an empty, invalid buffer. Answered MALFORMED_REQUEST; an
// OK with the report of an empty text before issue 17.
grpc::Status CallWithoutMessage(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& method) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(10)));
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&ctx, method, &cq);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  EXPECT_TRUE(cq.Next(&tag, &ok) && ok);
  call->WritesDone(reinterpret_cast<void*>(2));
  EXPECT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::ByteBuffer reply;  // a response, if the server wrongly sends one
  call->Read(&reply, reinterpret_cast<void*>(4));
  EXPECT_TRUE(cq.Next(&tag, &ok));
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(3));
  EXPECT_TRUE(cq.Next(&tag, &ok) && ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

// The gRPC frame of `message` as curl sends it over cleartext HTTP/2;
// "grpc-status: N" and the other headers and trailers are returned. Empty
// when curl is missing.
std::string CurlGrpc(const ServerProcess& server, const std::string& method,
                     const std::string& body, const TempDir& dir) {
  if (std::system("curl --version >/dev/null 2>&1") != 0) return "";
  dir.Write("body.bin", body);
  const std::string out = dir.path() + "/headers.txt";
  const std::string command = absl::StrCat(
      "curl -s --max-time 10 --http2-prior-knowledge -H 'content-type: "
      "application/grpc' -H 'te: trailers' --data-binary @",
      dir.path(), "/body.bin -o /dev/null -D ", out, " http://",
      server.address(), method);
  if (std::system(command.c_str()) != 0) return "curl failed: " + command;
  return ReadFile(out);
}

TEST_F(ScanServiceTest, ACallWithoutAWholeMessageIsMalformed) {
  for (const std::string method : {"/divcheck.v1.ScanService/ScanText",
                                   "/divcheck.v1.ScanService/ScanForm",
                                   "/divcheck.v1.ScanService/ListRules"}) {
    SCOPED_TRACE(method);
    const grpc::Status status = CallWithoutMessage(channel_, method);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_message();
    EXPECT_EQ(ErrorInfoOf(DetailsOf(status)).reason(), "MALFORMED_REQUEST");
    EXPECT_THAT(status.error_message(), HasSubstr("no complete"));
  }
  // A message of zero bytes is a whole proto3 message: an empty text, which
  // is scanned (API.md: text may be empty), as in the non-raw path.
  std::string response;
  grpc::Status status = RawScanText(channel_, "", &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::ScanTextResponse empty;
  ASSERT_TRUE(empty.ParseFromString(response));
  EXPECT_EQ(empty.report().byte_count(), 0u);
  grpc::ClientContext ctx;
  v1::ScanTextResponse via_stub;
  ASSERT_TRUE(stub_->ScanText(&ctx, Request("", "de"), &via_stub).ok());
  EXPECT_EQ(empty.report().score(), via_stub.report().score());

  // Over raw HTTP/2 (curl): no frame at all, and a frame shorter than its
  // length prefix (16 bytes announced, 5 sent).
  TempDir dir;
  const std::string valid(
      "\x00\x00\x00\x00\x05\x0a\x03"
      "abc",
      10);
  const std::string truncated(
      "\x00\x00\x00\x00\x10\x0a\x03"
      "abc",
      10);
  const std::string ok_headers =
      CurlGrpc(*server_, "/divcheck.v1.ScanService/ScanText", valid, dir);
  if (ok_headers.empty())
    GTEST_SKIP() << "no curl: the raw HTTP/2 cases skipped";
  EXPECT_THAT(ok_headers, HasSubstr("grpc-status: 0"));
  for (const std::string& body : {std::string(), truncated}) {
    const std::string headers =
        CurlGrpc(*server_, "/divcheck.v1.ScanService/ScanText", body, dir);
    EXPECT_THAT(headers, HasSubstr("grpc-status: 3")) << body.size();
    EXPECT_THAT(headers, HasSubstr("no complete ScanTextRequest"))
        << body.size();
  }
}

// The other methods parse their requests themselves too: a string that is
// not UTF-8, or bytes that are no message, get INVALID_ARGUMENT with the
// details (gRPC's own parser would answer without any).
TEST_F(ScanServiceTest, OtherMethodsNameTheFieldThatIsNotUtf8) {
  v1::ListRulesRequest list;
  list.set_page_token("ab\xc3(");
  list.set_language_code("de");
  std::string response;
  grpc::Status status =
      RawUnaryCall(channel_, "/divcheck.v1.ScanService/ListRules",
                   list.SerializeAsString(), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ErrorInfoOf(details).reason(), "INVALID_UTF8");
  EXPECT_THAT(ViolatedFields(details), ElementsAre("page_token"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("page_token is not valid UTF-8 (byte offset 2)"));

  status = RawUnaryCall(channel_, "/divcheck.v1.ScanService/GetLexiconInfo",
                        std::string("\xff\xff\xff", 3), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoOf(DetailsOf(status)).reason(), "MALFORMED_REQUEST");

  // Well-formed bytes are answered as before.
  list.set_page_token("");
  response.clear();
  status = RawUnaryCall(channel_, "/divcheck.v1.ScanService/ListRules",
                        list.SerializeAsString(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::ListRulesResponse page;
  ASSERT_TRUE(page.ParseFromString(response));
  EXPECT_GT(page.rules_size(), 0);
}

TEST_F(ScanServiceTest, InvalidUtf8FailsOnlyItsOwnStreamMessage) {
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(20000)));
  auto stream = stub_->StreamScanText(&ctx);
  // The C++ library sends a proto3 string that is not UTF-8 (it only logs);
  // other clients may too.
  const std::vector<v1::ScanTextRequest> requests = {
      Request(kAd, "de", "a"), Request("gut\xff schlecht", "de", "b"),
      Request(kCleanAd, "de", "c")};
  std::vector<v1::ScanTextResponse> responses;
  std::thread reader([&] {
    v1::ScanTextResponse r;
    while (stream->Read(&r)) responses.push_back(r);
  });
  for (const auto& r : requests) ASSERT_TRUE(stream->Write(r));
  ASSERT_TRUE(stream->WritesDone());
  reader.join();
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_TRUE(responses[0].has_report());
  ASSERT_TRUE(responses[1].has_error());
  EXPECT_EQ(responses[1].request_id(), "b");
  EXPECT_EQ(ErrorInfoOf(responses[1].error()).reason(), "INVALID_UTF8");
  EXPECT_TRUE(responses[2].has_report());
}

TEST_F(ScanServiceTest, DeadlinesAreHonoured) {
  std::string big;
  while (big.size() < (1 << 20) - 100)
    big += "Wir sind ein junges Team und suchen Verkäufer. ";
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(1)));
  v1::ScanTextResponse response;
  grpc::Status status = stub_->ScanText(&ctx, Request(big, "de"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  grpc::ClientContext again;
  EXPECT_TRUE(stub_->ScanText(&again, Request(kAd, "de"), &response).ok());
}

TEST_F(ScanServiceTest, StreamAnswersEveryRequestInOrderDespiteABadOne) {
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(20000)));
  auto stream = stub_->StreamScanText(&ctx);
  const std::vector<v1::ScanTextRequest> requests = {
      Request(kAd, "de", "a"), Request(kCleanAd, "de", "b"),
      Request(kAd, "fr", "bad"), Request(kAd, "", "d"), Request("", "de", "e")};
  // Reads run alongside writes, as the proto asks of streaming clients.
  std::vector<v1::ScanTextResponse> responses;
  std::thread reader([&] {
    v1::ScanTextResponse r;
    while (stream->Read(&r)) responses.push_back(r);
  });
  for (const auto& r : requests) ASSERT_TRUE(stream->Write(r));
  ASSERT_TRUE(stream->WritesDone());
  reader.join();
  grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();

  ASSERT_EQ(responses.size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(responses[i].request_id(), requests[i].request_id());
  }
  const v1::ScanTextResponse& bad = responses[2];
  ASSERT_TRUE(bad.has_error());
  EXPECT_EQ(bad.error().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoOf(bad.error()).reason(), "UNSUPPORTED_LANGUAGE");
  EXPECT_THAT(ViolatedFields(bad.error()), ElementsAre("language_code"));
  for (size_t i : {0u, 1u, 3u, 4u}) {
    ASSERT_TRUE(responses[i].has_report()) << i;
    EXPECT_TRUE(MessageDifferencer::Equals(
        responses[i].report(),
        LocalScan(testing::TestLexiconDir(), requests[i].text(),
                  requests[i].language_code())))
        << i;
  }
}

TEST_F(ScanServiceTest, ListRulesPaginatesAndFilters) {
  std::vector<std::string> ids;
  v1::ListRulesRequest request;
  request.set_page_size(7);
  int total = 0;
  std::string version;
  for (int pages = 0; pages < 100; ++pages) {
    grpc::ClientContext ctx;
    v1::ListRulesResponse page;
    ASSERT_TRUE(stub_->ListRules(&ctx, request, &page).ok());
    for (const auto& r : page.rules()) ids.push_back(r.rule_id());
    total = page.total_size();
    version = page.lexicon_version();
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(static_cast<int>(ids.size()), total);
  EXPECT_GT(total, 7);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(version,
            LocalScan(testing::TestLexiconDir(), "", "de").lexicon_version());

  v1::ListRulesRequest age;
  age.set_language_code("de");
  age.set_dimension(v1::DIMENSION_AGE);
  grpc::ClientContext ctx;
  v1::ListRulesResponse page;
  ASSERT_TRUE(stub_->ListRules(&ctx, age, &page).ok());
  ASSERT_GT(page.rules_size(), 0);
  for (const auto& r : page.rules()) {
    EXPECT_THAT(r.dimensions(), ::testing::Contains(v1::DIMENSION_AGE));
    EXPECT_NE(r.language_code(), "en");
  }
  EXPECT_LT(page.total_size(), total);

  v1::ListRulesRequest bad;
  bad.set_page_token("not-a-token");
  bad.set_page_size(-5);
  grpc::ClientContext bad_ctx;
  grpc::Status status = stub_->ListRules(&bad_ctx, bad, &page);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ErrorInfoOf(details).reason(), "INVALID_REQUEST");
  EXPECT_THAT(ViolatedFields(details), ElementsAre("page_size", "page_token"));
}

TEST_F(ScanServiceTest, GetLexiconInfoMatchesReports) {
  grpc::ClientContext ctx;
  v1::GetLexiconInfoResponse info;
  ASSERT_TRUE(
      stub_->GetLexiconInfo(&ctx, v1::GetLexiconInfoRequest(), &info).ok());
  EXPECT_EQ(info.content_hash(),
            LocalScan(testing::TestLexiconDir(), "", "de").lexicon_version());
  EXPECT_THAT(info.language_codes(), ElementsAre("de", "en"));
  ASSERT_EQ(info.files_size(), 5);
  EXPECT_EQ(info.files(0).path(), "de/analyzer_rules.textproto");
  std::set<std::string> ids;
  for (const auto& f : info.files()) {
    ids.insert(f.id());
    EXPECT_FALSE(f.version().empty());
  }
  EXPECT_TRUE(ids.count("test.de"));
  EXPECT_GT(info.entry_count(), 20u);
}

TEST_F(ScanServiceTest, HealthIsServingForTheServerAndTheService) {
  EXPECT_EQ(HealthOf(channel_, ""), health::HealthCheckResponse::SERVING);
  EXPECT_EQ(HealthOf(channel_, "divcheck.v1.ScanService"),
            health::HealthCheckResponse::SERVING);
  grpc::StatusCode code;
  HealthOf(channel_, "no.such.Service", &code);
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
}

// A client that knows nothing but reflection: discovers the service, builds
// the request from the descriptors the server sends and calls ScanText.
class ReflectionClient {
 public:
  explicit ReflectionClient(std::shared_ptr<grpc::Channel> channel)
      : stub_(reflection::ServerReflection::NewStub(channel)),
        stream_(stub_->ServerReflectionInfo(&ctx_)) {}
  ~ReflectionClient() {
    stream_->WritesDone();
    stream_->Finish();
  }

  std::vector<std::string> ListServices() {
    reflection::ServerReflectionRequest request;
    request.set_list_services("");
    reflection::ServerReflectionResponse response = Ask(request);
    std::vector<std::string> names;
    for (const auto& s : response.list_services_response().service()) {
      names.push_back(s.name());
    }
    return names;
  }

  // Loads the file defining service `symbol` and all its dependencies into
  // pool().
  bool LoadSymbol(const std::string& symbol) {
    reflection::ServerReflectionRequest request;
    request.set_file_containing_symbol(symbol);
    if (!Collect(Ask(request))) return false;
    // Ask for any dependency the server did not send along.
    for (bool again = true; again;) {
      again = false;
      for (const auto& [name, file] :
           std::map<std::string, google::protobuf::FileDescriptorProto>(
               files_)) {
        for (const std::string& dep : file.dependency()) {
          if (files_.count(dep)) continue;
          reflection::ServerReflectionRequest by_name;
          by_name.set_file_by_filename(dep);
          if (!Collect(Ask(by_name))) return false;
          again = true;
        }
      }
    }
    for (const auto& [name, file] : files_) Build(name);
    return pool_.FindServiceByName(symbol) != nullptr;
  }

  const google::protobuf::DescriptorPool& pool() const { return pool_; }

 private:
  reflection::ServerReflectionResponse Ask(
      const reflection::ServerReflectionRequest& request) {
    reflection::ServerReflectionResponse response;
    EXPECT_TRUE(stream_->Write(request));
    EXPECT_TRUE(stream_->Read(&response));
    return response;
  }

  bool Collect(const reflection::ServerReflectionResponse& response) {
    if (!response.has_file_descriptor_response()) return false;
    for (const std::string& bytes :
         response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      if (!file.ParseFromString(bytes)) return false;
      files_[file.name()] = file;
    }
    return true;
  }

  void Build(const std::string& name) {
    if (pool_.FindFileByName(name) != nullptr) return;
    const auto& file = files_.at(name);
    for (const std::string& dep : file.dependency()) Build(dep);
    pool_.BuildFile(file);
  }

  grpc::ClientContext ctx_;
  std::unique_ptr<reflection::ServerReflection::Stub> stub_;
  std::unique_ptr<
      grpc::ClientReaderWriter<reflection::ServerReflectionRequest,
                               reflection::ServerReflectionResponse>>
      stream_;
  std::map<std::string, google::protobuf::FileDescriptorProto> files_;
  google::protobuf::DescriptorPool pool_;
};

TEST_F(ScanServiceTest, ReflectionAloneIsEnoughToDiscoverAndCallScanText) {
  ReflectionClient client(channel_);
  const std::vector<std::string> services = client.ListServices();
  EXPECT_THAT(services, ::testing::Contains("divcheck.v1.ScanService"));
  EXPECT_THAT(services, ::testing::Contains("grpc.health.v1.Health"));
  ASSERT_TRUE(client.LoadSymbol("divcheck.v1.ScanService"));

  const auto* service =
      client.pool().FindServiceByName("divcheck.v1.ScanService");
  ASSERT_NE(service, nullptr);
  for (const char* method :
       {"ScanText", "StreamScanText", "ListRules", "GetLexiconInfo"}) {
    EXPECT_NE(service->FindMethodByName(method), nullptr) << method;
  }
  const auto* scan = service->FindMethodByName("ScanText");
  google::protobuf::DynamicMessageFactory factory(&client.pool());
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(scan->input_type())->New());
  const auto* refl = request->GetReflection();
  refl->SetString(request.get(), scan->input_type()->FindFieldByName("text"),
                  kAd);
  refl->SetString(request.get(),
                  scan->input_type()->FindFieldByName("language_code"), "de");

  std::string reply_bytes;
  grpc::Status status =
      RawScanText(channel_, request->SerializeAsString(), &reply_bytes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::unique_ptr<google::protobuf::Message> reply(
      factory.GetPrototype(scan->output_type())->New());
  ASSERT_TRUE(reply->ParseFromString(reply_bytes));
  // Read the findings through the dynamic descriptors…
  const auto* report_field = scan->output_type()->FindFieldByName("report");
  const google::protobuf::Message& report =
      reply->GetReflection()->GetMessage(*reply, report_field);
  const auto* findings = report.GetDescriptor()->FindFieldByName("findings");
  const int n = report.GetReflection()->FieldSize(report, findings);
  EXPECT_GT(n, 0);
  // …and they are exactly what `divcheck scan` computes in-process.
  v1::ScanTextResponse typed;
  ASSERT_TRUE(typed.ParseFromString(reply->SerializeAsString()));
  EXPECT_TRUE(MessageDifferencer::Equals(
      typed.report(), LocalScan(testing::TestLexiconDir(), kAd, "de")));
  EXPECT_EQ(n, typed.report().findings_size());
}

TEST(ScanServiceErrors, LanguageWithoutLexiconIsFailedPrecondition) {
  TempDir dir;
  testing::CopyTree(testing::TestLexiconDir() + "/de", dir.path() + "/lex/de");
  ServerProcess server({"--lexicons=" + dir.path() + "/lex"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  grpc::Status status =
      stub->ScanText(&ctx, Request("We are a young team.", "en"), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoOf(DetailsOf(status)).reason(), "LANGUAGE_NOT_LOADED");
}

TEST(ScanServiceErrors, MaxTextBytesFlagSetsTheLimit) {
  ServerProcess server(
      {"--lexicons=" + testing::TestLexiconDir(), "--max_text_bytes=100"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  grpc::Status status =
      stub->ScanText(&ctx, Request(std::string(101, 'a'), "de"), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const google::rpc::Status details = DetailsOf(status);
  EXPECT_EQ(ErrorInfoOf(details).reason(), "TEXT_TOO_LARGE");
  EXPECT_EQ(ErrorInfoOf(details).metadata().at("max_text_bytes"), "100");
  grpc::ClientContext ok;
  EXPECT_TRUE(
      stub->ScanText(&ok, Request(std::string(100, 'a'), "de"), &response)
          .ok());
}

TEST(ScanServiceMetrics, PrometheusEndpointCountsCallsFindingsAndLexicons) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.Start()) << server.Log();
  const int metrics_port = server.ListeningField("metrics_port");
  ASSERT_GT(metrics_port, 0) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  {
    grpc::ClientContext ctx;
    v1::ScanTextResponse response;
    ASSERT_TRUE(stub->ScanText(&ctx, Request("Wir sind ein junges Team.", "de"),
                               &response)
                    .ok());
  }
  {
    grpc::ClientContext ctx;
    v1::ScanTextResponse response;
    ASSERT_FALSE(stub->ScanText(&ctx, Request(kAd, "fr"), &response).ok());
  }
  {
    grpc::ClientContext ctx;
    v1::ListRulesResponse response;
    ASSERT_TRUE(stub->ListRules(&ctx, v1::ListRulesRequest(), &response).ok());
  }
  {
    grpc::ClientContext ctx;
    v1::ScanFormRequest request;
    v1::FormField* field = request.add_fields();
    field->set_field_id("dob");
    field->set_label("Geburtsdatum");
    // Counted in divcheck_findings_total like a text's findings.
    request.set_instructions("Wir sind ein junges Team.");
    request.set_language_code("de");
    v1::ScanFormResponse response;
    ASSERT_TRUE(stub->ScanForm(&ctx, request, &response).ok());
    ASSERT_EQ(response.report().findings_size(), 1);
  }
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 1));

  const std::string metrics = HttpGet(metrics_port, "/metrics");
  const std::string scan_labels =
      "grpc_method=\"ScanText\",grpc_service=\"divcheck.v1.ScanService\",grpc_"
      "type=\"unary\"";
  for (const std::string& line : {
           "grpc_server_handled_total{grpc_code=\"OK\"," + scan_labels + "} 1",
           "grpc_server_handled_total{grpc_code=\"InvalidArgument\"," +
               scan_labels + "} 1",
           std::string("grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
                       "\"ListRules\","
                       "grpc_service=\"divcheck.v1.ScanService\",grpc_type="
                       "\"unary\"} 1"),
           "grpc_server_handling_seconds_count{" + scan_labels + "} 2",
           std::string("grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
                       "\"ScanForm\","
                       "grpc_service=\"divcheck.v1.ScanService\",grpc_type="
                       "\"unary\"} 1"),
           "grpc_server_handling_seconds_bucket{" + scan_labels +
               ",le=\"+Inf\"} 2",
           // "junges Team" in the ScanText call and in the form.
           std::string("divcheck_findings_total{dimension=\"AGE\",severity="
                       "\"CRITICAL\"} 2"),
           std::string("divcheck_scans_total{grpc_code=\"InvalidArgument\"} 1"),
           std::string("divcheck_lexicon_entries 33"),
           std::string("divcheck_lexicon_files 5"),
           std::string("divcheck_lexicon_reloads_total{result=\"ok\"} 1"),
       }) {
    EXPECT_THAT(metrics, HasSubstr(line + "\n"));
  }
}

TEST(ScanServiceAuth, ApiKeysGuardTheScanServiceOnly) {
  TempDir dir;
  // sha256("s3cret")
  dir.Write("server.textproto",
            "api_keys { name: \"jobboard\" sha256: "
            "\"1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"
            "\" }\n");
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--config=" + dir.path() + "/server.textproto"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto channel = ChannelTo(server);
  auto stub = v1::ScanService::NewStub(channel);
  for (const char* key : {"", "Bearer wrong", "s3cret"}) {
    grpc::ClientContext ctx;
    if (*key) ctx.AddMetadata("authorization", key);
    v1::ScanTextResponse response;
    grpc::Status status = stub->ScanText(&ctx, Request(kAd, "de"), &response);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << key;
    EXPECT_EQ(ErrorInfoOf(DetailsOf(status)).reason(), "UNAUTHENTICATED");
  }
  {
    grpc::ClientContext ctx;
    auto stream = stub->StreamScanText(&ctx);
    v1::ScanTextResponse response;
    EXPECT_FALSE(stream->Read(&response));
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer s3cret");
  v1::ScanTextResponse response;
  ASSERT_TRUE(stub->ScanText(&ctx, Request(kAd, "de"), &response).ok());
  EXPECT_GT(response.report().findings_size(), 0);
  // Health checking stays open for load balancers.
  EXPECT_EQ(HealthOf(channel, ""), health::HealthCheckResponse::SERVING);
  ASSERT_TRUE(server.WaitForLogLines("\"api_key\":\"jobboard\"", 1));
  EXPECT_EQ(server.Log().find("s3cret"), std::string::npos);
}

TEST(ScanServiceAuth, WithoutKeysEveryCallIsServed) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir()});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer anything");
  v1::ScanTextResponse response;
  EXPECT_TRUE(stub->ScanText(&ctx, Request(kAd, "de"), &response).ok());
}

// Certificates made by make_test_certs.sh in a temporary directory, and a
// server config using them.
class ScanServiceTls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(
        std::system(("bash " DIVCHECK_MAKE_CERTS " " + dir_.path()).c_str()),
        0);
  }
  std::string Cert(const std::string& name) {
    return ReadFile(dir_.path() + "/" + name);
  }
  std::shared_ptr<grpc::Channel> SecureChannel(const ServerProcess& server,
                                               const std::string& root,
                                               const std::string& client = "") {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Cert(root + ".crt");
    if (!client.empty()) {
      options.pem_private_key = Cert(client + ".key");
      options.pem_cert_chain = Cert(client + ".crt");
    }
    return grpc::CreateChannel(server.address(), grpc::SslCredentials(options));
  }
  static grpc::Status Scan(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& api_key = "") {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(std::chrono::milliseconds(5000)));
    if (!api_key.empty()) ctx.AddMetadata("authorization", "Bearer " + api_key);
    v1::ScanTextResponse response;
    grpc::Status status = v1::ScanService::NewStub(channel)->ScanText(
        &ctx, Request(kAd, "de"), &response);
    if (status.ok()) {
      EXPECT_GT(response.report().findings_size(), 0);
    }
    return status;
  }
  TempDir dir_;
};

TEST_F(ScanServiceTls, ServesTlsOnly) {
  dir_.Write("server.textproto",
             "tls { cert_file: \"server.crt\" key_file: \"server.key\" }\n");
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--config=" + dir_.path() + "/server.textproto"});
  ASSERT_TRUE(server.Start()) << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("\"tls\":true"));
  grpc::Status status = Scan(SecureChannel(server, "ca"));
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Scan(ChannelTo(server)).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Scan(SecureChannel(server, "other")).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ScanServiceTls, MutualTlsRequiresAClientCertificateFromTheConfiguredCa) {
  // sha256("s3cret"): API keys work on top of mTLS.
  dir_.Write("server.textproto",
             "tls {\n  cert_file: \"server.crt\"\n  key_file: \"server.key\"\n"
             "  client_ca_file: \"ca.crt\"\n  require_client_cert: true\n}\n"
             "api_keys { name: \"board\" sha256: "
             "\"1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba"
             "0\" }\n");
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--config=" + dir_.path() + "/server.textproto"});
  ASSERT_TRUE(server.Start()) << server.Log();
  grpc::Status status = Scan(SecureChannel(server, "ca", "client"), "s3cret");
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Scan(SecureChannel(server, "ca", "client")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Scan(SecureChannel(server, "ca"), "s3cret").error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(
      Scan(SecureChannel(server, "ca", "stranger"), "s3cret").error_code(),
      grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ScanServiceTls, MissingCertificateFileStopsStartup) {
  dir_.Write("server.textproto",
             "tls { cert_file: \"nope.crt\" key_file: \"server.key\" }\n");
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--config=" + dir_.path() + "/server.textproto"});
  EXPECT_FALSE(server.Start());
  EXPECT_THAT(server.Log(), HasSubstr("nope.crt"));
}

// A lexicon file that adds one finding, present or not in the reload tests.
constexpr char kExtraLexicon[] = R"(
id: "test.extra"
language: "de"
version: "extra-1"
entries {
  id: "t.de.zauberwort"
  dimensions: DIMENSION_SOCIAL_ORIGIN
  severity: SEVERITY_WARNING
  words: "zauberwort"
  explanation: "Zauberwort"
  suggestions: "s"
  legal_basis: "AGG § 1"
  sources: "t"
}
)";
constexpr char kReloadText[] =
    "Verkäufer gesucht. Wir sind ein junges Team und kennen das Zauberwort.";

TEST(ScanServiceReload, SighupUnderLoadGivesNoFailedOrMixedAnswer) {
  // Two reference sets: A without the extra file, B with it.
  TempDir dir;
  const std::string lex = dir.path() + "/lex";
  testing::CopyTree(testing::TestLexiconDir(), dir.path() + "/a");
  testing::CopyTree(testing::TestLexiconDir(), dir.path() + "/b");
  dir.Write("b/de/extra.textproto", kExtraLexicon);
  const v1::Report report_a = LocalScan(dir.path() + "/a", kReloadText, "de");
  const v1::Report report_b = LocalScan(dir.path() + "/b", kReloadText, "de");
  ASSERT_NE(report_a.lexicon_version(), report_b.lexicon_version());
  ASSERT_EQ(report_a.findings_size() + 1, report_b.findings_size());

  testing::CopyTree(testing::TestLexiconDir(), lex);
  ServerProcess server(
      {"--lexicons=" + lex, "--nolog_requests", "--allow_lexicon_shrink"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto channel = ChannelTo(server);

  std::atomic<bool> stop{false};
  std::atomic<int> failed{0}, mixed{0}, saw_a{0}, saw_b{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      auto stub = v1::ScanService::NewStub(channel);
      while (!stop.load()) {
        grpc::ClientContext ctx;
        ctx.set_deadline(In(std::chrono::milliseconds(10000)));
        v1::ScanTextResponse response;
        grpc::Status status =
            stub->ScanText(&ctx, Request(kReloadText, "de"), &response);
        if (!status.ok()) {
          ++failed;
        } else if (MessageDifferencer::Equals(response.report(), report_a)) {
          ++saw_a;
        } else if (MessageDifferencer::Equals(response.report(), report_b)) {
          ++saw_b;
        } else {
          ++mixed;
        }
      }
    });
  }
  const int kReloads = 6;
  for (int i = 1; i <= kReloads; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (i % 2 == 1) {
      dir.Write("lex/de/extra.textproto", kExtraLexicon);
    } else {
      std::filesystem::remove(lex + "/de/extra.textproto");
    }
    server.Signal(SIGHUP);
    ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", i))
        << server.Log();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  for (auto& c : clients) c.join();

  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(mixed.load(), 0);
  EXPECT_GT(saw_a.load(), 0);
  EXPECT_GT(saw_b.load(), 0);
  // After an even number of toggles the set is A again.
  grpc::ClientContext ctx;
  v1::GetLexiconInfoResponse info;
  ASSERT_TRUE(v1::ScanService::NewStub(channel)
                  ->GetLexiconInfo(&ctx, v1::GetLexiconInfoRequest(), &info)
                  .ok());
  EXPECT_EQ(info.content_hash(), report_a.lexicon_version());
}

TEST(ScanServiceReload, BadLexiconKeepsTheOldSetServingAndLogsEveryProblem) {
  TempDir dir;
  const std::string lex = dir.path() + "/lex";
  testing::CopyTree(testing::TestLexiconDir(), lex);
  ServerProcess server({"--lexicons=" + lex});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  const v1::Report before = LocalScan(lex, kAd, "de");

  // One file that does not parse, one with a semantic problem.
  dir.Write("lex/de/broken.textproto",
            "id: \"broken\"\nlanguage: \"de\"\nentries { id: }\n");
  dir.Write(
      "lex/de/incomplete.textproto",
      "id: \"incomplete\"\nlanguage: \"de\"\n"
      "entries {\n  id: \"t.de.incomplete\"\n  words: \"irgendwas\"\n}\n");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("lexicon reload failed", 1))
      << server.Log();
  const std::string log = server.Log();
  EXPECT_THAT(log, HasSubstr("de/broken.textproto:3:"));
  EXPECT_THAT(log, HasSubstr("de/incomplete.textproto:"));
  EXPECT_GE(server.CountLogLines("\"msg\":\"lexicon problem\""), 2);

  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  ASSERT_TRUE(stub->ScanText(&ctx, Request(kAd, "de"), &response).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(response.report(), before));

  // Fixed: the next reload succeeds.
  std::filesystem::remove(lex + "/de/broken.textproto");
  std::filesystem::remove(lex + "/de/incomplete.textproto");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 1))
      << server.Log();
}

std::string ContentHash(v1::ScanService::Stub& stub) {
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(10000)));
  v1::GetLexiconInfoResponse info;
  EXPECT_TRUE(
      stub.GetLexiconInfo(&ctx, v1::GetLexiconInfoRequest(), &info).ok());
  return info.content_hash();
}

// --watch_lexicons_seconds: a change to the files is reloaded without
// SIGHUP, a bad one rejected with the old set serving, as on SIGHUP.
TEST(ScanServiceReload, WatchedFilesAreReloadedWhenTheyChange) {
  TempDir dir;
  const std::string lex = dir.path() + "/lex";
  testing::CopyTree(testing::TestLexiconDir(), lex);
  ServerProcess server({"--lexicons=" + lex, "--watch_lexicons_seconds=1",
                        "--allow_lexicon_shrink"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  const std::string original = ContentHash(*stub);

  std::filesystem::remove(lex + "/en/title_markers.textproto");
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 1))
      << server.Log();
  EXPECT_EQ(server.CountLogLines("lexicon files changed: reloading"), 1);
  const std::string changed = ContentHash(*stub);
  EXPECT_NE(changed, original);

  dir.Write("lex/de/broken.textproto",
            "id: \"broken\"\nlanguage: \"de\"\nentries { id: }\n");
  ASSERT_TRUE(server.WaitForLogLines("lexicon reload failed", 1))
      << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("de/broken.textproto:3:"));
  EXPECT_EQ(ContentHash(*stub), changed);
  grpc::ClientContext ctx;
  v1::ScanTextResponse response;
  EXPECT_TRUE(stub->ScanText(&ctx, Request(kAd, "de"), &response).ok());

  // A failed reload is not retried until the files change again.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(server.CountLogLines("lexicon reload failed"), 1);
  std::filesystem::remove(lex + "/de/broken.textproto");
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 2))
      << server.Log();
  EXPECT_EQ(ContentHash(*stub), changed);
}

TEST(ScanServiceShutdown, SigtermLetsInFlightCallsFinishAndExitsZero) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir()});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto channel = ChannelTo(server);
  auto stub = v1::ScanService::NewStub(channel);

  // A health watcher sees the status change.
  auto health_stub = health::Health::NewStub(channel);
  grpc::ClientContext watch_ctx;
  health::HealthCheckRequest watch_request;
  watch_request.set_service("divcheck.v1.ScanService");
  auto watch = health_stub->Watch(&watch_ctx, watch_request);
  health::HealthCheckResponse health_response;
  ASSERT_TRUE(watch->Read(&health_response));
  EXPECT_EQ(health_response.status(), health::HealthCheckResponse::SERVING);

  // A stream is in flight when SIGTERM arrives.
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::milliseconds(30000)));
  auto stream = stub->StreamScanText(&ctx);
  v1::ScanTextResponse response;
  ASSERT_TRUE(stream->Write(Request(kAd, "de", "before")));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.request_id(), "before");

  server.Signal(SIGTERM);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"shutting down\"", 1))
      << server.Log();
  ASSERT_TRUE(watch->Read(&health_response));
  EXPECT_EQ(health_response.status(), health::HealthCheckResponse::NOT_SERVING);
  watch_ctx.TryCancel();
  watch->Finish();

  // The in-flight call goes on and completes.
  ASSERT_TRUE(stream->Write(Request(kAd, "de", "after-1")));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.request_id(), "after-1");
  EXPECT_TRUE(response.has_report());
  ASSERT_TRUE(stream->Write(Request(kCleanAd, "de", "after-2")));
  ASSERT_TRUE(stream->WritesDone());
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.request_id(), "after-2");
  EXPECT_FALSE(stream->Read(&response));
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();

  // Then the server exits, well within the grace period, with status 0.
  const int wait_status = server.WaitForExit(std::chrono::seconds(8));
  ASSERT_NE(wait_status, -1) << "divcheckd did not exit:\n" << server.Log();
  ASSERT_TRUE(WIFEXITED(wait_status)) << wait_status;
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  EXPECT_THAT(server.Log(), HasSubstr("\"msg\":\"stopped\""));
}

TEST(ScanServiceShutdown, GraceIsBounded) {
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--shutdown_grace_seconds=1"});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = v1::ScanService::NewStub(ChannelTo(server));
  // A stream that never half-closes.
  grpc::ClientContext ctx;
  auto stream = stub->StreamScanText(&ctx);
  v1::ScanTextResponse response;
  ASSERT_TRUE(stream->Write(Request(kAd, "de", "x")));
  ASSERT_TRUE(stream->Read(&response));
  const auto start = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  const int wait_status = server.WaitForExit(std::chrono::seconds(8));
  ASSERT_NE(wait_status, -1) << server.Log();
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
      << wait_status;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_FALSE(stream->Finish().ok());
}

TEST(ScanServiceStartup, BadLexiconsOrFlagsStopStartup) {
  TempDir dir;
  dir.Write("lex/de/broken.textproto",
            "id: \"b\"\nlanguage: \"de\"\nentries { id: }\n");
  ServerProcess bad_lexicons({"--lexicons=" + dir.path() + "/lex"});
  EXPECT_FALSE(bad_lexicons.Start());
  EXPECT_THAT(bad_lexicons.Log(), HasSubstr("de/broken.textproto:3:"));
  EXPECT_THAT(bad_lexicons.Log(), HasSubstr("cannot load lexicons"));
  ServerProcess bad_flag({"--frobnicate"});
  EXPECT_FALSE(bad_flag.Start());
  EXPECT_THAT(bad_flag.Log(), HasSubstr("Unknown command line flag"));
  ServerProcess bad_bool({"--reflection=maybe"});
  EXPECT_FALSE(bad_bool.Start());
  EXPECT_THAT(bad_bool.Log(), HasSubstr("Illegal value 'maybe'"));
  ServerProcess out_of_range({"--shutdown-grace-seconds=18446744073709551615"});
  EXPECT_FALSE(out_of_range.Start());
  EXPECT_THAT(out_of_range.Log(), HasSubstr("between 1 and 3600"));
}

}  // namespace
}  // namespace divcheck
