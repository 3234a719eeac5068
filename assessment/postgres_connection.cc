#include "assessment/postgres_connection.h"

#include <endian.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace divcheck::assessment::pg {
namespace {

using Clock = std::chrono::steady_clock;

// The first line of a libpq message (the others are hints such as "Is the
// server running on that host…").
std::string FirstLine(const char* message) {
  std::string s = message == nullptr ? "" : message;
  s = s.substr(0, s.find('\n'));
  absl::StripAsciiWhitespace(&s);
  return s.empty() ? "no reason given" : s;
}

absl::Status Unreachable(absl::string_view why) {
  return absl::UnavailableError(
      absl::StrCat("the assessment database is unreachable: ", why));
}

// A failed statement's status from its SQLSTATE and primary message (never
// DETAIL, which may quote the row).
absl::Status FromResult(const PGresult* r) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  const std::string code = state == nullptr ? "" : state;
  const std::string message =
      absl::StrCat("postgresql: ", primary == nullptr ? "error" : primary,
                   code.empty() ? "" : absl::StrCat(" (SQLSTATE ", code, ")"));
  if (code == "23505") return absl::AlreadyExistsError(message);
  // 08: connection exception; 53: insufficient resources; 57P0x: the server
  // is shutting down or starting; 57014: statement timeout; 40001/40P01:
  // serialization failure, deadlock; 55P03: lock not available.
  if (absl::StartsWith(code, "08") || absl::StartsWith(code, "53") ||
      absl::StartsWith(code, "57P") || code == "57014" || code == "40001" ||
      code == "40P01" || code == "55P03") {
    return absl::UnavailableError(
        absl::StrCat("the assessment database cannot serve now: ", message));
  }
  return absl::InternalError(message);
}

}  // namespace

Param Param::Int(int64_t v) {
  const uint64_t be = htobe64(static_cast<uint64_t>(v));
  return {std::string(reinterpret_cast<const char*>(&be), sizeof be), 20};
}

std::string GetBytes(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

int64_t GetInt(const PGresult* r, int row, int col) {
  uint64_t be = 0;
  if (PQgetlength(r, row, col) != sizeof be) return 0;
  std::memcpy(&be, PQgetvalue(r, row, col), sizeof be);
  return static_cast<int64_t>(be64toh(be));
}

PgLease::~PgLease() { pool_->Release(conn_, broken_); }

absl::StatusOr<Result> PgLease::Exec(const char* sql,
                                     const std::vector<Param>& params) {
  const int64_t ms = deadline_ms_ > 0
                         ? deadline_ms_
                         : pool_->options().statement_timeout.count();
  const Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(ms);
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  std::vector<Oid> types;
  for (const Param& p : params) {
    values.push_back(p.value.data());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(1);
    types.push_back(p.type);
  }
  const auto broken = [this](absl::Status s) {
    broken_ = true;
    return s;
  };
  if (PQsendQueryParams(conn_, sql, static_cast<int>(params.size()),
                        types.data(), values.data(), lengths.data(),
                        formats.data(), /*resultFormat=*/1) == 0) {
    return broken(Unreachable(FirstLine(PQerrorMessage(conn_))));
  }
  Result first_error;
  Result last;
  for (;;) {
    while (PQisBusy(conn_) != 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - Clock::now());
      if (left.count() <= 0) {
        return broken(absl::UnavailableError(absl::StrCat(
            "the assessment database did not answer within ", ms, " ms")));
      }
      pollfd p{PQsocket(conn_), POLLIN, 0};
      const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
      if (rc < 0 && errno != EINTR) {
        return broken(Unreachable(std::strerror(errno)));
      }
      if (rc > 0 && PQconsumeInput(conn_) == 0) {
        return broken(Unreachable(FirstLine(PQerrorMessage(conn_))));
      }
    }
    Result r(PQgetResult(conn_));
    if (r == nullptr) break;
    const ExecStatusType st = PQresultStatus(r.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      if (first_error == nullptr) first_error = std::move(r);
    } else {
      last = std::move(r);
    }
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    return broken(Unreachable(FirstLine(PQerrorMessage(conn_))));
  }
  if (first_error != nullptr) return FromResult(first_error.get());
  if (last == nullptr) return absl::InternalError("postgresql: no result");
  return last;
}

