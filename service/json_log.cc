#include "service/json_log.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/json.h"

namespace divcheck::service {

LogField::LogField(absl::string_view key, absl::string_view value)
    : json_(absl::StrCat(JsonQuote(key), ":", JsonQuote(value))) {}
LogField::LogField(absl::string_view key, int64_t value)
    : json_(absl::StrCat(JsonQuote(key), ":", value)) {}
LogField::LogField(absl::string_view key, uint64_t value)
    : json_(absl::StrCat(JsonQuote(key), ":", value)) {}
LogField::LogField(absl::string_view key, double value)
    : json_(absl::StrCat(JsonQuote(key), ":",
                         std::isfinite(value) ? absl::StrFormat("%.3f", value)
                                              : std::string("null"))) {}
LogField::LogField(absl::string_view key, bool value)
    : json_(absl::StrCat(JsonQuote(key), ":", value ? "true" : "false")) {}

JsonLog::JsonLog(FILE* out, std::chrono::milliseconds flush_interval)
    : flush_interval_(flush_interval), out_(out) {
  if (flush_interval_.count() > 0)
    flusher_ = std::thread([this] { FlushPeriodically(); });
}

JsonLog::~JsonLog() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
    stop_cv_.Signal();
  }
  if (flusher_.joinable()) flusher_.join();
  absl::MutexLock lock(&mu_);
  FlushLocked();
}

void JsonLog::FlushPeriodically() {
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    stop_cv_.WaitWithTimeout(&mu_, absl::FromChrono(flush_interval_));
    FlushLocked();
  }
}

void JsonLog::FlushLocked() {
  if (pending_.empty()) return;
  std::fwrite(pending_.data(), 1, pending_.size(), out_);
  std::fflush(out_);
  pending_.clear();
}

void JsonLog::Info(absl::string_view msg,
                   std::initializer_list<LogField> fields) {
  Write("info", msg, fields.begin(), fields.end(), false);
}
void JsonLog::Warning(absl::string_view msg,
                      std::initializer_list<LogField> fields) {
  Write("warning", msg, fields.begin(), fields.end(), false);
}
void JsonLog::Error(absl::string_view msg,
                    std::initializer_list<LogField> fields) {
  Write("error", msg, fields.begin(), fields.end(), false);
}
void JsonLog::Log(absl::string_view level, absl::string_view msg,
                  const std::vector<LogField>& fields) {
  Write(level, msg, fields.data(), fields.data() + fields.size(), false);
}
void JsonLog::LogBuffered(absl::string_view level, absl::string_view msg,
                          const std::vector<LogField>& fields) {
  Write(level, msg, fields.data(), fields.data() + fields.size(), true);
}

void JsonLog::Write(absl::string_view level, absl::string_view msg,
                    const LogField* begin, const LogField* end, bool buffered) {
  std::string line =
      absl::StrCat("{\"ts\":\"",
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   "\",\"level\":\"", level, "\",\"msg\":", JsonQuote(msg));
  for (const LogField* f = begin; f != end; ++f)
    absl::StrAppend(&line, ",", f->json());
  line += "}\n";
  absl::MutexLock lock(&mu_);
  pending_ += line;
  constexpr size_t kMaxPending = 64 << 10;
  if (!buffered || flush_interval_.count() == 0 ||
      pending_.size() >= kMaxPending) {
    FlushLocked();
  }
}

}  // namespace divcheck::service
