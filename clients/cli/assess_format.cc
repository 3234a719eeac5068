#include "clients/cli/assess_format.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "divcheck/cli/files/assess_files.pb.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {
namespace {

std::string Need(v1::NeedForAction n) {
  switch (n) {
    case v1::NEED_FOR_ACTION_LOW:
      return "low (green)";
    case v1::NEED_FOR_ACTION_MEDIUM:
      return "medium (yellow)";
    case v1::NEED_FOR_ACTION_HIGH:
      return "HIGH (red)";
    default:
      return "not assessed";
  }
}

std::string Maturity(v1::MaturityLevel m) {
  switch (m) {
    case v1::MATURITY_LEVEL_INITIAL:
      return "1 initial";
    case v1::MATURITY_LEVEL_AWARE:
      return "2 aware";
    case v1::MATURITY_LEVEL_DEVELOPING:
      return "3 developing";
    case v1::MATURITY_LEVEL_ESTABLISHED:
      return "4 established";
    case v1::MATURITY_LEVEL_EMBEDDED:
      return "5 embedded";
    default:
      return "-";
  }
}

std::string DimensionName(v1::Dimension d) {
  std::string name = v1::Dimension_Name(d);
  absl::string_view view = name;
  if (absl::StartsWith(view, "DIMENSION_")) view.remove_prefix(10);
  std::string out = absl::AsciiStrToLower(view);
  absl::StrReplaceAll({{"_", " "}}, &out);
  return out;
}

std::string Trend(v1::Trend t) {
  switch (t) {
    case v1::TREND_IMPROVED:
      return "improved";
    case v1::TREND_UNCHANGED:
      return "unchanged";
    case v1::TREND_WORSE:
      return "WORSE";
    case v1::TREND_NOT_COMPARABLE:
      return "not comparable";
    default:
      return "-";
  }
}

std::string Time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M UTC",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

// `s` padded with spaces to `width` characters (code points, not bytes:
// the titles are German).
std::string Pad(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return chars >= width ? s + " " : s + std::string(width - chars, ' ');
}

}  // namespace

