#include "clients/cli/report_format.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/json.h"
#include "base/utf8.h"
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

std::string EscapeForTerminal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\t') {
        out += "\\t";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c < 0x20 || c == 0x7f) {
        absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
      ++i;
      continue;
    }
    uint32_t cp = length == 2   ? (c & 0x1F)
                  : length == 3 ? (c & 0x0F)
                                : (c & 0x07);
    for (size_t k = 1; k < length; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069)) {
      absl::StrAppend(&out, "\\u{", absl::Hex(cp, absl::kZeroPad4), "}");
    } else {
      out.append(text.data() + i, length);
    }
    i += length;
  }
  return out;
}

namespace {

// The lines under a finding's headline: the words found, the HTML element
// they are in, the context note,
// what to write instead and the legal basis.
void AppendFindingDetails(const v1::Finding& f, bool de, const TextStyle& style,
                          std::string* out) {
  const char* dim = style.color ? "\x1b[2m" : "";
  const char* green = style.color ? "\x1b[32m" : "";
  const char* reset = style.color ? "\x1b[0m" : "";
  absl::StrAppend(out, "    ", de ? "gefunden: " : "found: ", "\"",
                  EscapeForTerminal(f.matched_text()), "\"\n");
  if (!f.element_path().empty()) {
    absl::StrAppend(out, "    ", dim,
                    "element: ", EscapeForTerminal(f.element_path()), reset,
                    "\n");
  }
  if (!f.context_note().empty()) {
    absl::StrAppend(out, "    ", de ? "Kontext: " : "context: ",
                    EscapeForTerminal(f.context_note()), "\n");
  }
  if (f.replacements_size() > 0) {
    absl::StrAppend(
        out, "    ", green, de ? "stattdessen: " : "instead: ", reset,
        EscapeForTerminal(absl::StrJoin(f.replacements(), " | ")), "\n");
  }
  for (const std::string& advice : f.advice()) {
    absl::StrAppend(out, "    ",
                    de ? "Rat: " : "advice: ", EscapeForTerminal(advice), "\n");
  }
  if (f.replacements_size() == 0 && f.advice_size() == 0 &&
      f.suggestions_size() > 0) {
    // A report of an older server: only the mixed list.
    absl::StrAppend(
        out, "    ", green, de ? "stattdessen: " : "instead: ", reset,
        EscapeForTerminal(absl::StrJoin(f.suggestions(), " | ")), "\n");
  }
  if (!f.legal_basis().empty()) {
    absl::StrAppend(out, "    ", dim,
                    de ? "Rechtsgrundlage: " : "legal basis: ",
                    EscapeForTerminal(f.legal_basis()), reset, "\n");
  }
}

// The name of a language `apparent_language` may hold.
std::string LanguageName(const std::string& code, bool de) {
  static const auto* names =
      new absl::flat_hash_map<std::string, std::pair<const char*, const char*>>{
          {"de", {"Deutsch", "German"}},
          {"en", {"Englisch", "English"}},
          {"fr", {"Französisch", "French"}},
          {"es", {"Spanisch", "Spanish"}},
          {"it", {"Italienisch", "Italian"}},
          {"pt", {"Portugiesisch", "Portuguese"}},
          {"nl", {"Niederländisch", "Dutch"}},
          {"pl", {"Polnisch", "Polish"}},
          {"tr", {"Türkisch", "Turkish"}}};
  auto it = names->find(code);
  if (it == names->end()) return EscapeForTerminal(code);
  return de ? it->second.first : it->second.second;
}

// For a report whose text was not checked, appends why in place of the
// score line and returns true. For a language mismatch appends a warning
// and returns false (the score line follows).
bool AppendNotChecked(const std::string& source, const v1::Report& report,
                      bool de, const char* bold, const char* reset,
                      std::string* out) {
  const std::string apparent = LanguageName(report.apparent_language(), de);
  switch (report.coverage()) {
    case v1::COVERAGE_EMPTY:
      absl::StrAppend(out, bold, source, ": ", reset,
                      de ? "nicht geprüft: der Text ist leer"
                         : "not checked: the text is empty",
                      "\n");
      return true;
    case v1::COVERAGE_NO_WORDS:
      absl::StrAppend(out, bold, source, ": ", reset,
                      de ? "nicht geprüft: der Text enthält keine Wörter"
                         : "not checked: the text contains no words",
                      "\n");
      return true;
    case v1::COVERAGE_UNSUPPORTED_LANGUAGE:
      absl::StrAppend(
          out, bold, source, ": ", reset,
          de ? "nicht geprüft: der Text scheint "
             : "not checked: the text "
               "looks like ",
          apparent,
          de ? " zu sein; divcheck prüft nur deutsche und englische Texte "
               "(--lang=de oder --lang=en erzwingt eine Prüfung)"
             : "; divcheck only checks German and English texts "
               "(--lang=de or --lang=en forces a check)",
          "\n");
      return true;
    case v1::COVERAGE_LANGUAGE_MISMATCH:
      absl::StrAppend(
          out, bold, source, ": ", reset,
          de ? "Achtung: der Text scheint nicht Deutsch, sondern "
             : "caution: the text does not look English but ",
          apparent,
          de ? " zu sein; die Punktzahl gilt nur für die deutschen Wörter"
             : "; the score only covers the English words",
          "\n");
      return false;
    default:
      return false;
  }
}

// "durchsetzungsstark (2×: 3:14, 7:2)" for each coded word of one side.
std::string CodedWordList(const v1::CodedWordingBalance& cw, bool agentic) {
  std::vector<std::string> parts;
  for (const v1::CodedWord& w : cw.words()) {
    if (w.agentic() != agentic) continue;
    std::vector<std::string> at;
    for (const v1::Span& s : w.spans())
      at.push_back(absl::StrCat(s.line(), ":", s.column()));
    parts.push_back(absl::StrCat(EscapeForTerminal(w.text()), " (", w.count(),
                                 "\u00d7: ", absl::StrJoin(at, ", "), ")"));
  }
  return absl::StrJoin(parts, ", ");
}

// One line per side naming the counted gender-coded words with where they
// stand, and how many listed words were not counted (tasks, fields).
void AppendCodedWords(const std::string& source, const v1::Report& report,
                      bool de, const char* dim, const char* reset,
                      std::string* out) {
  const v1::CodedWordingBalance& cw = report.coded_wording();
  if (cw.words_size() == 0 && cw.uncounted_count() == 0) return;
  for (bool agentic : {true, false}) {
    const std::string list = CodedWordList(cw, agentic);
    if (list.empty()) continue;
    absl::StrAppend(
        out, source, ": ", dim,
        agentic ? (de ? "agentisch gezählt: " : "agentic words: ")
                : (de ? "gemeinschaftlich gezählt: " : "communal words: "),
        reset, list, "\n");
  }
  if (cw.uncounted_count() > 0) {
    absl::StrAppend(
        out, source, ": ", dim,
        de ? "nicht gezählt (benennen Aufgaben, Fachgebiete oder Produkte): "
           : "not counted (they name tasks, fields or products): ",
        reset, cw.uncounted_count(), "\n");
  }
}

}  // namespace

