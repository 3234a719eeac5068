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

namespace divcheck {
namespace {

using real_corpus::Ad;
using real_corpus::Score;

// The target is precision ≥ 0.95, recall ≥ 0.95 and at most 5 % of
// clean ads with any WARNING+ finding, per language. The engine does not
// reach it yet, so this is a ratchet: per language, the values measured when
// the corpus was labelled, rounded down (the share rounded up) by 0.01.
// Raise them whenever the engine gets better; never lower them to make a
// change pass. A language whose ads were just added starts at 0 / 0 / 1 and
// gets its values recorded with the first measurement (docs/QUALITY.md).
struct Baseline {
  const char* language;
  double precision, recall, clean_share;
  size_t min_ads;  // the corpus may grow but not shrink unnoticed
};
constexpr Baseline kBaselines[] = {
    // 2026-12-03, after the issue-14 class-1 change (a language level
    // without CEFR level is a hint; appearance a hint). 84 German ads:
    // precision 0.590, recall 0.885, 9 of 68 clean ads (13.2 %) with a
    // WARNING+ finding (before the change, on the first 72 ads: 0.295,
    // 1.000, 38.7 %). 80 English ads: precision 0.667 (3 findings), recall
    // 0.333 (6 risk labels), 1 of 74 clean ads (1.4 %).
    // After the class-2 change (titles that are not the advertised job),
    // "junggeblieben" as a hint, "jung" about young adults the job serves,
    // experience ranges with an upper bound as WARNING, and physical
    // demands in physical work as a hint: German precision 0.962, recall
    // 0.962, 1 of 68 clean ads (1.5 %) — the target is met; English
    // 0.833 (6 findings), 0.833 (6 risk labels), 1 of 74 (1.4 %).
    {"de", 0.95, 0.95, 0.02, 84},
    {"en", 0.82, 0.82, 0.02, 80},
};

class RealCorpusTest : public ::testing::Test {
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
Engine* RealCorpusTest::engine_ = nullptr;

TEST_F(RealCorpusTest, LabelFilesAreValid) {
  std::string errors;
  const std::vector<Ad> ads =
      real_corpus::LoadCorpus(DIVCHECK_REAL_CORPUS_DIR, &errors);
  EXPECT_EQ(errors, "");
  for (const Baseline& b : kBaselines) {
    size_t n = 0;
    for (const Ad& ad : ads) n += ad.language == b.language;
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
    const auto it = by_language.find(b.language);
    if (it == by_language.end()) continue;
    const Score& s = it->second;
    EXPECT_GE(s.overall.precision(), b.precision)
        << b.language << ": precision fell below the recorded baseline";
    EXPECT_GE(s.overall.recall(), b.recall)
        << b.language << ": recall fell below the recorded baseline";
    EXPECT_LE(s.clean_flagged_share(), b.clean_share)
        << b.language
        << ": more clean ads get a WARNING+ than at the recorded baseline";
  }
}

}  // namespace
}  // namespace divcheck
