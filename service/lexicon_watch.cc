#include "service/lexicon_watch.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace divcheck::service {

namespace fs = std::filesystem;

std::string DirectoryFingerprint(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  for (const fs::recursive_directory_iterator end; !ec && it != end;
       it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec) || file_ec) continue;
    const uintmax_t size = it->file_size(file_ec);
    const fs::file_time_type mtime = it->last_write_time(file_ec);
    if (file_ec) continue;  // removed while listing: the next poll sees it
    files.push_back(absl::StrCat(it->path().string(), "\t", size, "\t",
                                 mtime.time_since_epoch().count()));
  }
  if (ec) return absl::StrCat("error\t", ec.message());
  std::sort(files.begin(), files.end());
  std::string out;
  for (const std::string& f : files) absl::StrAppend(&out, f, "\n");
  return out;
}

DirectoryWatcher::DirectoryWatcher(std::string dir,
                                   std::chrono::milliseconds interval,
                                   std::string initial,
                                   std::function<void()> on_change)
    : dir_(std::move(dir)),
      interval_(interval),
      on_change_(std::move(on_change)),
      thread_(&DirectoryWatcher::Loop, this, std::move(initial)) {}

DirectoryWatcher::~DirectoryWatcher() { Stop(); }

void DirectoryWatcher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void DirectoryWatcher::Loop(std::string initial) {
  std::string acted_on = std::move(initial);  // loaded, or tried
  std::string previous = acted_on;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_),
                               absl::FromChrono(interval_))) {
        return;
      }
    }
    std::string now = DirectoryFingerprint(dir_);
    if (now == previous && now != acted_on) {
      on_change_();
      acted_on = now;
    }
    previous = std::move(now);
  }
}

}  // namespace divcheck::service
