// One test suite for every AssessmentRepository backend: SQLite always, and
// PostgreSQL when DIVCHECK_TEST_PG_URL names a server (ctest runs this
// binary a second time under tests/pg/with_postgres.sh, which starts a real
// PostgreSQL 15; without it the PostgreSQL cases are skipped). Each
// PostgreSQL case starts from an empty database.
//
// Plus what only PostgreSQL has: URL checks, an unreachable server,
// migrations by several repositories at once.
#include "assessment/repository.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "assessment/postgres_repository.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/temp_dir.h"

namespace divcheck::assessment {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string PgUrl() {
  const char* url = std::getenv("DIVCHECK_TEST_PG_URL");
  return url == nullptr ? "" : url;
}

std::string PgPassword() {
  const char* file = std::getenv("DIVCHECK_TEST_PG_PASSWORD_FILE");
  if (file == nullptr) return "";
  std::ifstream in(file);
  std::string password;
  std::getline(in, password);
  return password;
}

PostgresOptions PgOptions() {
  PostgresOptions o;
  o.url = PgUrl();
  o.password = PgPassword();
  o.pool_size = 4;
  return o;
}

// Runs `sql` on a connection of its own; false on failure.
bool PgExec(const std::string& sql, std::string* value = nullptr) {
  const std::string password = PgPassword();
  const std::string url = PgUrl();
  const char* keys[] = {"dbname", "password", nullptr};
  const char* values[] = {url.c_str(), password.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PQsetNoticeProcessor(
        c, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
         PQresultStatus(r) == PGRES_TUPLES_OK;
    if (ok && value != nullptr && PQntuples(r) > 0) {
      *value = PQgetvalue(r, 0, 0);
    }
    if (!ok) ADD_FAILURE() << PQresultErrorMessage(r);
    PQclear(r);
  } else {
    ADD_FAILURE() << PQerrorMessage(c);
  }
  PQfinish(c);
  return ok;
}

bool DropPgTables() {
  return PgExec(
      "DROP TABLE IF EXISTS assessments, create_requests,"
      " divcheck_schema_version");
}

v1::Assessment Stored(const std::string& id, const std::string& org,
                      int64_t seconds, int score) {
  v1::Assessment a;
  a.set_id(id);
  a.set_organization(org);
  a.set_questionnaire_id("diversity-check");
  a.set_questionnaire_version(1);
  a.mutable_create_time()->set_seconds(seconds);
  a.set_overall_score(score);
  return a;
}

class RepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      auto repo = OpenSqliteRepository(dir_.path() + "/a.db");
      ASSERT_TRUE(repo.ok()) << repo.status();
      repo_ = *std::move(repo);
      return;
    }
    if (PgUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL (run under tests/pg/with_postgres.sh)";
    }
    ASSERT_TRUE(DropPgTables());
    repo_ = NewPostgresRepository(PgOptions());
    ASSERT_TRUE(repo_->CheckHealth().ok()) << repo_->CheckHealth();
  }

  AssessmentRepository& repo() { return *repo_; }

  unit_testing::TempDir dir_;
  std::unique_ptr<AssessmentRepository> repo_;
};

TEST_P(RepositoryTest, CreateReadListDelete) {
  ASSERT_TRUE(repo().Insert(Stored("a1", "acme", 100, 40)).ok());
  ASSERT_TRUE(repo().Insert(Stored("a2", "acme", 200, 60)).ok());
  ASSERT_TRUE(repo().Insert(Stored("a3", "acme", 200, 70)).ok());
  ASSERT_TRUE(repo().Insert(Stored("b1", "other", 300, 10)).ok());
  const absl::Status taken = repo().Insert(Stored("a1", "acme", 1, 1));
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists) << taken;
  auto got = repo().Get("a2");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->overall_score(), 60);
  EXPECT_EQ(got->organization(), "acme");
  EXPECT_EQ(repo().Get("zz").status().code(), absl::StatusCode::kNotFound);

  auto page1 = repo().List("acme", std::nullopt, 2);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->size(), 2u);
  EXPECT_EQ((*page1)[0].id(), "a3");  // same time: id descending
  EXPECT_EQ((*page1)[1].id(), "a2");
  auto page2 = repo().List("acme", ListPosition{200 * 1000000LL, "a2"}, 2);
  ASSERT_TRUE(page2.ok()) << page2.status();
  ASSERT_EQ(page2->size(), 1u);
  EXPECT_EQ((*page2)[0].id(), "a1");
  EXPECT_TRUE(repo().List("nobody", std::nullopt, 5)->empty());

  ASSERT_TRUE(repo().Delete("a1").ok());
  EXPECT_EQ(repo().Delete("a1").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(repo().Get("a1").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(repo().CheckHealth().ok());
}

// Ids are ordered byte-wise, as SQLite does, whatever the database locale:
// upper case before lower case, digits before letters.
TEST_P(RepositoryTest, ListOrderIsByteWise) {
  for (const char* id : {"b", "B", "a", "A", "0", "_"}) {
    ASSERT_TRUE(repo().Insert(Stored(id, "acme", 100, 1)).ok()) << id;
  }
  auto all = repo().List("acme", std::nullopt, 10);
  ASSERT_TRUE(all.ok());
  std::string order;
  for (const auto& a : *all) order += a.id();
  EXPECT_EQ(order, "ba_BA0");
  auto after = repo().List("acme", ListPosition{100 * 1000000LL, "_"}, 10);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 3u);
}

