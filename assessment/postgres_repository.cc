// The PostgreSQL AssessmentRepository (see postgres_repository.h).
//
// Durability: COMMIT returns after the server has flushed the transaction
// to its write-ahead log (synchronous_commit is on by default), so an
// acknowledged assessment survives a crash of divcheckd and of the
// database server.
//
// InsertOnce: the transaction first takes pg_advisory_xact_lock(1,
// hashtext(scope)), so concurrent calls with one scope — from any replica —
// run one after the other, and the second finds the first one's record (in
// READ COMMITTED every statement sees what committed before it started).
// The primary key on create_requests.scope backs this up.
//
// Ids and scopes are compared byte-wise (COLLATE "C"), so list order and
// pagination are those of the SQLite backend whatever the database's locale.
#include "assessment/postgres_repository.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "assessment/postgres_connection.h"
#include "base/status_macros.h"
#include "google/protobuf/timestamp.pb.h"

namespace divcheck::assessment {
namespace {

using pg::Param;
using pg::PgLease;
using pg::Result;

struct PgMigration {
  int version;
  // Statements separated by ';' (none inside a statement).
  const char* sql;
};

// Never edit a migration that has shipped; add one.
const PgMigration kPgMigrations[] = {
    {1,
     "CREATE TABLE assessments ("
     "  id TEXT COLLATE \"C\" PRIMARY KEY,"
     "  organization TEXT NOT NULL,"
     "  questionnaire_id TEXT NOT NULL,"
     "  questionnaire_version INTEGER NOT NULL,"
     "  create_time_us BIGINT NOT NULL,"
     "  overall_score INTEGER NOT NULL DEFAULT 0,"
     "  assessment BYTEA NOT NULL);"
     "CREATE INDEX assessments_by_organization ON assessments"
     "  (organization, create_time_us DESC, id DESC);"
     "CREATE TABLE create_requests ("
     "  scope TEXT COLLATE \"C\" PRIMARY KEY,"
     "  fingerprint TEXT NOT NULL,"
     "  assessment_id TEXT COLLATE \"C\" NOT NULL,"
     "  create_time_us BIGINT NOT NULL);"
     "CREATE INDEX create_requests_by_time ON create_requests"
     "  (create_time_us);"
     "CREATE INDEX create_requests_by_assessment ON create_requests"
     "  (assessment_id);"},
};

// Migrations may wait for another replica's and run long.
constexpr int64_t kMigrationDeadlineMs = 120000;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

absl::StatusOr<v1::Assessment> Decode(const std::string& id,
                                      const std::string& blob) {
  v1::Assessment a;
  if (!a.ParseFromString(blob)) {
    return absl::InternalError(
        absl::StrCat("stored assessment ", id, " cannot be decoded"));
  }
  return a;
}

// Runs the pending migrations on `c` under the session advisory lock.
absl::StatusOr<SchemaMigration> MigrateOn(PgLease& c) {
  c.set_deadline_ms(kMigrationDeadlineMs);
  ASSIGN_OR_RETURN(
      Result unused,
      c.Exec(absl::StrCat("SET statement_timeout = ", kMigrationDeadlineMs)
                 .c_str()));
  ASSIGN_OR_RETURN(unused, c.Exec("SELECT pg_advisory_lock($1)",
                                  {Param::Int(kMigrationLockKey)}));
  SchemaMigration done;
  absl::Status s = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        Result unused,
        c.Exec("CREATE TABLE IF NOT EXISTS divcheck_schema_version"
               " (version INTEGER PRIMARY KEY,"
               "  applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"));
    ASSIGN_OR_RETURN(Result current,
                     c.Exec("SELECT COALESCE(MAX(version), 0)::BIGINT FROM"
                            " divcheck_schema_version"));
    done.from = static_cast<int>(pg::GetInt(current.get(), 0, 0));
    done.to = done.from;
    if (done.from > PostgresSchemaVersion()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the assessment database has schema version ", done.from,
                       ", newer than this build knows (",
                       PostgresSchemaVersion(), "); use a newer divcheckd"));
    }
    for (const PgMigration& m : kPgMigrations) {
      if (m.version <= done.to) continue;
      absl::Status step = c.Transaction([&]() -> absl::Status {
        // One statement at a time: the extended protocol takes one.
        for (absl::string_view sql :
             absl::StrSplit(m.sql, ';', absl::SkipWhitespace())) {
          ASSIGN_OR_RETURN(Result unused, c.Exec(std::string(sql).c_str()));
        }
        Result unused;
        ASSIGN_OR_RETURN(unused, c.Exec("INSERT INTO divcheck_schema_version"
                                        " (version) VALUES ($1::BIGINT)",
                                        {Param::Int(m.version)}));
        return absl::OkStatus();
      });
      if (!step.ok()) {
        return absl::Status(
            step.code(), absl::StrCat("migration to schema version ", m.version,
                                      ": ", step.message()));
      }
      done.to = m.version;
    }
    return absl::OkStatus();
  }();
  // Closing the connection would release the lock too; a failure here
  // breaks the lease, which closes it.
  (void)c.Exec("SELECT pg_advisory_unlock($1)",
               {Param::Int(kMigrationLockKey)});
  (void)c.Exec("RESET statement_timeout");
  c.set_deadline_ms(0);
  if (!s.ok()) return s;
  return done;
}

