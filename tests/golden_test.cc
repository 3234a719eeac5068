// Golden tests: each tests/golden/NAME.txt is scanned with the fixture
// lexicon (tests/data/lexicons) and the findings and highlights are compared
// with tests/golden/NAME.expected, one line each:
//
//   LINE:COL SEVERITY RULE_ID "MATCHED TEXT"
//   LINE:COL highlight KIND RULE_ID "MATCHED TEXT"
//
// A new case is a new pair of files. DIVCHECK_UPDATE_GOLDEN=1 rewrites the
// .expected files from the current output (review the diff before
// committing).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "gtest/gtest.h"

namespace divcheck {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string Render(const v1::Report& r) {
  std::string out;
  for (const v1::Finding& f : r.findings()) {
    std::string sev = v1::Severity_Name(f.severity()).substr(9);  // SEVERITY_
    absl::StrAppend(&out, f.span().line(), ":", f.span().column(), " ", sev, " ",
                    f.rule_id(), " \"", f.matched_text(), "\"\n");
  }
  for (const v1::Highlight& h : r.highlights()) {
    absl::StrAppend(&out, h.span().line(), ":", h.span().column(), " highlight ",
                    v1::HighlightKind_Name(h.kind()).substr(15), " ", h.rule_id(),
                    " \"", h.matched_text(), "\"\n");
  }
  absl::StrAppend(&out, "score ", r.score(), " grade ", r.grade(), "\n");
  return out;
}

TEST(Golden, AllCases) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_TEST_LEXICONS;
  auto engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const bool update = std::getenv("DIVCHECK_UPDATE_GOLDEN") != nullptr;
  int cases = 0;
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(DIVCHECK_GOLDEN_DIR)) {
    if (e.path().extension() == ".txt") inputs.push_back(e.path());
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path& input : inputs) {
    SCOPED_TRACE(input.filename().string());
    ++cases;
    ScanOptions scan;
    scan.language = input.filename().string().rfind("en-", 0) == 0 ? "en" : "de";
    auto report = (*engine)->ScanText(ReadFile(input), scan);
    ASSERT_TRUE(report.ok()) << report.status();
    const std::string got = Render(*report);
    fs::path expected_path = input;
    expected_path.replace_extension(".expected");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << got;
      continue;
    }
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
    EXPECT_EQ(got, ReadFile(expected_path));
  }
  EXPECT_GE(cases, 5);
}

}  // namespace
}  // namespace divcheck