std::string FormatText(const std::string& raw_source, const v1::Report& report,
                       const TextStyle& style) {
  const bool de = report.language() == "de";
  const char* bold = style.color ? "\x1b[1m" : "";
  const char* dim = style.color ? "\x1b[2m" : "";
  const char* green = style.color ? "\x1b[32m" : "";
  const char* reset = style.color ? "\x1b[0m" : "";
  // Everything not written here may hold terminal escapes: the file name, the
  // text's words and, from a server, every string of the report.
  const std::string source = EscapeForTerminal(raw_source);
  std::string out;
  for (const v1::Finding& f : report.findings()) {
    absl::StrAppend(
        &out, bold, source, ":", f.span().line(), ":", f.span().column(), ":",
        reset, " ", style.color ? SeverityColor(f.severity()) : "",
        SeverityName(f.severity()), reset, ": ", EscapeForTerminal(f.message()),
        " ", dim, "[", EscapeForTerminal(f.rule_id()), "]", reset, "\n");
    AppendFindingDetails(f, de, style, &out);
  }
  for (const v1::Highlight& h : report.highlights()) {
    absl::StrAppend(&out, source, ":", h.span().line(), ":", h.span().column(),
                    ": ", green, de ? "gut" : "good", reset, ": ",
                    EscapeForTerminal(h.message()), " ", dim, "[",
                    EscapeForTerminal(h.rule_id()), "]", reset, "\n");
  }
  // Over the engine's limit per report (issue 17): say what is not listed.
  if (report.findings_capped() || report.omitted_highlight_count() > 0) {
    absl::StrAppend(
        &out, source, ": ", dim,
        de ? "nicht aufgeführt (Grenze je Bericht): "
           : "not listed (limit per report): ",
        report.omitted_finding_count(),
        de ? " weitere Befunde, " : " more findings, ",
        report.omitted_highlight_count(),
        de ? " weitere gute Stellen; die Punktzahl zählt die aufgeführten"
           : " more highlights; the score counts the listed ones",
        reset, "\n");
  }
  if (AppendNotChecked(source, report, de, bold, reset, &out)) return out;
  AppendCodedWords(source, report, de, dim, reset, &out);
  const auto& cw = report.coded_wording();
  absl::StrAppend(
      &out, bold, source, ": ", de ? "Punktzahl " : "score ", report.score(),
      "/100, ", de ? "Note " : "grade ", EscapeForTerminal(report.grade()),
      reset, " (", report.critical_count(), de ? " kritisch, " : " critical, ",
      report.warning_count(), de ? " Warnungen, " : " warnings, ",
      report.hint_count(), de ? " Hinweise" : " hints", "; ",
      de ? "Sprache " : "language ", EscapeForTerminal(report.language()),
      report.language_detected() ? (de ? " erkannt" : " detected") : "", "; ",
      de ? "Wortwahl " : "wording ", VerdictName(cw.verdict(), de), ", ",
      cw.agentic_count(), de ? " agentisch/" : " agentic/", cw.communal_count(),
      de ? " gemeinschaftlich)" : " communal)", "\n");
  return out;
}

