#include "clients/cli/assess_format.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "clients/cli/report_format.h"
#include "divcheck/cli/files/assess_files.pb.h"

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

// The words of the text report, in the assessment's language (German or
// English; anything else gets English).
struct Labels {
  const char* need_low;
  const char* need_medium;
  const char* need_high;
  const char* not_assessed;
  const char* maturity[5];
  const char* dimensions[7];
  const char* assessment_of;  // "assessment ID of "ORG", TIME"
  const char* overall;
  const char* need_for_action;
  const char* maturity_label;
  const char* fields_header;
  const char* dimensions_header;
  const char* legal_duty_not_met;
  const char* skipped;  // "(N of M skipped or not applicable)"
  const char* of;
  const char* no_recommendations;
  const char* recommendations;
  const char* impact;
  const char* legal_duty;
};

constexpr Labels kEnglish = {
    "low (green)",
    "medium (yellow)",
    "HIGH (red)",
    "not assessed",
    {"1 initial", "2 aware", "3 developing", "4 established", "5 embedded"},
    {"age", "gender", "ethnic origin", "religion", "disability",
     "sexual identity", "social origin"},
    "assessment",
    "overallScore",
    "need for action",
    "maturity",
    "Fields of action                              %   need for action   "
    "maturity\n",
    "\nDimensions                                    %   need for action\n",
    "legal duty not met",
    "skipped or not applicable",
    "of",
    "\nrecommendations: none — every answered question is at least "
    "\"mostly\".\n",
    "\nrecommendations (highest impact first):\n",
    "impact",
    "legal duty"};

constexpr Labels kGerman = {
    "gering (grün)",
    "mittel (gelb)",
    "HOCH (rot)",
    "nicht bewertet",
    {"1 Anfang", "2 Bewusstsein", "3 im Aufbau", "4 etabliert", "5 verankert"},
    {"Alter", "Geschlecht", "ethnische Herkunft", "Religion", "Behinderung",
     "sexuelle Identität", "soziale Herkunft"},
    "Selbstcheck",
    "Gesamtwert",
    "Handlungsbedarf",
    "Reifegrad",
    "Handlungsfelder                               %   Handlungsbedarf   "
    "Reifegrad\n",
    "\nDimensionen                                   %   Handlungsbedarf\n",
    "gesetzliche Pflicht nicht erfüllt",
    "übersprungen oder nicht zutreffend",
    "von",
    "\nEmpfehlungen: keine – jede beantwortete Frage ist mindestens "
    "„überwiegend“ erfüllt.\n",
    "\nEmpfehlungen (größte Wirkung zuerst):\n",
    "Wirkung",
    "gesetzliche Pflicht"};

const Labels& LabelsFor(const std::string& language) {
  return language == "de" ? kGerman : kEnglish;
}

std::string Need(v1::NeedForAction n, const Labels& l) {
  switch (n) {
    case v1::NEED_FOR_ACTION_LOW:
      return l.need_low;
    case v1::NEED_FOR_ACTION_MEDIUM:
      return l.need_medium;
    case v1::NEED_FOR_ACTION_HIGH:
      return l.need_high;
    default:
      return l.not_assessed;
  }
}

std::string Maturity(v1::MaturityLevel m, const Labels& l) {
  const int level = static_cast<int>(m) - v1::MATURITY_LEVEL_INITIAL;
  return level >= 0 && level < 5 ? l.maturity[level] : "-";
}

std::string DimensionName(v1::Dimension d, const Labels& l) {
  const int i = static_cast<int>(d) - v1::DIMENSION_AGE;
  return i >= 0 && i < 7 ? l.dimensions[i] : DimensionName(d);
}

}  // namespace

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
  return ProtoJson(outline);
}

std::string AssessmentText(const v1::Assessment& a,
                           const std::string& questionnaire_title) {
  const Labels& l = LabelsFor(a.language());
  std::string out;
  absl::StrAppend(
      &out,
      questionnaire_title.empty() ? "Diversity-Check" : questionnaire_title,
      " (", a.questionnaire_id(), " version ", a.questionnaire_version(), ", ",
      a.language(), ")\n");
  if (!a.id().empty()) {
    absl::StrAppend(&out, l.assessment_of, " ", a.id(), " \"", a.organization(),
                    "\", ", Time(a.create_time()), "\n");
  }
  absl::StrAppend(&out, "\n", l.overall, ": ", a.overall_score(), "/100   ",
                  l.need_for_action, ": ", Need(a.overall_need_for_action(), l),
                  "   ", l.maturity_label, ": ",
                  Maturity(a.overall_maturity(), l), "\n");
  absl::StrAppend(&out, "\n", l.fields_header);
  for (const auto& s : a.sections()) {
    if (!s.assessed()) {
      absl::StrAppend(&out, "  ", Pad(s.title(), 40), "    -   ",
                      Pad(Need(s.need_for_action(), l), 18), "-\n");
    } else {
      absl::StrAppend(&out, "  ", Pad(s.title(), 40),
                      absl::StrFormat("%5.1f   ", s.percentage()),
                      Pad(Need(s.need_for_action(), l), 18),
                      Maturity(s.maturity(), l), "\n");
    }
    for (const auto& duty : s.unmet_legal_duties()) {
      absl::StrAppend(&out, "    ! ", l.legal_duty_not_met, ": ", duty, "\n");
    }
    if (s.skipped_count() > 0) {
      absl::StrAppend(&out, "    (", s.skipped_count(), " ", l.of, " ",
                      s.question_count(), " ", l.skipped, ")\n");
    }
  }
  absl::StrAppend(&out, l.dimensions_header);
  for (const auto& d : a.dimensions()) {
    if (!d.assessed()) {
      absl::StrAppend(&out, "  ", Pad(DimensionName(d.dimension(), l), 40),
                      "    -   ", l.not_assessed, "\n");
      continue;
    }
    absl::StrAppend(&out, "  ", Pad(DimensionName(d.dimension(), l), 40),
                    absl::StrFormat("%5.1f   ", d.percentage()),
                    Need(d.need_for_action(), l), "\n");
  }
  if (a.recommendations_size() == 0) {
    absl::StrAppend(&out, l.no_recommendations);
  } else {
    absl::StrAppend(&out, l.recommendations);
    for (const auto& r : a.recommendations()) {
      absl::StrAppend(
          &out,
          absl::StrFormat(
              "%2d. [%s] %s %.2f%s\n", r.rank(), r.question_id(), l.impact,
              r.impact(),
              r.legal_duty() ? absl::StrCat(", ", l.legal_duty) : ""),
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
