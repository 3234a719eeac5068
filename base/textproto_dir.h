// Reading a directory of text-format data files (lexicons, questionnaires):
// every *.textproto below it, in a stable order, with a content hash that
// identifies the set.
//
//   std::vector<DataProblem> problems;
//   absl::StatusOr<std::vector<DataFile>> files =
//       ReadTextprotoDir("lexicons", "lexicon", &problems);
//
// Thread-safe: the functions touch no shared state.
#ifndef DIVCHECK_BASE_TEXTPROTO_DIR_H_
#define DIVCHECK_BASE_TEXTPROTO_DIR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/data_problem.h"

namespace divcheck {

// One file read from a data directory.
struct DataFile {
  // Path relative to the directory, with '/' separators.
  std::string path;
  std::string content;
};

// Every regular *.textproto file below `dir` (recursively), sorted by
// path. A file that cannot be read is left out and appended to `problems`
// as "cannot read file". `what` names the data in messages ("lexicon").
// Errors: NOT_FOUND when `dir` is not a directory, UNAVAILABLE when it
// cannot be listed. An empty directory gives an empty vector.
absl::StatusOr<std::vector<DataFile>> ReadTextprotoDir(
    const std::string& dir, absl::string_view what,
    std::vector<DataProblem>* problems);

// The FNV-1a hash over each file's path and content, in order: equal for
// equal sets of files, stable across machines and builds.
uint64_t ContentHash(const std::vector<DataFile>& files);

// `hash` as 16 lower-case hex digits.
std::string HashHex(uint64_t hash);

}  // namespace divcheck

#endif  // DIVCHECK_BASE_TEXTPROTO_DIR_H_
