#include "clients/cli/report_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli {
namespace {

const char* SeverityName(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_CRITICAL:
      return "critical";
    case v1::SEVERITY_WARNING:
      return "warning";
    case v1::SEVERITY_HINT:
      return "hint";
    default:
      return "unspecified";
  }
}

const char* SeverityColor(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_CRITICAL:
      return "\x1b[1;31m";
    case v1::SEVERITY_WARNING:
      return "\x1b[1;33m";
    default:
      return "\x1b[1;36m";
  }
}

const char* VerdictName(v1::CodedWordingBalance::Verdict v, bool de) {
  switch (v) {
    case v1::CodedWordingBalance::VERDICT_NEUTRAL:
      return de ? "neutral" : "neutral";
    case v1::CodedWordingBalance::VERDICT_BALANCED:
      return de ? "ausgewogen" : "balanced";
    case v1::CodedWordingBalance::VERDICT_MASCULINE_CODED:
      return de ? "männlich konnotiert" : "masculine-coded";
    case v1::CodedWordingBalance::VERDICT_STRONGLY_MASCULINE_CODED:
      return de ? "stark männlich konnotiert" : "strongly masculine-coded";
    case v1::CodedWordingBalance::VERDICT_FEMININE_CODED:
      return de ? "weiblich konnotiert" : "feminine-coded";
    case v1::CodedWordingBalance::VERDICT_STRONGLY_FEMININE_CODED:
      return de ? "stark weiblich konnotiert" : "strongly feminine-coded";
    default:
      return "-";
  }
}

}  // namespace

std::string FormatText(const std::string& source, const v1::Report& report,
                       const TextStyle& style) {
  const bool de = report.language() == "de";
  const char* bold = style.color ? "\x1b[1m" : "";
  const char* dim = style.color ? "\x1b[2m" : "";
  const char* green = style.color ? "\x1b[32m" : "";
  const char* reset = style.color ? "\x1b[0m" : "";
  std::string out;
  for (const v1::Finding& f : report.findings()) {
    absl::StrAppend(&out, bold, source, ":", f.span().line(), ":",
                    f.span().column(), ":", reset, " ",
                    style.color ? SeverityColor(f.severity()) : "",
                    SeverityName(f.severity()), reset, ": ", f.message(), " ",
                    dim, "[", f.rule_id(), "]", reset, "\n");
    absl::StrAppend(&out, "    ", de ? "gefunden: " : "found: ", "\"",
                    f.matched_text(), "\"\n");
    if (!f.context_note().empty()) {
      absl::StrAppend(&out, "    ", de ? "Kontext: " : "context: ",
                      f.context_note(), "\n");
    }
    if (f.suggestions_size() > 0) {
      absl::StrAppend(&out, "    ", green,
                      de ? "stattdessen: " : "instead: ", reset,
                      absl::StrJoin(f.suggestions(), " | "), "\n");
    }
    if (!f.legal_basis().empty()) {
      absl::StrAppend(&out, "    ", dim, de ? "Rechtsgrundlage: " : "legal basis: ",
                      f.legal_basis(), reset, "\n");
    }
  }
  for (const v1::Highlight& h : report.highlights()) {
    absl::StrAppend(&out, source, ":", h.span().line(), ":", h.span().column(),
                    ": ", green, de ? "gut" : "good", reset, ": ", h.message(),
                    " ", dim, "[", h.rule_id(), "]", reset, "\n");
  }
  const auto& cw = report.coded_wording();
  absl::StrAppend(
      &out, bold, source, ": ", de ? "Punktzahl " : "score ", report.score(),
      "/100, ", de ? "Note " : "grade ", report.grade(), reset, " (",
      report.critical_count(), de ? " kritisch, " : " critical, ",
      report.warning_count(), de ? " Warnungen, " : " warnings, ",
      report.hint_count(), de ? " Hinweise" : " hints", "; ",
      de ? "Sprache " : "language ", report.language(),
      report.language_detected() ? (de ? " erkannt" : " detected") : "", "; ",
      de ? "Wortwahl " : "wording ", VerdictName(cw.verdict(), de), ", ",
      cw.agentic_count(), de ? " agentisch/" : " agentic/", cw.communal_count(),
      de ? " gemeinschaftlich)" : " communal)", "\n");
  return out;
}

absl::StatusOr<std::string> FormatJson(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = false;
  options.preserve_proto_field_names = false;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(report, &out, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("JSON encoding failed: ",
                                            status.message().as_string()));
  }
  return out;
}

}  // namespace divcheck::cli