PgPool::PgPool(const PostgresOptions& options) : options_(options) {}

PgPool::~PgPool() {
  absl::MutexLock lock(&mu_);
  for (PGconn* c : idle_) PQfinish(c);
  idle_.clear();
}

absl::StatusOr<PGconn*> PgPool::Connect() {
  const std::string timeout = std::to_string(
      std::max<int64_t>(2, (options_.connect_timeout.count() + 999) / 1000));
  const std::string server_options =
      absl::StrCat("-c statement_timeout=", options_.statement_timeout.count());
  // The URL first: the keywords after it override what it says.
  std::vector<const char*> keys = {"dbname",           "connect_timeout",
                                   "application_name", "client_encoding",
                                   "options",          "keepalives",
                                   "keepalives_idle",  "keepalives_interval",
                                   "keepalives_count"};
  std::vector<const char*> values = {options_.url.c_str(),
                                     timeout.c_str(),
                                     "divcheckd",
                                     "UTF8",
                                     server_options.c_str(),
                                     "1",
                                     "30",
                                     "10",
                                     "3"};
  if (!options_.password.empty()) {
    keys.push_back("password");
    values.push_back(options_.password.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(),
                                   /*expand_dbname=*/1);
  if (conn == nullptr) return Unreachable("out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status s = Unreachable(FirstLine(PQerrorMessage(conn)));
    PQfinish(conn);
    return s;
  }
  // Notices (e.g. "relation already exists, skipping") would go to stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

absl::StatusOr<std::unique_ptr<PgLease>> PgPool::Acquire() {
  const absl::Duration wait = absl::FromChrono(options_.connect_timeout);
  for (;;) {
    PGconn* conn = nullptr;
    {
      absl::MutexLock lock(&mu_);
      const auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < options_.pool_size;
      };
      if (!mu_.AwaitWithTimeout(absl::Condition(&available), wait)) {
        return absl::UnavailableError(
            absl::StrCat("all ", options_.pool_size,
                         " assessment database connections stayed busy for ",
                         options_.connect_timeout.count(),
                         " ms (raise --database_pool_size?)"));
      }
      if (!idle_.empty()) {
        conn = idle_.back();
        idle_.pop_back();
      } else {
        ++open_;
      }
    }
    if (conn == nullptr) {
      absl::StatusOr<PGconn*> fresh = Connect();
      if (!fresh.ok()) {
        absl::MutexLock lock(&mu_);
        --open_;
        return fresh.status();
      }
      return std::make_unique<PgLease>(this, *fresh);
    }
    // An idle connection whose server went away (a restart) has its end of
    // file or the server's goodbye waiting: read it, and drop the
    // connection instead of failing the caller's statement on it.
    // The second read finds the end of file behind a goodbye message.
    if (PQconsumeInput(conn) != 0 && PQisBusy(conn) == 0 &&
        PQconsumeInput(conn) != 0 && PQstatus(conn) == CONNECTION_OK &&
        PQtransactionStatus(conn) == PQTRANS_IDLE) {
      return std::make_unique<PgLease>(this, conn);
    }
    Release(conn, /*broken=*/true);
  }
}

void PgPool::Release(PGconn* conn, bool broken) {
  if (!broken && (PQstatus(conn) != CONNECTION_OK ||
                  PQtransactionStatus(conn) != PQTRANS_IDLE)) {
    broken = true;
  }
  if (broken) PQfinish(conn);
  absl::MutexLock lock(&mu_);
  if (broken) {
    --open_;
  } else {
    idle_.push_back(conn);
  }
}

}  // namespace divcheck::assessment::pg
