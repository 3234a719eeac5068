// The PostgreSQL AssessmentRepository: one database shared by several
// divcheckd replicas.
//
//   PostgresOptions options;
//   options.url = "postgresql://divcheck@db.internal:5432/divcheck";
//   options.password = ReadPasswordFile(...);  // never inside the URL
//   std::unique_ptr<PostgresRepository> repo = NewPostgresRepository(options);
//   absl::Status ready = repo->CheckHealth();  // connects, migrates
//
// Same semantics as the SQLite backend (repository.h), on libpq:
//  * A bounded pool of at most `pool_size` connections, opened lazily. A call
//    waits up to `connect_timeout` for a free connection. A connection that
//    breaks (the server restarted, the network failed, a call timed out) is
//    closed and a new one is opened by a later call, so the repository
//    recovers from a database restart without a restart of its own.
//  * Every statement has a deadline (`statement_timeout`), enforced on the
//    client (poll) as well as on the server (statement_timeout), so a frozen
//    server cannot hang a call.
//  * Errors: UNAVAILABLE while the database cannot be reached (the message
//    says so and why, as libpq puts it; never the password, never stored
//    data); ALREADY_EXISTS for a taken id; FAILED_PRECONDITION when the
//    database has a newer schema than this build; INTERNAL otherwise.
//  * The schema is migrated on the first successful connection (and by
//    MigratePostgres): every step runs in a transaction that also records
//    it in `divcheck_schema_version`, while the session holds
//    pg_advisory_lock(kMigrationLockKey), so replicas that start together
//    migrate once, one after the other.
//
// Thread-safe: calls from many threads share the pool.
#ifndef DIVCHECK_ASSESSMENT_POSTGRES_REPOSITORY_H_
#define DIVCHECK_ASSESSMENT_POSTGRES_REPOSITORY_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "assessment/repository.h"

namespace divcheck::assessment {

// The key of the session-level advisory lock held while migrating.
inline constexpr int64_t kMigrationLockKey = 0x646976636865636B;  // "divcheck"

struct PostgresOptions {
  // "postgresql://USER@HOST:PORT/DATABASE?sslmode=…" (or "postgres://");
  // must not contain a password (CheckPostgresUrl).
  std::string url;
  // Sent to the server when it asks; empty: libpq's own sources
  // (PGPASSWORD, ~/.pgpass).
  std::string password;
  // Most connections open at once: 1–100.
  int pool_size = 4;
  // Longest wait for a new connection, or for a free one when all are in
  // use. At least 1 s.
  std::chrono::milliseconds connect_timeout{5000};
  // Longest a statement may run (client and server side).
  std::chrono::milliseconds statement_timeout{10000};
};

// OK when `url` is a PostgreSQL connection URL (postgresql:// or
// postgres://) that libpq can parse and that carries no password (neither
// "user:password@" nor "?password="). INVALID_ARGUMENT otherwise, with a
// message that never repeats the URL (it may contain the password).
absl::Status CheckPostgresUrl(absl::string_view url);

// The schema version this build creates and migrates to.
int PostgresSchemaVersion();

// What Migrate did: the schema version found and the one in force now.
struct SchemaMigration {
  int from = 0;
  int to = 0;
};

class PostgresRepository : public AssessmentRepository {
 public:
  // CheckHealth (repository.h) takes a pooled connection (opening one if
  // none is open), runs the pending migrations if they have not run yet,
  // and makes one round trip.

  // Runs the pending migrations now, under the advisory lock.
  virtual absl::StatusOr<SchemaMigration> Migrate() = 0;
};

// A repository that connects on first use; never fails itself (the
// options are checked by the first call). REQUIRES: CheckPostgresUrl(url)
// is OK.
std::unique_ptr<PostgresRepository> NewPostgresRepository(
    const PostgresOptions& options);

}  // namespace divcheck::assessment

#endif  // DIVCHECK_ASSESSMENT_POSTGRES_REPOSITORY_H_