std::vector<Param> RowParams(const v1::Assessment& a) {
  return {Param::Text(a.id()),
          Param::Text(a.organization()),
          Param::Text(a.questionnaire_id()),
          Param::Int(a.questionnaire_version()),
          Param::Int(Micros(a.create_time())),
          Param::Bytes(a.SerializeAsString()),
          Param::Int(a.overall_score())};
}

constexpr char kInsertRow[] =
    "INSERT INTO assessments (id, organization, questionnaire_id,"
    " questionnaire_version, create_time_us, assessment, overall_score)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";

absl::Status InsertRow(PgLease& c, const v1::Assessment& a) {
  absl::StatusOr<Result> r = c.Exec(kInsertRow, RowParams(a));
  if (absl::IsAlreadyExists(r.status())) {
    return absl::AlreadyExistsError(
        absl::StrCat("assessment ", a.id(), " already exists"));
  }
  return r.status();
}

class PgRepository final : public PostgresRepository {
 public:
  explicit PgRepository(const PostgresOptions& options) : pool_(options) {}

  absl::Status Insert(const v1::Assessment& a) override {
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, Connection());
    return InsertRow(*c, a);
  }

  absl::StatusOr<InsertOnceResult> InsertOnce(
      const v1::Assessment& a, const CreateRequestRecord& request) override {
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, Connection());
    InsertOnceResult result;
    RETURN_IF_ERROR(c->Transaction([&]() -> absl::Status {
      ASSIGN_OR_RETURN(Result r,
                       c->Exec("SELECT pg_advisory_xact_lock(1, hashtext($1))",
                               {Param::Text(request.scope)}));
      ASSIGN_OR_RETURN(r,
                       c->Exec("SELECT r.fingerprint, a.assessment, a.id FROM"
                               " create_requests r JOIN assessments a ON a.id ="
                               " r.assessment_id WHERE r.scope = $1 AND"
                               " r.create_time_us >= $2",
                               {Param::Text(request.scope),
                                Param::Int(request.not_before_us)}));
      if (PQntuples(r.get()) > 0) {
        ASSIGN_OR_RETURN(
            result.assessment,
            Decode(pg::GetBytes(r.get(), 0, 2), pg::GetBytes(r.get(), 0, 1)));
        result.replayed = true;
        result.same_request =
            pg::GetBytes(r.get(), 0, 0) == request.fingerprint;
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(
          r, c->Exec("DELETE FROM create_requests WHERE create_time_us < $1",
                     {Param::Int(request.not_before_us)}));
      RETURN_IF_ERROR(InsertRow(*c, a));
      // A record whose assessment was erased, or expired, is superseded.
      ASSIGN_OR_RETURN(
          r,
          c->Exec("INSERT INTO create_requests (scope, fingerprint,"
                  " assessment_id, create_time_us) VALUES ($1, $2, $3, $4)"
                  " ON CONFLICT (scope) DO UPDATE SET fingerprint ="
                  " EXCLUDED.fingerprint, assessment_id ="
                  " EXCLUDED.assessment_id, create_time_us ="
                  " EXCLUDED.create_time_us",
                  {Param::Text(request.scope), Param::Text(request.fingerprint),
                   Param::Text(a.id()), Param::Int(Micros(a.create_time()))}));
      result.assessment = a;
      return absl::OkStatus();
    }));
    return result;
  }

  absl::StatusOr<v1::Assessment> Get(absl::string_view id) override {
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, Connection());
    ASSIGN_OR_RETURN(Result r,
                     c->Exec("SELECT assessment FROM assessments WHERE id = $1",
                             {Param::Text(std::string(id))}));
    if (PQntuples(r.get()) == 0) {
      return absl::NotFoundError(absl::StrCat("no assessment with id ", id));
    }
    return Decode(std::string(id), pg::GetBytes(r.get(), 0, 0));
  }

  absl::StatusOr<std::vector<v1::Assessment>> List(
      absl::string_view organization, const std::optional<ListPosition>& after,
      int limit) override {
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, Connection());
    absl::StatusOr<Result> r =
        after.has_value()
            ? c->Exec(
                  "SELECT id, assessment FROM assessments WHERE"
                  " organization = $1 AND (create_time_us < $2 OR"
                  " (create_time_us = $2 AND id < $3)) ORDER BY"
                  " create_time_us DESC, id DESC LIMIT $4",
                  {Param::Text(std::string(organization)),
                   Param::Int(after->create_time_us), Param::Text(after->id),
                   Param::Int(limit)})
            : c->Exec(
                  "SELECT id, assessment FROM assessments WHERE"
                  " organization = $1 ORDER BY create_time_us DESC,"
                  " id DESC LIMIT $2",
                  {Param::Text(std::string(organization)), Param::Int(limit)});
    if (!r.ok()) return r.status();
    std::vector<v1::Assessment> out;
    for (int row = 0; row < PQntuples(r->get()); ++row) {
      ASSIGN_OR_RETURN(v1::Assessment a,
                       Decode(pg::GetBytes(r->get(), row, 0),
                              pg::GetBytes(r->get(), row, 1)));
      out.push_back(std::move(a));
    }
    return out;
  }

  absl::Status Delete(absl::string_view id) override {
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, Connection());
    return c->Transaction([&]() -> absl::Status {
      ASSIGN_OR_RETURN(Result r,
                       c->Exec("DELETE FROM assessments WHERE id = $1",
                               {Param::Text(std::string(id))}));
      if (std::string(PQcmdTuples(r.get())) == "0") {
        return absl::NotFoundError(absl::StrCat("no assessment with id ", id));
      }
      ASSIGN_OR_RETURN(
          r, c->Exec("DELETE FROM create_requests WHERE assessment_id = $1",
                     {Param::Text(std::string(id))}));
      return absl::OkStatus();
    });
  }

  absl::Status CheckHealth() override {
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, Connection());
    return c->Exec("SELECT 1").status();
  }

  absl::StatusOr<SchemaMigration> Migrate() override {
    absl::MutexLock lock(&migrate_mu_);
    ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, pool_.Acquire());
    ASSIGN_OR_RETURN(SchemaMigration done, MigrateOn(*c));
    migrated_ = true;
    return done;
  }

 private:
  // A pooled connection, after the schema has been brought up to date once.
  absl::StatusOr<std::unique_ptr<PgLease>> Connection() {
    {
      absl::MutexLock lock(&migrate_mu_);
      if (!migrated_) {
        ASSIGN_OR_RETURN(std::unique_ptr<PgLease> c, pool_.Acquire());
        ASSIGN_OR_RETURN(SchemaMigration unused, MigrateOn(*c));
        (void)unused;
        migrated_ = true;
        return c;
      }
    }
    return pool_.Acquire();
  }

  pg::PgPool pool_;
  absl::Mutex migrate_mu_;
  bool migrated_ ABSL_GUARDED_BY(migrate_mu_) = false;
};

}  // namespace

