#include "clients/cli/audit_summary.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"

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

// Checked ads of a month or category, as they are counted.
struct Group {
  uint32_t checked = 0, critical = 0, warning = 0, clean = 0;
  uint64_t score_sum = 0;
  void Add(const AuditResult& r) {
    ++checked;
    score_sum += r.score();
    if (r.critical() > 0) {
      ++critical;
    } else if (r.warnings() > 0) {
      ++warning;
    } else {
      ++clean;
    }
  }
  void To(const std::string& key, AuditGroup* g) const {
    g->set_key(key);
    g->set_checked(checked);
    g->set_with_critical(critical);
    g->set_with_warning(warning);
    g->set_clean(clean);
    g->set_mean_score(checked > 0 ? static_cast<double>(score_sum) / checked
                                  : 0);
  }
};

void SummarizeGroups(const std::vector<AuditResult>& results,
                     const std::vector<size_t>& checked, AuditSummary* s) {
  bool dates = false, categories = false;
  for (const AuditResult& r : results) {
    dates = dates || !r.date().empty();
    categories = categories || !r.category().empty();
  }
  std::map<std::string, Group> months, by_category;
  for (size_t i : checked) {
    const AuditResult& r = results[i];
    if (dates) {
      const std::string month = MonthOf(r.date());
      if (month.empty()) {
        s->set_undated(s->undated() + 1);
      } else {
        months[month].Add(r);
      }
    }
    if (categories) by_category[r.category()].Add(r);
  }
  for (const auto& [month, g] : months) g.To(month, s->add_months());
  std::vector<std::pair<std::string, Group>> sorted(by_category.begin(),
                                                    by_category.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) {
                     return a.second.checked > b.second.checked;
                   });
  for (const auto& [category, g] : sorted) g.To(category, s->add_categories());
}

void AppendGroups(const char* title, const char* none,
                  const google::protobuf::RepeatedPtrField<AuditGroup>& groups,
                  std::string* out) {
  absl::StrAppendFormat(out, "\n%s\n  %-24s %7s %9s %9s %9s %6s\n", title, "",
                        "checked", "critical", "warnings", "clean", "score");
  for (const AuditGroup& g : groups) {
    absl::StrAppendFormat(out, "  %-24s %7u %9s %9s %9s %6.1f\n",
                          g.key().empty() ? none : g.key(), g.checked(),
                          Percent(g.with_critical(), g.checked()),
                          Percent(g.with_warning(), g.checked()),
                          Percent(g.clean(), g.checked()), g.mean_score());
  }
}

}  // namespace

std::string MonthOf(const std::string& date) {
  static const LazyRE2 kIso = {
      R"(\s*(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?(?:[T ].*)?\s*)"};
  static const LazyRE2 kGerman = {
      R"(\s*\d{1,2}\.(\d{1,2})\.(\d{4})(?:[ ,].*)?\s*)"};
  int year = 0, month = 0;
  if (!RE2::FullMatch(date, *kIso, &year, &month) &&
      !RE2::FullMatch(date, *kGerman, &month, &year)) {
    return "";
  }
  if (month < 1 || month > 12 || year < 1900 || year > 2999) return "";
  return absl::StrFormat("%04d-%02d", year, month);
}

void AddFindings(const v1::Report& report, AuditResult* result) {
  for (const v1::Finding& f : report.findings()) {
    AuditFinding* a = result->add_findings();
    a->set_rule_id(f.rule_id());
    a->set_severity(
        WithoutPrefix(v1::Severity_Name(f.severity()), "SEVERITY_"));
    a->set_phrase(f.matched_text());
    a->set_message(f.message());
    a->set_element_path(f.element_path());
    for (int i = 0; i < f.suggestions_size() && i < 3; ++i) {
      a->add_suggestions(f.suggestions(i));
    }
  }
}

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
  SummarizeGroups(results, checked, &s);
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
  if (s.resumed() > 0) {
    absl::StrAppend(&out, "  (", s.resumed(),
                    " of them from the earlier run in --output, --resume)\n");
  }
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
  if (s.months_size() > 0 || s.undated() > 0) {
    AppendGroups("Checked ads per month:", "", s.months(), &out);
    if (s.undated() > 0) {
      absl::StrAppend(&out, "  (", s.undated(),
                      " checked ads without a date that could be read)\n");
    }
  }
  if (s.categories_size() > 0) {
    AppendGroups("Checked ads per category:", "(none)", s.categories(), &out);
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
