// Collects protobuf text-format parse errors as problems with file, line and
// column (1-based), for loaders that report every problem at once.
#ifndef DIVCHECK_BASE_TEXTPROTO_ERRORS_H_
#define DIVCHECK_BASE_TEXTPROTO_ERRORS_H_

#include <string>
#include <utility>
#include <vector>

#include "base/data_problem.h"
#include "google/protobuf/io/tokenizer.h"

namespace divcheck {

// Not thread-safe: one per parse.
class CollectingErrors : public google::protobuf::io::ErrorCollector {
 public:
  CollectingErrors(std::string file, std::vector<DataProblem>* problems)
      : file_(std::move(file)), problems_(problems) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    Add(line, column, message);
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    Add(line, column, message);
  }

 private:
  void Add(int line, google::protobuf::io::ColumnNumber column,
           const std::string& message) {
    DataProblem p;
    p.file = file_;
    p.line = line + 1;
    p.column = column + 1;
    p.message = message;
    problems_->push_back(std::move(p));
  }

  std::string file_;
  std::vector<DataProblem>* problems_;
};

}  // namespace divcheck

#endif  // DIVCHECK_BASE_TEXTPROTO_ERRORS_H_
