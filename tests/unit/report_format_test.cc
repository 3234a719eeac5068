// The CLI's hand-written JSON must equal protobuf's proto3 JSON printer, on
// real reports (every corpus passage and example ad) and on strings that
// need escaping.
#include "clients/cli/report_format.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzers/engine.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

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

TEST(FormatJson, EqualsTheLibraryOnRealReports) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  auto engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  int checked = 0;
  for (const char* dir : {"corpus/de", "corpus/en", "../examples"}) {
    const fs::path p = fs::path(DIVCHECK_TESTS_DIR) / dir;
    for (const auto& e : fs::directory_iterator(p)) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      auto report = (*engine)->ScanText(buf.str(), ScanOptions());
      ASSERT_TRUE(report.ok()) << e.path() << ": " << report.status();
      ASSERT_EQ(FormatJson(*report), FormatJsonWithLibrary(*report)) << e.path();
      ++checked;
    }
  }
  EXPECT_GE(checked, 150);
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
