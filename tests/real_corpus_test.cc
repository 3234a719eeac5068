// RealCorpusTest: the shipped lexicons on real, published job ads
// (tests/corpus/real/{de,en}/, format and label policy in
// tests/corpus/real/README.md, figures in docs/QUALITY.md).
//  * LabelFilesAreValid: every label file parses, has every field, and each
//    labelled phrase occurs in its ad text (strict);
//  * MeetsRecordedBaseline: precision of WARNING/CRITICAL findings, recall
//    of risk labels and the share of clean ads with a WARNING+ finding, per
//    dimension and overall; prints the table, every false alarm and every
//    miss with its rule id, and fails below the recorded baseline.
#include "tests/real_corpus.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "analyzers/engine.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"

namespace divcheck {
namespace {

using real_corpus::Ad;
using real_corpus::Score;

// The gate of issue 14: precision ≥ 0.95, recall ≥ 0.95 and at most 5 % of
// clean ads with any WARNING+ finding, per language and over the whole
// corpus. Never lower it to make a change pass; a language whose ads were
// just added is gated from the start (label the ads before running
// divcheck on them, docs/QUALITY.md).
//
// History: the first labelled German ads gave precision 0.295, recall
// 1.000, 38.7 % of clean ads flagged; English 0.667 / 0.333 / 1.4 %. Met
// for German on 2026-12-03 (0.962 / 0.962 / 1.5 %), for English on
// 2026-12-04 (1.000 / 1.000 / 0 %: "early career" as the group sought is a
// WARNING like "career starters", and role nouns among a technology
// stack's tools name programs).
struct Baseline {
  const char* language;  // "" for the whole corpus
  double precision, recall, clean_share;
  size_t min_ads;  // the corpus may grow but not shrink unnoticed
};
constexpr Baseline kBaselines[] = {
    {"de", 0.95, 0.95, 0.05, 84},
    {"en", 0.95, 0.95, 0.05, 80},
    {"", 0.95, 0.95, 0.05, 164},
};

class RealCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }
  static Engine* engine_;
};
Engine* RealCorpusTest::engine_ = nullptr;

TEST_F(RealCorpusTest, LabelFilesAreValid) {
  std::string errors;
  const std::vector<Ad> ads =
      real_corpus::LoadCorpus(DIVCHECK_REAL_CORPUS_DIR, &errors);
  EXPECT_EQ(errors, "");
  for (const Baseline& b : kBaselines) {
    size_t n = 0;
    for (const Ad& ad : ads) n += *b.language == 0 || ad.language == b.language;
    EXPECT_GE(n, b.min_ads) << b.language << " ads";
  }
}

TEST_F(RealCorpusTest, MeetsRecordedBaseline) {
  ASSERT_NE(engine_, nullptr);
  std::string errors;
  const std::vector<Ad> ads =
      real_corpus::LoadCorpus(DIVCHECK_REAL_CORPUS_DIR, &errors);
  ASSERT_FALSE(ads.empty());
  Score score;
  std::map<std::string, Score> by_language;
  for (const Ad& ad : ads) {
    ScanOptions scan;
    scan.language = ad.language;
    scan.employer = ad.employer;
    auto report = engine_->ScanText(ad.text, scan);
    ASSERT_TRUE(report.ok()) << ad.name << ": " << report.status();
    real_corpus::AddReport(ad, *report, &score);
    real_corpus::AddReport(ad, *report, &by_language[ad.language]);
  }
  std::printf("\nreal corpus: %d ads (%d clean)\n%s", score.ads,
              score.clean_ads, real_corpus::FormatTable(score).c_str());
  for (const auto& [language, s] : by_language) {
    std::printf("\n%s: %d ads (%d clean)\n%s", language.c_str(), s.ads,
                s.clean_ads, real_corpus::FormatTable(s).c_str());
  }
  std::printf("\nfalse alarms (%zu):\n  %s\n", score.false_alarms.size(),
              absl::StrJoin(score.false_alarms, "\n  ").c_str());
  std::printf("\nmissed risk labels (%zu):\n  %s\n", score.misses.size(),
              absl::StrJoin(score.misses, "\n  ").c_str());
  std::fflush(stdout);
  for (const Baseline& b : kBaselines) {
    const std::string name = *b.language == 0 ? "all" : b.language;
    const Score* s = &score;
    if (*b.language != 0) {
      const auto it = by_language.find(b.language);
      ASSERT_NE(it, by_language.end()) << "no " << name << " ads";
      s = &it->second;
    }
    EXPECT_GE(s->overall.precision(), b.precision)
        << name << ": precision below the gate (false alarms above)";
    EXPECT_GE(s->overall.recall(), b.recall)
        << name << ": recall below the gate (misses above)";
    EXPECT_LE(s->clean_flagged_share(), b.clean_share)
        << name << ": too many clean ads get a WARNING+ (false alarms above)";
  }
}

}  // namespace
}  // namespace divcheck
