// Lexicon reloads that would lose a language or a file (issue 17, point 7):
// the real divcheckd refuses them on SIGHUP and on --watch_lexicons_seconds,
// logs what the new set lacks, and keeps serving the old set, unless it runs
// with --allow_lexicon_shrink.
#include <signal.h>

#include <filesystem>
#include <memory>
#include <string>

#include "analyzers/engine.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using testing::ServerProcess;
using testing::TempDir;

// The real lexicons (lexicons/ in the source tree), which hold
// de/job_titles.textproto.
// A German ad whose findings include a job title without gender marker
// ("Verkäufer"), which needs de/job_titles.textproto.
constexpr char kText[] = "Verkäufer gesucht. Wir sind ein junges Team.";
constexpr char kRefused[] = "lexicon reload refused";

v1::Report LocalScan(const std::string& lexicons) {
  EngineOptions options;
  options.lexicon_dir = lexicons;
  auto engine = Engine::Create(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  ScanOptions scan;
  scan.language = "de";
  auto report = (*engine)->ScanText(kText, scan);
  EXPECT_TRUE(report.ok()) << report.status();
  return *report;
}

// Scans kText in German on `server`; the report, or the gRPC status as text
// in *error.
v1::Report RemoteScan(const ServerProcess& server, std::string* error) {
  auto stub = v1::ScanService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::ScanTextRequest request;
  request.set_text(kText);
  request.set_language_code("de");
  v1::ScanTextResponse response;
  grpc::Status status = stub->ScanText(&ctx, request, &response);
  if (!status.ok()) *error = status.error_message();
  return response.report();
}

class LexiconShrinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyTree(DIVCHECK_SOURCE_LEXICONS, lex_);
    full_ = LocalScan(lex_);
    // The test means something only if the job titles give findings.
    testing::CopyTree(DIVCHECK_SOURCE_LEXICONS, dir_.path() + "/nojobs");
    std::filesystem::remove(dir_.path() + "/nojobs/de/job_titles.textproto");
    ASSERT_FALSE(
        MessageDifferencer::Equals(LocalScan(dir_.path() + "/nojobs"), full_));
  }

  // The old set still answers German requests with every finding.
  void ExpectOldSetServes(const ServerProcess& server) {
    std::string error;
    const v1::Report report = RemoteScan(server, &error);
    EXPECT_EQ(error, "");
    EXPECT_TRUE(MessageDifferencer::Equals(report, full_))
        << report.DebugString();
  }

  TempDir dir_;
  const std::string lex_ = dir_.path() + "/lex";
  v1::Report full_;
};

TEST_F(LexiconShrinkTest, SighupWithoutAFileIsRefusedAndTheOldSetServes) {
  ServerProcess server({"--lexicons=" + lex_});
  ASSERT_TRUE(server.Start()) << server.Log();
  std::filesystem::remove(lex_ + "/de/job_titles.textproto");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines(kRefused, 1)) << server.Log();
  EXPECT_THAT(server.Log(),
              HasSubstr("\"lost_files\":\"de/job_titles.textproto\""));
  EXPECT_THAT(server.Log(), HasSubstr("\"lost_languages\":\"\""));
  EXPECT_THAT(server.Log(), ::testing::Not(HasSubstr("Verkäufer")));
  EXPECT_EQ(server.CountLogLines("\"msg\":\"lexicons reloaded\""), 0);
  ExpectOldSetServes(server);
}

TEST_F(LexiconShrinkTest, SighupWithoutALanguageIsRefusedAndTheOldSetServes) {
  ServerProcess server({"--lexicons=" + lex_});
  ASSERT_TRUE(server.Start()) << server.Log();
  std::filesystem::remove_all(lex_ + "/de");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines(kRefused, 1)) << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("\"lost_languages\":\"de\""));
  EXPECT_THAT(server.Log(), HasSubstr("de/job_titles.textproto"));
  EXPECT_EQ(server.CountLogLines("\"msg\":\"lexicons reloaded\""), 0);
  ExpectOldSetServes(server);
}

TEST_F(LexiconShrinkTest, WatchedDeletionIsRefusedToo) {
  ServerProcess server({"--lexicons=" + lex_, "--watch_lexicons_seconds=1"});
  ASSERT_TRUE(server.Start()) << server.Log();
  std::filesystem::remove(lex_ + "/de/job_titles.textproto");
  ASSERT_TRUE(server.WaitForLogLines(kRefused, 1)) << server.Log();
  ExpectOldSetServes(server);
}

TEST_F(LexiconShrinkTest, AllowFlagAcceptsTheSmallerSet) {
  ServerProcess server({"--lexicons=" + lex_, "--allow_lexicon_shrink"});
  ASSERT_TRUE(server.Start()) << server.Log();
  std::filesystem::remove(lex_ + "/de/job_titles.textproto");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 1))
      << server.Log();
  EXPECT_THAT(server.Log(),
              HasSubstr("\"lost_files\":\"de/job_titles.textproto\""));
  std::string error;
  const v1::Report report = RemoteScan(server, &error);
  EXPECT_EQ(error, "");
  EXPECT_FALSE(MessageDifferencer::Equals(report, full_));

  // The whole language too: German requests then fail, as the operator
  // allowed.
  std::filesystem::remove_all(lex_ + "/de");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 2))
      << server.Log();
  RemoteScan(server, &error);
  EXPECT_NE(error, "");
}

// The config file's allow_lexicon_shrink does the same as the flag.
TEST_F(LexiconShrinkTest, ConfigFieldAcceptsTheSmallerSet) {
  dir_.Write("divcheckd.textproto", "allow_lexicon_shrink: true\n");
  ServerProcess server({"--lexicons=" + lex_,
                        "--config=" + dir_.path() + "/divcheckd.textproto"});
  ASSERT_TRUE(server.Start()) << server.Log();
  std::filesystem::remove_all(lex_ + "/de");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"lexicons reloaded\"", 1))
      << server.Log();
}

}  // namespace
}  // namespace divcheck
