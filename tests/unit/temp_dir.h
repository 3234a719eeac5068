// A temporary directory for unit tests, removed with everything in it when
// the object goes out of scope. Not thread-safe (one per test).
#ifndef DIVCHECK_TESTS_UNIT_TEMP_DIR_H_
#define DIVCHECK_TESTS_UNIT_TEMP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace divcheck::unit_testing {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("divcheck_unit_test_" + std::to_string(::getpid()) + "_" +
             std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to `name` (relative), creating its directories.
  void Write(const std::string& name, const std::string& content) {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name) << content;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

}  // namespace divcheck::unit_testing

#endif  // DIVCHECK_TESTS_UNIT_TEMP_DIR_H_
