// The LanguageTool-compatible endpoint (`POST /v2/check`, `GET
// /v2/languages`): turning LanguageTool's form parameters into a scan and a
// divcheck Report into LanguageTool's response JSON, so LibreOffice, the
// LanguageTool browser add-on and editor plug-ins can use divcheckd as their
// "remote server" (docs/INTEGRATIONS.md).
//
//   absl::StatusOr<CheckRequest> check = ParseCheckRequest(form);
//   … scan check->text with language check->language_code …
//   std::string json = CheckResponseJson(*check, report, "0.9.0");
//
// Offsets: LanguageTool's `offset` and `length` count UTF-16 code units of
// the original input (markup of annotated text included), as its Java
// server and every client do. The report's spans are UTF-8 byte offsets
// into the text that was scanned; this file converts (ICU's UTF-8 and
// UTF-16 macros), so an emoji (two units) or a combining mark (one unit)
// before a finding lands the highlight in the right place.
//
// Stateless functions; thread-safe.
#ifndef DIVCHECK_SERVICE_LANGUAGETOOL_H_
#define DIVCHECK_SERVICE_LANGUAGETOOL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/v1/report.pb.h"
#include "divcheck/v1/scan_service.pb.h"

namespace divcheck::service::lt {

// One piece of the original input: text (scanned) or markup (skipped but
// counted in the offsets; `interpret_as` is scanned in its place).
struct Piece {
  uint32_t scan_start = 0;  // UTF-16 units into CheckRequest::text
  uint32_t scan_length = 0;
  uint32_t original_start = 0;  // UTF-16 units into the original input
  uint32_t original_length = 0;
  bool markup = false;
};

struct CheckRequest {
  // The text to scan: `text`, or the text parts of `data` with each markup
  // part replaced by its `interpretAs` (usually empty).
  std::string text;
  // How `text` maps back to the input; one piece per part of `data`, or a
  // single text piece for `text`.
  std::vector<Piece> pieces;
  // The `language` parameter as given ("de-AT", "auto").
  std::string language;
  // What the scan gets: "de", "en", or "" to detect.
  std::string language_code;
  absl::flat_hash_set<std::string> enabled_rules;
  absl::flat_hash_set<std::string> disabled_rules;
  absl::flat_hash_set<std::string> enabled_categories;
  absl::flat_hash_set<std::string> disabled_categories;
  bool enabled_only = false;
  // level=picky: hints are reported too.
  bool picky = false;
};

// Reads the form parameters of /v2/check. Errors: INVALID_ARGUMENT with a
// BadRequest: MISSING_TEXT (neither `text` nor `data`), INVALID_ANNOTATION
// (`data` is not LanguageTool's {"annotation": [{"text": …} | {"markup": …,
// "interpretAs": …}]}), UNSUPPORTED_LANGUAGE (`language` is not one of de,
// de-DE, de-AT, de-CH, en, en-US, en-GB, auto; missing counts as auto),
// INVALID_LEVEL (`level` other than default or picky), INVALID_UTF8.
absl::StatusOr<CheckRequest> ParseCheckRequest(
    const std::multimap<std::string, std::string>& form);

// The ScanTextRequest for a /v2/check request: its text and language, and
// as engine options (the same ones ScanTextRequest offers every client)
// the rule filters and the level — `disabledRules` as disabled_rules,
// `enabledRules` with `enabledOnly=true` (and no enabledCategories) as
// only_rules, and min_severity WARNING unless level=picky. Rule ids for
// which `is_rule` is false are left out rather than refused: LanguageTool
// clients send their own rules' ids (LibreOffice disables e.g.
// "WHITESPACE_RULE"), and LanguageTool ignores unknown ids too. Category
// filters have no engine option; CheckResponseJson applies them.
v1::ScanTextRequest ToScanTextRequest(
    const CheckRequest& request,
    const std::function<bool(absl::string_view)>& is_rule);

// LanguageTool's /v2/check response for `report` (a scan of request.text):
// software, language (with detectedLanguage), warnings and matches. Hints
// only with request.picky; rule and category filters applied. Replacements
// are the finding's `replacements`; its `advice` is appended to the
// message.
std::string CheckResponseJson(const CheckRequest& request,
                              const v1::Report& report,
                              absl::string_view version);

// LanguageTool's /v2/languages response: the languages divcheck checks.
std::string LanguagesJson();

// UTF-16 code units in the UTF-8 `text` before byte `byte_offset` (which
// should be at a code point boundary). Invalid bytes count as one unit each.
uint32_t Utf16Offset(absl::string_view text, size_t byte_offset);

}  // namespace divcheck::service::lt

#endif  // DIVCHECK_SERVICE_LANGUAGETOOL_H_