std::string FormatFormText(const std::string& raw_source,
                           const v1::ScanFormResponse& response,
                           const TextStyle& style) {
  const std::string source = EscapeForTerminal(raw_source);
  const v1::Report& report = response.report();
  const bool de = report.language() == "de";
  const char* bold = style.color ? "\x1b[1m" : "";
  const char* dim = style.color ? "\x1b[2m" : "";
  const char* green = style.color ? "\x1b[32m" : "";
  const char* reset = style.color ? "\x1b[0m" : "";
  std::string out;
  for (const v1::Finding& f : report.findings()) {
    if (f.field_id().empty()) {
      absl::StrAppend(&out, bold, source, ":instructions:", f.span().line(),
                      ":", f.span().column(), ":", reset);
    } else {
      absl::StrAppend(&out, bold, source, "#", EscapeForTerminal(f.field_id()),
                      ":", reset);
    }
    absl::StrAppend(&out, " ", style.color ? SeverityColor(f.severity()) : "",
                    SeverityName(f.severity()), reset, ": ",
                    EscapeForTerminal(f.message()), " ", dim, "[",
                    EscapeForTerminal(f.rule_id()), "]", reset, "\n");
    AppendFindingDetails(f, de, style, &out);
  }
  for (const v1::Highlight& h : report.highlights()) {
    absl::StrAppend(&out, source, ":instructions:", h.span().line(), ":",
                    h.span().column(), ": ", green, de ? "gut" : "good", reset,
                    ": ", EscapeForTerminal(h.message()), " ", dim, "[",
                    EscapeForTerminal(h.rule_id()), "]", reset, "\n");
  }
  absl::StrAppend(
      &out, bold, source, ": ", de ? "Punktzahl " : "score ", report.score(),
      "/100, ", de ? "Note " : "grade ", EscapeForTerminal(report.grade()),
      reset, " (", report.critical_count(), de ? " kritisch, " : " critical, ",
      report.warning_count(), de ? " Warnungen, " : " warnings, ",
      report.hint_count(), de ? " Hinweise" : " hints", "; ",
      de ? "Sprache " : "language ", EscapeForTerminal(report.language()),
      report.language_detected() ? (de ? " erkannt" : " detected") : "", ")\n");
  const v1::AnonymisationReadiness& r = response.readiness();
  absl::StrAppend(&out, bold, source, ": ",
                  de ? "Bereitschaft für anonymisierte Bewerbung "
                     : "anonymisation readiness ",
                  r.score(), "/100", reset,
                  r.changes_size() == 0
                      ? (de ? " (keine Änderung nötig)" : " (no change needed)")
                      : (de ? "; nötige Änderungen:" : "; changes needed:"),
                  "\n");
  for (const v1::ReadinessChange& c : r.changes()) {
    absl::StrAppend(&out, "    +", c.points(), " ",
                    EscapeForTerminal(c.change()), " ", dim, "(",
                    EscapeForTerminal(absl::StrJoin(c.field_ids(), ", ")),
                    ") [", EscapeForTerminal(c.rule_id()), "]", reset, "\n");
  }
  return out;
}

