// The limit on the findings and highlights one report lists (issue 17):
// the most severe findings are listed, in document order, and the report
// says how many it left out.
#include <string>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "gtest/gtest.h"

namespace divcheck {
namespace {

std::unique_ptr<Engine> MakeEngine(size_t max_findings) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  options.max_findings = max_findings;
  auto engine = Engine::Create(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

v1::Report Scan(const Engine& engine, const std::string& text) {
  ScanOptions options;
  options.language = "de";
  auto report = engine.ScanText(text, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::Report();
}

std::string Repeat(const std::string& unit, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(FindingsCap, DefaultIsFiveHundred) {
  EXPECT_EQ(EngineOptions().max_findings, 500u);
  EXPECT_EQ(kDefaultMaxFindings, 500u);
}

TEST(FindingsCap, UnderTheCapNothingIsLeftOut) {
  const auto engine = MakeEngine(500);
  ASSERT_NE(engine, nullptr);
  const v1::Report report =
      Scan(*engine, Repeat("Wir sind ein junges Team. ", 10));
  EXPECT_EQ(report.findings_size(), 10);
  EXPECT_FALSE(report.findings_capped());
  EXPECT_EQ(report.omitted_finding_count(), 0u);
  EXPECT_EQ(report.omitted_highlight_count(), 0u);
}

// 4,000 findings of "jung " under the default limit: 500 listed.
TEST(FindingsCap, DefaultCapBoundsTheReport) {
  const auto engine = MakeEngine(kDefaultMaxFindings);
  ASSERT_NE(engine, nullptr);
  const auto unlimited = MakeEngine(SIZE_MAX);
  ASSERT_NE(unlimited, nullptr);
  const std::string text = Repeat("jung ", 4000);
  const v1::Report all = Scan(*unlimited, text);
  ASSERT_GT(all.findings_size(), 1000);
  EXPECT_FALSE(all.findings_capped());
  const v1::Report report = Scan(*engine, text);
  EXPECT_EQ(report.findings_size(), 500);
  EXPECT_TRUE(report.findings_capped());
  EXPECT_EQ(report.findings_size() + report.omitted_finding_count(),
            static_cast<uint32_t>(all.findings_size()));
  // The listed findings are the first 500 of the whole list (all of one
  // severity here), with the same spans.
  for (int i = 0; i < report.findings_size(); ++i) {
    EXPECT_EQ(report.findings(i).span().start_byte(),
              all.findings(i).span().start_byte());
  }
  // The size of the response does not grow with the input beyond the cap.
  const v1::Report longer = Scan(*engine, Repeat("jung ", 8000));
  EXPECT_EQ(longer.findings_size(), 500);
  EXPECT_LE(longer.ByteSizeLong(), report.ByteSizeLong() + 64);
}

// Hints first in the text, a warning and a critical finding at its end:
// with room for two, the report lists the critical and the warning.
TEST(FindingsCap, MostSevereAreListedInDocumentOrder) {
  const auto engine = MakeEngine(2);
  ASSERT_NE(engine, nullptr);
  const std::string text =
      Repeat("Sie sind belastbar. ", 5) +
      "Wir sind ein junges Team. Berufseinsteiger willkommen.";
  const v1::Report report = Scan(*engine, text);
  ASSERT_EQ(report.findings_size(), 2);
  EXPECT_EQ(report.findings(0).rule_id(), "de.age.junges_team");
  EXPECT_EQ(report.findings(1).rule_id(), "de.age.berufseinsteiger");
  EXPECT_TRUE(report.findings_capped());
  EXPECT_EQ(report.omitted_finding_count(), 5u);
  // Score, grade and counts are those of the listed findings.
  EXPECT_EQ(report.critical_count(), 1u);
  EXPECT_EQ(report.warning_count(), 1u);
  EXPECT_EQ(report.hint_count(), 0u);
  const v1::Report listed_only =
      Scan(*engine, "Wir sind ein junges Team. Berufseinsteiger willkommen.");
  EXPECT_EQ(report.score(), listed_only.score());
  EXPECT_EQ(report.grade(), listed_only.grade());
}

TEST(FindingsCap, HighlightsAreCappedToo) {
  const auto engine = MakeEngine(3);
  ASSERT_NE(engine, nullptr);
  const v1::Report report =
      Scan(*engine, Repeat("Verkäufer (m/w/d) in Teilzeit.\n", 10));
  EXPECT_EQ(report.highlights_size(), 3);
  EXPECT_GT(report.omitted_highlight_count(), 0u);
  const auto unlimited = MakeEngine(SIZE_MAX);
  ASSERT_NE(unlimited, nullptr);
  const v1::Report all =
      Scan(*unlimited, Repeat("Verkäufer (m/w/d) in Teilzeit.\n", 10));
  EXPECT_EQ(report.highlights_size() + report.omitted_highlight_count(),
            static_cast<uint32_t>(all.highlights_size()));
  EXPECT_EQ(all.omitted_highlight_count(), 0u);
}

}  // namespace
}  // namespace divcheck
