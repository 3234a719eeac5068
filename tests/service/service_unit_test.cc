// Unit tests of the service's transport-free parts: ScanApi, the error
// model, API keys, options and the JSON log.
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "analyzers/engine.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "service/api_keys.h"
#include "service/json_log.h"
#include "service/rpc_errors.h"
#include "service/scan_api.h"
#include "service/server_options.h"
#include "tests/service/server_process.h"

namespace divcheck::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kAd[] = "Verkäufer gesucht\nWir sind ein junges Team.\n";

google::rpc::ErrorInfo InfoOf(const google::rpc::Status& s) {
  google::rpc::ErrorInfo info;
  for (const auto& any : s.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) any.UnpackTo(&info);
  }
  return info;
}

google::rpc::BadRequest BadRequestOf(const google::rpc::Status& s) {
  google::rpc::BadRequest bad;
  for (const auto& any : s.details()) {
    if (any.Is<google::rpc::BadRequest>()) any.UnpackTo(&bad);
  }
  return bad;
}

class ScanApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = testing::TestLexiconDir();
    engine_ = Engine::Create(options)->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Engine* engine_;
};
Engine* ScanApiTest::engine_ = nullptr;

TEST(RpcErrors, EveryErrorHasErrorInfoWithDomainAndRequestId) {
  google::rpc::Status s = ToRpcStatus(absl::InternalError("boom"), "req-1");
  EXPECT_EQ(s.code(), static_cast<int>(absl::StatusCode::kInternal));
  EXPECT_EQ(s.message(), "boom");
  ASSERT_EQ(s.details_size(), 1);
  const google::rpc::ErrorInfo info = InfoOf(s);
  EXPECT_EQ(info.reason(), "INTERNAL");
  EXPECT_EQ(info.domain(), "divcheck.dev");
  EXPECT_EQ(info.metadata().at("request_id"), "req-1");
}

TEST(RpcErrors, InvalidRequestListsEveryViolation) {
  absl::Status status =
      InvalidRequest({{"text", "too large", "TEXT_TOO_LARGE"},
                      {"language_code", "bad", "UNSUPPORTED_LANGUAGE"}},
                     {{"max_text_bytes", "10"}});
  google::rpc::Status s = ToRpcStatus(status, "r");
  EXPECT_EQ(s.code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(InfoOf(s).reason(), "INVALID_REQUEST");
  EXPECT_EQ(InfoOf(s).metadata().at("max_text_bytes"), "10");
  const google::rpc::BadRequest bad = BadRequestOf(s);
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "text");
  EXPECT_EQ(bad.field_violations(1).field(), "language_code");
  EXPECT_EQ(ReasonOf(InvalidRequest({{"text", "x", "TEXT_TOO_LARGE"}})),
            "TEXT_TOO_LARGE");
}

TEST(RpcErrors, GrpcStatusCarriesTheDetails) {
  grpc::Status g =
      ToGrpcStatus(WithReason(absl::CancelledError("c"), "CANCELLED"), "id");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::CANCELLED);
  google::rpc::Status s;
  ASSERT_TRUE(s.ParseFromString(g.error_details()));
  EXPECT_EQ(InfoOf(s).reason(), "CANCELLED");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "id").ok());
}

TEST_F(ScanApiTest, ScansLikeTheEngine) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text(kAd);
  request.set_language_code("de");
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_TRUE(report.ok()) << report.status();
  ScanOptions options;
  options.language = "de";
  EXPECT_EQ(report->SerializeAsString(),
            engine_->ScanText(kAd, options)->SerializeAsString());
  EXPECT_GT(report->findings_size(), 0);
}

TEST_F(ScanApiTest, ReportsSizeAndLanguageAndKindAtOnce) {
  ScanApi api(engine_, 10);
  v1::ScanTextRequest request;
  request.set_text(std::string(11, 'a'));
  request.set_language_code("fr");
  request.set_document_kind(static_cast<v1::DocumentKind>(99));
  request.set_request_id(std::string(300, 'x'));
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::Status s = ToRpcStatus(report.status(), "r");
  EXPECT_EQ(InfoOf(s).reason(), "INVALID_REQUEST");
  EXPECT_EQ(InfoOf(s).metadata().at("max_text_bytes"), "10");
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad = BadRequestOf(s);
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("text", "language_code", "document_kind",
                                  "request_id"));
}

