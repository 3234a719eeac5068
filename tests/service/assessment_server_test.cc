// Integration tests of divcheck.v1.AssessmentService: the real divcheckd on
// a loopback port with a SQLite database in a temporary --data_dir,
// including persistence across a clean restart and across SIGKILL.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "divcheck/v1/assessment_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "health.grpc.pb.h"
#include "tests/service/assessment_requests.h"
#include "tests/service/server_process.h"

namespace divcheck {
namespace {

using ::testing::HasSubstr;
using testing::RawUnaryCall;
using testing::ReadFile;
using testing::ServerProcess;
using testing::TempDir;

std::vector<std::string> Args(const std::string& data_dir) {
  std::vector<std::string> args = {
      "--lexicons=" + testing::TestLexiconDir(),
      std::string("--questionnaires=") + DIVCHECK_SOURCE_QUESTIONNAIRES};
  if (!data_dir.empty()) args.push_back("--data_dir=" + data_dir);
  return args;
}

std::unique_ptr<v1::AssessmentService::Stub> StubFor(
    const ServerProcess& server) {
  return v1::AssessmentService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
}

void Deadline(grpc::ClientContext* ctx) {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::seconds(20));
}

v1::Questionnaire GetQuestionnaire(v1::AssessmentService::Stub& stub,
                                   const std::string& lang = "de") {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::GetQuestionnaireRequest request;
  request.set_language_code(lang);
  v1::Questionnaire q;
  grpc::Status status = stub.GetQuestionnaire(&ctx, request, &q);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return q;
}

v1::CreateAssessmentRequest Answers(const v1::Questionnaire& q,
                                    const std::string& org, int index) {
  return testing::AnswersFor(q, org, index);
}

grpc::Status Create(v1::AssessmentService::Stub& stub,
                    const v1::CreateAssessmentRequest& request,
                    v1::Assessment* out) {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  return stub.CreateAssessment(&ctx, request, out);
}

grpc::Status Get(v1::AssessmentService::Stub& stub, const std::string& id,
                 v1::Assessment* out) {
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::GetAssessmentRequest request;
  request.set_id(id);
  return stub.GetAssessment(&ctx, request, out);
}

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  return details;
}

std::string ReasonOf(const grpc::Status& status) {
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      EXPECT_EQ(info.domain(), "divcheck.dev");
      return info.reason();
    }
  }
  return "";
}

google::rpc::BadRequest BadRequestOf(const grpc::Status& status) {
  google::rpc::BadRequest bad;
  const google::rpc::Status details = DetailsOf(status);
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::BadRequest>()) {
      EXPECT_TRUE(any.UnpackTo(&bad));
    }
  }
  return bad;
}

// Issue 17, item 12: a --data_dir divcheckd creates is owner-only (0700),
// and so is the database in it (0600), whatever the umask.
TEST(AssessmentService, DataDirAndDatabaseAreOwnerOnly) {
  TempDir data;
  const std::string dir = data.path() + "/new/data";
  const mode_t old_umask = ::umask(022);  // the server inherits it
  ServerProcess server(Args(dir));
  const bool started = server.Start();
  ::umask(old_umask);
  ASSERT_TRUE(started) << server.Log();
  struct stat st;
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat((dir + "/assessments.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(AssessmentService, GetQuestionnaireInBothLanguages) {
  ServerProcess server(Args(""));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  v1::Questionnaire de = GetQuestionnaire(*stub, "de");
  v1::Questionnaire en = GetQuestionnaire(*stub, "en");
  EXPECT_EQ(de.id(), "diversity-check");
  EXPECT_EQ(de.version(), 1);
  EXPECT_GE(de.sections_size(), 6);
  EXPECT_EQ(en.sections_size(), de.sections_size());
  EXPECT_NE(en.sections(0).title(), de.sections(0).title());

  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::GetQuestionnaireRequest request;
  request.set_questionnaire_id("nope");
  v1::Questionnaire q;
  grpc::Status status = stub->GetQuestionnaire(&ctx, request, &q);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(status), "UNKNOWN_QUESTIONNAIRE");
}

TEST(AssessmentService, CallsAreCountedInTheMetrics) {
  std::vector<std::string> args = Args("");
  args.push_back("--metrics_listen=127.0.0.1:0");
  ServerProcess server(args);
  ASSERT_TRUE(server.Start()) << server.Log();
  const int metrics_port = server.ListeningField("metrics_port");
  ASSERT_GT(metrics_port, 0) << server.Log();
  auto stub = StubFor(server);
  GetQuestionnaire(*stub, "de");
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::GetQuestionnaireRequest request;
    request.set_questionnaire_id("nope");
    v1::Questionnaire q;
    ASSERT_FALSE(stub->GetQuestionnaire(&ctx, request, &q).ok());
  }
  const std::string metrics = testing::HttpGet(metrics_port, "/metrics");
  const std::string labels =
      "grpc_method=\"GetQuestionnaire\",grpc_service=\"divcheck.v1."
      "AssessmentService\",grpc_type=\"unary\"";
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_code=\"OK\"," +
                                 labels + "} 1\n"));
  EXPECT_THAT(metrics,
              HasSubstr("grpc_server_handled_total{grpc_code=\"NotFound\"," +
                        labels + "} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handling_seconds_count{" +
                                 labels + "} 2\n"));
}

