// libpq plumbing of the PostgreSQL repository (postgres_repository.h): a
// bounded connection pool and statements with a client-side deadline.
// Internal to assessment/.
//
// Thread-safety: PgPool is safe for concurrent use; a PgLease (one
// connection) belongs to one thread at a time.
#ifndef DIVCHECK_ASSESSMENT_POSTGRES_CONNECTION_H_
#define DIVCHECK_ASSESSMENT_POSTGRES_CONNECTION_H_

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "assessment/postgres_repository.h"

namespace divcheck::assessment::pg {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// One statement parameter, sent in binary with its type, so that text is
// never cut at a NUL byte.
struct Param {
  static Param Text(std::string s) { return {std::move(s), 25}; }
  static Param Bytes(std::string s) { return {std::move(s), 17}; }
  static Param Int(int64_t v);
  std::string value;
  unsigned int type;  // OID: 25 text, 17 bytea, 20 int8
};

// Column `col` of row `row` of a binary-format result.
std::string GetBytes(const PGresult* r, int row, int col);
int64_t GetInt(const PGresult* r, int row, int col);  // an int8 column

class PgPool;

// A connection taken from the pool, returned when the lease ends (closed
// instead when it broke or a transaction was left open).
class PgLease {
 public:
  PgLease(PgPool* pool, PGconn* conn) : pool_(pool), conn_(conn) {}
  ~PgLease();
  PgLease(const PgLease&) = delete;
  PgLease& operator=(const PgLease&) = delete;

  // Runs `sql` with `params`; results in binary format. Errors: UNAVAILABLE
  // when the connection breaks or the deadline passes (the connection is
  // then closed), ALREADY_EXISTS for a unique violation, UNAVAILABLE for
  // SQLSTATEs that a retry can cure (shutdown, serialization, deadlock,
  // timeouts), INTERNAL otherwise. Messages never contain parameters.
  absl::StatusOr<Result> Exec(const char* sql,
                              const std::vector<Param>& params = {});
  // For statements that may run longer than the pool's statement timeout
  // (migrations).
  void set_deadline_ms(int64_t ms) { deadline_ms_ = ms; }

  // Runs `body` between BEGIN and COMMIT; ROLLBACK when it fails.
  template <typename Body>
  absl::Status Transaction(Body body) {
    if (absl::StatusOr<Result> r = Exec("BEGIN"); !r.ok()) return r.status();
    absl::Status s = body();
    if (s.ok()) {
      absl::StatusOr<Result> r = Exec("COMMIT");
      if (r.ok()) return absl::OkStatus();
      s = r.status();
    }
    (void)Exec("ROLLBACK");
    return s;
  }

 private:
  PgPool* pool_;
  PGconn* conn_;
  int64_t deadline_ms_ = 0;  // 0: the pool's statement timeout
  bool broken_ = false;
};

class PgPool {
 public:
  explicit PgPool(const PostgresOptions& options);
  // REQUIRES: no lease is out.
  ~PgPool();

  // A connection: an idle one that is still alive, or a new one while
  // fewer than pool_size are open, waiting up to connect_timeout for
  // either. UNAVAILABLE with libpq's reason when none can be had.
  absl::StatusOr<std::unique_ptr<PgLease>> Acquire();

  const PostgresOptions& options() const { return options_; }

 private:
  friend class PgLease;
  void Release(PGconn* conn, bool broken);
  absl::StatusOr<PGconn*> Connect();

  const PostgresOptions options_;
  absl::Mutex mu_;
  std::vector<PGconn*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace divcheck::assessment::pg

#endif  // DIVCHECK_ASSESSMENT_POSTGRES_CONNECTION_H_
