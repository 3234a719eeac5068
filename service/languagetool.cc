#include "service/languagetool.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "api/errors.h"
#include "base/json.h"
#include "base/utf8.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "unicode/brkiter.h"
#include "unicode/locid.h"
#include "unicode/unistr.h"
#include "unicode/utf16.h"
#include "unicode/utf8.h"

namespace divcheck::service::lt {
namespace {

// UTF-16 units of context on each side of a match, as LanguageTool's
// default.
constexpr int32_t kContextUnits = 40;

struct LanguageName {
  const char* code;
  const char* scan_code;  // what the scan gets
  const char* name;
};
constexpr LanguageName kLanguages[] = {
    {"de", "de", "German"},
    {"de-DE", "de", "German (Germany)"},
    {"de-AT", "de", "German (Austria)"},
    {"de-CH", "de", "German (Swiss)"},
    {"en", "en", "English"},
    {"en-US", "en", "English (US)"},
    {"en-GB", "en", "English (GB)"},
};

const LanguageName* FindLanguage(absl::string_view code) {
  for (const LanguageName& l : kLanguages) {
    if (code == l.code) return &l;
  }
  return nullptr;
}

uint32_t Utf16Length(absl::string_view s) { return Utf16Offset(s, s.size()); }

absl::flat_hash_set<std::string> CommaList(absl::string_view value) {
  absl::flat_hash_set<std::string> out;
  for (absl::string_view part :
       absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    out.insert(std::string(absl::StripAsciiWhitespace(part)));
  }
  return out;
}

// Annotated text is a flat list of parts; anything nested deeper is not
// LanguageTool's format.
constexpr int kMaxAnnotationDepth = 8;

// Whether the JSON `data` nests arrays and objects deeper than `limit`
// (brackets inside strings do not count). Checked before protobuf parses
// `data` into a Struct, which takes seconds for some 10,000 nested arrays.
bool NestsDeeperThan(absl::string_view data, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// Appends the annotation parts of `data` to *out. Errors: a description
// of what is wrong.
absl::Status ParseAnnotation(const std::string& data, CheckRequest* out) {
  if (NestsDeeperThan(data, kMaxAnnotationDepth)) {
    return absl::InvalidArgumentError(
        absl::StrCat("`data` nests deeper than ", kMaxAnnotationDepth,
                     " levels; annotated text is {\"annotation\": [parts]}"));
  }
  google::protobuf::Struct root;
  if (!google::protobuf::util::JsonStringToMessage(data, &root).ok()) {
    return absl::InvalidArgumentError("`data` is not a JSON object");
  }
  auto it = root.fields().find("annotation");
  if (it == root.fields().end() || !it->second.has_list_value()) {
    return absl::InvalidArgumentError(
        "`data` needs an \"annotation\" array of {\"text\": …} and "
        "{\"markup\": …, \"interpretAs\": …} objects");
  }
  uint32_t original = 0;
  for (const google::protobuf::Value& part : it->second.list_value().values()) {
    if (!part.has_struct_value()) {
      return absl::InvalidArgumentError("an annotation part is not an object");
    }
    const auto& fields = part.struct_value().fields();
    auto text = fields.find("text");
    auto markup = fields.find("markup");
    Piece piece;
    piece.original_start = original;
    piece.scan_start = Utf16Length(out->text);
    if (text != fields.end() && text->second.has_string_value()) {
      const std::string& t = text->second.string_value();
      out->text += t;
      piece.original_length = piece.scan_length = Utf16Length(t);
    } else if (markup != fields.end() && markup->second.has_string_value()) {
      piece.markup = true;
      piece.original_length = Utf16Length(markup->second.string_value());
      auto as = fields.find("interpretAs");
      if (as != fields.end() && as->second.has_string_value()) {
        out->text += as->second.string_value();
        piece.scan_length = Utf16Length(as->second.string_value());
      }
    } else {
      return absl::InvalidArgumentError(
          "an annotation part has neither a \"text\" nor a \"markup\" string");
    }
    original += piece.original_length;
    out->pieces.push_back(piece);
  }
  return absl::OkStatus();
}

// A position in the scanned text (UTF-16 units) as a position in the
// original input. `end`: the position ends a span (a span ending inside
// replaced markup ends after the markup).
uint32_t ToOriginal(const std::vector<Piece>& pieces, uint32_t scan, bool end) {
  for (const Piece& p : pieces) {
    const uint32_t scan_end = p.scan_start + p.scan_length;
    // A start lies in the piece holding the unit after it, an end in the
    // piece holding the unit before it; empty markup holds neither.
    const bool inside = end ? scan > p.scan_start && scan <= scan_end
                            : scan >= p.scan_start && scan < scan_end;
    if (!inside) continue;
    if (!p.markup) return p.original_start + (scan - p.scan_start);
    return end ? p.original_start + p.original_length : p.original_start;
  }
  if (pieces.empty() || (end && scan == 0)) return 0;
  const Piece& last = pieces.back();
  return last.original_start + last.original_length;
}

const char* SeverityIssueType(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_CRITICAL:
      return "non-conformance";
    case v1::SEVERITY_WARNING:
      return "inconsistency";
    default:
      return "style";
  }
}

const char* ShortMessage(v1::Severity s, bool german) {
  switch (s) {
    case v1::SEVERITY_CRITICAL:
      return german ? "Rechtliches Risiko (AGG)" : "Legal risk";
    case v1::SEVERITY_WARNING:
      return german ? "Ausgrenzende Wortwahl" : "Excluding wording";
    default:
      return german ? "Hinweis" : "Hint";
  }
}

struct Category {
  const char* id;
  const char* de;
  const char* en;
};
constexpr Category kCategories[] = {
    {"DIVCHECK", "Vielfalt", "Diversity"},
    {"DIVCHECK_AGE", "Alter", "Age"},
    {"DIVCHECK_GENDER", "Geschlecht", "Gender"},
    {"DIVCHECK_ETHNIC_ORIGIN", "Ethnische Herkunft", "Ethnic origin"},
    {"DIVCHECK_RELIGION", "Religion und Weltanschauung", "Religion and belief"},
    {"DIVCHECK_DISABILITY", "Behinderung", "Disability"},
    {"DIVCHECK_SEXUAL_IDENTITY", "Sexuelle Identität", "Sexual identity"},
    {"DIVCHECK_SOCIAL_ORIGIN", "Soziale Herkunft", "Social origin"},
};

const Category& CategoryOf(const v1::Finding& f) {
  const int d = f.dimensions_size() > 0 ? f.dimensions(0) : 0;
  return d > 0 && d < 8 ? kCategories[d] : kCategories[0];
}

bool Wanted(const CheckRequest& request, const v1::Finding& f) {
  if (f.severity() == v1::SEVERITY_HINT && !request.picky) return false;
  const std::string category = CategoryOf(f).id;
  if (request.disabled_rules.contains(f.rule_id()) ||
      request.disabled_categories.contains(category)) {
    return false;
  }
  if (request.enabled_only) {
    return request.enabled_rules.contains(f.rule_id()) ||
           request.enabled_categories.contains(category);
  }
  return true;
}

// The sentence around [start, end) of `text` (UTF-16 units).
std::string SentenceAround(const icu::UnicodeString& text,
                           icu::BreakIterator* sentences, int32_t start,
                           int32_t end) {
  int32_t from = 0;
  int32_t to = text.length();
  if (sentences != nullptr) {
    from = sentences->preceding(std::min(start + 1, text.length()));
    if (from == icu::BreakIterator::DONE) from = 0;
    to = sentences->following(std::max(start, end - 1));
    if (to == icu::BreakIterator::DONE) to = text.length();
  }
  std::string out;
  text.tempSubStringBetween(from, to).toUTF8String(out);
  return std::string(absl::StripTrailingAsciiWhitespace(out));
}

void AppendField(absl::string_view key, absl::string_view value,
                 std::string* out) {
  AppendJsonString(key, out);
  out->push_back(':');
  AppendJsonString(value, out);
}

void AppendLanguage(const CheckRequest& request, const v1::Report& report,
                    std::string* out) {
  const LanguageName* detected =
      FindLanguage(report.language() == "de" ? "de-DE" : "en-US");
  const LanguageName* asked = FindLanguage(request.language);
  if (asked == nullptr) asked = detected;
  out->append("\"language\":{");
  AppendField("name", asked->name, out);
  out->push_back(',');
  AppendField("code", asked->code, out);
  out->append(",\"detectedLanguage\":{");
  AppendField("name", detected->name, out);
  out->push_back(',');
  AppendField("code", detected->code, out);
  absl::StrAppend(out, ",\"confidence\":",
                  report.language_detected() ? "0.9" : "1.0", "}}");
}

void AppendMatch(const CheckRequest& request, const v1::Finding& f,
                 const icu::UnicodeString& text, icu::BreakIterator* sentences,
                 bool german, std::string* out) {
  const int32_t start =
      static_cast<int32_t>(Utf16Offset(request.text, f.span().start_byte()));
  const int32_t end = std::max(start, static_cast<int32_t>(Utf16Offset(
                                          request.text, f.span().end_byte())));
  const uint32_t offset = ToOriginal(request.pieces, start, false);
  const uint32_t length =
      ToOriginal(request.pieces, end, true) -
      std::min(offset, ToOriginal(request.pieces, end, true));
  std::string message = f.message();
  for (const std::string& s : f.advice()) absl::StrAppend(&message, " ", s);
  const auto& replacements = f.replacements();
  if (!f.legal_basis().empty()) {
    absl::StrAppend(&message, " (", f.legal_basis(), ")");
  }
  out->append("{");
  AppendField("message", message, out);
  out->push_back(',');
  AppendField("shortMessage", ShortMessage(f.severity(), german), out);
  out->append(",\"replacements\":[");
  for (int i = 0; i < replacements.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('{');
    AppendField("value", replacements[i], out);
    out->push_back('}');
  }
  absl::StrAppend(out, "],\"offset\":", offset, ",\"length\":", length);
  // Context: up to kContextUnits each side, never splitting a surrogate
  // pair.
  int32_t from = std::max(0, start - kContextUnits);
  int32_t to = std::min(text.length(), end + kContextUnits);
  if (from > 0 && from < text.length() && U16_IS_TRAIL(text.charAt(from))) {
    ++from;
  }
  if (to < text.length() && to > 0 && U16_IS_LEAD(text.charAt(to - 1))) --to;
  std::string context;
  text.tempSubStringBetween(from, to).toUTF8String(context);
  out->append(",\"context\":{");
  AppendField("text", context, out);
  absl::StrAppend(out, ",\"offset\":", start - from,
                  ",\"length\":", end - start, "},");
  AppendField("sentence", SentenceAround(text, sentences, start, end), out);
  out->append(",\"type\":{");
  AppendField("typeName", f.severity() == v1::SEVERITY_HINT ? "Hint" : "Other",
              out);
  out->append("},\"rule\":{");
  const Category& category = CategoryOf(f);
  AppendField("id", f.rule_id(), out);
  out->push_back(',');
  AppendField(
      "description",
      absl::StrCat(german ? category.de : category.en, ": ", f.matched_text()),
      out);
  out->push_back(',');
  AppendField("issueType", SeverityIssueType(f.severity()), out);
  out->append(",\"category\":{");
  AppendField("id", category.id, out);
  out->push_back(',');
  AppendField("name", german ? category.de : category.en, out);
  out->append(
      "}},\"ignoreForIncompleteSentence\":false,\"contextForSureMatch\":0}");
}

}  // namespace

uint32_t Utf16Offset(absl::string_view text, size_t byte_offset) {
  const size_t end = std::min(byte_offset, text.size());
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = 0;
  uint32_t units = 0;
  while (static_cast<size_t>(i) < end) {
    UChar32 c;
    U8_NEXT(s, i, static_cast<int32_t>(end), c);
    units += c < 0 ? 1 : U16_LENGTH(c);
  }
  return units;
}

absl::StatusOr<CheckRequest> ParseCheckRequest(
    const std::multimap<std::string, std::string>& form) {
  CheckRequest out;
  std::vector<api::FieldViolation> violations;
  auto get = [&form](const char* key) -> const std::string* {
    auto it = form.find(key);
    return it == form.end() ? nullptr : &it->second;
  };
  for (const auto& [key, value] : form) {
    if (FirstInvalidUtf8Byte(value) != absl::string_view::npos) {
      violations.push_back(
          {key, absl::StrCat("`", key, "` is not UTF-8"), "INVALID_UTF8"});
    }
  }
  if (!violations.empty()) return api::InvalidRequest(violations);
  const std::string* text = get("text");
  const std::string* data = get("data");
  if (text != nullptr) {
    out.text = *text;
    const uint32_t units = Utf16Length(out.text);
    out.pieces.push_back({0, units, 0, units, false});
  } else if (data != nullptr) {
    if (absl::Status s = ParseAnnotation(*data, &out); !s.ok()) {
      violations.push_back(
          {"data", std::string(s.message()), "INVALID_ANNOTATION"});
    }
  } else {
    violations.push_back(
        {"text", "give the text to check as `text` or `data`", "MISSING_TEXT"});
  }
  const std::string* language = get("language");
  out.language = language == nullptr ? "auto" : *language;
  if (out.language == "auto") {
    out.language_code.clear();
  } else if (const LanguageName* l = FindLanguage(out.language)) {
    out.language_code = l->scan_code;
  } else {
    violations.push_back(
        {"language",
         absl::StrCat("language \"", out.language,
                      "\" is not supported; use de, de-DE, de-AT, de-CH, en, "
                      "en-US, en-GB or auto"),
         "UNSUPPORTED_LANGUAGE"});
  }
  if (const std::string* level = get("level")) {
    if (*level == "picky") {
      out.picky = true;
    } else if (*level != "default" && !level->empty()) {
      violations.push_back(
          {"level", "level must be \"default\" or \"picky\"", "INVALID_LEVEL"});
    }
  }
  if (const std::string* v = get("enabledRules"))
    out.enabled_rules = CommaList(*v);
  if (const std::string* v = get("disabledRules")) {
    out.disabled_rules = CommaList(*v);
  }
  if (const std::string* v = get("enabledCategories")) {
    out.enabled_categories = CommaList(*v);
  }
  if (const std::string* v = get("disabledCategories")) {
    out.disabled_categories = CommaList(*v);
  }
  if (const std::string* v = get("enabledOnly"))
    out.enabled_only = *v == "true";
  if (!violations.empty()) return api::InvalidRequest(violations);
  return out;
}

v1::ScanTextRequest ToScanTextRequest(
    const CheckRequest& request,
    const std::function<bool(absl::string_view)>& is_rule) {
  v1::ScanTextRequest out;
  out.set_text(request.text);
  out.set_language_code(request.language_code);
  // Sorted, so the request (and its log and cache keys) do not depend on
  // the hash set's order.
  auto add_known = [&](const absl::flat_hash_set<std::string>& ids,
                       google::protobuf::RepeatedPtrField<std::string>* to) {
    std::vector<std::string> known;
    for (const std::string& id : ids) {
      if (is_rule(id)) known.push_back(id);
    }
    std::sort(known.begin(), known.end());
    for (std::string& id : known) to->Add(std::move(id));
  };
  add_known(request.disabled_rules, out.mutable_disabled_rules());
  if (request.enabled_only && request.enabled_categories.empty()) {
    add_known(request.enabled_rules, out.mutable_only_rules());
  }
  if (!request.picky) out.set_min_severity(v1::SEVERITY_WARNING);
  return out;
}

std::string CheckResponseJson(const CheckRequest& request,
                              const v1::Report& report,
                              absl::string_view version) {
  const bool german = report.language() == "de";
  std::string out = "{\"software\":{";
  AppendField("name", "divcheck", &out);
  out.push_back(',');
  AppendField("version", version, &out);
  out.append(
      ",\"buildDate\":\"\",\"apiVersion\":1,\"premium\":false,"
      "\"premiumHint\":\"\",\"status\":\"\"},\"warnings\":{"
      "\"incompleteResults\":false},");
  AppendLanguage(request, report, &out);
  out.append(",\"matches\":[");
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(
      request.text.data(), static_cast<int32_t>(request.text.size())));
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> sentences(
      icu::BreakIterator::createSentenceInstance(
          icu::Locale(german ? "de" : "en"), error));
  if (U_FAILURE(error)) sentences.reset();
  if (sentences != nullptr) sentences->setText(text);
  bool first = true;
  for (const v1::Finding& f : report.findings()) {
    if (!Wanted(request, f)) continue;
    if (!first) out.push_back(',');
    first = false;
    AppendMatch(request, f, text, sentences.get(), german, &out);
  }
  out.append("]}");
  return out;
}

std::string LanguagesJson() {
  std::string out = "[";
  bool first = true;
  for (const LanguageName& l : kLanguages) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('{');
    AppendField("name", l.name, &out);
    out.push_back(',');
    AppendField("code", l.scan_code, &out);
    out.push_back(',');
    AppendField("longCode", l.code, &out);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

}  // namespace divcheck::service::lt