TEST_F(ScanApiTest, InvalidUtf8IsAFieldViolation) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text("gut\xff schlecht");
  absl::StatusOr<v1::Report> report = api.Scan(request, CallControl());
  ASSERT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::Status s = ToRpcStatus(report.status(), "r");
  EXPECT_EQ(InfoOf(s).reason(), "INVALID_UTF8");
  ASSERT_EQ(BadRequestOf(s).field_violations_size(), 1);
  EXPECT_EQ(BadRequestOf(s).field_violations(0).field(), "text");
}

TEST(ParseScanTextRequest, ReadsInvalidUtf8LenientlyAndRejectsGarbage) {
  v1::ScanTextRequest good;
  good.set_text("Wir sind ein junges Team.");
  good.set_language_code("de");
  good.set_document_kind(v1::DOCUMENT_KIND_OTHER);
  good.set_request_id("r1");
  v1::ScanTextRequest parsed;
  Utf8 utf8 = Utf8::kUnchecked;
  ASSERT_TRUE(
      ParseScanTextRequest(good.SerializeAsString(), &parsed, &utf8).ok());
  EXPECT_EQ(utf8, Utf8::kVerified);
  EXPECT_EQ(parsed.SerializeAsString(), good.SerializeAsString());

  // text "a\xffb", request_id "x", document_kind 2, an unknown field 9.
  const std::string wire(
      "\x0a\x03"
      "a\xff"
      "b\x22\x01x\x18\x02\x48\x07",
      12);
  ASSERT_TRUE(ParseScanTextRequest(wire, &parsed, &utf8).ok());
  EXPECT_EQ(utf8, Utf8::kUnchecked);
  EXPECT_EQ(parsed.text(),
            "a\xff"
            "b");
  EXPECT_EQ(parsed.request_id(), "x");
  EXPECT_EQ(parsed.document_kind(), v1::DOCUMENT_KIND_OTHER);

  absl::Status garbage =
      ParseScanTextRequest(std::string("\xff\xff", 2), &parsed, &utf8);
  EXPECT_EQ(garbage.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(garbage), "MALFORMED_REQUEST");
  // text (field 1) as a varint is an unknown field, as protobuf reads it.
  ASSERT_TRUE(ParseScanTextRequest(std::string("\x08\x01\x0a\x01\xff", 5),
                                   &parsed, &utf8)
                  .ok());
  EXPECT_EQ(parsed.text(), "\xff");
}

TEST_F(ScanApiTest, UncheckedStringsAreCheckedWithTheOtherFields) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text("ok \xc3");
  request.set_language_code("\xff");
  request.set_request_id("\xfe");
  absl::StatusOr<v1::Report> report =
      api.Scan(request, CallControl(), Utf8::kUnchecked);
  google::rpc::Status s = ToRpcStatus(report.status(), "r");
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad = BadRequestOf(s);
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("text", "language_code", "request_id"));
  EXPECT_THAT(bad.field_violations(0).description(),
              HasSubstr("byte offset 3"));
}

TEST_F(ScanApiTest, PassedDeadlineAndCancellationStopTheScan) {
  ScanApi api(engine_, 1 << 20);
  v1::ScanTextRequest request;
  request.set_text(kAd);
  CallControl late;
  late.deadline = std::chrono::system_clock::now() - std::chrono::seconds(1);
  absl::StatusOr<v1::Report> report = api.Scan(request, late);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ReasonOf(report.status()), "DEADLINE_EXCEEDED");

  CallControl cancelled;
  cancelled.cancelled = [] { return true; };
  report = api.Scan(request, cancelled);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(ReasonOf(report.status()), "CANCELLED");

  // Cancellation is polled between analyzers, not only before the scan.
  int polls = 0;
  CallControl expiring;
  expiring.cancelled = [&polls] { return ++polls > 1; };
  report = api.Scan(request, expiring);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kCancelled);
  EXPECT_GE(polls, 2);
}

TEST_F(ScanApiTest, ListRulesPagesCoverEveryRuleOnceInOrder) {
  ScanApi api(engine_, 1 << 20);
  v1::ListRulesRequest request;
  request.set_page_size(4);
  std::vector<std::string> ids;
  int pages = 0;
  int total = -1;
  do {
    absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->rules_size(), 4);
    for (const v1::Rule& r : page->rules()) ids.push_back(r.rule_id());
    total = page->total_size();
    EXPECT_EQ(page->lexicon_version(), engine_->lexicons()->content_hash());
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 100);
  EXPECT_EQ(static_cast<int>(ids.size()), total);
  EXPECT_GT(pages, 2);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_THAT(ids, ::testing::Contains("de.gender.title_masculine_only"));
}

