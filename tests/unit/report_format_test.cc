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
#include "tests/shipped_engine.h"

namespace divcheck::cli {
namespace {

namespace fs = std::filesystem;

// The reference: protobuf's own proto3 JSON printer with the options the
// hand-written writer reproduces.
std::string FormatJsonWithLibrary(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(report, &out, options).ok());
  return out;
}

TEST(FormatJson, EqualsTheLibraryOnEscapesAndDefaults) {
  v1::Report report;
  EXPECT_EQ(FormatJson(report), FormatJsonWithLibrary(report));
  v1::Finding* f = report.add_findings();
  f->set_rule_id("de.x");
  f->set_matched_text(
      "\"quoted\" \\ back <tag> & 'apos' \t\n\r\b\f \x01\x1f\x7f");
  f->set_message(
      "Umlaute äöü ß, „Anführung“, – Strich, \u2028 \u2029 emoji \U0001F600 "
      "soft\u00ADhyphen \u200B\u200E\u2060\uFEFF\uFFFB \u0600\u06DD");
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
    for (testing::DataCase& c : testing::DataFiles(
             (fs::path(DIVCHECK_TESTS_DIR) / dir).string(), {".txt"}, prefix)) {
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
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
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

TEST(FormatText, ShowsReplacementsAndAdviceApart) {
  v1::Report report;
  report.set_language("de");
  v1::Finding* f = report.add_findings();
  f->set_rule_id("de.age.junges_team");
  f->set_severity(v1::SEVERITY_CRITICAL);
  f->add_replacements("ein engagiertes Team");
  f->add_advice("Beschreiben Sie die Aufgaben.");
  f->add_suggestions("ein engagiertes Team");
  f->add_suggestions("Beschreiben Sie die Aufgaben.");
  const std::string text = FormatText("ad.txt", report, TextStyle());
  EXPECT_NE(text.find("stattdessen: ein engagiertes Team\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Rat: Beschreiben Sie die Aufgaben.\n"),
            std::string::npos)
      << text;
  // An older server's report: only the mixed list.
  f->clear_replacements();
  f->clear_advice();
  const std::string old = FormatText("ad.txt", report, TextStyle());
  EXPECT_NE(old.find("stattdessen: ein engagiertes Team | Beschreiben Sie"),
            std::string::npos)
      << old;
}

// Text output goes to a terminal: nothing from the text, the file name or a
// server's answer may reach it as a control sequence.
TEST(FormatText, EscapesTerminalControlCharacters) {
  v1::Report report;
  report.set_language("de");
  report.set_grade("B\x1b[2J");
  v1::Finding* f = report.add_findings();
  f->set_rule_id("de.x\x07");
  f->set_message(
      "Alter \x1b]0;pwned\x07 \xc2\x9b"
      "31m");
  f->set_matched_text("jung\x1b[31m\r\n\t\x7f \xe2\x80\xae rechts \xff");
  f->set_context_note("\x1b[1A");
  f->add_suggestions("neu\x1b[0m");
  f->add_replacements("neu\x1b[0m");
  f->add_advice("streichen\x1b[0m");
  f->set_legal_basis("AGG \x08\x08");
  report.add_highlights()->set_message("gut\x1b[5m");
  for (bool color : {false, true}) {
    const std::string out =
        FormatText("ad\x1b[8m.txt", report, TextStyle{color});
    std::string without_own_styles = out;
    for (const char* own : {"\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[1m",
                            "\x1b[2m", "\x1b[32m", "\x1b[0m"}) {
      for (size_t at;
           (at = without_own_styles.find(own)) != std::string::npos;) {
        without_own_styles.erase(at, std::string(own).size());
      }
    }
    for (char c : without_own_styles) {
      const unsigned char u = static_cast<unsigned char>(c);
      EXPECT_TRUE(u == '\n' || (u >= 0x20 && u != 0x7f)) << int{u} << "\n"
                                                         << out;
    }
    EXPECT_EQ(without_own_styles.find("\xc2\x9b"), std::string::npos);
    EXPECT_EQ(without_own_styles.find("\xe2\x80\xae"), std::string::npos);
    EXPECT_NE(out.find("ad\\x1b[8m.txt:"), std::string::npos) << out;
    EXPECT_NE(out.find("jung\\x1b[31m\\r\\n\\t\\x7f \\u{202e} rechts \\xff"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("\\u{009b}31m"), std::string::npos) << out;
  }
  EXPECT_EQ(EscapeForTerminal("Verkäufer (m/w/d) – „jung“ 😀"),
            "Verkäufer (m/w/d) – „jung“ 😀");
}

TEST(FormatFormText, EscapesTerminalControlCharacters) {
  v1::ScanFormResponse response;
  v1::Finding* f = response.mutable_report()->add_findings();
  f->set_field_id("religion\x1b[2K");
  f->set_message("m\x1b[31m");
  response.mutable_readiness()->add_changes()->set_change("c\x1b]8;;x\x07");
  const std::string out =
      FormatFormText("form\x1b.html", response, TextStyle{});
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_NE(out.find("form\\x1b.html#religion\\x1b[2K:"), std::string::npos)
      << out;
}

}  // namespace
}  // namespace divcheck::cli
