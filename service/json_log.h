// JsonLog: structured logs for divcheckd, one JSON object per line.
//
//   JsonLog log(stdout);
//   log.Info("rpc", {{"method", "ScanText"}, {"latency_ms", 0.12}});
//   → {"ts":"2026-11-26T12:00:00.123Z","level":"info","msg":"rpc",
//      "method":"ScanText","latency_ms":0.12}
//
// Lines are written whole, so lines from different threads never
// interleave and a reader (a test, a log shipper) sees complete lines.
// Info/Warning/Error/Log write at once. LogBuffered — for the per-call lines
// on the hot path — may hold lines back for up to the flush interval (or
// until 64 KiB are pending) so that a busy server makes one write per batch
// instead of one per call; any immediate line, and destruction, writes the
// held lines first, so the order is kept.
//
// Callers must never pass submitted text: logs hold ids, sizes, codes and
// timings only.
//
// A JsonLog is safe for concurrent use by any number of threads.
#ifndef DIVCHECK_SERVICE_JSON_LOG_H_
#define DIVCHECK_SERVICE_JSON_LOG_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "base/json.h"

namespace divcheck::service {

// One "key": value pair; the value is rendered as JSON when constructed.
class LogField {
 public:
  LogField(absl::string_view key, absl::string_view value);
  LogField(absl::string_view key, const char* value)
      : LogField(key, absl::string_view(value)) {}
  LogField(absl::string_view key, const std::string& value)
      : LogField(key, absl::string_view(value)) {}
  LogField(absl::string_view key, int64_t value);
  LogField(absl::string_view key, int value) : LogField(key, int64_t{value}) {}
  LogField(absl::string_view key, uint64_t value);
  LogField(absl::string_view key, uint32_t value)
      : LogField(key, uint64_t{value}) {}
  LogField(absl::string_view key, double value);
  LogField(absl::string_view key, bool value);

  const std::string& json() const { return json_; }  // "key":value

 private:
  std::string json_;
};

class JsonLog {
 public:
  // Writes to `out`, which must stay open while the log is used. With a
  // positive `flush_interval`, a background thread writes buffered lines at
  // least that often; with zero, LogBuffered writes at once.
  explicit JsonLog(FILE* out, std::chrono::milliseconds flush_interval =
                                  std::chrono::milliseconds(0));
  ~JsonLog();

  JsonLog(const JsonLog&) = delete;
  JsonLog& operator=(const JsonLog&) = delete;

  void Info(absl::string_view msg, std::initializer_list<LogField> fields = {});
  void Warning(absl::string_view msg,
               std::initializer_list<LogField> fields = {});
  void Error(absl::string_view msg,
             std::initializer_list<LogField> fields = {});
  // `level` is "info", "warning" or "error".
  void Log(absl::string_view level, absl::string_view msg,
           const std::vector<LogField>& fields);
  // Like Log, but the line may wait for the next flush (see above).
  void LogBuffered(absl::string_view level, absl::string_view msg,
                   const std::vector<LogField>& fields);

 private:
  void Write(absl::string_view level, absl::string_view msg,
             const LogField* begin, const LogField* end, bool buffered);
  void FlushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FlushPeriodically();

  const std::chrono::milliseconds flush_interval_;
  absl::Mutex mu_;
  absl::CondVar stop_cv_;
  FILE* const out_ ABSL_PT_GUARDED_BY(mu_);
  std::string pending_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread flusher_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_JSON_LOG_H_
