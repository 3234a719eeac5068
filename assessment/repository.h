// AssessmentRepository: where scored self-assessments are kept.
//
//   absl::StatusOr<std::unique_ptr<AssessmentRepository>> repo =
//       OpenSqliteRepository("/var/lib/divcheck/assessments.db");
//   RETURN_IF_ERROR((*repo)->Insert(assessment));
//
// The interface is small on purpose: the PostgreSQL backend
// (postgres_repository.h, for several server replicas sharing one database)
// implements the same few methods with the same semantics. Stored assessments
// are immutable; Delete exists for erasure requests (GDPR Art. 17), not for
// editing.
//
// Implementations are safe for concurrent use by multiple threads.
#ifndef DIVCHECK_ASSESSMENT_REPOSITORY_H_
#define DIVCHECK_ASSESSMENT_REPOSITORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/v1/assessment.pb.h"

namespace divcheck::assessment {

// A position in an organisation's list, newest first: the list continues
// with assessments older than (create_time_us, id).
struct ListPosition {
  int64_t create_time_us = 0;
  std::string id;
};

// What InsertOnce remembers of a create request, so that a retry with the
// same client request id finds the first result.
struct CreateRequestRecord {
  // Identifies the request: a digest of the caller's key, the
  // organisation and the client's request id (no names in clear).
  std::string scope;
  // A digest of the request's content (everything but the request id).
  std::string fingerprint;
  // Records created before this time (microseconds since the epoch) are
  // expired: they are ignored and removed.
  int64_t not_before_us = 0;
};

// What InsertOnce did.
struct InsertOnceResult {
  // The stored assessment: the new one, or the one stored first.
  v1::Assessment assessment;
  // True when a live record had `scope`: nothing new was stored.
  bool replayed = false;
  // With `replayed`: whether the first request had the same fingerprint.
  bool same_request = true;
};

class AssessmentRepository {
 public:
  virtual ~AssessmentRepository() = default;

  // Stores `assessment` (REQUIRES: id, organization and create_time set).
  // When this returns OK the assessment is durable: it survives a crash of
  // the process. Errors: ALREADY_EXISTS when the id is taken; INTERNAL or
  // UNAVAILABLE when the database fails.
  virtual absl::Status Insert(const v1::Assessment& assessment) = 0;

  // Like Insert, unless a record with `request.scope` created at or after
  // `request.not_before_us` exists and its assessment is still stored: then
  // stores nothing and returns that assessment (replayed). Otherwise stores
  // `assessment` and the record in one transaction (replacing an expired
  // record of the same scope and removing expired ones). Durable as Insert.
  // Concurrent calls with one scope store one assessment. Errors as Insert.
  virtual absl::StatusOr<InsertOnceResult> InsertOnce(
      const v1::Assessment& assessment, const CreateRequestRecord& request) = 0;

  // The assessment with `id`. Errors: NOT_FOUND; INTERNAL on database or
  // decoding failures.
  virtual absl::StatusOr<v1::Assessment> Get(absl::string_view id) = 0;

  // Up to `limit` assessments of `organization`, newest first (create_time,
  // then id, both descending), starting after `after` when given.
  virtual absl::StatusOr<std::vector<v1::Assessment>> List(
      absl::string_view organization, const std::optional<ListPosition>& after,
      int limit) = 0;

  // Removes the assessment with `id` and the request records that point to
  // it. Errors: NOT_FOUND.
  virtual absl::Status Delete(absl::string_view id) = 0;

  // Whether the store can serve calls now: OK, or the error a call would
  // get (UNAVAILABLE while a database server cannot be reached). The
  // PostgreSQL backend makes one round trip; SQLite, a local file, is
  // always OK once open.
  virtual absl::Status CheckHealth() { return absl::OkStatus(); }
};

// The SQLite schema version this build creates and migrates to.
int SqliteSchemaVersion();

// Opens (creating if missing) the SQLite database at `path`, switches it to
// WAL mode and runs every pending schema migration. Errors: FAILED_PRECONDITION
// when the database was written by a newer schema version than this build
// knows; UNAVAILABLE or INTERNAL when it cannot be opened or migrated.
absl::StatusOr<std::unique_ptr<AssessmentRepository>> OpenSqliteRepository(
    const std::string& path);

}  // namespace divcheck::assessment

#endif  // DIVCHECK_ASSESSMENT_REPOSITORY_H_
