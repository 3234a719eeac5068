#include "clients/cli/audit_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {
namespace {

constexpr char kCritical[] = "#b3261e";
constexpr char kWarning[] = "#d08a00";
constexpr char kClean[] = "#2e7d32";
constexpr char kBar[] = "#35608f";
constexpr int kChartWidth = 640;

constexpr char kStyle[] = R"(
body{font:15px/1.45 system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;
color:#1b1b1b;background:#fff;max-width:58rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;
border-bottom:2px solid #d8dde3;padding-bottom:.2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.meta{color:#555;margin:0 0 1rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{flex:1 1 9rem;border:1px solid #d8dde3;border-radius:6px;padding:.6rem .8rem}
.card b{display:block;font-size:1.6rem;line-height:1.2}
.card.critical b{color:#b3261e}.card.warning b{color:#8a5a00}.card.clean b{color:#2e7d32}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#f3f5f7}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:.85rem ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
svg{max-width:100%;height:auto;display:block;margin:.4rem 0}
svg text{font:12px system-ui,"Noto Sans",Arial,sans-serif;fill:#333}
.legend span{display:inline-block;margin-right:1rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-.1rem}
.sev{font-weight:600}.sev.CRITICAL{color:#b3261e}.sev.WARNING{color:#8a5a00}.sev.HINT{color:#555}
.ad{border:1px solid #d8dde3;border-radius:6px;padding:.2rem .8rem .4rem;margin:.8rem 0}
table.findings{table-layout:fixed}table.findings th:nth-child(1){width:11%}
table.findings th:nth-child(2){width:20%}table.findings th:nth-child(3){width:44%}
.note{color:#555;font-size:.88rem}
@media print{body{font-size:10pt;max-width:none;padding:0}
h2,h3{break-after:avoid}svg,tr,.cards{break-inside:avoid}
.ad{border:0;padding:0}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
@page{size:A4;margin:15mm}
)";

std::string Pct(uint32_t part, uint32_t whole) {
  if (whole == 0) return "–";
  return absl::StrFormat("%.1f&#8239;%%", 100.0 * part / whole);
}

// A readable name for a dimension's enum name without its prefix.
std::string DimensionLabel(const std::string& d) {
  static const auto* labels = new std::map<std::string, std::string>{
      {"AGE", "Age"},
      {"GENDER", "Gender"},
      {"ETHNIC_ORIGIN", "Ethnic origin"},
      {"RELIGION", "Religion or belief"},
      {"DISABILITY", "Disability"},
      {"SEXUAL_IDENTITY", "Sexual identity"},
      {"SOCIAL_ORIGIN", "Social origin"}};
  auto it = labels->find(d);
  if (it != labels->end()) return it->second;
  std::string out = absl::AsciiStrToLower(absl::StrReplaceAll(d, {{"_", " "}}));
  if (!out.empty()) out[0] = absl::ascii_toupper(out[0]);
  return out;
}

// The smallest of 1, 2, 5 × 10^k that is at least max / 4, times 4.
uint32_t AxisTop(uint32_t max) {
  if (max == 0) return 4;
  const double want = max / 4.0;
  double step = std::pow(10.0, std::floor(std::log10(want)));
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    if (step * f >= want) {
      step *= f;
      break;
    }
  }
  return static_cast<uint32_t>(std::max(1.0, step) * 4);
}

std::string SvgOpen(int height, const std::string& title) {
  return absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
      "width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>\n",
      kChartWidth, height, kChartWidth, height, HtmlEscape(title));
}

// Vertical bars: the checked ads per score band.
std::string HistogramSvg(const AuditSummary& s) {
  const int left = 48, top = 16, plot_h = 180, plot_w = kChartWidth - left - 8;
  uint32_t max = 0;
  for (uint32_t n : s.score_histogram()) max = std::max(max, n);
  const uint32_t axis = AxisTop(max);
  std::string out = SvgOpen(top + plot_h + 44, "Checked ads per score band");
  for (int i = 0; i <= 4; ++i) {
    const double y = top + plot_h - plot_h * i / 4.0;
    absl::StrAppendFormat(&out,
                          "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#d8dde3\"/><text x=\"%d\" y=\"%.1f\" "
                          "text-anchor=\"end\">%u</text>\n",
                          left, left + plot_w, y, y, left - 6, y + 4,
                          axis * i / 4);
  }
  const int n = std::max(1, s.score_histogram_size());
  const double slot = static_cast<double>(plot_w) / n;
  for (int i = 0; i < s.score_histogram_size(); ++i) {
    const uint32_t v = s.score_histogram(i);
    const double h = plot_h * static_cast<double>(v) / axis;
    const double x = left + i * slot + slot * 0.12;
    absl::StrAppendFormat(
        &out,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
        "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
        "text-anchor=\"middle\">%u</text><text x=\"%.1f\" y=\"%d\" "
        "text-anchor=\"middle\">%d–%d</text>\n",
        x, top + plot_h - h, slot * 0.76, h, kBar, x + slot * 0.38,
        top + plot_h - h - 4, v, x + slot * 0.38, top + plot_h + 18, i * 10,
        i == 9 ? 100 : i * 10 + 9);
  }
  absl::StrAppendFormat(&out,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">score "
                        "(0–100; higher is better)</text></svg>\n",
                        left + plot_w / 2, top + plot_h + 38);
  return out;
}

// Horizontal bars: label, bar for `value` of `whole`, the figure.
std::string BarsSvg(const std::vector<std::pair<std::string, uint32_t>>& rows,
                    uint32_t whole, const std::string& title) {
  const int left = 150, row_h = 26, right = 110;
  const int plot_w = kChartWidth - left - right;
  uint32_t max = 1;
  for (const auto& [label, v] : rows) max = std::max(max, v);
  std::string out = SvgOpen(static_cast<int>(rows.size()) * row_h + 8, title);
  int y = 4;
  for (const auto& [label, v] : rows) {
    const double w = plot_w * static_cast<double>(v) / max;
    absl::StrAppendFormat(
        &out,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text><rect x=\"%d\" "
        "y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/><text x=\"%.1f\" "
        "y=\"%d\">%u (%s)</text>\n",
        left - 8, y + 15, HtmlEscape(label), left, y + 2, w, row_h - 8, kBar,
        left + w + 6, y + 15, v, Pct(v, whole));
    y += row_h;
  }
  return out + "</svg>\n";
}

// Stacked columns, one per month: shares of critical, warnings, clean.
std::string TrendSvg(const AuditSummary& s) {
  const int left = 48, top = 12, plot_h = 170, plot_w = kChartWidth - left - 8;
  const int n = s.months_size();
  std::string out = SvgOpen(top + plot_h + 40,
                            "Share of checked ads per month by worst finding");
  for (int i = 0; i <= 4; ++i) {
    const double y = top + plot_h - plot_h * i / 4.0;
    absl::StrAppendFormat(&out,
                          "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#d8dde3\"/><text x=\"%d\" y=\"%.1f\" "
                          "text-anchor=\"end\">%d %%</text>\n",
                          left, left + plot_w, y, y, left - 6, y + 4, i * 25);
  }
  const double slot = static_cast<double>(plot_w) / std::max(1, n);
  const int label_every = std::max(1, (n + 23) / 24);
  for (int i = 0; i < n; ++i) {
    const AuditGroup& g = s.months(i);
    const double x = left + i * slot + slot * 0.15;
    double y = top + plot_h;
    for (const auto& [v, colour] :
         {std::pair<uint32_t, const char*>{g.with_critical(), kCritical},
          {g.with_warning(), kWarning},
          {g.clean(), kClean}}) {
      const double h =
          g.checked() ? plot_h * static_cast<double>(v) / g.checked() : 0;
      y -= h;
      absl::StrAppendFormat(&out,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            "height=\"%.1f\" fill=\"%s\"/>\n",
                            x, y, slot * 0.7, h, colour);
    }
    // "Mar" under each column with the year under the first and January.
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string& key = g.key();  // "YYYY-MM"
    int month = 0;
    if (i % label_every == 0 && key.size() == 7 &&
        absl::SimpleAtoi(key.substr(5), &month) && month >= 1 && month <= 12) {
      absl::StrAppendFormat(&out,
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
                            "%s</text>\n",
                            x + slot * 0.35, top + plot_h + 16,
                            kMonths[month - 1]);
      if (i == 0 || month == 1) {
        absl::StrAppendFormat(&out,
                              "<text x=\"%.1f\" y=\"%d\" "
                              "text-anchor=\"middle\">%s</text>\n",
                              x + slot * 0.35, top + plot_h + 31,
                              HtmlEscape(key.substr(0, 4)));
      }
    }
  }
  return out + "</svg>\n";
}

std::string Legend() {
  return absl::StrFormat(
      "<p class=\"legend\"><span><i style=\"background:%s\"></i>with a "
      "critical finding</span><span><i style=\"background:%s\"></i>warnings "
      "only</span><span><i style=\"background:%s\"></i>clean</span></p>\n",
      kCritical, kWarning, kClean);
}

std::string GroupTable(
    const char* first, const char* none,
    const google::protobuf::RepeatedPtrField<AuditGroup>& g) {
  std::string out = absl::StrCat(
      "<table><thead><tr><th>", first,
      "</th><th class=\"n\">checked</th><th class=\"n\">critical</th><th "
      "class=\"n\">warnings only</th><th class=\"n\">clean</th><th "
      "class=\"n\">mean score</th></tr></thead><tbody>\n");
  for (const AuditGroup& row : g) {
    absl::StrAppendFormat(
        &out,
        "<tr><td>%s</td><td class=\"n\">%u</td><td class=\"n\">%s</td><td "
        "class=\"n\">%s</td><td class=\"n\">%s</td><td "
        "class=\"n\">%.1f</td></tr>\n",
        row.key().empty() ? none : HtmlEscape(row.key()), row.checked(),
        Pct(row.with_critical(), row.checked()),
        Pct(row.with_warning(), row.checked()), Pct(row.clean(), row.checked()),
        row.mean_score());
  }
  return out + "</tbody></table>\n";
}

std::string Overview(const AuditSummary& s, const ReportInfo& info) {
  std::string out = absl::StrCat(
      "<header><h1>Job ad audit</h1><p class=\"meta\">", s.ads(), " ads from ",
      HtmlEscape(absl::StrJoin(info.inputs, ", ")),
      info.created.empty() ? "" : ", created ", HtmlEscape(info.created),
      " by divcheck.",
      s.interrupted() ? " <b>Stopped early: the figures cover "
                        "only the ads checked before.</b>"
                      : "",
      "</p></header>\n<section id=\"overview\"><h2>Overview</h2>\n");
  absl::StrAppendFormat(
      &out,
      "<div class=\"cards\"><div class=\"card\"><b>%u</b>ads checked</div>"
      "<div class=\"card critical\"><b>%s</b>with a critical finding (%u)</div>"
      "<div class=\"card warning\"><b>%s</b>with warnings only (%u)</div>"
      "<div class=\"card clean\"><b>%s</b>clean (%u)</div></div>\n",
      s.checked(), Pct(s.with_critical(), s.checked()), s.with_critical(),
      Pct(s.with_warning(), s.checked()), s.with_warning(),
      Pct(s.clean(), s.checked()), s.clean());
  absl::StrAppendFormat(
      &out,
      "<p>Of %u ads read, %u were checked, %u were not checked (empty, no "
      "words, or a language divcheck has no rules for) and %u could not be "
      "read. <em>Critical</em> findings are wordings German courts treat "
      "as an indication of discrimination (§&#160;22 AGG); <em>warnings</em> "
      "carry a legal risk depending on context; <em>clean</em> ads have "
      "inclusive-language hints at most.</p></section>\n",
      s.ads(), s.checked(), s.not_checked(), s.errors());
  return out;
}

std::string Charts(const AuditSummary& s) {
  std::string out = "<section id=\"scores\"><h2>Score distribution</h2>\n" +
                    HistogramSvg(s) + "</section>\n";
  std::vector<std::pair<std::string, uint32_t>> dims;
  for (const auto& [d, n] : s.ads_by_dimension()) {
    dims.emplace_back(DimensionLabel(d), n);
  }
  std::sort(dims.begin(), dims.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  absl::StrAppend(&out,
                  "<section id=\"dimensions\"><h2>Findings per dimension</h2>"
                  "\n<p>Checked ads with a warning or critical finding of each "
                  "ground of discrimination (an ad may count for several).</p>"
                  "\n");
  if (dims.empty()) {
    absl::StrAppend(&out, "<p>No warning or critical findings.</p>\n");
  } else {
    absl::StrAppend(&out, BarsSvg(dims, s.checked(), "Ads per dimension"));
  }
  absl::StrAppend(&out, "</section>\n");
  if (s.months_size() > 0 || s.undated() > 0) {
    absl::StrAppend(&out, "<section id=\"trend\"><h2>Trend per month</h2>\n",
                    TrendSvg(s), Legend(), GroupTable("month", "", s.months()));
    if (s.undated() > 0) {
      absl::StrAppend(&out, "<p class=\"note\">", s.undated(),
                      " checked ads had no date that could be read and are "
                      "not in the trend.</p>\n");
    }
    absl::StrAppend(&out, "</section>\n");
  }
  if (s.categories_size() > 0) {
    absl::StrAppend(&out, "<section id=\"categories\"><h2>Per category</h2>\n",
                    GroupTable("category", "(none)", s.categories()),
                    "</section>\n");
  }
  return out;
}

std::string Rules(const AuditSummary& s) {
  if (s.top_rules_size() == 0) return "";
  std::string out =
      "<section id=\"rules\"><h2>Rules found most often</h2>\n<table><thead>"
      "<tr><th>rule</th><th class=\"n\">ads</th><th class=\"n\">share of "
      "checked ads</th></tr></thead><tbody>\n";
  for (const RuleCount& r : s.top_rules()) {
    absl::StrAppendFormat(&out,
                          "<tr><td><code>%s</code></td><td class=\"n\">%u</td>"
                          "<td class=\"n\">%s</td></tr>\n",
                          HtmlEscape(r.rule_id()), r.ads(),
                          Pct(r.ads(), s.checked()));
  }
  return out + "</tbody></table></section>\n";
}

std::string Worst(const AuditSummary& s) {
  if (s.worst_size() == 0) return "";
  std::string out =
      absl::StrCat("<section id=\"worst\"><h2>The ", s.worst_size(),
                   " ads with the lowest scores</h2>\n");
  for (const AuditResult& r : s.worst()) {
    absl::StrAppendFormat(
        &out, "<div class=\"ad\"><h3>%s — score %u, grade %s</h3>\n",
        HtmlEscape(r.id()), r.score(), HtmlEscape(r.grade()));
    if (r.findings_size() == 0) {
      absl::StrAppend(&out, "<p>Rules: <code>",
                      HtmlEscape(absl::StrJoin(r.rule_ids(), ", ")),
                      "</code></p></div>\n");
      continue;
    }
    absl::StrAppend(&out,
                    "<table class=\"findings\"><thead><tr><th>severity</th>"
                    "<th>found</th><th>why</th><th>instead</th></tr></thead>"
                    "<tbody>\n");
    // A rule found several times is one row with each phrase once.
    std::vector<const AuditFinding*> rows;
    std::map<std::string, std::vector<std::string>> phrases;
    for (const AuditFinding& f : r.findings()) {
      std::vector<std::string>& p = phrases[f.rule_id()];
      if (p.empty()) rows.push_back(&f);
      const std::string quoted = absl::StrCat("„", f.phrase(), "“");
      if (std::find(p.begin(), p.end(), quoted) == p.end()) p.push_back(quoted);
    }
    for (const AuditFinding* f : rows) {
      absl::StrAppendFormat(
          &out,
          "<tr><td class=\"sev %s\">%s</td><td>%s</td><td>%s<br><code>%s"
          "</code></td><td>%s</td></tr>\n",
          HtmlEscape(f->severity()),
          HtmlEscape(absl::AsciiStrToLower(f->severity())),
          HtmlEscape(absl::StrJoin(phrases[f->rule_id()], ", ")),
          HtmlEscape(f->message()), HtmlEscape(f->rule_id()),
          HtmlEscape(absl::StrJoin(f->suggestions(), " · ")));
    }
    absl::StrAppend(&out, "</tbody></table></div>\n");
  }
  return out + "</section>\n";
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"&", "&amp;"},
                                    {"<", "&lt;"},
                                    {">", "&gt;"},
                                    {"\"", "&quot;"},
                                    {"'", "&#39;"}});
}

std::string HtmlReport(const AuditSummary& s, const ReportInfo& info) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><title>Job ad audit — divcheck</title><style>",
      kStyle, "</style></head>\n<body>\n", Overview(s, info), Charts(s),
      Rules(s), Worst(s),
      "<footer><p class=\"note\">divcheck points out wording to review; its "
      "findings are not legal advice. Scores: 100 means nothing to improve; "
      "a critical finding costs 30 points, a warning 12, hints together at "
      "most 15.</p></footer>\n"
      "</body></html>\n");
}

std::string JsonReport(const AuditSummary& summary) {
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  print.add_whitespace = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(summary, &json, print);
  return json;
}

}  // namespace divcheck::cli
