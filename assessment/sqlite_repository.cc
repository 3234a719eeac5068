// The SQLite AssessmentRepository.
//
// Durability. The database runs in WAL mode with synchronous=FULL. In WAL
// mode a commit appends the transaction to the -wal file; with FULL, SQLite
// also fsyncs the WAL before COMMIT returns. A crash of the process alone
// (kill -9) would not lose a commit even with NORMAL, because the WAL write
// has reached the kernel by then; FULL adds safety against power loss and
// kernel crashes for the last transactions, and costs one fsync per stored
// assessment — nothing at the rate employers fill in questionnaires.
//
// Schema versions are kept in PRAGMA user_version. Each migration runs in
// one IMMEDIATE transaction together with the version bump, so a crash
// mid-migration leaves the previous version intact.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "assessment/repository.h"
#include "base/status_macros.h"
#include "google/protobuf/timestamp.pb.h"

namespace divcheck::assessment {
namespace {

// One step of the schema. `sql` runs first, then `backfill` (may be null).
struct Migration {
  int version;
  const char* sql;
  absl::Status (*backfill)(sqlite3* db);
};

absl::Status SqlError(sqlite3* db, absl::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string message =
      absl::StrCat("sqlite: ", what, ": ", sqlite3_errmsg(db), " (", code, ")");
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(message);
    case SQLITE_CONSTRAINT:
      return absl::AlreadyExistsError(message);
    default:
      return absl::InternalError(message);
  }
}

// A prepared statement, finalized on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  absl::Status status() const {
    return rc_ == SQLITE_OK ? absl::OkStatus() : SqlError(db_, "prepare");
  }
  void Bind(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t n) { sqlite3_bind_int64(stmt_, i, n); }
  void BindBlob(int i, const std::string& blob) {
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()),
                      SQLITE_TRANSIENT);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) {
    const unsigned char* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      sqlite3_column_bytes(stmt_, col));
  }
  std::string Blob(int col) {
    const void* p = sqlite3_column_blob(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p),
                                      sqlite3_column_bytes(stmt_, col));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

absl::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status s = SqlError(db, sql);
    sqlite3_free(error);
    return s;
  }
  return absl::OkStatus();
}

// v2 added overall_score so that a list page can be summarised without
// decoding every blob; fill it in for rows written by v1.
absl::Status BackfillOverallScore(sqlite3* db) {
  std::vector<std::pair<std::string, int64_t>> scores;
  {
    Statement select(db, "SELECT id, assessment FROM assessments");
    if (absl::Status s = select.status(); !s.ok()) return s;
    int rc;
    while ((rc = select.Step()) == SQLITE_ROW) {
      v1::Assessment a;
      if (!a.ParseFromString(select.Blob(1))) {
        return absl::InternalError(
            absl::StrCat("sqlite: migration 2: assessment ", select.Text(0),
                         " cannot be decoded"));
      }
      scores.emplace_back(select.Text(0), a.overall_score());
    }
    if (rc != SQLITE_DONE) return SqlError(db, "migration 2 select");
  }
  for (const auto& [id, score] : scores) {
    Statement update(db,
                     "UPDATE assessments SET overall_score = ? WHERE id = ?");
    if (absl::Status s = update.status(); !s.ok()) return s;
    update.Bind(1, score);
    update.Bind(2, id);
    if (update.Step() != SQLITE_DONE) return SqlError(db, "migration 2 update");
  }
  return absl::OkStatus();
}

const Migration kMigrations[] = {
    {1,
     "CREATE TABLE assessments ("
     "  id TEXT PRIMARY KEY,"
     "  organization TEXT NOT NULL,"
     "  questionnaire_id TEXT NOT NULL,"
     "  questionnaire_version INTEGER NOT NULL,"
     "  create_time_us INTEGER NOT NULL,"
     "  assessment BLOB NOT NULL);",
     nullptr},
    {2,
     "ALTER TABLE assessments ADD COLUMN overall_score INTEGER NOT NULL "
     "  DEFAULT 0;"
     "CREATE INDEX assessments_by_organization ON assessments"
     "  (organization, create_time_us DESC, id DESC);",
     BackfillOverallScore},
    // Client request ids of CreateAssessment (issue 17): a retry finds the
    // first result. `scope` and `fingerprint` are digests; rows expire.
    {3,
     "CREATE TABLE create_requests ("
     "  scope TEXT PRIMARY KEY,"
     "  fingerprint TEXT NOT NULL,"
     "  assessment_id TEXT NOT NULL,"
     "  create_time_us INTEGER NOT NULL);"
     "CREATE INDEX create_requests_by_time ON create_requests"
     "  (create_time_us);"
     "CREATE INDEX create_requests_by_assessment ON create_requests"
     "  (assessment_id);",
     nullptr},
};

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

class SqliteRepository final : public AssessmentRepository {
 public:
  explicit SqliteRepository(sqlite3* db) : db_(db) {}
  ~SqliteRepository() override { sqlite3_close_v2(db_); }

