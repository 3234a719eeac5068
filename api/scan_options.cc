#include "api/scan_options.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace divcheck::api {
namespace {

// `value` quoted for an error message: short, printable, valid UTF-8.
std::string Quoted(absl::string_view value) {
  if (value.size() > 64) return absl::StrCat("of ", value.size(), " bytes");
  return absl::StrCat("\"", absl::CHexEscape(value), "\"");
}

void ValidateRuleList(
    const char* name,
    const google::protobuf::RepeatedPtrField<std::string>& ids,
    const std::function<bool(absl::string_view)>& is_rule,
    std::vector<FieldViolation>* out) {
  if (ids.empty()) return;
  if (static_cast<size_t>(ids.size()) > kMaxRuleFilterIds) {
    out->push_back({name,
                    absl::StrCat(name, " has ", ids.size(),
                                 " rule ids; the limit is ", kMaxRuleFilterIds),
                    "INVALID_RULE_FILTER"});
    return;
  }
  size_t unknown = 0;
  for (int i = 0; i < ids.size(); ++i) {
    if (is_rule(ids[i])) continue;
    if (++unknown > kMaxUnknownRuleViolations) continue;
    const std::string field = absl::StrCat(name, "[", i, "]");
    out->push_back({field,
                    absl::StrCat(field, " ", Quoted(ids[i]),
                                 " is not a rule of this server; ListRules "
                                 "(GET /v1/rules) lists the rule ids"),
                    "UNKNOWN_RULE"});
  }
  if (unknown > kMaxUnknownRuleViolations) {
    out->push_back(
        {name,
         absl::StrCat(name, " has ", unknown - kMaxUnknownRuleViolations,
                      " more unknown rule ids"),
         "UNKNOWN_RULE"});
  }
}

FieldViolation ReportLanguageViolation(absl::string_view report_language,
                                       absl::string_view text_language) {
  return {"report_language",
          absl::StrCat("report_language ", Quoted(report_language),
                       " is not available for a text in \"", text_language,
                       "\": the rules' messages exist only in the language "
                       "of the text; leave report_language empty or use \"",
                       text_language, "\""),
          "UNSUPPORTED_REPORT_LANGUAGE"};
}

}  // namespace

void ValidateScanOptions(const v1::ScanTextRequest& request,
                         const std::function<bool(absl::string_view)>& is_rule,
                         std::vector<FieldViolation>* out) {
  ValidateRuleList("disabled_rules", request.disabled_rules(), is_rule, out);
  ValidateRuleList("only_rules", request.only_rules(), is_rule, out);
  if (!v1::Severity_IsValid(request.min_severity())) {
    out->push_back(
        {"min_severity",
         absl::StrCat("min_severity ", static_cast<int>(request.min_severity()),
                      " is not a Severity value"),
         "INVALID_SEVERITY"});
  }
  if (!v1::EmployerType_IsValid(request.employer_type())) {
    out->push_back({"employer_type",
                    absl::StrCat("employer_type ",
                                 static_cast<int>(request.employer_type()),
                                 " is not an EmployerType value"),
                    "INVALID_EMPLOYER_TYPE"});
  }
  if (!v1::GenderForm_IsValid(request.gender_form())) {
    out->push_back(
        {"gender_form",
         absl::StrCat("gender_form ", static_cast<int>(request.gender_form()),
                      " is not a GenderForm value"),
         "INVALID_GENDER_FORM"});
  }
  const std::string& report_language = request.report_language();
  if (report_language.empty()) return;
  if (report_language != "de" && report_language != "en") {
    out->push_back(
        {"report_language",
         absl::StrCat("report_language ", Quoted(report_language),
                      " is not supported; use \"\" (the language of the "
                      "text), \"de\" or \"en\""),
         "UNSUPPORTED_REPORT_LANGUAGE"});
  } else if (!request.language_code().empty() &&
             request.language_code() != report_language) {
    out->push_back(
        ReportLanguageViolation(report_language, request.language_code()));
  }
}

ScanOptions ToScanOptions(const v1::ScanTextRequest& request) {
  ScanOptions options;
  options.language = request.language_code();
  options.disabled_rules.insert(request.disabled_rules().begin(),
                                request.disabled_rules().end());
  options.only_rules.insert(request.only_rules().begin(),
                            request.only_rules().end());
  options.min_severity = request.min_severity();
  options.employer = request.employer_type();
  options.gender_form = request.gender_form();
  return options;
}

std::optional<v1::GenderForm> GenderFormByName(absl::string_view name) {
  if (name == "pair") return v1::GENDER_FORM_PAIR;
  if (name == "star") return v1::GENDER_FORM_STAR;
  if (name == "colon") return v1::GENDER_FORM_COLON;
  if (name == "neutral") return v1::GENDER_FORM_NEUTRAL;
  if (name == "marker") return v1::GENDER_FORM_MARKER;
  return std::nullopt;
}

std::optional<FieldViolation> CheckReportLanguageAfterScan(
    const v1::ScanTextRequest& request, const v1::Report& report) {
  if (request.report_language().empty() || report.language().empty() ||
      report.language() == request.report_language()) {
    return std::nullopt;
  }
  return ReportLanguageViolation(request.report_language(), report.language());
}

}  // namespace divcheck::api