std::string ToJson(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

std::string QuestionnaireText(const v1::Questionnaire& q) {
  std::string out = absl::StrCat(q.title(), " (", q.id(), " version ",
                                 q.version(), ", ", q.language(), ")\n");
  if (!q.description().empty()) absl::StrAppend(&out, q.description(), "\n");
  int n = 0, total = 0;
  for (const auto& s : q.sections()) total += s.questions_size();
  for (const auto& s : q.sections()) {
    absl::StrAppend(&out, "\n== ", s.title(), " [", s.id(), "]\n");
    for (const auto& question : s.questions()) {
      ++n;
      absl::StrAppend(&out, "\n", n, "/", total, " [", question.id(), "] ",
                      question.text(), question.required() ? "" : " (optional)",
                      "\n");
      for (const auto& o : question.options()) {
        absl::StrAppend(&out, "    - ", o.id(), ": ", o.label(), "\n");
      }
      absl::StrAppend(&out, "    ", question.help(), "\n");
    }
  }
  return out;
}

std::string QuestionnaireJson(const v1::Questionnaire& q) {
  files::QuestionnaireOutline outline;
  outline.set_id(q.id());
  outline.set_version(q.version());
  for (const auto& s : q.sections()) {
    auto* os = outline.add_sections();
    os->set_id(s.id());
    os->set_title(s.title());
    for (const auto& question : s.questions()) {
      auto* oq = os->add_questions();
      oq->set_id(question.id());
      oq->set_text(question.text());
      for (const auto& o : question.options()) {
        auto* oo = oq->add_options();
        oo->set_id(o.id());
        oo->set_label(o.label());
        oo->set_value(o.value());
      }
    }
  }
  return ToJson(outline);
}

std::string AssessmentText(const v1::Assessment& a,
                           const std::string& questionnaire_title) {
  std::string out;
  absl::StrAppend(
      &out,
      questionnaire_title.empty() ? "Diversity-Check" : questionnaire_title,
      " (", a.questionnaire_id(), " version ", a.questionnaire_version(), ", ",
      a.language(), ")\n");
  if (!a.id().empty()) {
    absl::StrAppend(&out, "assessment ", a.id(), " of \"", a.organization(),
                    "\", ", Time(a.create_time()), "\n");
  }
  absl::StrAppend(&out, "\noverallScore: ", a.overall_score(),
                  "/100   need for action: ", Need(a.overall_need_for_action()),
                  "   maturity: ", Maturity(a.overall_maturity()), "\n");
  absl::StrAppend(&out,
                  "\nFields of action                              %   need "
                  "for action   maturity\n");
  for (const auto& s : a.sections()) {
    if (!s.assessed()) {
      absl::StrAppend(
          &out, "  ", Pad(s.title(), 40),
          absl::StrFormat("    -   %-17s -\n", Need(s.need_for_action())));
    } else {
      absl::StrAppend(
          &out, "  ", Pad(s.title(), 40),
          absl::StrFormat("%5.1f   %-17s %s\n", s.percentage(),
                          Need(s.need_for_action()), Maturity(s.maturity())));
    }
    for (const auto& duty : s.unmet_legal_duties()) {
      absl::StrAppend(&out, "    ! legal duty not met: ", duty, "\n");
    }
    if (s.skipped_count() > 0) {
      absl::StrAppend(&out, "    (", s.skipped_count(), " of ",
                      s.question_count(), " skipped or not applicable)\n");
    }
  }
  absl::StrAppend(
      &out,
      "\nDimensions                                    %   need for action\n");
  for (const auto& d : a.dimensions()) {
    if (!d.assessed()) {
      absl::StrAppend(&out, "  ", Pad(DimensionName(d.dimension()), 40),
                      "    -   not assessed\n");
      continue;
    }
    absl::StrAppend(&out, "  ", Pad(DimensionName(d.dimension()), 40),
                    absl::StrFormat("%5.1f   %s\n", d.percentage(),
                                    Need(d.need_for_action())));
  }
  if (a.recommendations_size() == 0) {
    absl::StrAppend(&out,
                    "\nrecommendations: none — every answered question is at "
                    "least \"mostly\".\n");
  } else {
    absl::StrAppend(&out, "\nrecommendations (highest impact first):\n");
    for (const auto& r : a.recommendations()) {
      absl::StrAppend(&out,
                      absl::StrFormat("%2d. [%s] impact %.2f%s\n", r.rank(),
                                      r.question_id(), r.impact(),
                                      r.legal_duty() ? ", legal duty" : ""),
                      "    ", r.question_text(), "\n");
      for (const auto& step : r.steps()) {
        absl::StrAppend(&out, "    - ", step, "\n");
      }
    }
  }
  return out;
}

std::string AssessmentListText(const v1::ListAssessmentsResponse& list) {
  if (list.assessments_size() == 0) return "no assessments\n";
  std::string out;
  for (const auto& a : list.assessments()) {
    absl::StrAppend(
        &out, absl::StrFormat("%s  %s  %s v%d  score %3d  need %s\n", a.id(),
                              Time(a.create_time()), a.questionnaire_id(),
                              a.questionnaire_version(), a.overall_score(),
                              Need(a.overall_need_for_action())));
  }
  return out;
}

std::string ComparisonText(const v1::AssessmentComparison& c) {
  std::string out;
  absl::StrAppend(
      &out, "overall: ", c.overall_score_before(), " -> ",
      c.overall_score_after(), " (", c.overall_delta() >= 0 ? "+" : "",
      c.overall_delta(), ", ", Trend(c.overall_trend()), ")\n",
      "fields of action: ", c.improved_sections(), " improved, ",
      c.unchanged_sections(), " unchanged, ", c.worse_sections(), " worse\n");
  absl::StrAppend(&out,
                  "\nFields of action                         before  after   "
                  "delta  trend\n");
  for (const auto& s : c.sections()) {
    absl::StrAppend(
        &out, "  ", Pad(s.title(), 40),
        absl::StrFormat("%5.1f  %5.1f  %+6.1f  %s\n", s.percentage_before(),
                        s.percentage_after(), s.delta(), Trend(s.trend())));
  }
  absl::StrAppend(&out,
                  "\nDimensions                               before  after   "
                  "delta  trend\n");
  for (const auto& d : c.dimensions()) {
    absl::StrAppend(
        &out, "  ", Pad(DimensionName(d.dimension()), 40),
        absl::StrFormat("%5.1f  %5.1f  %+6.1f  %s\n", d.percentage_before(),
                        d.percentage_after(), d.delta(), Trend(d.trend())));
  }
  absl::StrAppend(&out, "\nChanged answers: ", c.changed_questions_size(),
                  "\n");
  for (const auto& q : c.changed_questions()) {
    absl::StrAppend(
        &out, "  ", Trend(q.trend()), ": [", q.question_id(), "] ",
        q.option_before().empty() ? "(skipped)" : q.option_before(), " -> ",
        q.option_after().empty() ? "(skipped)" : q.option_after(), "\n");
    if (!q.question_text().empty()) {
      absl::StrAppend(&out, "      ", q.question_text(), "\n");
    }
  }
  return out;
}

}  // namespace divcheck::cli