  absl::Status Insert(const v1::Assessment& a) override {
    absl::MutexLock lock(&mu_);
    return InsertRow(a);
  }

  absl::StatusOr<InsertOnceResult> InsertOnce(
      const v1::Assessment& a, const CreateRequestRecord& request) override {
    absl::MutexLock lock(&mu_);
    // IMMEDIATE: another process on the same file waits here, so the
    // look-up and the insert cannot interleave with its own.
    if (absl::Status s = Exec(db_, "BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::StatusOr<InsertOnceResult> result = InsertOnceLocked(a, request);
    absl::Status end = Exec(db_, result.ok() ? "COMMIT" : "ROLLBACK");
    if (!result.ok()) return result.status();
    if (!end.ok()) {
      (void)Exec(db_, "ROLLBACK");
      return end;
    }
    return result;
  }

  absl::StatusOr<v1::Assessment> Get(absl::string_view id) override {
    absl::MutexLock lock(&mu_);
    Statement st(db_, "SELECT assessment FROM assessments WHERE id = ?");
    if (absl::Status s = st.status(); !s.ok()) return s;
    st.Bind(1, id);
    const int rc = st.Step();
    if (rc == SQLITE_DONE) {
      return absl::NotFoundError(absl::StrCat("no assessment with id ", id));
    }
    if (rc != SQLITE_ROW) return SqlError(db_, "get");
    return Decode(std::string(id), st.Blob(0));
  }

  absl::StatusOr<std::vector<v1::Assessment>> List(
      absl::string_view organization, const std::optional<ListPosition>& after,
      int limit) override {
    absl::MutexLock lock(&mu_);
    Statement st(
        db_, after.has_value()
                 ? "SELECT id, assessment FROM assessments WHERE organization"
                   " = ?1 AND (create_time_us < ?2 OR (create_time_us = ?2"
                   " AND id < ?3)) ORDER BY create_time_us DESC, id DESC"
                   " LIMIT ?4"
                 : "SELECT id, assessment FROM assessments WHERE organization"
                   " = ?1 ORDER BY create_time_us DESC, id DESC LIMIT ?4");
    if (absl::Status s = st.status(); !s.ok()) return s;
    st.Bind(1, organization);
    if (after.has_value()) {
      st.Bind(2, after->create_time_us);
      st.Bind(3, after->id);
    }
    st.Bind(4, int64_t{limit});
    std::vector<v1::Assessment> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      absl::StatusOr<v1::Assessment> a = Decode(st.Text(0), st.Blob(1));
      if (!a.ok()) return a.status();
      out.push_back(*std::move(a));
    }
    if (rc != SQLITE_DONE) return SqlError(db_, "list");
    return out;
  }

  absl::Status Delete(absl::string_view id) override {
    absl::MutexLock lock(&mu_);
    if (absl::Status s = Exec(db_, "BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status s = DeleteLocked(id);
    if (s.ok()) s = Exec(db_, "COMMIT");
    if (!s.ok()) (void)Exec(db_, "ROLLBACK");
    return s;
  }

 private:
  absl::Status InsertRow(const v1::Assessment& a)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Statement st(db_,
                 "INSERT INTO assessments (id, organization, questionnaire_id,"
                 " questionnaire_version, create_time_us, assessment,"
                 " overall_score) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (absl::Status s = st.status(); !s.ok()) return s;
    st.Bind(1, a.id());
    st.Bind(2, a.organization());
    st.Bind(3, a.questionnaire_id());
    st.Bind(4, int64_t{a.questionnaire_version()});
    st.Bind(5, Micros(a.create_time()));
    st.BindBlob(6, a.SerializeAsString());
    st.Bind(7, int64_t{a.overall_score()});
    if (st.Step() != SQLITE_DONE) {
      absl::Status s = SqlError(db_, "insert");
      if (absl::IsAlreadyExists(s)) {
        return absl::AlreadyExistsError(
            absl::StrCat("assessment ", a.id(), " already exists"));
      }
      return s;
    }
    return absl::OkStatus();
  }

  // InsertOnce inside its transaction.
  absl::StatusOr<InsertOnceResult> InsertOnceLocked(
      const v1::Assessment& a, const CreateRequestRecord& request)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    {
      Statement find(db_,
                     "SELECT r.fingerprint, a.assessment, a.id FROM"
                     " create_requests r JOIN assessments a ON a.id ="
                     " r.assessment_id WHERE r.scope = ? AND"
                     " r.create_time_us >= ?");
      if (absl::Status s = find.status(); !s.ok()) return s;
      find.Bind(1, request.scope);
      find.Bind(2, request.not_before_us);
      const int rc = find.Step();
      if (rc == SQLITE_ROW) {
        InsertOnceResult replay;
        ASSIGN_OR_RETURN(replay.assessment, Decode(find.Text(2), find.Blob(1)));
        replay.replayed = true;
        replay.same_request = find.Text(0) == request.fingerprint;
        return replay;
      }
      if (rc != SQLITE_DONE) return SqlError(db_, "find request");
    }
    {
      Statement expire(db_,
                       "DELETE FROM create_requests WHERE create_time_us < ?");
      if (absl::Status s = expire.status(); !s.ok()) return s;
      expire.Bind(1, request.not_before_us);
      if (expire.Step() != SQLITE_DONE) return SqlError(db_, "expire");
    }
    RETURN_IF_ERROR(InsertRow(a));
    // REPLACE: a record whose assessment was erased is superseded.
    Statement record(db_,
                     "INSERT OR REPLACE INTO create_requests (scope,"
                     " fingerprint, assessment_id, create_time_us) VALUES"
                     " (?, ?, ?, ?)");
    if (absl::Status s = record.status(); !s.ok()) return s;
    record.Bind(1, request.scope);
    record.Bind(2, request.fingerprint);
    record.Bind(3, a.id());
    record.Bind(4, Micros(a.create_time()));
    if (record.Step() != SQLITE_DONE) return SqlError(db_, "record request");
    InsertOnceResult stored;
    stored.assessment = a;
    return stored;
  }

  absl::Status DeleteLocked(absl::string_view id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Statement st(db_, "DELETE FROM assessments WHERE id = ?");
    if (absl::Status s = st.status(); !s.ok()) return s;
    st.Bind(1, id);
    if (st.Step() != SQLITE_DONE) return SqlError(db_, "delete");
    if (sqlite3_changes(db_) == 0) {
      return absl::NotFoundError(absl::StrCat("no assessment with id ", id));
    }
    Statement records(db_,
                      "DELETE FROM create_requests WHERE assessment_id = ?");
    if (absl::Status s = records.status(); !s.ok()) return s;
    records.Bind(1, id);
    if (records.Step() != SQLITE_DONE) return SqlError(db_, "delete records");
    return absl::OkStatus();
  }

  absl::Mutex mu_;
  // One connection, used under mu_: writes are rare and short.
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);
};

absl::StatusOr<int> UserVersion(sqlite3* db) {
  Statement st(db, "PRAGMA user_version");
  if (absl::Status s = st.status(); !s.ok()) return s;
  if (st.Step() != SQLITE_ROW) return SqlError(db, "PRAGMA user_version");
  return static_cast<int>(st.Int(0));
}

absl::Status Migrate(sqlite3* db) {
  absl::StatusOr<int> version = UserVersion(db);
  if (!version.ok()) return version.status();
  if (*version > SqliteSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the assessment database has schema version ", *version,
                     ", newer than this build knows (", SqliteSchemaVersion(),
                     "); use a newer divcheckd"));
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= *version) continue;
    if (absl::Status s = Exec(db, "BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status s = Exec(db, m.sql);
    if (s.ok() && m.backfill != nullptr) s = m.backfill(db);
    if (s.ok()) {
      s = Exec(db, absl::StrCat("PRAGMA user_version = ", m.version).c_str());
    }
    if (s.ok()) s = Exec(db, "COMMIT");
    if (!s.ok()) {
      (void)Exec(db, "ROLLBACK");
      return absl::Status(s.code(), absl::StrCat("migration to schema version ",
                                                 m.version, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

// The database holds employers' self-assessments: only its owner may read
// it (issue 17). Creates the file with mode 0600 before SQLite opens it
// (SQLite would create it 0644 less the umask), so the -wal and -shm files,
// which SQLite gives the database file's mode, are 0600 too; a file left
// by an earlier version with a wider mode is narrowed to 0600.
absl::Status CreateOwnerOnly(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create assessment database ", path, ": ",
                     std::strerror(errno)));
  }
  struct stat st;
  const bool ok = ::fstat(fd, &st) == 0 &&
                  ((st.st_mode & 0077) == 0 || ::fchmod(fd, 0600) == 0);
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    return absl::UnavailableError(
        absl::StrCat("cannot make assessment database ", path,
                     " owner-only (mode 0600): ", std::strerror(saved)));
  }
  return absl::OkStatus();
}

}  // namespace

int SqliteSchemaVersion() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

absl::StatusOr<std::unique_ptr<AssessmentRepository>> OpenSqliteRepository(
    const std::string& path) {
  if (absl::Status s = CreateOwnerOnly(path); !s.ok()) return s;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("cannot open assessment database ", path, ": ",
                     db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  auto fail = [db, &path](const absl::Status& s) {
    sqlite3_close_v2(db);
    return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
  };
  sqlite3_busy_timeout(db, 5000);
  // See the file comment for why FULL.
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON"}) {
    if (absl::Status s = Exec(db, pragma); !s.ok()) return fail(s);
  }
  {
    Statement mode(db, "PRAGMA journal_mode");
    if (!mode.status().ok() || mode.Step() != SQLITE_ROW ||
        mode.Text(0) != "wal") {
      return fail(absl::UnavailableError(
          "cannot switch to WAL mode (is the file on a network file system?)"));
    }
  }
  if (absl::Status s = Migrate(db); !s.ok()) return fail(s);
  return std::unique_ptr<AssessmentRepository>(new SqliteRepository(db));
}

}  // namespace divcheck::assessment