TEST(AssessmentService, WithoutDataDirScoresButDoesNotStore) {
  ServerProcess server(Args(""));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  v1::Questionnaire q = GetQuestionnaire(*stub);
  v1::CreateAssessmentRequest request = Answers(q, "acme", 2);
  v1::Assessment a;
  grpc::Status status = Create(*stub, request, &a);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(status), "STORAGE_DISABLED");
  EXPECT_THAT(status.error_message(), HasSubstr("--data_dir"));

  request.set_validate_only(true);
  ASSERT_TRUE(Create(*stub, request, &a).ok());
  EXPECT_TRUE(a.id().empty());
  EXPECT_EQ(a.overall_score(), 50);
}

// A string that is not UTF-8 is named with its path; gRPC's own parser
// would have answered without details.
TEST(AssessmentService, AStringThatIsNotUtf8IsNamed) {
  ServerProcess server(Args(""));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  v1::CreateAssessmentRequest request =
      Answers(GetQuestionnaire(*stub), "M\xfcller GmbH", 2);
  request.set_validate_only(true);
  std::string response;
  const grpc::Status status = RawUnaryCall(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()),
      "/divcheck.v1.AssessmentService/CreateAssessment",
      request.SerializeAsString(), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_EQ(ReasonOf(status), "INVALID_UTF8");
  const google::rpc::BadRequest bad = BadRequestOf(status);
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "organization");
  EXPECT_THAT(bad.field_violations(0).description(),
              HasSubstr("byte offset 1"));

  // The same request in UTF-8 is scored.
  request.set_organization("M\xc3\xbcller GmbH");
  v1::Assessment a;
  EXPECT_TRUE(Create(*stub, request, &a).ok());
}

TEST(AssessmentService, CreateListsEveryProblemInOneBadRequest) {
  TempDir data;
  ServerProcess server(Args(data.path()));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  v1::Questionnaire q = GetQuestionnaire(*stub);
  v1::CreateAssessmentRequest request = Answers(q, "", 1);
  request.mutable_answers(0)->set_option_id("bogus-option");
  request.mutable_answers()->DeleteSubrange(1, 1);  // a required one missing
  v1::Answer* unknown = request.add_answers();
  unknown->set_question_id("no.such.question");
  unknown->set_option_id("fully");
  v1::Assessment a;
  grpc::Status status = Create(*stub, request, &a);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "INVALID_REQUEST");
  google::rpc::BadRequest bad = BadRequestOf(status);
  std::set<std::string> fields;
  std::string all;
  for (const auto& v : bad.field_violations()) {
    fields.insert(v.field());
    all += v.description() + "\n";
  }
  EXPECT_TRUE(fields.count("organization"));
  EXPECT_TRUE(fields.count("answers[0].option_id"));
  EXPECT_TRUE(fields.count("answers"));
  EXPECT_THAT(all, HasSubstr("bogus-option"));
  EXPECT_THAT(all, HasSubstr("no.such.question"));
  EXPECT_THAT(all, HasSubstr(q.sections(0).questions(1).id()));
  EXPECT_EQ(bad.field_violations_size(), 4);

  // A wrong version is a violation too.
  v1::CreateAssessmentRequest wrong = Answers(q, "acme", 1);
  wrong.set_questionnaire_version(99);
  status = Create(*stub, wrong, &a);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "UNKNOWN_QUESTIONNAIRE_VERSION");
  EXPECT_EQ(BadRequestOf(status).field_violations(0).field(),
            "questionnaire_version");
}

