// DirectoryWatcher: notices when the files below a directory change, so
// that divcheckd can reload its lexicons without a SIGHUP
// (--watch_lexicons_seconds).
//
// It polls: every `interval` it lists the regular files below the
// directory with their sizes and modification times. A change is reported
// only once the listing has stayed the same for one more interval, so a
// reload does not read a file while an editor is still writing it, and only
// once per change, whether or not the reload then succeeds.
//
//   DirectoryWatcher watcher(dir, std::chrono::seconds(2),
//                            DirectoryFingerprint(dir), [&] { Reload(); });
//   ...
//   watcher.Stop();  // or let the destructor stop it
#ifndef DIVCHECK_SERVICE_LEXICON_WATCH_H_
#define DIVCHECK_SERVICE_LEXICON_WATCH_H_

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace divcheck::service {

// The regular files below `dir`, sorted, each as path, size and
// modification time; a directory that cannot be read gives its error
// instead. Equal strings mean nothing changed.
std::string DirectoryFingerprint(const std::string& dir);

class DirectoryWatcher {
 public:
  // Starts polling `dir` on a thread of its own; `on_change` runs on that
  // thread. `initial` is the fingerprint of what is already loaded (take it
  // before loading, so that a change made meanwhile is not missed).
  DirectoryWatcher(std::string dir, std::chrono::milliseconds interval,
                   std::string initial, std::function<void()> on_change);
  ~DirectoryWatcher();
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  // Stops polling and waits for a running `on_change` to return.
  void Stop();

 private:
  void Loop(std::string initial);

  const std::string dir_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> on_change_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_LEXICON_WATCH_H_