TEST_P(RepositoryTest, StoresTheWholeMessage) {
  v1::Assessment a = Stored("x1", "Müller & Söhne GmbH", 1700000000, 73);
  a.mutable_create_time()->set_nanos(123456000);
  a.set_questionnaire_version(7);
  ASSERT_TRUE(repo().Insert(a).ok());
  auto got = repo().Get("x1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), a.SerializeAsString());
  EXPECT_EQ(repo().List("Müller & Söhne GmbH", std::nullopt, 5)->size(), 1u);
}

// A request id is remembered for the retention window and no longer; an
// erased assessment frees its request id.
TEST_P(RepositoryTest, RequestRecordsReplayExpireAndFollowErasure) {
  v1::Assessment a = Stored("a01", "acme", 1000, 50);
  CreateRequestRecord record{"scope", "fp", 0};
  auto first = repo().InsertOnce(a, record);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  a.set_id("a02");
  auto again = repo().InsertOnce(a, record);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_TRUE(again->same_request);
  EXPECT_EQ(again->assessment.id(), "a01");
  record.fingerprint = "other";
  EXPECT_FALSE(repo().InsertOnce(a, record)->same_request);
  // Expired: stored anew.
  record.not_before_us = (a.create_time().seconds() + 1) * 1000000;
  auto expired = repo().InsertOnce(a, record);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_FALSE(expired->replayed);
  EXPECT_EQ(expired->assessment.id(), "a02");
  // Erased: the record goes with it.
  record.not_before_us = 0;
  ASSERT_TRUE(repo().Delete("a02").ok());
  a.set_id("a03");
  auto after_erasure = repo().InsertOnce(a, record);
  ASSERT_TRUE(after_erasure.ok()) << after_erasure.status();
  EXPECT_FALSE(after_erasure->replayed);
  EXPECT_EQ(repo().List("acme", std::nullopt, 10)->size(), 2u);
}

// Concurrent calls with one scope store one assessment; other scopes are
// not held up and each store theirs.
TEST_P(RepositoryTest, ConcurrentInsertOnceStoresOncePerScope) {
  constexpr int kThreads = 8;
  constexpr int kScopes = 5;
  std::atomic<int> stored{0}, replayed{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int s = 0; s < kScopes; ++s) {
        v1::Assessment a =
            Stored(absl::StrCat("id-", t, "-", s), "acme", 1000 + s, s);
        auto r = repo().InsertOnce(
            a, CreateRequestRecord{absl::StrCat("scope-", s), "fp", 0});
        if (!r.ok()) {
          ++failed;
        } else if (r->replayed) {
          ++replayed;
        } else {
          ++stored;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stored.load(), kScopes);
  EXPECT_EQ(replayed.load(), kThreads * kScopes - kScopes);
  EXPECT_EQ(repo().List("acme", std::nullopt, 100)->size(),
            static_cast<size_t>(kScopes));
}

INSTANTIATE_TEST_SUITE_P(Backends, RepositoryTest,
                         ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(PostgresUrl, AcceptsUrlsWithoutPassword) {
  EXPECT_TRUE(CheckPostgresUrl("postgresql://divcheck@db:5432/divcheck").ok());
  EXPECT_TRUE(
      CheckPostgresUrl("postgres://db/divcheck?sslmode=verify-full").ok());
  EXPECT_TRUE(CheckPostgresUrl("postgresql:///divcheck?host=/run/pg").ok());
}

TEST(PostgresUrl, RefusesPasswordsWithoutRepeatingThem) {
  for (const char* url : {"postgresql://divcheck:s3cret@db:5432/divcheck",
                          "postgresql://divcheck@db/divcheck?password=s3cret",
                          "postgres://:s3cret@db/divcheck"}) {
    absl::Status s = CheckPostgresUrl(url);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(std::string(s.message()), HasSubstr("password"));
    EXPECT_THAT(std::string(s.message()), Not(HasSubstr("s3cret")));
  }
  EXPECT_EQ(CheckPostgresUrl("mysql://db/x").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckPostgresUrl("host=db password=s3cret").code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status bad = CheckPostgresUrl("postgresql://db:s3cret:5/x?=");
  EXPECT_THAT(std::string(bad.message()), Not(HasSubstr("s3cret")));
}

// Nothing listens on the port: every call is UNAVAILABLE with the reason,
// quickly, and without the password.
TEST(PostgresRepository, UnreachableServerIsUnavailable) {
  PostgresOptions o;
  o.url = "postgresql://divcheck@127.0.0.1:1/divcheck";
  o.password = "s3cret-password";
  o.connect_timeout = std::chrono::milliseconds(2000);
  auto repo = NewPostgresRepository(o);
  for (const absl::Status& s :
       {repo->CheckHealth(), repo->Insert(Stored("a", "acme", 1, 1)),
        repo->Get("a").status(), repo->List("acme", std::nullopt, 5).status(),
        repo->Delete("a")}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
    EXPECT_THAT(std::string(s.message()),
                HasSubstr("assessment database is unreachable"));
    EXPECT_THAT(std::string(s.message()), Not(HasSubstr("s3cret")));
  }
}

class PostgresOnly : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL (run under tests/pg/with_postgres.sh)";
    }
    ASSERT_TRUE(DropPgTables());
  }
};

// Replicas starting together: each migrates under the advisory lock, the
// schema is created once, every one ends at the current version.
TEST_F(PostgresOnly, ConcurrentMigrationsApplyEachStepOnce) {
  constexpr int kReplicas = 6;
  std::vector<std::unique_ptr<PostgresRepository>> repos;
  for (int i = 0; i < kReplicas; ++i) {
    repos.push_back(NewPostgresRepository(PgOptions()));
  }
  std::vector<absl::StatusOr<SchemaMigration>> results(kReplicas);
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] { results[i] = repos[i]->Migrate(); });
  }
  for (auto& t : threads) t.join();
  int applied = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->to, PostgresSchemaVersion());
    if (r->from != r->to) ++applied;
  }
  std::string rows;
  ASSERT_TRUE(PgExec("SELECT count(*) FROM divcheck_schema_version", &rows));
  std::cout << "concurrent migrations: " << kReplicas << " replicas, "
            << applied << " applied the schema, schema_version rows: " << rows
            << "\n";
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(rows, std::to_string(PostgresSchemaVersion()));
  EXPECT_TRUE(repos[0]->Insert(Stored("m1", "acme", 1, 1)).ok());
}

