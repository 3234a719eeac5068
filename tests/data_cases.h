// Data-driven test cases: the files of a directory, found at start-up, as
// GoogleTest parameters with readable names, so that every case is a test
// of its own (listed by ctest, failing on its own).
//
//   INSTANTIATE_TEST_SUITE_P(
//       Golden, GoldenTest,
//       ::testing::ValuesIn(testing::DataFiles(DIR, {".txt"})),
//       testing::DataCaseName);
//
// An empty or missing directory instantiates nothing; GoogleTest then fails
// with "GoogleTestVerification.UninstantiatedParameterizedTestSuite<...>"
// (never silence it with GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST), and
// every suite also has a test that counts its cases.
#ifndef DIVCHECK_TESTS_DATA_CASES_H_
#define DIVCHECK_TESTS_DATA_CASES_H_

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gtest/gtest.h"

namespace divcheck::testing {

// One case: a name that is a valid, unique GoogleTest parameter name, and
// the file it reads ("" for cases that are not a file of their own).
struct DataCase {
  std::string name;
  std::string path;
  // For cases read from lines of a file: the 1-based line and its text.
  int line_number = 0;
  std::string line;
};

// What GoogleTest prints for a failing case's parameter.
inline std::ostream& operator<<(std::ostream& os, const DataCase& c) {
  os << (c.path.empty() ? c.name : c.path);
  if (c.line_number > 0) os << ":" << c.line_number << ": " << c.line;
  return os;
}

// The name generator for INSTANTIATE_TEST_SUITE_P.
inline std::string DataCaseName(
    const ::testing::TestParamInfo<DataCase>& info) {
  return info.param.name;
}

// `text` as a parameter name: every character but [A-Za-z0-9] becomes '_'.
inline std::string ParamName(std::string_view text) {
  std::string name(text);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name.empty() ? "_" : name;
}

// Makes the names unique, in order: a repeated name gets "_2", "_3", ...
inline void MakeNamesUnique(std::vector<DataCase>* cases) {
  std::map<std::string, int> seen;
  for (DataCase& c : *cases) {
    const int n = ++seen[c.name];
    if (n > 1) c.name += "_" + std::to_string(n);
  }
}

// The regular files directly in `dir` whose extension is one of
// `extensions` (".txt"), sorted by file name, named `prefix` + their
// sanitised stem ("de-leer.txt" → "de_leer"; files sharing a stem are
// named with their extension too: "a_html", "a_json"). A directory that is
// missing or cannot be read gives no cases.
inline std::vector<DataCase> DataFiles(
    const std::string& dir, const std::vector<std::string>& extensions,
    const std::string& prefix = "") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::path& p = it->path();
    if (!it->is_regular_file(ec)) continue;
    if (std::find(extensions.begin(), extensions.end(),
                  p.extension().string()) == extensions.end()) {
      continue;
    }
    files.push_back(p);
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) {
              return a.filename() < b.filename();
            });
  std::map<std::string, int> stems;
  for (const fs::path& p : files) ++stems[ParamName(p.stem().string())];
  std::vector<DataCase> cases;
  for (const fs::path& p : files) {
    const std::string stem = ParamName(p.stem().string());
    DataCase c;
    c.name =
        prefix + (stems[stem] > 1 ? ParamName(p.filename().string()) : stem);
    c.path = p.string();
    cases.push_back(std::move(c));
  }
  MakeNamesUnique(&cases);
  return cases;
}

}  // namespace divcheck::testing

#endif  // DIVCHECK_TESTS_DATA_CASES_H_