absl::Status CheckPostgresUrl(absl::string_view url) {
  if (!absl::StartsWith(url, "postgresql://") &&
      !absl::StartsWith(url, "postgres://")) {
    return absl::InvalidArgumentError(
        "--database must be a URL postgresql://USER@HOST:PORT/DATABASE");
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &error);
  if (options == nullptr) {
    // libpq's message may quote a part of the URL, which may hold a
    // password: say only that it is not valid.
    PQfreemem(error);
    return absl::InvalidArgumentError(
        "--database is not a valid PostgreSQL URL "
        "(postgresql://USER@HOST:PORT/DATABASE?PARAMETER=VALUE; see "
        "https://www.postgresql.org/docs/15/libpq-connect.html"
        "#LIBPQ-CONNSTRING)");
  }
  bool has_password = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "password" && o->val != nullptr &&
        o->val[0] != '\0') {
      has_password = true;
    }
  }
  PQconninfoFree(options);
  if (has_password) {
    return absl::InvalidArgumentError(
        "--database must not contain the password (anyone on the machine can "
        "read command lines, e.g. with ps): give it with "
        "--database_password_file=FILE or the environment variable "
        "DIVCHECK_DATABASE_PASSWORD (or PGPASSWORD)");
  }
  return absl::OkStatus();
}

int PostgresSchemaVersion() {
  return kPgMigrations[std::size(kPgMigrations) - 1].version;
}

std::unique_ptr<PostgresRepository> NewPostgresRepository(
    const PostgresOptions& options) {
  return std::make_unique<PgRepository>(options);
}

}  // namespace divcheck::assessment
