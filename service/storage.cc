#include "service/storage.h"

#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "assessment/postgres_repository.h"
#include "base/file.h"

namespace divcheck::service {

absl::StatusOr<std::string> DatabasePassword(const ServerOptions& options) {
  if (!options.database_password_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile(options.database_password_file);
    if (!text.ok()) {
      return absl::Status(
          text.status().code(),
          absl::StrCat("--database_password_file: ", text.status().message()));
    }
    std::string password = text->substr(0, text->find('\n'));
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--database_password_file: ", options.database_password_file,
          ": the first line is empty"));
    }
    return password;
  }
  for (const char* name : {"DIVCHECK_DATABASE_PASSWORD", "PGPASSWORD"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') return std::string(value);
  }
  return std::string();
}

namespace {

absl::StatusOr<std::unique_ptr<assessment::PostgresRepository>> OpenPostgres(
    const ServerOptions& options) {
  assessment::PostgresOptions pg;
  pg.url = options.database;
  absl::StatusOr<std::string> password = DatabasePassword(options);
  if (!password.ok()) return password.status();
  pg.password = *std::move(password);
  pg.pool_size = static_cast<int>(options.database_pool_size);
  pg.connect_timeout = options.database_connect_timeout;
  pg.statement_timeout = options.database_statement_timeout;
  return assessment::NewPostgresRepository(pg);
}

}  // namespace

absl::StatusOr<Storage> OpenStorage(const ServerOptions& options) {
  Storage storage;
  if (!options.database.empty()) {
    absl::StatusOr<std::unique_ptr<assessment::PostgresRepository>> repo =
        OpenPostgres(options);
    if (!repo.ok()) return repo.status();
    storage.repository = *std::move(repo);
    storage.description = "postgresql";
    return storage;
  }
  if (options.data_dir.empty()) return storage;
  storage.description =
      (std::filesystem::path(options.data_dir) / "assessments.db").string();
  absl::StatusOr<std::unique_ptr<assessment::AssessmentRepository>> repo =
      assessment::OpenSqliteRepository(storage.description);
  if (!repo.ok()) return repo.status();
  storage.repository = *std::move(repo);
  return storage;
}

int MigrateOnly(const ServerOptions& options, JsonLog& log) {
  if (options.database.empty()) {
    // Opening a SQLite database migrates it.
    absl::StatusOr<Storage> storage = OpenStorage(options);
    if (!storage.ok()) {
      log.Error("migration failed",
                {{"error", std::string(storage.status().message())}});
      return 1;
    }
    log.Info("schema is current",
             {{"storage", storage->description},
              {"schema_version",
               static_cast<int64_t>(assessment::SqliteSchemaVersion())}});
    return 0;
  }
  absl::StatusOr<std::unique_ptr<assessment::PostgresRepository>> repo =
      OpenPostgres(options);
  absl::StatusOr<assessment::SchemaMigration> done =
      repo.ok() ? (*repo)->Migrate()
                : absl::StatusOr<assessment::SchemaMigration>(repo.status());
  if (!done.ok()) {
    log.Error("migration failed",
              {{"error", std::string(done.status().message())},
               {"code", absl::StatusCodeToString(done.status().code())}});
    return 1;
  }
  log.Info(done->from == done->to ? "schema is current" : "schema migrated",
           {{"storage", "postgresql"},
            {"from_version", static_cast<int64_t>(done->from)},
            {"schema_version", static_cast<int64_t>(done->to)}});
  return 0;
}

StorageMonitor::StorageMonitor(assessment::AssessmentRepository* repository,
                               JsonLog* log,
                               std::function<void(bool)> on_change,
                               std::chrono::milliseconds interval)
    : repository_(repository),
      log_(log),
      on_change_(std::move(on_change)),
      interval_(interval) {
  Check();
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(absl::FromChrono(interval_))) {
      Check();
    }
  });
}

StorageMonitor::~StorageMonitor() { Stop(); }

void StorageMonitor::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void StorageMonitor::Check() {
  const absl::Status s = repository_->CheckHealth();
  const int serving = s.ok() ? 1 : 0;
  if (serving == serving_) return;
  serving_ = serving;
  if (s.ok()) {
    log_->Info("assessment storage available: AssessmentService SERVING");
  } else {
    log_->Warning(
        "assessment storage unavailable: AssessmentService NOT_SERVING, "
        "scanning continues",
        {{"error", std::string(s.message())},
         {"code", absl::StatusCodeToString(s.code())}});
  }
  if (!stop_.HasBeenNotified()) on_change_(s.ok());
}

}  // namespace divcheck::service
