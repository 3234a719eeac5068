// The assessment storage divcheckd's options ask for, and the watch on it.
//
//   absl::StatusOr<Storage> storage = OpenStorage(options);
//   StorageMonitor monitor(storage->repository.get(), log, on_change);
//
// SQLite in --data_dir is opened (and migrated) at once: an error stops
// start-up. PostgreSQL (--database) is connected lazily: divcheckd starts
// even while the database is unreachable (scanning does not need it), and
// the monitor reports the assessment service NOT_SERVING until a round
// trip (which first applies the pending migrations) succeeds.
//
// Thread-safety: StorageMonitor runs its own thread; its callback runs on
// that thread (and once in the constructor).
#ifndef DIVCHECK_SERVICE_STORAGE_H_
#define DIVCHECK_SERVICE_STORAGE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "assessment/repository.h"
#include "service/json_log.h"
#include "service/server_options.h"

namespace divcheck::service {

struct Storage {
  // Null when neither --database nor --data_dir is given.
  std::unique_ptr<assessment::AssessmentRepository> repository;
  // For the log: the SQLite file, or "postgresql" (never the URL's
  // password, which it cannot have, nor the URL: it names hosts).
  std::string description;
};

// The database password: the file's first line, else
// $DIVCHECK_DATABASE_PASSWORD, else $PGPASSWORD, else "" (libpq then looks
// in ~/.pgpass). Errors: NOT_FOUND or INVALID_ARGUMENT (empty file).
absl::StatusOr<std::string> DatabasePassword(const ServerOptions& options);

// Opens the storage (see the file comment). The SQLite database file is
// DATA_DIR/assessments.db.
absl::StatusOr<Storage> OpenStorage(const ServerOptions& options);

// divcheckd --migrate_only: applies the migrations, logs the versions, and
// returns the exit status (0 done, 1 failed).
int MigrateOnly(const ServerOptions& options, JsonLog& log);

// Checks the repository every `interval` (CheckHealth) and calls
// `on_change(serving)` whenever the answer changes, logging each change.
class StorageMonitor {
 public:
  // Checks once before returning and calls on_change with the result.
  StorageMonitor(assessment::AssessmentRepository* repository, JsonLog* log,
                 std::function<void(bool serving)> on_change,
                 std::chrono::milliseconds interval);
  ~StorageMonitor();  // Stop()s
  StorageMonitor(const StorageMonitor&) = delete;
  StorageMonitor& operator=(const StorageMonitor&) = delete;

  // No more checks or callbacks after this returns.
  void Stop();

 private:
  void Check();

  assessment::AssessmentRepository* const repository_;
  JsonLog* const log_;
  const std::function<void(bool)> on_change_;
  const std::chrono::milliseconds interval_;
  int serving_ = -1;  // -1 unknown; only the checking thread touches it
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_STORAGE_H_
