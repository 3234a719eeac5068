// Reading application forms for `divcheck form`: HTML (parsed with Google's
// HTML5 parser, gumbo) or a ScanFormRequest as proto3 JSON.
//
//   absl::StatusOr<divcheck::v1::ScanFormRequest> request =
//       divcheck::formats::FormFromHtml(html);
//
// HTML: every <input> (except hidden, submit, reset, button and image),
// <select> and <textarea> becomes a field. Radio buttons of one name are one
// field with one option each; check boxes of one name too (a lone check box
// is a field without options). The label is, in this order: a <label for=id>,
// a <label> around the control, aria-label, aria-labelledby, the legend of a
// <fieldset> that holds only this field, the title attribute, or the loose
// text just before the control ("Anrede *" in a <p>). help_text comes from
// aria-describedby; section is the innermost <fieldset> legend, else the
// last heading. `required` and aria-required="true" make a field required.
// The field id is the element's id, else its name, else "field-N" (N =
// 1-based position among the fields); repeated ids get "-2", "-3", ….
// A page that is not valid UTF-8 is read as Windows-1252 (ISO-8859-1), as
// browsers read legacy pages.
// Headings, legends, paragraphs and other text not used as a label or help
// text become `instructions`, one block per line. Malformed HTML is read the
// way a browser reads it.
//
// Functions are thread-safe. Errors: INVALID_ARGUMENT with a message that
// says what is wrong (JSON syntax with its position, no fields found).
#ifndef DIVCHECK_FORMATS_FORM_INPUT_H_
#define DIVCHECK_FORMATS_FORM_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/v1/form.pb.h"

namespace divcheck::formats {

// The form in `html`. INVALID_ARGUMENT when it has no form fields.
absl::StatusOr<v1::ScanFormRequest> FormFromHtml(absl::string_view html);

// A ScanFormRequest written as proto3 JSON (field names in lowerCamelCase
// or as in the .proto; enum values by name). Unknown fields are errors.
absl::StatusOr<v1::ScanFormRequest> FormFromJson(absl::string_view json);

// FormFromJson when `path` ends in ".json" or the content starts with "{"
// (after white space), FormFromHtml otherwise.
absl::StatusOr<v1::ScanFormRequest> FormFromFile(absl::string_view path,
                                                 absl::string_view content);

}  // namespace divcheck::formats

#endif  // DIVCHECK_FORMATS_FORM_INPUT_H_