TEST_F(PostgresOnly, RefusesANewerSchema) {
  auto repo = NewPostgresRepository(PgOptions());
  ASSERT_TRUE(repo->Migrate().ok());
  ASSERT_TRUE(
      PgExec("INSERT INTO divcheck_schema_version (version) VALUES (99)"));
  auto next = NewPostgresRepository(PgOptions());
  absl::Status s = next->CheckHealth();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("schema version 99"));
}

// The pool never opens more than pool_size connections, however many
// threads call.
TEST_F(PostgresOnly, PoolIsBounded) {
  PostgresOptions o = PgOptions();
  o.pool_size = 2;
  auto repo = NewPostgresRepository(o);
  ASSERT_TRUE(repo->CheckHealth().ok());
  std::atomic<int> failed{0};
  std::atomic<int> max_seen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        if (!repo->Insert(Stored(absl::StrCat("p", t, "-", i), "acme", i, 1))
                 .ok()) {
          ++failed;
        }
        std::string n;
        if (t == 0 && PgExec("SELECT count(*) FROM pg_stat_activity WHERE"
                             " application_name = 'divcheckd'",
                             &n)) {
          max_seen = std::max(max_seen.load(), std::stoi(n));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_LE(max_seen.load(), 2);
  EXPECT_GE(max_seen.load(), 1);
  EXPECT_EQ(repo->List("acme", std::nullopt, 100)->size(), 80u);
}

// The server restarts: the pooled connections break; the next calls open
// new ones and succeed.
TEST_F(PostgresOnly, ReconnectsAfterServerRestart) {
  const char* ctl = std::getenv("DIVCHECK_TEST_PG_CTL");
  if (ctl == nullptr) GTEST_SKIP() << "no DIVCHECK_TEST_PG_CTL";
  auto repo = NewPostgresRepository(PgOptions());
  ASSERT_TRUE(repo->Insert(Stored("r1", "acme", 1, 1)).ok());
  ASSERT_EQ(std::system(absl::StrCat(ctl, " stop").c_str()), 0);
  absl::Status down = repo->Insert(Stored("r2", "acme", 2, 1));
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  EXPECT_EQ(repo->CheckHealth().code(), absl::StatusCode::kUnavailable);
  ASSERT_EQ(std::system(absl::StrCat(ctl, " start").c_str()), 0);
  EXPECT_TRUE(repo->CheckHealth().ok()) << repo->CheckHealth();
  ASSERT_TRUE(repo->Insert(Stored("r3", "acme", 3, 1)).ok());
  auto all = repo->List("acme", std::nullopt, 10);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 2u);
}

}  // namespace
}  // namespace divcheck::assessment
