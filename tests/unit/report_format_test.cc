// The CLI's hand-written JSON must equal protobuf's proto3 JSON printer, on
// real reports (every corpus passage and example ad) and on strings that
// need escaping.
#include "clients/cli/report_format.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/engine.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/data_cases.h"

namespace divcheck::cli {
namespace {

namespace fs = std::filesystem;

// The reference: protobuf's own proto3 JSON printer with the options the
// hand-written writer reproduces.
std::string FormatJsonWithLibrary(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(report, &out, options).ok());
  return out;
}

TEST(FormatJson, EqualsTheLibraryOnEscapesAndDefaults) {
  v1::Report report;
  EXPECT_EQ(FormatJson(report), FormatJsonWithLibrary(report));
  v1::Finding* f = report.add_findings();
  f->set_rule_id("de.x");
  f->set_matched_text("\"quoted\" \\ back <tag> & 'apos' \t\n\r\b\f \x01\x1f\x7f");
  f->set_message("Umlaute äöü ß, „Anführung“, – Strich, \u2028 \u2029 emoji \U0001F600 soft\u00ADhyphen \u200B\u200E\u2060\uFEFF\uFFFB \u0600\u06DD");
  f->add_dimensions(v1::DIMENSION_AGE);
  f->add_dimensions(static_cast<v1::Dimension>(42));  // unknown value
  f->mutable_span()->set_end_char(7);
  report.add_highlights()->set_kind(v1::HIGHLIGHT_KIND_PART_TIME);
  report.mutable_coded_wording()->add_agentic_words("führ");
  report.set_language_detected(true);
  report.set_score(100);
  EXPECT_EQ(FormatJson(report), FormatJsonWithLibrary(report));
}

// Every corpus passage and example ad, one test each:
// RealReports/FormatJsonOnRealReports.EqualsTheLibrary/corpus_de_001_....
std::vector<testing::DataCase> RealTexts() {
  std::vector<testing::DataCase> cases;
  for (const auto& [dir, prefix] :
       {std::pair<const char*, const char*>{"corpus/de", "corpus_de_"},
        {"corpus/en", "corpus_en_"},
        {"../examples", "examples_"}}) {
    for (testing::DataCase& c :
         testing::DataFiles((fs::path(DIVCHECK_TESTS_DIR) / dir).string(),
                            {".txt"}, prefix)) {
      cases.push_back(std::move(c));
    }
  }
  testing::MakeNamesUnique(&cases);
  return cases;
}

class FormatJsonOnRealReports
    : public ::testing::TestWithParam<testing::DataCase> {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
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
Engine* FormatJsonOnRealReports::engine_ = nullptr;

TEST_P(FormatJsonOnRealReports, EqualsTheLibrary) {
  ASSERT_NE(engine_, nullptr);
  std::ifstream in(GetParam().path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << GetParam().path;
  std::stringstream buf;
  buf << in.rdbuf();
  auto report = engine_->ScanText(buf.str(), ScanOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(FormatJson(*report), FormatJsonWithLibrary(*report));
}

INSTANTIATE_TEST_SUITE_P(RealReports, FormatJsonOnRealReports,
                         ::testing::ValuesIn(RealTexts()),
                         testing::DataCaseName);

// Missing or emptied directories must fail, not shrink the test silently.
TEST(FormatJson, RealReportsAreAtLeastOneHundredFifty) {
  const std::vector<testing::DataCase> cases = RealTexts();
  EXPECT_GE(cases.size(), 150u) << "under " << DIVCHECK_TESTS_DIR;
  for (const char* prefix : {"corpus_de_", "corpus_en_", "examples_"}) {
    EXPECT_TRUE(std::any_of(cases.begin(), cases.end(),
                            [prefix](const testing::DataCase& c) {
                              return c.name.rfind(prefix, 0) == 0;
                            }))
        << "no " << prefix << "* texts";
  }
}

// A report over the limit says, before the score, what it does not list.
TEST(FormatText, SaysWhatTheCapLeftOut) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  options.max_findings = 2;
  auto engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  ScanOptions scan;
  scan.language = "de";
  auto report = (*engine)->ScanText("jung jung jung jung jung", scan);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->findings_capped());
  const std::string text = FormatText("ad.txt", *report, TextStyle());
  EXPECT_NE(text.find("ad.txt: nicht aufgeführt (Grenze je Bericht): 3 weitere "
                      "Befunde, 0 weitere gute Stellen"),
            std::string::npos)
      << text;
  EXPECT_LT(text.find("nicht aufgeführt"), text.find("Punktzahl"));
  auto few = (*engine)->ScanText("jung", scan);
  ASSERT_TRUE(few.ok());
  EXPECT_EQ(FormatText("ad.txt", *few, TextStyle()).find("nicht aufgeführt"),
            std::string::npos);
}

}  // namespace
}  // namespace divcheck::cli
