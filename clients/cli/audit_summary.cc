#include "clients/cli/audit_summary.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace divcheck::cli {
namespace {

std::string WithoutPrefix(const std::string& name, const std::string& prefix) {
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

bool Checked(const AuditResult& r) {
  return r.error().empty() && r.coverage() == "CHECKED";
}

std::string Percent(uint32_t part, uint32_t whole) {
  if (whole == 0) return "–";
  return absl::StrFormat("%.1f %%", 100.0 * part / whole);
}

}  // namespace

AuditResult ResultOf(const std::string& id, const v1::Report& report) {
  AuditResult r;
  r.set_id(id);
  r.set_score(report.score());
  r.set_grade(report.grade());
  // A server or engine older than the field: its reports were checked.
  r.set_coverage(
      report.coverage() == v1::COVERAGE_UNSPECIFIED
          ? "CHECKED"
          : WithoutPrefix(v1::Coverage_Name(report.coverage()), "COVERAGE_"));
  r.set_language(report.language());
  r.set_critical(report.critical_count());
  r.set_warnings(report.warning_count());
  r.set_hints(report.hint_count());
  for (const v1::Finding& f : report.findings()) {
    r.add_rule_ids(f.rule_id());
    if (f.severity() < v1::SEVERITY_WARNING) continue;
    for (int d : f.dimensions()) {
      ++(*r.mutable_findings_by_dimension())[WithoutPrefix(
          v1::Dimension_Name(static_cast<v1::Dimension>(d)), "DIMENSION_")];
    }
  }
  return r;
}

AuditResult ErrorResult(const std::string& id, const std::string& error) {
  AuditResult r;
  r.set_id(id);
  r.set_error(error);
  return r;
}

AuditSummary Summarize(const std::vector<AuditResult>& results) {
  AuditSummary s;
  std::vector<uint32_t> histogram(10, 0);
  std::map<std::string, uint32_t> rule_ads;
  std::map<std::string, uint32_t> dimension_ads;
  std::vector<size_t> checked;
  for (size_t i = 0; i < results.size(); ++i) {
    const AuditResult& r = results[i];
    s.set_ads(s.ads() + 1);
    if (!r.error().empty()) {
      s.set_errors(s.errors() + 1);
      continue;
    }
    if (!Checked(r)) {
      s.set_not_checked(s.not_checked() + 1);
      continue;
    }
    checked.push_back(i);
    s.set_checked(s.checked() + 1);
    if (r.critical() > 0) {
      s.set_with_critical(s.with_critical() + 1);
    } else if (r.warnings() > 0) {
      s.set_with_warning(s.with_warning() + 1);
    } else {
      s.set_clean(s.clean() + 1);
    }
    ++histogram[std::min<uint32_t>(r.score() / 10, 9)];
    std::vector<std::string> rules(r.rule_ids().begin(), r.rule_ids().end());
    std::sort(rules.begin(), rules.end());
    rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
    for (const std::string& id : rules) ++rule_ads[id];
    for (const auto& [dimension, n] : r.findings_by_dimension()) {
      if (n > 0) ++dimension_ads[dimension];
    }
  }
  for (uint32_t n : histogram) s.add_score_histogram(n);
  for (const auto& [d, n] : dimension_ads)
    (*s.mutable_ads_by_dimension())[d] = n;
  std::vector<std::pair<std::string, uint32_t>> top(rule_ads.begin(),
                                                    rule_ads.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second > b.second;
  });
  if (top.size() > 20) top.resize(20);
  for (const auto& [id, n] : top) {
    RuleCount* c = s.add_top_rules();
    c->set_rule_id(id);
    c->set_ads(n);
  }
  std::stable_sort(checked.begin(), checked.end(), [&](size_t a, size_t b) {
    const AuditResult& x = results[a];
    const AuditResult& y = results[b];
    if (x.score() != y.score()) return x.score() < y.score();
    return x.rule_ids_size() > y.rule_ids_size();
  });
  if (checked.size() > 10) checked.resize(10);
  for (size_t i : checked) *s.add_worst() = results[i];
  return s;
}

std::string FormatSummaryText(const AuditSummary& s) {
  std::string out;
  absl::StrAppend(&out, s.interrupted() ? "INTERRUPTED: partial audit\n" : "",
                  s.ads(), " ads: ", s.checked(), " checked, ", s.not_checked(),
                  " not checked (empty, no words, other "
                  "language), ",
                  s.errors(), " could not be read\n");
  absl::StrAppendFormat(&out, "%.1f s, %.0f ads/s\n\n", s.seconds(),
                        s.ads_per_second());
  absl::StrAppend(&out, "Of the checked ads:\n",
                  "  with a critical finding:  ", s.with_critical(), " (",
                  Percent(s.with_critical(), s.checked()), ")\n",
                  "  with warnings only:       ", s.with_warning(), " (",
                  Percent(s.with_warning(), s.checked()), ")\n",
                  "  clean (hints at most):    ", s.clean(), " (",
                  Percent(s.clean(), s.checked()), ")\n");
  if (!s.ads_by_dimension().empty()) {
    absl::StrAppend(&out,
                    "\nAds with a warning or critical finding, by "
                    "dimension:\n");
    std::map<std::string, uint32_t> sorted(s.ads_by_dimension().begin(),
                                           s.ads_by_dimension().end());
    for (const auto& [d, n] : sorted) {
      absl::StrAppendFormat(&out, "  %-18s %6u (%s)\n", d, n,
                            Percent(n, s.checked()));
    }
  }
  if (s.top_rules_size() > 0) {
    absl::StrAppend(&out, "\nRules found in the most ads:\n");
    for (const RuleCount& c : s.top_rules()) {
      absl::StrAppendFormat(&out, "  %6u  %s\n", c.ads(), c.rule_id());
    }
  }
  absl::StrAppend(&out, "\nScores:\n");
  for (int i = 9; i >= 0 && i < s.score_histogram_size(); --i) {
    absl::StrAppendFormat(&out, "  %3d–%-3d %6u\n", i * 10,
                          i == 9 ? 100 : i * 10 + 9, s.score_histogram(i));
  }
  if (s.worst_size() > 0) {
    absl::StrAppend(&out, "\nThe lowest scores:\n");
    for (const AuditResult& r : s.worst()) {
      absl::StrAppendFormat(&out, "  %3u %-2s %s: %s\n", r.score(), r.grade(),
                            r.id(), absl::StrJoin(r.rule_ids(), ", "));
    }
  }
  return out;
}

}  // namespace divcheck::cli
