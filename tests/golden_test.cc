// Golden tests: each tests/golden/NAME.txt is scanned with the fixture
// lexicon (tests/data/lexicons) and the findings and highlights are compared
// with tests/golden/NAME.expected, one line each:
//
//   LINE:COL SEVERITY RULE_ID "MATCHED TEXT"
//   LINE:COL highlight KIND RULE_ID "MATCHED TEXT"
//
// A new case is a new pair of files; each case is a test of its own,
// Golden/GoldenTest.FindingsAndHighlightsMatchExpected/NAME (NAME with "_"
// for "-"). DIVCHECK_UPDATE_GOLDEN=1 rewrites the
// .expected files from the current output (review the diff before
// committing).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "gtest/gtest.h"
#include "tests/data_cases.h"

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
    absl::StrAppend(&out, f.span().line(), ":", f.span().column(), " ", sev,
                    " ", f.rule_id(), " \"", f.matched_text(), "\"\n");
  }
  for (const v1::Highlight& h : r.highlights()) {
    absl::StrAppend(&out, h.span().line(), ":", h.span().column(),
                    " highlight ", v1::HighlightKind_Name(h.kind()).substr(15),
                    " ", h.rule_id(), " \"", h.matched_text(), "\"\n");
  }
  absl::StrAppend(&out, "score ", r.score(), " grade ", r.grade(), "\n");
  return out;
}

class GoldenTest : public ::testing::TestWithParam<testing::DataCase> {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_TEST_LEXICONS;
    auto engine = Engine::Create(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Engine* engine_;
};
Engine* GoldenTest::engine_ = nullptr;

std::vector<testing::DataCase> GoldenCases() {
  return testing::DataFiles(DIVCHECK_GOLDEN_DIR, {".txt"});
}

TEST_P(GoldenTest, FindingsAndHighlightsMatchExpected) {
  ASSERT_NE(engine_, nullptr);
  const fs::path input = GetParam().path;
  const bool update = std::getenv("DIVCHECK_UPDATE_GOLDEN") != nullptr;
  ScanOptions scan;
  scan.language = input.filename().string().rfind("en-", 0) == 0 ? "en" : "de";
  auto report = engine_->ScanText(ReadFile(input), scan);
  ASSERT_TRUE(report.ok()) << report.status();
  const std::string got = Render(*report);
  fs::path expected_path = input;
  expected_path.replace_extension(".expected");
  if (update) {
    std::ofstream(expected_path, std::ios::binary) << got;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
  EXPECT_EQ(got, ReadFile(expected_path));
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(GoldenCases()),
                         testing::DataCaseName);

// An empty or unreadable directory must fail, not pass with nothing run.
TEST(GoldenCases, DirectoryHasAtLeastFiveCases) {
  EXPECT_GE(GoldenCases().size(), 5u) << "in " << DIVCHECK_GOLDEN_DIR;
}

}  // namespace
}  // namespace divcheck