TEST(AssessmentService, CreateGetListCompare) {
  TempDir data;
  ServerProcess server(Args(data.path()));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  v1::Questionnaire q = GetQuestionnaire(*stub);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    v1::Assessment a;
    ASSERT_TRUE(Create(*stub, Answers(q, "acme", i % 5), &a).ok());
    EXPECT_FALSE(a.id().empty());
    EXPECT_EQ(a.organization(), "acme");
    EXPECT_EQ(a.questionnaire_version(), 1);
    EXPECT_GT(a.create_time().seconds(), 0);
    ids.push_back(a.id());
  }
  v1::Assessment other;
  ASSERT_TRUE(Create(*stub, Answers(q, "other GmbH", 4), &other).ok());

  v1::Assessment got;
  ASSERT_TRUE(Get(*stub, ids[2], &got).ok());
  EXPECT_EQ(got.id(), ids[2]);
  EXPECT_EQ(got.overall_score(), 50);
  grpc::Status missing = Get(*stub, "a0123456789abcdef01234567", &got);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ReasonOf(missing), "ASSESSMENT_NOT_FOUND");
  grpc::Status malformed = Get(*stub, "../etc", &got);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(malformed), "INVALID_ASSESSMENT_ID");

  // Pages of two, newest first, no duplicates, nothing of "other GmbH".
  std::vector<std::string> listed;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::ListAssessmentsRequest request;
    request.set_organization("acme");
    request.set_page_size(2);
    request.set_page_token(token);
    v1::ListAssessmentsResponse response;
    ASSERT_TRUE(stub->ListAssessments(&ctx, request, &response).ok());
    for (const auto& a : response.assessments()) listed.push_back(a.id());
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, std::vector<std::string>(ids.rbegin(), ids.rend()));

  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::ListAssessmentsRequest request;
    request.set_organization("other GmbH");
    request.set_page_token("1.bm9wZQ");
    v1::ListAssessmentsResponse response;
    grpc::Status status = stub->ListAssessments(&ctx, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ReasonOf(status), "INVALID_PAGE_TOKEN");
  }

  // ids[0] answered everything "not_yet", ids[4] "fully".
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::CompareAssessmentsRequest request;
    request.set_before_id(ids[0]);
    request.set_after_id(ids[4]);
    v1::AssessmentComparison c;
    ASSERT_TRUE(stub->CompareAssessments(&ctx, request, &c).ok());
    EXPECT_EQ(c.overall_score_before(), 0);
    EXPECT_EQ(c.overall_score_after(), 100);
    EXPECT_EQ(c.overall_trend(), v1::TREND_IMPROVED);
    EXPECT_EQ(c.improved_sections(), q.sections_size());
    EXPECT_GE(c.changed_questions_size(), 30);
    EXPECT_FALSE(c.changed_questions(0).question_text().empty());
  }
  {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::CompareAssessmentsRequest request;
    request.set_before_id(ids[0]);
    request.set_after_id(other.id());
    v1::AssessmentComparison c;
    grpc::Status status = stub->CompareAssessments(&ctx, request, &c);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(ReasonOf(status), "DIFFERENT_ORGANIZATIONS");
  }
}

TEST(AssessmentService, SurvivesACleanRestart) {
  TempDir data;
  std::string id;
  {
    ServerProcess server(Args(data.path()));
    ASSERT_TRUE(server.Start()) << server.Log();
    auto stub = StubFor(server);
    v1::Assessment a;
    ASSERT_TRUE(
        Create(*stub, Answers(GetQuestionnaire(*stub), "acme", 3), &a).ok());
    id = a.id();
    server.Signal(SIGTERM);
    const int status = server.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << server.Log();
  }
  ServerProcess server(Args(data.path()));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  v1::Assessment got;
  ASSERT_TRUE(Get(*stub, id, &got).ok());
  EXPECT_EQ(got.overall_score(), 75);
}

TEST(AssessmentService, SurvivesKillMinusNine) {
  TempDir data;
  std::vector<std::string> ids;
  {
    ServerProcess server(Args(data.path()));
    ASSERT_TRUE(server.Start()) << server.Log();
    auto stub = StubFor(server);
    v1::Questionnaire q = GetQuestionnaire(*stub);
    for (int i = 0; i < 3; ++i) {
      v1::Assessment a;
      ASSERT_TRUE(Create(*stub, Answers(q, "acme", i), &a).ok());
      ids.push_back(a.id());
    }
    // SIGKILL right after the last CreateAssessment returned: no clean
    // shutdown, no checkpoint, the WAL is all there is.
    server.Signal(SIGKILL);
    const int status = server.WaitForExit(std::chrono::seconds(30));
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  }
  ServerProcess server(Args(data.path()));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  for (const std::string& id : ids) {
    v1::Assessment got;
    grpc::Status status = Get(*stub, id, &got);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    EXPECT_EQ(got.id(), id);
  }
}