TEST_F(ScanApiTest, ListRulesFilters) {
  ScanApi api(engine_, 1 << 20);
  v1::ListRulesRequest request;
  request.set_page_size(1000);
  request.set_language_code("en");
  request.set_dimension(v1::DIMENSION_GENDER);
  absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(request);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_GT(page->rules_size(), 0);
  for (const v1::Rule& r : page->rules()) {
    EXPECT_TRUE(r.language_code().empty() || r.language_code() == "en")
        << r.rule_id();
    EXPECT_EQ(r.kind(), v1::Rule::KIND_FINDING);
    EXPECT_THAT(r.dimensions(), ::testing::Contains(v1::DIMENSION_GENDER));
    EXPECT_FALSE(r.lexicon_id().empty());
  }
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST_F(ScanApiTest, ListRulesRejectsBadRequestsAllAtOnce) {
  ScanApi api(engine_, 1 << 20);
  v1::ListRulesRequest first;
  first.set_page_size(1);
  absl::StatusOr<v1::ListRulesResponse> page = api.ListRules(first);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->next_page_token().empty());

  // A token used with another filter.
  v1::ListRulesRequest other = first;
  other.set_page_token(page->next_page_token());
  other.set_language_code("de");
  EXPECT_EQ(ReasonOf(api.ListRules(other).status()), "INVALID_PAGE_TOKEN");

  v1::ListRulesRequest bad;
  bad.set_page_size(-1);
  bad.set_language_code("xx");
  bad.set_dimension(static_cast<v1::Dimension>(42));
  bad.set_page_token("garbage");
  absl::Status status = api.ListRules(bad).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  const google::rpc::BadRequest bad_request =
      BadRequestOf(ToRpcStatus(status, ""));
  for (const auto& v : bad_request.field_violations())
    fields.push_back(v.field());
  EXPECT_THAT(fields, ElementsAre("page_size", "language_code", "dimension",
                                  "page_token"));
}

TEST_F(ScanApiTest, LexiconInfoDescribesTheLoadedSet) {
  ScanApi api(engine_, 1 << 20);
  v1::GetLexiconInfoResponse info = api.GetLexiconInfo();
  EXPECT_EQ(info.content_hash(), engine_->lexicons()->content_hash());
  EXPECT_EQ(info.files_size(),
            static_cast<int>(engine_->lexicons()->files().size()));
  EXPECT_EQ(info.entry_count(), engine_->lexicons()->entry_count());
  EXPECT_THAT(info.language_codes(), ElementsAre("de", "en"));
  for (int i = 1; i < info.files_size(); ++i) {
    EXPECT_LT(info.files(i - 1).path(), info.files(i).path());
  }
  uint32_t entries = 0;
  for (const auto& f : info.files()) entries += f.entry_count();
  EXPECT_EQ(entries, info.entry_count());
}

TEST(ApiKeys, AcceptsOnlyConfiguredKeys) {
  google::protobuf::RepeatedPtrField<config::v1::ApiKey> config;
  config::v1::ApiKey* key = config.Add();
  key->set_name("board");
  key->set_sha256(
      "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0");
  absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config);
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_TRUE(keys->enabled());
  EXPECT_EQ(*keys->Authenticate("Bearer s3cret"), "board");
  EXPECT_EQ(*keys->Authenticate("bearer s3cret"), "board");
  for (const char* bad : {"", "Bearer wrong", "s3cret", "Basic s3cret"}) {
    absl::StatusOr<std::string> who = keys->Authenticate(bad);
    EXPECT_EQ(who.status().code(), absl::StatusCode::kUnauthenticated) << bad;
    EXPECT_EQ(ReasonOf(who.status()), "UNAUTHENTICATED");
  }
  EXPECT_FALSE(ApiKeys().enabled());
  EXPECT_TRUE(ApiKeys().Authenticate("").ok());
}

TEST(ApiKeys, RejectsMalformedDigests) {
  google::protobuf::RepeatedPtrField<config::v1::ApiKey> config;
  config.Add()->set_sha256("ABC");
  config.Add()->set_sha256(std::string(64, 'G'));
  absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(config);
  EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(keys.status().message()), HasSubstr("api_keys[1]"));
  EXPECT_EQ(Sha256Hex("s3cret"),
            "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0");
}

