#include "base/data_problem.h"

#include "absl/strings/str_cat.h"

namespace divcheck {

std::string DataProblem::ToString() const {
  if (line <= 0) return absl::StrCat(file, ": ", message);
  return absl::StrCat(file, ":", line, ":", column, ": ", message);
}

}  // namespace divcheck
