#include "analyzers/scoring.h"

#include "gtest/gtest.h"

namespace divcheck {
namespace {

void Add(v1::Report* r, const std::string& rule, v1::Severity s,
         v1::Dimension d) {
  v1::Finding* f = r->add_findings();
  f->set_rule_id(rule);
  f->set_severity(s);
  f->add_dimensions(d);
}

TEST(ScoreReport, NothingFoundIsPerfect) {
  v1::Report r;
  ScoreReport(&r);
  EXPECT_EQ(r.score(), 100u);
  EXPECT_EQ(r.grade(), "A");
  ASSERT_EQ(r.dimension_scores_size(), 7);
  for (const auto& d : r.dimension_scores()) EXPECT_EQ(d.score(), 100u);
}

TEST(ScoreReport, OneCriticalCapsTheGradeAtC) {
  v1::Report r;
  Add(&r, "a", v1::SEVERITY_CRITICAL, v1::DIMENSION_AGE);
  ScoreReport(&r);
  EXPECT_EQ(r.score(), 70u);
  EXPECT_EQ(r.grade(), "C");
  EXPECT_EQ(r.critical_count(), 1u);
  EXPECT_EQ(r.dimension_scores(0).dimension(), v1::DIMENSION_AGE);
  EXPECT_EQ(r.dimension_scores(0).score(), 70u);
  EXPECT_EQ(r.dimension_scores(1).score(), 100u);
}

TEST(ScoreReport, RepeatsOfOneRuleCostLessAndAreCapped) {
  v1::Report r;
  for (int i = 0; i < 3; ++i)
    Add(&r, "w", v1::SEVERITY_WARNING, v1::DIMENSION_GENDER);
  ScoreReport(&r);
  EXPECT_EQ(r.score(), 82u);  // 12 * (1 + 0.25 * 2) = 18
  EXPECT_EQ(r.grade(), "B");
  v1::Report many;
  for (int i = 0; i < 50; ++i)
    Add(&many, "w", v1::SEVERITY_WARNING, v1::DIMENSION_GENDER);
  ScoreReport(&many);
  EXPECT_EQ(many.score(), 76u);  // at most 2 * 12
}

TEST(ScoreReport, HintsTogetherCostAtMostFifteen) {
  v1::Report r;
  for (int i = 0; i < 20; ++i) {
    Add(&r, "h" + std::to_string(i), v1::SEVERITY_HINT, v1::DIMENSION_GENDER);
  }
  ScoreReport(&r);
  EXPECT_EQ(r.score(), 85u);
  EXPECT_EQ(r.grade(), "B");  // 85 < 90
  EXPECT_EQ(r.hint_count(), 20u);
}

TEST(ScoreReport, ScoreNeverGoesBelowZero) {
  v1::Report r;
  for (int i = 0; i < 10; ++i) {
    Add(&r, "c" + std::to_string(i), v1::SEVERITY_CRITICAL, v1::DIMENSION_AGE);
  }
  ScoreReport(&r);
  EXPECT_EQ(r.score(), 0u);
  EXPECT_EQ(r.grade(), "E");
}

}  // namespace
}  // namespace divcheck
