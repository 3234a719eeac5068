// DataProblem: one problem found in a data file (a lexicon, a questionnaire,
// a configuration), with its place, so that loaders can report every problem
// at once as `file:line:col: message`.
//
// A plain value type; safe to copy and to use from any thread.
#ifndef DIVCHECK_BASE_DATA_PROBLEM_H_
#define DIVCHECK_BASE_DATA_PROBLEM_H_

#include <string>

namespace divcheck {

struct DataProblem {
  // Path of the file, usually relative to the directory that was loaded.
  std::string file;
  // 1-based; 0 when the problem concerns the whole file.
  int line = 0;
  int column = 0;
  std::string message;
  // "file:line:col: message", or "file: message" when line is 0.
  std::string ToString() const;
};

}  // namespace divcheck

#endif  // DIVCHECK_BASE_DATA_PROBLEM_H_