TEST(AssessmentService, ConcurrentCreatesAreAllStored) {
  TempDir data;
  ServerProcess server(Args(data.path()));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  const v1::Questionnaire q = GetQuestionnaire(*stub);
  constexpr int kThreads = 6, kEach = 10;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        v1::Assessment a;
        if (!Create(*stub, Answers(q, "busy", (t + i) % 5), &a).ok()) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int f : failures) EXPECT_EQ(f, 0);
  grpc::ClientContext ctx;
  Deadline(&ctx);
  v1::ListAssessmentsRequest request;
  request.set_organization("busy");
  request.set_page_size(100);
  v1::ListAssessmentsResponse response;
  ASSERT_TRUE(stub->ListAssessments(&ctx, request, &response).ok());
  EXPECT_EQ(response.assessments_size(), kThreads * kEach);
  EXPECT_TRUE(response.next_page_token().empty());
}

TEST(AssessmentService, HealthServesTheAssessmentService) {
  ServerProcess server(Args(""));
  ASSERT_TRUE(server.Start()) << server.Log();
  auto health = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  Deadline(&ctx);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("divcheck.v1.AssessmentService");
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&ctx, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// SIGHUP reloads the questionnaires too; a set that does not load, or that
// drops a version loaded now, is rejected and the old one keeps serving.
TEST(AssessmentService, SighupReloadsQuestionnairesAndKeepsGoodOnes) {
  TempDir dir;
  const std::string qdir = dir.path() + "/q";
  testing::CopyTree(DIVCHECK_SOURCE_QUESTIONNAIRES, qdir);
  ServerProcess server(
      {"--lexicons=" + testing::TestLexiconDir(), "--questionnaires=" + qdir});
  ASSERT_TRUE(server.Start()) << server.Log();
  auto stub = StubFor(server);
  const std::string de_file = "q/de/diversity_check.textproto";
  const std::string en_file = "q/en/diversity_check.textproto";
  const std::string de = ReadFile(dir.path() + "/" + de_file);
  const std::string en = ReadFile(dir.path() + "/" + en_file);
  const std::string title = "title: \"Diversity-Check für Arbeitgeber\"";
  ASSERT_NE(de.find(title), std::string::npos);
  EXPECT_EQ(GetQuestionnaire(*stub, "de").title(),
            "Diversity-Check für Arbeitgeber");

  // A new title is served after SIGHUP.
  std::string retitled = de;
  retitled.replace(retitled.find(title), title.size(),
                   "title: \"Diversity-Check für Betriebe\"");
  dir.Write(de_file, retitled);
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("\"msg\":\"questionnaires reloaded\"", 1))
      << server.Log();
  EXPECT_EQ(GetQuestionnaire(*stub, "de").title(),
            "Diversity-Check für Betriebe");

  // A file that does not parse: every problem logged, the old set serves.
  dir.Write(de_file, "id: \"diversity-check\"\nversion: one\n");
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("questionnaire reload failed", 1))
      << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("de/diversity_check.textproto:2:"));
  EXPECT_EQ(GetQuestionnaire(*stub, "de").title(),
            "Diversity-Check für Betriebe");

  // A set without version 1, which stored assessments may have answered.
  auto as_version_2 = [](std::string text) {
    const size_t at = text.find("\nversion: 1\n");
    EXPECT_NE(at, std::string::npos);
    text.replace(at, 12, "\nversion: 2\n");
    return text;
  };
  dir.Write(de_file, as_version_2(de));
  dir.Write(en_file, as_version_2(en));
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForLogLines("questionnaire reload failed", 2))
      << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("lack diversity-check version 1 (de)"));
  EXPECT_EQ(GetQuestionnaire(*stub, "de").title(),
            "Diversity-Check für Betriebe");
  EXPECT_EQ(GetQuestionnaire(*stub, "en").version(), 1);
}

TEST(AssessmentService, StartupFailsOnABadQuestionnaire) {
  TempDir dir;
  dir.Write("de/bad.textproto", "id: \"x\"\nversion: one\n");
  ServerProcess server({"--lexicons=" + testing::TestLexiconDir(),
                        "--questionnaires=" + dir.path()});
  EXPECT_FALSE(server.Start(std::chrono::seconds(30)));
  EXPECT_THAT(server.Log(), HasSubstr("de/bad.textproto:2:"));
}

}  // namespace
}  // namespace divcheck