std::vector<const char*> Argv(std::initializer_list<const char*> args) {
  std::vector<const char*> v = {"divcheckd"};
  v.insert(v.end(), args.begin(), args.end());
  return v;
}

TEST(ServerOptions, FlagsOverrideTheConfigFile) {
  testing::TempDir dir;
  dir.Write(
      "server.textproto",
      "listen: \"0.0.0.0:6000\"\nlexicon_dir: \"lex\"\nreflection: false\n"
      "max_text_bytes: 2048\nshutdown_grace_seconds: 3\n");
  const std::string config = "--config=" + dir.path() + "/server.textproto";
  auto argv = Argv(
      {config.c_str(), "--listen", "127.0.0.1:7000", "--max-text-bytes=4096"});
  absl::StatusOr<CommandLine> cl =
      ParseCommandLine(static_cast<int>(argv.size()), argv.data(), "/default");
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_EQ(cl->options.listen, "127.0.0.1:7000");
  EXPECT_EQ(cl->options.lexicon_dir,
            dir.path() + "/lex");  // relative to the file
  EXPECT_FALSE(cl->options.reflection);
  EXPECT_EQ(cl->options.max_text_bytes, 4096u);
  EXPECT_EQ(cl->options.shutdown_grace, std::chrono::seconds(3));

  auto defaults = Argv({});
  cl = ParseCommandLine(1, defaults.data(), "/default");
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->options.listen, "127.0.0.1:50051");
  EXPECT_EQ(cl->options.lexicon_dir, "/default");
  EXPECT_TRUE(cl->options.reflection);
  EXPECT_EQ(cl->options.max_text_bytes, size_t{1} << 20);

  auto noreflection = Argv({"--noreflection"});
  cl = ParseCommandLine(2, noreflection.data(), "/default");
  ASSERT_TRUE(cl.ok());
  EXPECT_FALSE(cl->options.reflection);
}

TEST(ServerOptions, ReportsBadFlagsAndConfigPositions) {
  for (auto args : {Argv({"--frobnicate"}), Argv({"--listen=nohostport"}),
                    Argv({"--max_text_bytes=0"}), Argv({"--reflection=maybe"}),
                    Argv({"--listen"})}) {
    absl::StatusOr<CommandLine> cl =
        ParseCommandLine(static_cast<int>(args.size()), args.data(), "/d");
    EXPECT_EQ(cl.status().code(), absl::StatusCode::kInvalidArgument)
        << args[1];
  }
  testing::TempDir dir;
  dir.Write("bad.textproto", "listen: \"x:1\"\nno_such_field: 3\n");
  absl::StatusOr<config::v1::ServerConfig> config =
      LoadServerConfig(dir.path() + "/bad.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("bad.textproto:2:1"));
  EXPECT_EQ(LoadServerConfig(dir.path() + "/missing").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(JsonLog, QuotesAndReplacesInvalidUtf8) {
  EXPECT_EQ(JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(JsonQuote("grüß"), "\"grüß\"");
  EXPECT_EQ(JsonQuote("x\xff"), "\"x\xEF\xBF\xBD\"");
  testing::TempDir dir;
  const std::string path = dir.path() + "/log";
  FILE* f = std::fopen(path.c_str(), "w");
  {
    JsonLog log(f);
    log.Info("hello", {{"n", 3}, {"ok", true}, {"ms", 1.5}, {"s", "v"}});
  }
  std::fclose(f);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_THAT(
      line,
      HasSubstr("\"level\":\"info\",\"msg\":\"hello\",\"n\":3,\"ok\":true,"
                "\"ms\":1.500,\"s\":\"v\"}"));
}

TEST(JsonLog, BufferedLinesKeepTheirOrderAndAreFlushed) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/log";
  FILE* f = std::fopen(path.c_str(), "w");
  auto read = [&path] {
    std::ifstream in(path);
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
  };
  {
    JsonLog log(f, std::chrono::milliseconds(20));
    log.LogBuffered("info", "first", {});
    log.Info("second");  // writes the held line first
    std::string text = read();
    EXPECT_LT(text.find("\"first\""), text.find("\"second\""));
    log.LogBuffered("info", "third", {});
    for (int i = 0; i < 200 && read().find("third") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_NE(read().find("\"third\""), std::string::npos)
        << "not flushed in time";
    log.LogBuffered("info", "fourth", {});
  }
  std::fclose(f);
  EXPECT_NE(read().find("\"fourth\""), std::string::npos)
      << "not flushed on destruction";
}

}  // namespace
}  // namespace divcheck::service
