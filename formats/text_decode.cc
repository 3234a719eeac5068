// Plain text and HTML bytes to UTF-8: byte order marks, UTF-8, ICU's
// charset detector and ICU's converters.
#include <algorithm>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "formats/readers.h"
#include "unicode/ucnv.h"
#include "unicode/ucsdet.h"
#include "unicode/unistr.h"

namespace divcheck::formats {
namespace {

struct CloseConverter {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
struct CloseDetector {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};

// `bytes` in `encoding` as UTF-8; INVALID_ARGUMENT at the first byte that
// is not a character there (no replacement characters).
absl::StatusOr<std::string> Convert(absl::string_view bytes,
                                    const std::string& encoding) {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UConverter, CloseConverter> conv(
      ucnv_open(encoding.c_str(), &error));
  if (U_FAILURE(error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown encoding \"", encoding,
        "\" (names such as UTF-8, UTF-16LE, windows-1252, ISO-8859-15)"));
  }
  ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr,
                      nullptr, &error);
  icu::UnicodeString u;
  const int32_t capacity = static_cast<int32_t>(bytes.size()) + 16;
  UChar* buffer = u.getBuffer(capacity);
  UChar* target = buffer;
  const char* source = bytes.data();
  ucnv_toUnicode(conv.get(), &target, buffer + capacity, &source,
                 bytes.data() + bytes.size(), nullptr, /*flush=*/true, &error);
  u.releaseBuffer(static_cast<int32_t>(target - buffer));
  if (U_FAILURE(error)) {
    char bad[32];
    int8_t bad_length = sizeof(bad);
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(conv.get(), bad, &bad_length, &ignored);
    const size_t offset = static_cast<size_t>(source - bytes.data()) -
                          static_cast<size_t>(bad_length);
    return absl::InvalidArgumentError(absl::StrCat(
        "text is not valid ", encoding, " (byte offset ", offset, ")"));
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

// The encoding ICU's detector names for `bytes` with some confidence, or
// "" (too little text to tell). UTF-16/32 without a byte order mark and
// UTF-8 (already ruled out) are never taken.
std::string Detect(absl::string_view bytes, bool html) {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, CloseDetector> det(ucsdet_open(&error));
  if (U_FAILURE(error)) return "";
  ucsdet_enableInputFilter(det.get(), html);
  // The first 4 KB tell a legacy encoding as well as the whole text; the
  // detector's n-gram recognizers cost ~0.8 µs per byte
  // (docs/PERFORMANCE.md).
  const int32_t n = static_cast<int32_t>(std::min<size_t>(bytes.size(), 4096));
  ucsdet_setText(det.get(), bytes.data(), n, &error);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.get(), &count, &error);
  if (U_FAILURE(error)) return "";
  for (int32_t i = 0; i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &error);
    const int32_t confidence = ucsdet_getConfidence(matches[i], &error);
    if (U_FAILURE(error) || confidence < 30) break;
    if (absl::StartsWith(name, "UTF-")) continue;
    return name;
  }
  return "";
}

bool IsHtmlTagName(absl::string_view name) {
  static constexpr absl::string_view kTags[] = {
      "html",    "head",    "body",   "meta",   "title", "link", "style",
      "script",  "p",       "div",    "span",   "h1",    "h2",   "h3",
      "h4",      "h5",      "h6",     "ul",     "ol",    "li",   "table",
      "section", "article", "header", "footer", "main",  "nav",  "br",
      "b",       "strong",  "em",     "i",      "a",     "img",  "dl"};
  for (absl::string_view t : kTags) {
    if (name == t) return true;
  }
  return false;
}

bool HasC1Control(absl::string_view utf8) {
  for (size_t i = 0; i + 1 < utf8.size(); ++i) {
    if (utf8[i] == '\xC2' && static_cast<unsigned char>(utf8[i + 1]) < 0xA0) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool LooksLikeHtml(absl::string_view text) {
  size_t i = 0;
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) i = 3;
  while (true) {
    while (i < text.size() && absl::ascii_isspace(text[i])) ++i;
    if (i >= text.size() || text[i] != '<') return false;
    if (text.substr(i, 4) != "<!--") break;
    const size_t end = text.find("-->", i + 4);
    if (end == absl::string_view::npos) return false;
    i = end + 3;
  }
  const std::string head = absl::AsciiStrToLower(text.substr(i + 1, 16));
  if (absl::StartsWith(head, "!doctype html")) return true;
  size_t j = 0;
  while (j < head.size() && absl::ascii_isalnum(head[j])) ++j;
  if (j == 0 || (j < head.size() && head[j] != '>' && head[j] != '/' &&
                 !absl::ascii_isspace(head[j]))) {
    return false;
  }
  return IsHtmlTagName(absl::string_view(head).substr(0, j));
}

absl::StatusOr<std::string> DecodeText(absl::string_view bytes,
                                       const std::string& forced, bool html,
                                       std::string* encoding) {
  if (!forced.empty()) {
    *encoding = forced;
    return Convert(bytes, forced);
  }
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) {
    *encoding = "UTF-8";
    return Convert(bytes.substr(3), "UTF-8");
  }
  if (absl::StartsWith(bytes, "\xFF\xFE")) {
    *encoding = "UTF-16LE";
    return Convert(bytes.substr(2), "UTF-16LE");
  }
  if (absl::StartsWith(bytes, "\xFE\xFF")) {
    *encoding = "UTF-16BE";
    return Convert(bytes.substr(2), "UTF-16BE");
  }
  const size_t invalid = FirstInvalidUtf8Byte(bytes);
  if (invalid == absl::string_view::npos) {
    *encoding = "UTF-8";
    return std::string(bytes);
  }
  // Not UTF-8: a legacy single-byte text. ISO-8859-1 is read as
  // windows-1252, its superset for every printable character (as browsers
  // do); with too little text to detect, windows-1252 is the likeliest.
  std::string detected = Detect(bytes, html);
  if (detected.empty() || detected == "ISO-8859-1") detected = "windows-1252";
  absl::StatusOr<std::string> text = Convert(bytes, detected);
  if (!text.ok() && detected != "windows-1252") {
    detected = "windows-1252";
    text = Convert(bytes, detected);
  }
  // Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D are no character in windows-1252
  // (ICU maps them to C1 controls): not a legacy text either.
  if (!text.ok() || HasC1Control(*text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is not valid UTF-8 (byte offset ", invalid,
                     "), nor Windows-1252 text; save it as UTF-8"));
  }
  *encoding = detected;
  return text;
}

}  // namespace divcheck::formats
