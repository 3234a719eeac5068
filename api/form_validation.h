// ValidateFormRequest: the request validation of ScanService.ScanForm.
//
// Every problem of a ScanFormRequest is listed, with its field and the
// reason a client sees, before the engine is called (ScanApi::ScanForm).
// The engine keeps only the size limits it needs for its own bounds
// (Engine::ScanForm); everything a client can get wrong is checked here.
//
// Thread-safe: a pure function of its arguments.
#ifndef DIVCHECK_API_FORM_VALIDATION_H_
#define DIVCHECK_API_FORM_VALIDATION_H_

#include <cstddef>
#include <vector>

#include "api/errors.h"
#include "divcheck/v1/form.pb.h"

namespace divcheck::api {

// Longest field_id and request_id of a form request.
inline constexpr size_t kMaxFieldIdBytes = 256;
inline constexpr size_t kMaxFormRequestIdBytes = 256;

// Every problem of `request` (empty when it can be scanned), reasons
// INVALID_FORM, TEXT_TOO_LARGE, UNSUPPORTED_LANGUAGE, INVALID_REQUEST_ID:
// no fields, more than kMaxFormFields fields, a field with an empty,
// duplicate or over-long field_id, an unknown type or more than
// kMaxFieldOptions options (listed for the first 20 fields), an unknown
// employer type or language, a request_id over 256 bytes, or more than
// `max_text_bytes` of text in all.
std::vector<FieldViolation> ValidateFormRequest(
    const v1::ScanFormRequest& request, size_t max_text_bytes);

}  // namespace divcheck::api

#endif  // DIVCHECK_API_FORM_VALIDATION_H_