std::string ProtoJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string FormatFormJson(const v1::ScanFormResponse& response) {
  return ProtoJson(response);
}

namespace {

// proto3 JSON for the report messages, written directly. The same output as
// google::protobuf::util::MessageToJsonString with
// always_print_primitive_fields (checked by report_format_test against it),
// about ten times faster: the library converts through its generic object
// writers, which cost more than the scan itself.
void AppendMessage(const google::protobuf::Message& m, std::string* out);

void AppendValue(const google::protobuf::Message& m,
                 const google::protobuf::FieldDescriptor* f, int index,
                 std::string* out) {
  using FD = google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& v =
          rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
              : r->GetStringReference(m, f, &scratch);
      AppendJsonString(v, out);
      break;
    }
    case FD::CPPTYPE_UINT32:
      absl::StrAppend(
          out, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
      break;
    case FD::CPPTYPE_INT32:
      absl::StrAppend(
          out, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
      break;
    case FD::CPPTYPE_BOOL:
      out->append((rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                      ? "true"
                      : "false");
      break;
    case FD::CPPTYPE_ENUM: {
      const int v =
          rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      const google::protobuf::EnumValueDescriptor* ev =
          f->enum_type()->FindValueByNumber(v);
      if (ev != nullptr) {
        AppendJsonString(ev->name(), out);
      } else {
        absl::StrAppend(out, v);
      }
      break;
    }
    case FD::CPPTYPE_MESSAGE:
      AppendMessage(
          rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
      break;
    default:
      // 64-bit integers, floats and doubles do not occur in the report
      // messages; the test against the library catches it if they appear.
      out->append("null");
  }
}

void AppendMessage(const google::protobuf::Message& m, std::string* out) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const google::protobuf::Reflection* r = m.GetReflection();
  out->push_back('{');
  bool first = true;
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    // Singular message fields only when set; everything else always.
    if (!f->is_repeated() &&
        f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
        !r->HasField(m, f)) {
      continue;
    }
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(f->json_name(), out);
    out->push_back(':');
    if (f->is_repeated()) {
      out->push_back('[');
      const int n = r->FieldSize(m, f);
      for (int k = 0; k < n; ++k) {
        if (k > 0) out->push_back(',');
        AppendValue(m, f, k, out);
      }
      out->push_back(']');
    } else {
      AppendValue(m, f, 0, out);
    }
  }
  out->push_back('}');
}

}  // namespace

std::string FormatJson(const v1::Report& report) {
  std::string out;
  out.reserve(4096);
  AppendMessage(report, &out);
  return out;
}

std::string FormatJsonMessage(const google::protobuf::Message& message) {
  std::string out;
  out.reserve(4096);
  AppendMessage(message, &out);
  return out;
}

}  // namespace divcheck::cli
