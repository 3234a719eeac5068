#include "api/organization.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace divcheck::api {
namespace {

// Input beyond this is refused before any Unicode work.
constexpr size_t kMaxRawBytes = 1024;

// True for the code points a name may not contain (after trimming).
bool IsRefused(UChar32 c) {
  switch (u_charType(c)) {
    case U_CONTROL_CHAR:         // Cc
    case U_FORMAT_CHAR:          // Cf
    case U_LINE_SEPARATOR:       // Zl
    case U_PARAGRAPH_SEPARATOR:  // Zp
    case U_PRIVATE_USE_CHAR:     // Co
    case U_UNASSIGNED:           // Cn, also noncharacters
    case U_SURROGATE:            // Cs
      return true;
    default:
      break;
  }
  return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

std::string Describe(UChar32 c) {
  char name[128];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n =
      u_charName(c, U_EXTENDED_CHAR_NAME, name, sizeof(name), &status);
  std::string out = absl::StrFormat("U+%04X", static_cast<uint32_t>(c));
  if (U_SUCCESS(status) && n > 0) absl::StrAppend(&out, " ", name);
  return out;
}

}  // namespace

absl::StatusOr<std::string> NormalizeOrganization(absl::string_view name) {
  if (name.size() > kMaxRawBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("organization is over ", kMaxOrganizationBytes, " bytes"));
  }
  std::vector<UChar32> cps;
  cps.reserve(name.size());
  for (int32_t i = 0; i < static_cast<int32_t>(name.size());) {
    UChar32 c;
    U8_NEXT(name.data(), i, static_cast<int32_t>(name.size()), c);
    if (c < 0) {
      return absl::InvalidArgumentError("organization is not valid UTF-8");
    }
    cps.push_back(c);
  }
  size_t begin = 0;
  size_t end = cps.size();
  while (begin < end && u_isUWhiteSpace(cps[begin])) ++begin;
  while (end > begin && u_isUWhiteSpace(cps[end - 1])) --end;
  icu::UnicodeString collapsed;
  bool in_space = false;
  for (size_t i = begin; i < end; ++i) {
    const UChar32 c = cps[i];
    if (IsRefused(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("organization contains ", Describe(c),
                       ", an invisible or control character, at code point ",
                       i - begin, " (after trimming); remove it"));
    }
    if (u_charType(c) == U_SPACE_SEPARATOR) {
      if (!in_space) collapsed.append(static_cast<UChar32>(0x20));
      in_space = true;
      continue;
    }
    in_space = false;
    collapsed.append(c);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString normalized;
  if (U_SUCCESS(status)) normalized = nfc->normalize(collapsed, status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("NFC normalisation failed: ", u_errorName(status)));
  }
  std::string out;
  normalized.toUTF8String(out);
  if (out.empty()) {
    return absl::InvalidArgumentError(
        cps.empty() ? "organization is required"
                    : "organization is required (it holds only white space)");
  }
  if (out.size() > kMaxOrganizationBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("organization is over ", kMaxOrganizationBytes, " bytes"));
  }
  return out;
}

}  // namespace divcheck::api
