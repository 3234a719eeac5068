#include "api/form_validation.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"

namespace divcheck::api {

std::vector<FieldViolation> ValidateFormRequest(
    const v1::ScanFormRequest& request, size_t max_text_bytes) {
  std::vector<FieldViolation> out;
  const size_t n = static_cast<size_t>(request.fields_size());
  if (n == 0) {
    out.push_back(
        {"fields",
         "the form has no fields; send at least one (an HTML file needs "
         "<input>, <select> or <textarea> elements)",
         "INVALID_FORM"});
  } else if (n > kMaxFormFields) {
    out.push_back({"fields",
                   absl::StrCat("the form has ", n, " fields; the limit is ",
                                kMaxFormFields),
                   "INVALID_FORM"});
  }
  size_t bytes = request.instructions().size();
  absl::flat_hash_set<absl::string_view> ids;
  // Per-field problems are listed for the first fields only, so that a
  // broken request of thousands of fields gets a readable answer.
  constexpr size_t kMaxListed = 20;
  size_t field_problems = 0;
  auto field_problem = [&](int i, const char* field, std::string description) {
    if (field_problems++ < kMaxListed) {
      out.push_back({absl::StrCat("fields[", i, "].", field),
                     std::move(description), "INVALID_FORM"});
    }
  };
  for (int i = 0; i < request.fields_size(); ++i) {
    const v1::FormField& f = request.fields(i);
    bytes += f.field_id().size() + f.name().size() + f.label().size() +
             f.help_text().size() + f.placeholder().size() + f.section().size();
    for (const v1::FieldOption& o : f.options())
      bytes += o.value().size() + o.label().size();
    if (n > kMaxFormFields) continue;
    if (f.field_id().empty()) {
      field_problem(i, "field_id",
                    absl::StrCat("field ", i, " has no field_id"));
    } else if (f.field_id().size() > kMaxFieldIdBytes) {
      field_problem(
          i, "field_id",
          absl::StrCat("field_id of field ", i, " is ", f.field_id().size(),
                       " bytes; the limit is ", kMaxFieldIdBytes));
    } else if (!ids.insert(f.field_id()).second) {
      field_problem(i, "field_id",
                    absl::StrCat("field_id \"", f.field_id(), "\" of field ", i,
                                 " is used by an earlier field"));
    }
    if (!v1::FieldType_IsValid(f.type())) {
      field_problem(i, "type",
                    absl::StrCat("type ", static_cast<int>(f.type()),
                                 " of field ", i, " is not a FieldType value"));
    }
    if (static_cast<size_t>(f.options_size()) > kMaxFieldOptions) {
      field_problem(i, "options",
                    absl::StrCat("field ", i, " has ", f.options_size(),
                                 " options; the limit is ", kMaxFieldOptions));
    }
  }
  if (field_problems > kMaxListed) {
    out.push_back({"fields",
                   absl::StrCat(field_problems - kMaxListed,
                                " more field problems not listed"),
                   "INVALID_FORM"});
  }
  if (bytes > max_text_bytes) {
    out.push_back(
        {"fields",
         absl::StrCat("the form has ", bytes, " bytes of text; the limit is ",
                      max_text_bytes, " bytes"),
         "TEXT_TOO_LARGE"});
  }
  const std::string& lang = request.language_code();
  if (!lang.empty() && lang != "de" && lang != "en") {
    out.push_back(
        {"language_code",
         absl::StrCat(
             "language_code \"", absl::CHexEscape(lang.substr(0, 32)),
             "\" is not supported; use \"de\", \"en\" or \"\" to detect"),
         "UNSUPPORTED_LANGUAGE"});
  }
  if (!v1::EmployerType_IsValid(request.employer_type())) {
    out.push_back({"employer_type",
                   absl::StrCat("employer_type ",
                                static_cast<int>(request.employer_type()),
                                " is not an EmployerType value"),
                   "INVALID_FORM"});
  }
  if (request.request_id().size() > kMaxFormRequestIdBytes) {
    out.push_back({"request_id",
                   absl::StrCat("request_id is ", request.request_id().size(),
                                " bytes; the limit is ", kMaxFormRequestIdBytes,
                                " bytes"),
                   "INVALID_REQUEST_ID"});
  }
  return out;
}

}  // namespace divcheck::api
