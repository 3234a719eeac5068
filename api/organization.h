// Organisation names of the self-assessments, in one canonical form.
//
// An organisation is whatever name or id a client gives CreateAssessment.
// Because names decide who may see which assessments (api/caller.h), two
// spellings a person cannot tell apart must not be two organisations, and
// a name must not hide characters. NormalizeOrganization:
//
//   1. refuses more than 1024 bytes of input and input that is not UTF-8;
//   2. trims Unicode white space (White_Space) at both ends;
//   3. refuses control characters (Cc), format characters (Cf: zero-width
//      space and joiners, soft hyphen, bidi controls, BOM), line and
//      paragraph separators, private-use, unassigned and other default-
//      ignorable code points (Hangul fillers, variation selectors);
//   4. turns every run of inner space separators (Zs: no-break space,
//      ideographic space, …) into one U+0020 SPACE;
//   5. applies Unicode NFC (ICU);
//   6. requires 1–200 bytes of UTF-8 after all that.
//
// Case is kept and matters: "ACME" and "Acme" are two organisations (the
// names are compared byte for byte after the steps above). docs/API.md
// states the same rule.
//
// Thread-safe: no shared mutable state.
#ifndef DIVCHECK_API_ORGANIZATION_H_
#define DIVCHECK_API_ORGANIZATION_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace divcheck::api {

// Longest organisation name after normalisation, in bytes of UTF-8.
inline constexpr size_t kMaxOrganizationBytes = 200;

// The canonical form of `name`. Errors: INVALID_ARGUMENT whose message says
// what is wrong in English ("organization is required", "organization
// contains U+200B ZERO WIDTH SPACE, an invisible or control character", …),
// meant as the description of a field violation.
absl::StatusOr<std::string> NormalizeOrganization(absl::string_view name);

}  // namespace divcheck::api

#endif  // DIVCHECK_API_ORGANIZATION_H_
