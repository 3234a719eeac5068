// The per-request options of a ScanTextRequest (fields 110–114 of
// scan_service.proto): their validation and their translation into the
// engine's ScanOptions. Used by ScanApi::ScanInto; kept apart so the rules
// are in one place.
//
//   std::vector<FieldViolation> violations;
//   ValidateScanOptions(request, [&](absl::string_view id) { … }, &violations);
//   if (violations.empty()) ScanOptions options = ToScanOptions(request);
//
// Stateless functions; thread-safe.
#ifndef DIVCHECK_API_SCAN_OPTIONS_H_
#define DIVCHECK_API_SCAN_OPTIONS_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "analyzers/engine.h"
#include "api/errors.h"
#include "divcheck/v1/report.pb.h"
#include "divcheck/v1/scan_service.pb.h"

namespace divcheck::api {

// Most ids in `disabled_rules` or in `only_rules`.
inline constexpr size_t kMaxRuleFilterIds = 1000;
// Most UNKNOWN_RULE violations listed per list; one more says how many
// further ids are unknown.
inline constexpr size_t kMaxUnknownRuleViolations = 20;

// Appends a violation for every problem of the options of `request`:
// INVALID_RULE_FILTER (a list over kMaxRuleFilterIds), UNKNOWN_RULE (an id
// for which `is_rule` is false; `is_rule` is only called when a list is
// not empty), INVALID_SEVERITY, INVALID_EMPLOYER_TYPE,
// UNSUPPORTED_REPORT_LANGUAGE (not "", "de" or "en", or not the
// `language_code` given).
void ValidateScanOptions(const v1::ScanTextRequest& request,
                         const std::function<bool(absl::string_view)>& is_rule,
                         std::vector<FieldViolation>* out);

// The engine options of a validated request: language, rule filters,
// minimum severity and employer type (is_cancelled is left empty).
ScanOptions ToScanOptions(const v1::ScanTextRequest& request);

// "pair", "star", "colon", "neutral", "marker" (the CLI's --gender-form
// and the server's default_gender_form), or nullopt for anything else.
std::optional<v1::GenderForm> GenderFormByName(absl::string_view name);

// After the scan: an UNSUPPORTED_REPORT_LANGUAGE violation when the request
// asks for a report language and the text was analysed as another one
// (`report` came from a detected language). nullopt when all is well.
std::optional<FieldViolation> CheckReportLanguageAfterScan(
    const v1::ScanTextRequest& request, const v1::Report& report);

}  // namespace divcheck::api

#endif  // DIVCHECK_API_SCAN_OPTIONS_H_
