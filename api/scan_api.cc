#include "api/scan_api.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analyzers/catalog.h"
#include "api/errors.h"
#include "api/form_validation.h"
#include "api/scan_options.h"
#include "base/status_macros.h"
#include "base/utf8.h"

namespace divcheck::api {
namespace {

bool IsSupportedLanguage(absl::string_view code) {
  return code.empty() || code == "de" || code == "en";
}

// `value` quoted for an error message: short, printable, valid UTF-8.
std::string Quoted(absl::string_view value) {
  if (value.size() > 32) return absl::StrCat("of ", value.size(), " bytes");
  return absl::StrCat("\"", absl::CHexEscape(value), "\"");
}

FieldViolation UnsupportedLanguage(absl::string_view code) {
  return {
      "language_code",
      absl::StrCat("language_code ", Quoted(code),
                   " is not supported; use \"de\", \"en\" or \"\" to detect"),
      "UNSUPPORTED_LANGUAGE"};
}

// Page tokens: "1." + web-safe base64 of "language\ndimension\nlast rule id".
// Rule ids never contain a newline. The filter is part of the token so a
// token cannot be used with a different filter.
constexpr char kPageTokenPrefix[] = "1.";

std::string EncodePageToken(const v1::ListRulesRequest& request,
                            absl::string_view last_rule_id) {
  return absl::StrCat(
      kPageTokenPrefix,
      absl::WebSafeBase64Escape(absl::StrCat(
          request.language_code(), "\n", static_cast<int>(request.dimension()),
          "\n", last_rule_id)));
}

// The last rule id of the previous page, or false when `token` was not made
// by EncodePageToken for this request's filter.
bool DecodePageToken(const v1::ListRulesRequest& request,
                     std::string* last_rule_id) {
  absl::string_view token = request.page_token();
  if (!absl::ConsumePrefix(&token, kPageTokenPrefix)) return false;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  std::vector<std::string> parts = absl::StrSplit(raw, '\n');
  int dimension = 0;
  if (parts.size() != 3 || parts[0] != request.language_code() ||
      !absl::SimpleAtoi(parts[1], &dimension) ||
      dimension != static_cast<int>(request.dimension()) || parts[2].empty()) {
    return false;
  }
  *last_rule_id = std::move(parts[2]);
  return true;
}

bool Matches(const v1::Rule& rule, const v1::ListRulesRequest& request) {
  if (!request.language_code().empty() && !rule.language_code().empty() &&
      rule.language_code() != request.language_code()) {
    return false;
  }
  if (request.dimension() != v1::DIMENSION_UNSPECIFIED) {
    if (rule.kind() != v1::Rule::KIND_FINDING) return false;
    const auto& dims = rule.dimensions();
    if (std::find(dims.begin(), dims.end(), request.dimension()) ==
        dims.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

v1::Rule ToRuleMessage(const RuleInfo& r) {
  v1::Rule rule;
  rule.set_rule_id(r.id);
  rule.set_kind(r.kind == RuleInfo::Kind::kHighlight ? v1::Rule::KIND_HIGHLIGHT
                                                     : v1::Rule::KIND_FINDING);
  rule.set_language_code(r.language);
  rule.set_lexicon_id(r.lexicon_id);
  for (v1::Dimension d : r.dimensions) rule.add_dimensions(d);
  rule.set_default_severity(r.default_severity);
  rule.set_highlight_kind(r.highlight_kind);
  rule.set_explanation(r.explanation);
  for (const std::string& s : r.suggestions) rule.add_suggestions(s);
  for (const std::string& s : r.advice) rule.add_advice(s);
  rule.set_legal_basis(r.legal_basis);
  for (const std::string& s : r.sources) rule.add_sources(s);
  rule.set_built_in_analyzer(r.built_in_analyzer);
  for (const std::string& s : r.words) rule.add_words(s);
  for (const std::string& s : r.stems) rule.add_stems(s);
  for (const std::string& s : r.compound_tails) rule.add_compound_tails(s);
  for (const std::string& s : r.phrases) rule.add_phrases(s);
  for (const std::string& s : r.patterns) rule.add_patterns(s);
  for (const std::string& s : r.examples) rule.add_examples(s);
  for (const std::string& s : r.counter_examples) rule.add_counter_examples(s);
  for (const RuleInfo::Context& c : r.contexts) {
    v1::Rule::Context* out = rule.add_contexts();
    // The two Effect enums have the same values (scan_service.proto).
    out->set_effect(static_cast<v1::Rule::Context::Effect>(c.effect));
    for (const std::string& s : c.cues) out->add_cues(s);
    out->set_document_flag(c.document_flag);
    out->set_note(c.note);
  }
  for (const std::string& s : r.exceptions) rule.add_exceptions(s);
  return rule;
}

namespace {

// Runs one engine call (`run`) under the call's deadline and cancellation,
// and gives its errors their reasons. The request was checked before, so an
// INVALID_ARGUMENT from the engine concerns the encoding of `text_field`.
template <typename Run>
absl::Status RunScan(const CallControl& call, const char* text_field,
                     ScanOptions options, Run run) {
  auto deadline_passed = [&call] {
    return std::chrono::system_clock::now() >= call.deadline;
  };
  if (deadline_passed()) {
    return WithReason(
        absl::DeadlineExceededError("deadline exceeded before the scan"),
        "DEADLINE_EXCEEDED");
  }
  options.trace = call.trace;
  options.is_cancelled = [&] {
    return (call.cancelled && call.cancelled()) || deadline_passed();
  };
  const absl::Status s = run(options);
  if (s.ok()) return s;
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
      return InvalidRequest(
          {{text_field, std::string(s.message()), "INVALID_UTF8"}});
    case absl::StatusCode::kFailedPrecondition:
      return WithReason(s, "LANGUAGE_NOT_LOADED");
    case absl::StatusCode::kCancelled:
      if (deadline_passed()) {
        return WithReason(
            absl::DeadlineExceededError("deadline exceeded during the scan"),
            "DEADLINE_EXCEEDED");
      }
      return WithReason(s, "CANCELLED");
    default:
      return s;
  }
}

}  // namespace

ScanApi::ScanApi(const Engine* engine, size_t max_text_bytes)
    : engine_(engine), max_text_bytes_(max_text_bytes) {}

absl::StatusOr<v1::Report> ScanApi::Scan(const v1::ScanTextRequest& request,
                                         const CallControl& call,
                                         Utf8 utf8) const {
  v1::Report report;
  if (absl::Status s = ScanInto(request, call, utf8, &report); !s.ok()) {
    return s;
  }
  return report;
}

absl::Status ScanApi::ScanInto(const v1::ScanTextRequest& request,
                               const CallControl& call, Utf8 utf8,
                               v1::Report* out) const {
  std::map<std::string, std::string> metadata;
  const std::vector<FieldViolation> violations =
      CheckScanRequest(request, utf8, &metadata);
  if (!violations.empty()) return InvalidRequest(violations, metadata);
  return ScanChecked(request, call, "", out);
}

std::vector<FieldViolation> ScanApi::CheckScanRequest(
    const v1::ScanTextRequest& request, Utf8 utf8,
    std::map<std::string, std::string>* metadata) const {
  // Every field is checked so that one answer lists every problem; the size
  // check comes first and costs nothing.
  std::vector<FieldViolation> violations;
  if (request.text().size() > max_text_bytes_) {
    violations.push_back(
        {"text",
         absl::StrCat("text is ", request.text().size(),
                      " bytes; the limit is ", max_text_bytes_, " bytes"),
         "TEXT_TOO_LARGE"});
    (*metadata)["max_text_bytes"] = absl::StrCat(max_text_bytes_);
  } else if (utf8 == Utf8::kUnchecked) {
    if (size_t at = FirstInvalidUtf8Byte(request.text());
        at != absl::string_view::npos) {
      violations.push_back(
          {"text",
           absl::StrCat("text is not valid UTF-8 (byte offset ", at, ")"),
           "INVALID_UTF8"});
    }
  }
  if (!IsSupportedLanguage(request.language_code())) {
    violations.push_back(UnsupportedLanguage(request.language_code()));
  }
  if (!v1::DocumentKind_IsValid(request.document_kind())) {
    violations.push_back(
        {"document_kind",
         absl::StrCat("document_kind ",
                      static_cast<int>(request.document_kind()),
                      " is not a DocumentKind value"),
         "INVALID_DOCUMENT_KIND"});
  }
  if (request.request_id().size() > kMaxRequestIdBytes) {
    violations.push_back(
        {"request_id",
         absl::StrCat("request_id is ", request.request_id().size(),
                      " bytes; the limit is ", kMaxRequestIdBytes, " bytes"),
         "INVALID_REQUEST_ID"});
  } else if (utf8 == Utf8::kUnchecked &&
             FirstInvalidUtf8Byte(request.request_id()) !=
                 absl::string_view::npos) {
    violations.push_back(
        {"request_id", "request_id is not valid UTF-8", "INVALID_REQUEST_ID"});
  }
  // The rule catalog is only looked at when a rule list is given.
  std::shared_ptr<const RuleCatalog> catalog;
  ValidateScanOptions(
      request,
      [&](absl::string_view id) {
        if (catalog == nullptr) catalog = CatalogFor(engine_->lexicons());
        return HasRule(*catalog, id);
      },
      &violations);
  return violations;
}

absl::Status ScanApi::ScanChecked(const v1::ScanTextRequest& request,
                                  const CallControl& call,
                                  absl::string_view field_prefix,
                                  v1::Report* out) const {
  const std::string text_field =
      field_prefix.empty() ? "text" : std::string(field_prefix);
  ScanOptions options = ToScanOptions(request);
  if (options.gender_form == v1::GENDER_FORM_UNSPECIFIED) {
    options.gender_form = default_gender_form_;
  }
  RETURN_IF_ERROR(RunScan(
      call, text_field.c_str(), std::move(options), [&](const ScanOptions& o) {
        return engine_->ScanTextInto(request.text(), o, out);
      }));
  if (std::optional<FieldViolation> v =
          CheckReportLanguageAfterScan(request, *out)) {
    if (!field_prefix.empty()) v->field = absl::StrCat("options.", v->field);
    return InvalidRequest({*std::move(v)});
  }
  return absl::OkStatus();
}

bool ScanApi::HasRule(const RuleCatalog& catalog, absl::string_view id) {
  const auto it = std::lower_bound(
      catalog.rules.begin(), catalog.rules.end(), id,
      [](const v1::Rule& r, absl::string_view x) { return r.rule_id() < x; });
  return it != catalog.rules.end() && it->rule_id() == id;
}

bool ScanApi::IsRule(absl::string_view id) const {
  return HasRule(*CatalogFor(engine_->lexicons()), id);
}

absl::StatusOr<v1::ScanFormResponse> ScanApi::ScanForm(
    const v1::ScanFormRequest& request, const CallControl& call) const {
  const std::vector<FieldViolation> violations =
      ValidateFormRequest(request, max_text_bytes_);
  if (!violations.empty()) {
    std::map<std::string, std::string> metadata;
    for (const FieldViolation& v : violations) {
      if (v.reason == "TEXT_TOO_LARGE") {
        metadata["max_text_bytes"] = absl::StrCat(max_text_bytes_);
      }
    }
    return InvalidRequest(violations, metadata);
  }
  absl::StatusOr<v1::ScanFormResponse> response;
  RETURN_IF_ERROR(
      RunScan(call, "instructions", ScanOptions(), [&](const ScanOptions& o) {
        response = engine_->ScanForm(request, o);
        return response.status();
      }));
  return response;
}

std::shared_ptr<const ScanApi::RuleCatalog> ScanApi::CatalogFor(
    std::shared_ptr<const LexiconSet> set) const {
  {
    absl::MutexLock lock(&catalog_mu_);
    if (catalog_ != nullptr && catalog_->set == set) return catalog_;
  }
  // Built outside the lock: two calls racing after a reload may both build
  // one; the result is the same.
  auto catalog = std::make_shared<RuleCatalog>();
  for (const RuleInfo& r : divcheck::ListRules(*set)) {
    catalog->rules.push_back(ToRuleMessage(r));
  }
  catalog->set = std::move(set);
  absl::MutexLock lock(&catalog_mu_);
  catalog_ = catalog;
  return catalog;
}

absl::StatusOr<v1::ListRulesResponse> ScanApi::ListRules(
    const v1::ListRulesRequest& request) const {
  std::vector<FieldViolation> violations;
  if (request.page_size() < 0) {
    violations.push_back({"page_size",
                          absl::StrCat("page_size ", request.page_size(),
                                       " is negative; use 0 for the default"),
                          "INVALID_PAGE_SIZE"});
  }
  if (!IsSupportedLanguage(request.language_code())) {
    violations.push_back(UnsupportedLanguage(request.language_code()));
  }
  if (!v1::Dimension_IsValid(request.dimension())) {
    violations.push_back(
        {"dimension",
         absl::StrCat("dimension ", static_cast<int>(request.dimension()),
                      " is not a Dimension value"),
         "INVALID_DIMENSION"});
  }
  std::string last_rule_id;
  if (!request.page_token().empty() &&
      !DecodePageToken(request, &last_rule_id)) {
    violations.push_back({"page_token",
                          "page_token was not returned by ListRules for this "
                          "language_code and dimension; start again without it",
                          "INVALID_PAGE_TOKEN"});
  }
  if (!violations.empty()) return InvalidRequest(violations);

  const std::shared_ptr<const RuleCatalog> catalog =
      CatalogFor(engine_->lexicons());
  const std::vector<v1::Rule>& rules = catalog->rules;
  const int page_size = request.page_size() == 0
                            ? kDefaultRulesPageSize
                            : std::min(request.page_size(), kMaxRulesPageSize);
  v1::ListRulesResponse response;
  response.set_lexicon_version(catalog->set->content_hash());
  int total = 0;
  for (const v1::Rule& r : rules) total += Matches(r, request) ? 1 : 0;
  response.set_total_size(total);

  auto it = rules.begin();
  if (!last_rule_id.empty()) {
    it = std::upper_bound(rules.begin(), rules.end(), last_rule_id,
                          [](const std::string& id, const v1::Rule& r) {
                            return id < r.rule_id();
                          });
  }
  for (; it != rules.end(); ++it) {
    if (!Matches(*it, request)) continue;
    if (response.rules_size() == page_size) {
      // There is at least one more: the next page starts after the last one
      // returned.
      response.set_next_page_token(
          EncodePageToken(request, response.rules(page_size - 1).rule_id()));
      break;
    }
    *response.add_rules() = *it;
  }
  return response;
}

v1::GetLexiconInfoResponse ScanApi::GetLexiconInfo() const {
  const LexiconInfo info = DescribeLexicons(*engine_->lexicons());
  v1::GetLexiconInfoResponse response;
  response.set_content_hash(info.content_hash);
  for (const LexiconFileInfo& f : info.files) {
    v1::GetLexiconInfoResponse::LexiconFile* out = response.add_files();
    out->set_id(f.id);
    out->set_language_code(f.language);
    out->set_version(f.version);
    out->set_path(f.path);
    out->set_entry_count(f.entry_count);
    out->set_term_count(f.term_count);
    out->set_job_title_count(f.job_title_count);
    out->set_form_rule_count(f.form_rule_count);
  }
  response.set_entry_count(static_cast<uint32_t>(info.entry_count));
  for (const std::string& lang : info.languages)
    response.add_language_codes(lang);
  return response;
}

}  // namespace divcheck::api
