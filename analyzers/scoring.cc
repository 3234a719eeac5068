#include "analyzers/scoring.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace divcheck {
namespace {

double Penalty(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_CRITICAL:
      return kCriticalPenalty;
    case v1::SEVERITY_WARNING:
      return kWarningPenalty;
    case v1::SEVERITY_HINT:
      return kHintPenalty;
    default:
      return 0;
  }
}

// Score over the findings for which `include` is true.
template <typename Pred>
uint32_t ScoreOf(const v1::Report& report, Pred include) {
  // Rules in id order (the order of the sum is part of determinism), each
  // with the penalty of its most severe occurrence and its count.
  absl::InlinedVector<std::pair<absl::string_view, double>, 32> hits;
  for (const v1::Finding& f : report.findings()) {
    if (include(f)) hits.emplace_back(f.rule_id(), Penalty(f.severity()));
  }
  std::sort(hits.begin(), hits.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double legal = 0, hints = 0;
  for (size_t i = 0; i < hits.size();) {
    size_t j = i;
    double penalty = 0;
    while (j < hits.size() && hits[j].first == hits[i].first) {
      penalty = std::max(penalty, hits[j].second);
      ++j;
    }
    const int count = static_cast<int>(j - i);
    const double p =
        penalty * std::min(kMaxRepeatFactor, 1.0 + kRepeatShare * (count - 1));
    (penalty <= kHintPenalty ? hints : legal) += p;
    i = j;
  }
  const double total = legal + std::min(hints, kHintCap);
  return static_cast<uint32_t>(std::max(0.0, std::round(100.0 - total)));
}

}  // namespace

const char* Grade(uint32_t score, v1::Severity worst) {
  int grade;  // 0 = A
  if (score >= 90)
    grade = 0;
  else if (score >= 75)
    grade = 1;
  else if (score >= 60)
    grade = 2;
  else if (score >= 40)
    grade = 3;
  else
    grade = 4;
  if (worst == v1::SEVERITY_CRITICAL) grade = std::max(grade, 2);
  if (worst == v1::SEVERITY_WARNING) grade = std::max(grade, 1);
  static const char* kGrades[] = {"A", "B", "C", "D", "E"};
  return kGrades[grade];
}

void ScoreReport(v1::Report* report) {
  v1::Severity worst = v1::SEVERITY_UNSPECIFIED;
  uint32_t critical = 0, warning = 0, hint = 0;
  for (const v1::Finding& f : report->findings()) {
    worst = std::max(worst, f.severity());
    critical += f.severity() == v1::SEVERITY_CRITICAL;
    warning += f.severity() == v1::SEVERITY_WARNING;
    hint += f.severity() == v1::SEVERITY_HINT;
  }
  report->set_critical_count(critical);
  report->set_warning_count(warning);
  report->set_hint_count(hint);
  const uint32_t score =
      ScoreOf(*report, [](const v1::Finding&) { return true; });
  report->set_score(score);
  report->set_grade(Grade(score, worst));
  report->clear_dimension_scores();
  for (int d = v1::DIMENSION_AGE; d <= v1::DIMENSION_SOCIAL_ORIGIN; ++d) {
    const auto dim = static_cast<v1::Dimension>(d);
    uint32_t count = 0;
    auto touches = [&](const v1::Finding& f) {
      return std::find(f.dimensions().begin(), f.dimensions().end(), dim) !=
             f.dimensions().end();
    };
    for (const v1::Finding& f : report->findings()) count += touches(f);
    v1::DimensionScore* ds = report->add_dimension_scores();
    ds->set_dimension(dim);
    ds->set_finding_count(count);
    ds->set_score(ScoreOf(*report, touches));
  }
}

}  // namespace divcheck
