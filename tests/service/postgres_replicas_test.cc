// divcheckd replicas sharing one real PostgreSQL 15 (issue 19): each case
// runs under tests/pg/with_postgres.sh, which starts a throw-away server on
// a loopback port and stops it afterwards (ctest runs one server per case).
// Load is bounded: a few threads, a few seconds, loopback only. The counts
// are printed.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "divcheck/v1/assessment_service.grpc.pb.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
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
using testing::ServerProcess;
using Clock = std::chrono::steady_clock;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// Runs `sql` on a connection of its own; the first column of the first row.
std::string PgQuery(const std::string& sql) {
  std::ifstream in(Env("DIVCHECK_TEST_PG_PASSWORD_FILE"));
  std::string password;
  std::getline(in, password);
  const std::string url = Env("DIVCHECK_TEST_PG_URL");
  const char* keys[] = {"dbname", "password", nullptr};
  const char* values[] = {url.c_str(), password.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  std::string out = "error";
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      out = PQgetvalue(r, 0, 0);
    } else if (PQresultStatus(r) == PGRES_COMMAND_OK) {
      out = "ok";
    }
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

void PgCtl(const std::string& what) {
  ASSERT_EQ(std::system((Env("DIVCHECK_TEST_PG_CTL") + " " + what).c_str()), 0)
      << what;
}

std::vector<std::string> Args() {
  return {"--lexicons=" + testing::TestLexiconDir(),
          std::string("--questionnaires=") + DIVCHECK_SOURCE_QUESTIONNAIRES,
          "--database=" + Env("DIVCHECK_TEST_PG_URL"),
          "--database_password_file=" + Env("DIVCHECK_TEST_PG_PASSWORD_FILE"),
          "--database_connect_timeout_seconds=2",
          "--database_pool_size=4",
          "--log_requests=false"};
}

class Client {
 public:
  explicit Client(const ServerProcess& server)
      : channel_(grpc::CreateChannel(server.address(),
                                     grpc::InsecureChannelCredentials())),
        assessments_(v1::AssessmentService::NewStub(channel_)),
        scan_(v1::ScanService::NewStub(channel_)),
        health_(grpc::health::v1::Health::NewStub(channel_)) {}

  static void Deadline(grpc::ClientContext* ctx, int seconds = 15) {
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(seconds));
  }

  v1::Questionnaire Questionnaire() {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::GetQuestionnaireRequest request;
    request.set_language_code("de");
    v1::Questionnaire q;
    grpc::Status s = assessments_->GetQuestionnaire(&ctx, request, &q);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return q;
  }

  grpc::Status Create(const v1::CreateAssessmentRequest& request,
                      v1::Assessment* out) {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    return assessments_->CreateAssessment(&ctx, request, out);
  }

  // Every id stored for `org`, page by page.
  std::set<std::string> ListAll(const std::string& org) {
    std::set<std::string> ids;
    v1::ListAssessmentsRequest request;
    request.set_organization(org);
    request.set_page_size(50);
    for (int page = 0; page < 1000; ++page) {
      grpc::ClientContext ctx;
      Deadline(&ctx);
      v1::ListAssessmentsResponse response;
      grpc::Status s = assessments_->ListAssessments(&ctx, request, &response);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      for (const auto& a : response.assessments()) ids.insert(a.id());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return ids;
  }

  grpc::Status Compare(const std::string& before, const std::string& after,
                       v1::AssessmentComparison* out) {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::CompareAssessmentsRequest request;
    request.set_before_id(before);
    request.set_after_id(after);
    return assessments_->CompareAssessments(&ctx, request, out);
  }

  // The health status of `service`, or -1 when the call fails.
  int Health(const std::string& service) {
    grpc::ClientContext ctx;
    Deadline(&ctx, 5);
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    if (!health_->Check(&ctx, request, &response).ok()) return -1;
    return response.status();
  }

  bool WaitForHealth(const std::string& service, int status,
                     std::chrono::seconds timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      if (Health(service) == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // A scan works: status and the report's lexicon version.
  grpc::Status Scan(std::string* lexicon_version) {
    grpc::ClientContext ctx;
    Deadline(&ctx);
    v1::ScanTextRequest request;
    request.set_text("Wir suchen einen jungen Mitarbeiter.");
    request.set_language_code("de");
    v1::ScanTextResponse response;
    grpc::Status s = scan_->ScanText(&ctx, request, &response);
    *lexicon_version = response.report().lexicon_version();
    return s;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
  std::unique_ptr<v1::ScanService::Stub> scan_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

constexpr char kAssessmentService[] = "divcheck.v1.AssessmentService";
constexpr int kServing = grpc::health::v1::HealthCheckResponse::SERVING;
constexpr int kNotServing = grpc::health::v1::HealthCheckResponse::NOT_SERVING;

std::string ReasonOf(const grpc::Status& s) {
  google::rpc::Status details;
  if (!details.ParseFromString(s.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

class PostgresReplicas : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("DIVCHECK_TEST_PG_URL").empty()) {
      GTEST_SKIP() << "no PostgreSQL (run under tests/pg/with_postgres.sh)";
    }
    ASSERT_EQ(PgQuery("DROP TABLE IF EXISTS assessments, create_requests,"
                      " divcheck_schema_version"),
              "ok");
  }
};

// What a load thread saw.
struct Tally {
  std::mutex mu;
  std::set<std::string> acked;
  std::map<std::string, int> failures;  // by status code name
  void Record(const grpc::Status& s, const v1::Assessment& a) {
    std::lock_guard<std::mutex> lock(mu);
    if (s.ok()) {
      acked.insert(a.id());
    } else {
      const std::string reason = ReasonOf(s);
      ++failures[absl::StrCat(s.error_code() == grpc::StatusCode::UNAVAILABLE
                                  ? "UNAVAILABLE"
                                  : absl::StrCat("code ", s.error_code()),
                              reason.empty() ? "" : " ", reason)];
    }
  }
  std::string Failures() {
    std::string out;
    for (const auto& [k, n] : failures) {
      absl::StrAppend(&out, out.empty() ? "" : ", ", n, " x ", k);
    }
    return out.empty() ? "none" : out;
  }
};

// Submits through `client` from `threads` threads until `stop`, or `each`
// submissions per thread.
std::vector<std::thread> Load(Client& client, const v1::Questionnaire& q,
                              const std::string& org, int threads, int each,
                              std::atomic<bool>& stop, Tally& tally) {
  std::vector<std::thread> out;
  for (int t = 0; t < threads; ++t) {
    out.emplace_back([&client, &q, org, each, &stop, &tally, t] {
      for (int i = 0; i < each && !stop; ++i) {
        v1::Assessment a;
        grpc::Status s =
            client.Create(testing::AnswersFor(q, org, (t + i) % 2), &a);
        tally.Record(s, a);
        // Failing calls return at once: do not spin.
        if (!s.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  return out;
}

TEST_F(PostgresReplicas, AssessmentsOfOneReplicaAreSeenByTheOther) {
  ServerProcess a(Args()), b(Args());
  ASSERT_TRUE(a.Start()) << a.Log();
  ASSERT_TRUE(b.Start()) << b.Log();
  Client ca(a), cb(b);
  EXPECT_TRUE(
      ca.WaitForHealth(kAssessmentService, kServing, std::chrono::seconds(10)));
  const v1::Questionnaire q = ca.Questionnaire();
  v1::Assessment first, second;
  ASSERT_TRUE(ca.Create(testing::AnswersFor(q, "ACME GmbH", 0), &first).ok());
  ASSERT_TRUE(ca.Create(testing::AnswersFor(q, "ACME GmbH", 1), &second).ok());
  const std::set<std::string> listed = cb.ListAll("ACME GmbH");
  EXPECT_EQ(listed, (std::set<std::string>{first.id(), second.id()}));
  v1::AssessmentComparison comparison;
  grpc::Status s = cb.Compare(first.id(), second.id(), &comparison);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GT(comparison.changed_questions_size(), 0);
  std::cout << "replica A stored 2, replica B listed " << listed.size()
            << " and compared them\n";
  // Both replicas report the lexicon version their reports carry.
  std::string va, vb;
  ASSERT_TRUE(ca.Scan(&va).ok());
  ASSERT_TRUE(cb.Scan(&vb).ok());
  EXPECT_FALSE(va.empty());
  EXPECT_EQ(va, vb);
}

TEST_F(PostgresReplicas, ConcurrentSubmissionsThroughBothLoseNothing) {
  ServerProcess a(Args()), b(Args());
  ASSERT_TRUE(a.Start()) << a.Log();
  ASSERT_TRUE(b.Start()) << b.Log();
  Client ca(a), cb(b);
  const v1::Questionnaire q = ca.Questionnaire();
  std::atomic<bool> stop{false};
  Tally tally;
  std::vector<std::thread> threads = Load(ca, q, "acme", 4, 15, stop, tally);
  for (auto& t : Load(cb, q, "acme", 4, 15, stop, tally)) {
    threads.push_back(std::move(t));
  }
  for (auto& t : threads) t.join();
  const std::set<std::string> stored = cb.ListAll("acme");
  std::cout << "concurrent submissions through 2 replicas: sent 120, acked "
            << tally.acked.size() << ", stored " << stored.size()
            << ", failures: " << tally.Failures() << "\n";
  EXPECT_EQ(tally.acked.size(), 120u);
  EXPECT_EQ(stored, tally.acked);
  EXPECT_EQ(PgQuery("SELECT count(*) FROM assessments"), "120");
}

TEST_F(PostgresReplicas, ReplicaKilledMidLoadLosesNoAcknowledgedWrite) {
  ServerProcess a(Args()), b(Args());
  ASSERT_TRUE(a.Start()) << a.Log();
  ASSERT_TRUE(b.Start()) << b.Log();
  Client ca(a), cb(b);
  const v1::Questionnaire q = ca.Questionnaire();
  std::atomic<bool> stop{false};
  Tally through_a, through_b;
  std::vector<std::thread> threads =
      Load(ca, q, "acme", 4, 100000, stop, through_a);
  for (auto& t : Load(cb, q, "acme", 4, 100000, stop, through_b)) {
    threads.push_back(std::move(t));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  a.Signal(SIGKILL);
  EXPECT_NE(a.WaitForExit(std::chrono::seconds(10)), -1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& t : threads) t.join();
  const std::set<std::string> stored = cb.ListAll("acme");
  size_t missing = 0;
  for (const auto* tally : {&through_a, &through_b}) {
    for (const std::string& id : tally->acked) missing += !stored.count(id);
  }
  std::cout << "replica A killed with SIGKILL mid-load: acked through A "
            << through_a.acked.size() << " (failures: " << through_a.Failures()
            << "), acked through B " << through_b.acked.size()
            << " (failures: " << through_b.Failures() << "), stored "
            << stored.size() << ", acked but missing " << missing << "\n";
  EXPECT_GT(through_a.acked.size(), 0u);
  EXPECT_GT(through_b.acked.size(), 0u);
  EXPECT_TRUE(through_b.failures.empty());
  EXPECT_EQ(missing, 0u);
  // At most the calls in flight at the kill were stored unacknowledged.
  EXPECT_LE(stored.size(), through_a.acked.size() + through_b.acked.size() + 4);
}

TEST_F(PostgresReplicas, DatabaseRestartUnderLoad) {
  ServerProcess a(Args());
  ASSERT_TRUE(a.Start()) << a.Log();
  Client ca(a);
  ASSERT_TRUE(
      ca.WaitForHealth(kAssessmentService, kServing, std::chrono::seconds(10)));
  const v1::Questionnaire q = ca.Questionnaire();
  std::atomic<bool> stop{false};
  Tally tally;
  std::vector<std::thread> threads =
      Load(ca, q, "acme", 4, 100000, stop, tally);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  PgCtl("stop");
  const size_t acked_before = tally.acked.size();
  // While it is down: NOT_SERVING, calls fail cleanly, scanning works.
  EXPECT_TRUE(ca.WaitForHealth(kAssessmentService, kNotServing,
                               std::chrono::seconds(10)));
  EXPECT_EQ(ca.Health(""), kServing);
  std::string version;
  EXPECT_TRUE(ca.Scan(&version).ok());
  v1::Assessment unused;
  grpc::Status down = ca.Create(testing::AnswersFor(q, "acme", 0), &unused);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ReasonOf(down), "STORAGE_UNAVAILABLE");
  EXPECT_THAT(down.error_message(), HasSubstr("assessment database"));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  PgCtl("start");
  EXPECT_TRUE(
      ca.WaitForHealth(kAssessmentService, kServing, std::chrono::seconds(15)));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop = true;
  for (auto& t : threads) t.join();
  v1::Assessment after;
  EXPECT_TRUE(ca.Create(testing::AnswersFor(q, "acme", 1), &after).ok());
  const std::set<std::string> stored = ca.ListAll("acme");
  size_t missing = 0;
  for (const std::string& id : tally.acked) missing += !stored.count(id);
  int unclean = 0;
  for (const auto& [what, n] : tally.failures) {
    if (what.rfind("UNAVAILABLE", 0) != 0) {
      unclean += n;
    }
  }
  std::cout << "database restarted under load: acked " << tally.acked.size()
            << " (" << acked_before << " before the stop), failed during the "
            << "outage: " << tally.Failures() << ", stored " << stored.size()
            << ", acked but missing " << missing << "\n";
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(unclean, 0) << tally.Failures();
  EXPECT_GT(tally.acked.size(), acked_before);  // resumed under load
  EXPECT_TRUE(stored.count(after.id()));
  EXPECT_EQ(a.CountLogLines("assessment storage unavailable"), 1) << a.Log();
}

TEST_F(PostgresReplicas, DatabaseUnreachableAtStartUp) {
  PgCtl("stop");
  ServerProcess a(Args());
  ASSERT_TRUE(a.Start()) << a.Log();
  Client ca(a);
  EXPECT_EQ(ca.Health(kAssessmentService), kNotServing);
  EXPECT_EQ(ca.Health(""), kServing);
  std::string version;
  EXPECT_TRUE(ca.Scan(&version).ok());
  EXPECT_FALSE(version.empty());
  const v1::Questionnaire q = ca.Questionnaire();
  v1::Assessment unused;
  grpc::Status down = ca.Create(testing::AnswersFor(q, "acme", 0), &unused);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ReasonOf(down), "STORAGE_UNAVAILABLE");
  EXPECT_THAT(down.error_message(),
              HasSubstr("assessment database is unreachable"));
  EXPECT_THAT(a.Log(), HasSubstr("assessment storage unavailable"));
  PgCtl("start");
  EXPECT_TRUE(
      ca.WaitForHealth(kAssessmentService, kServing, std::chrono::seconds(15)));
  v1::Assessment stored;
  grpc::Status s = ca.Create(testing::AnswersFor(q, "acme", 0), &stored);
  EXPECT_TRUE(s.ok()) << s.error_message();
  std::cout << "database down at start-up: divcheckd started, scan OK, "
            << "create UNAVAILABLE; after the database came up: create OK, "
            << "stored " << ca.ListAll("acme").size() << "\n";
  EXPECT_EQ(PgQuery("SELECT max(version) FROM divcheck_schema_version"), "1");
}

// Runs divcheckd with `args`; its exit status and output.
int RunDivcheckd(const std::vector<std::string>& args, std::string* output) {
  std::string command = testing::DivcheckdPath();
  for (const std::string& a : args) absl::StrAppend(&command, " '", a, "'");
  absl::StrAppend(&command, " 2>&1");
  FILE* p = ::popen(command.c_str(), "r");
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, p)) > 0)
    output->append(buffer, n);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(PostgresReplicas, MigrateOnlyTwiceAtOnce) {
  const std::vector<std::string> args = {
      "--migrate_only", "--database=" + Env("DIVCHECK_TEST_PG_URL"),
      "--database_password_file=" + Env("DIVCHECK_TEST_PG_PASSWORD_FILE")};
  std::string out1, out2;
  int rc1 = -1, rc2 = -1;
  std::thread t1([&] { rc1 = RunDivcheckd(args, &out1); });
  std::thread t2([&] { rc2 = RunDivcheckd(args, &out2); });
  t1.join();
  t2.join();
  EXPECT_EQ(rc1, 0) << out1;
  EXPECT_EQ(rc2, 0) << out2;
  const int migrated = (out1.find("schema migrated") != std::string::npos) +
                       (out2.find("schema migrated") != std::string::npos);
  const std::string rows =
      PgQuery("SELECT count(*) FROM divcheck_schema_version");
  std::cout << "two --migrate_only at once: exit " << rc1 << " and " << rc2
            << ", " << migrated << " applied the schema, schema_version rows "
            << rows << "\n";
  EXPECT_EQ(migrated, 1) << out1 << out2;
  EXPECT_EQ(rows, "1");
  // Two replicas starting together on the migrated database.
  ServerProcess a(Args()), b(Args());
  ASSERT_TRUE(a.Start()) << a.Log();
  ASSERT_TRUE(b.Start()) << b.Log();
  EXPECT_TRUE(Client(a).WaitForHealth(kAssessmentService, kServing,
                                      std::chrono::seconds(10)));
  EXPECT_TRUE(Client(b).WaitForHealth(kAssessmentService, kServing,
                                      std::chrono::seconds(10)));
}

TEST_F(PostgresReplicas, MigrateOnlyFailsClearly) {
  std::string out;
  EXPECT_EQ(RunDivcheckd({"--migrate_only",
                          "--database=postgresql://divcheck@127.0.0.1:1/x",
                          "--database_connect_timeout_seconds=2"},
                         &out),
            1);
  EXPECT_THAT(out, HasSubstr("assessment database is unreachable"));
  out.clear();
  EXPECT_EQ(RunDivcheckd({"--migrate_only",
                          "--database=postgresql://divcheck:s3cret@db/x"},
                         &out),
            2);
  EXPECT_THAT(out, HasSubstr("must not contain the password"));
  EXPECT_THAT(out, ::testing::Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace divcheck
