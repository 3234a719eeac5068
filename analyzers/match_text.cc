#include "analyzers/match_text.h"

#include <array>
#include <bitset>
#include <cstring>

#include "absl/strings/ascii.h"
#include "analyzers/document.h"
#include "unicode/bytestream.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/uspoof.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

constexpr int32_t kPlainLimit = 0x2800;
// Greek and Coptic, Cyrillic, Cyrillic Supplement: the letters that are
// looked up for a Latin look-alike.
constexpr int32_t kLookFirst = 0x370;
constexpr int32_t kLookEnd = 0x530;

bool IsFormat(int32_t c) { return u_charType(c) == U_FORMAT_CHAR; }

// What a separator other than " " becomes, or nullptr for none.
const char* SeparatorReplacement(int32_t c) {
  switch (u_charType(c)) {
    case U_SPACE_SEPARATOR:
      return c == ' ' ? nullptr : " ";
    case U_LINE_SEPARATOR:
      return "\n";
    case U_PARAGRAPH_SEPARATOR:
      return "\n\n";
    default:
      return nullptr;
  }
}

// Letters and digits with a compatibility decomposition, and the fullwidth
// and halfwidth forms (also "／" in "(ｍ／ｗ／ｄ)").
bool WantsNfkc(int32_t c) {
  if (c >= 0xFF01 && c <= 0xFFEE) return true;
  return IsWordCodePoint(c) &&
         u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) == UNORM_NO;
}

bool NeedsWork(int32_t c) {
  return IsFormat(c) || SeparatorReplacement(c) != nullptr || WantsNfkc(c);
}

const std::bitset<kPlainLimit>& PlainTable() {
  static const auto* table = [] {
    auto* t = new std::bitset<kPlainLimit>();
    for (int32_t c = 0; c < kPlainLimit; ++c) {
      t->set(c, IsNfcStable(c) && !NeedsWork(c));
    }
    return t;
  }();
  return *table;
}

enum : uint8_t { kLatin = 1, kCyrillic = 2, kGreek = 4 };

uint8_t ScriptBit(int32_t c) {
  if (c < 0x80) {
    const int32_t l = c | 0x20;
    return l >= 'a' && l <= 'z' ? kLatin : 0;
  }
  UErrorCode st = U_ZERO_ERROR;
  switch (uscript_getScript(c, &st)) {
    case USCRIPT_LATIN:
      return kLatin;
    case USCRIPT_CYRILLIC:
      return kCyrillic;
    case USCRIPT_GREEK:
      return kGreek;
    default:
      return 0;
  }
}

bool IsMixed(uint8_t scripts) {
  return (scripts & kLatin) && (scripts & (kCyrillic | kGreek));
}

// For each Greek or Cyrillic letter whose confusable skeleton is one ASCII
// letter, possibly followed by combining marks ("ӓ" → "a" U+0308): that
// skeleton (UTF-8, NFD); else empty. Built once from ICU's data.
const std::array<std::string, kLookEnd - kLookFirst>& LookAlikes() {
  static const auto* table = [] {
    auto* t = new std::array<std::string, kLookEnd - kLookFirst>();
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* checker = uspoof_open(&status);
    if (U_FAILURE(status)) return t;
    for (int32_t c = kLookFirst; c < kLookEnd; ++c) {
      if (!u_isalpha(c)) continue;
      char in[U8_MAX_LENGTH];
      int32_t n = 0;
      U8_APPEND_UNSAFE(in, n, c);
      char out[32];
      UErrorCode st = U_ZERO_ERROR;
      const int32_t len =
          uspoof_getSkeletonUTF8(checker, 0, in, n, out, sizeof(out), &st);
      if (U_FAILURE(st) || len <= 0 || len >= static_cast<int32_t>(sizeof(out)))
        continue;
      const int32_t first = static_cast<uint8_t>(out[0]) | 0x20;
      if (first < 'a' || first > 'z') continue;
      bool ok = true;
      for (int32_t i = 1; i < len && ok;) {
        UChar32 m;
        U8_NEXT(out, i, len, m);
        ok = m >= 0 && (U_GET_GC_MASK(m) & U_GC_MN_MASK) != 0;
      }
      if (ok) (*t)[c - kLookFirst].assign(out, len);
    }
    uspoof_close(checker);
    return t;
  }();
  return *table;
}

bool IsHorizontalSpace(char c) { return c == ' ' || c == '\t'; }

// The words after a hyphen at a line end that show it is a compound cut
// short before a conjunction ("Kranken- und Altenpflege"), not a word
// broken over two lines.
bool IsConjunction(absl::string_view word) {
  for (const char* w :
       {"und", "oder", "bzw", "sowie", "bis", "and", "or", "to"}) {
    if (word == w) return true;
  }
  return false;
}

// For the line break at byte `nl` of `text`: the range to drop when it
// breaks a hyphenated word — from the hyphen to the first letter of the
// next line — or {0, 0}.
std::pair<uint32_t, uint32_t> HyphenJoinAt(absl::string_view text, size_t nl) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(text.data());
  size_t b = nl;
  if (b > 0 && bytes[b - 1] == '\r') --b;
  while (b > 0 && IsHorizontalSpace(text[b - 1])) --b;
  // Most lines end in no hyphen: one byte tells.
  if (b == 0) return {0, 0};
  const uint8_t last = bytes[b - 1];
  if (last != '-' && last != 0xAD && last != 0x90) return {0, 0};
  size_t hyphen;
  if (last == '-') {
    hyphen = b - 1;
  } else if (last == 0xAD && b >= 2 && bytes[b - 2] == 0xC2) {
    hyphen = b - 2;  // U+00AD soft hyphen
  } else if (last == 0x90 && b >= 3 && bytes[b - 3] == 0xE2 &&
             bytes[b - 2] == 0x80) {
    hyphen = b - 3;  // U+2010 hyphen
  } else {
    return {0, 0};
  }
  if (hyphen == 0) return {0, 0};
  int32_t p = static_cast<int32_t>(hyphen);
  UChar32 before;
  U8_PREV(bytes, 0, p, before);
  if (before < 0 || !u_isalpha(before)) return {0, 0};
  size_t a = nl + 1;
  while (a < text.size() && IsHorizontalSpace(text[a])) ++a;
  if (a >= text.size()) return {0, 0};
  int32_t q = static_cast<int32_t>(a);
  UChar32 after;
  U8_NEXT(bytes, q, static_cast<int32_t>(text.size()), after);
  if (after < 0 || !u_islower(after)) return {0, 0};
  size_t w = a;
  while (w < text.size() && absl::ascii_isalpha(text[w])) ++w;
  const bool word_ends =
      w == text.size() || static_cast<uint8_t>(text[w]) < 0x80;
  if (word_ends && IsConjunction(text.substr(a, w - a))) return {0, 0};
  return {static_cast<uint32_t>(hyphen), static_cast<uint32_t>(a)};
}

// The line-break hyphenations of `text`, in text order.
void FindHyphenJoins(absl::string_view text,
                     std::vector<std::pair<uint32_t, uint32_t>>* joins) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* p = begin;
       (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr;
       ++p) {
    const std::pair<uint32_t, uint32_t> j = HyphenJoinAt(text, p - begin);
    if (j.second != 0) joins->push_back(j);
  }
}

// Pass 1: whether anything but NFC needs doing, and the mixed-script words
// (runs of word code points and format characters).
bool FindWork(absl::string_view text,
              std::vector<std::pair<uint32_t, uint32_t>>* mixed) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  bool work = false;
  int32_t word_begin = -1;
  uint8_t scripts = 0;
  for (int32_t i = 0; i < length;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT_UNSAFE(bytes, i, c);
    bool wordish;
    if (c < 0x80) {
      wordish = IsWordCodePoint(c);
    } else {
      const bool format = IsFormat(c);
      if (!work && !IsMatchPlain(c)) work = NeedsWork(c);
      wordish = format || IsWordCodePoint(c);
    }
    if (wordish) {
      if (word_begin < 0) {
        word_begin = at;
        scripts = 0;
      }
      scripts |= ScriptBit(c);
    } else if (word_begin >= 0) {
      if (IsMixed(scripts)) mixed->push_back({word_begin, at});
      word_begin = -1;
    }
  }
  if (word_begin >= 0 && IsMixed(scripts)) {
    mixed->push_back({word_begin, length});
  }
  return work || !mixed->empty();
}

void AppendNormalised(const icu::Normalizer2& n, absl::string_view s,
                      std::string* out) {
  const size_t before = out->size();
  icu::StringByteSink<std::string> sink(out);
  UErrorCode st = U_ZERO_ERROR;
  n.normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())),
                  sink, nullptr, st);
  if (U_FAILURE(st)) {
    out->resize(before);
    out->append(s.data(), s.size());
  }
}

// Pass 2: the view, normalisation segment by normalisation segment.
void Build(absl::string_view text, const icu::Normalizer2& nfc,
           const icu::Normalizer2& nfkc,
           const std::vector<std::pair<uint32_t, uint32_t>>& joins,
           MatchText* out) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  std::string& o = out->text;
  o.reserve(text.size() + 16);
  out->begin.reserve(text.size() + 16);
  out->end.reserve(text.size() + 16);
  const auto& mixed = out->mixed_script_words;
  size_t next_mixed = 0;
  std::string scratch;
  size_t next_join = 0;
  for (int32_t i = 0; i < length;) {
    // A line-break hyphenation: its bytes belong to no unit of the view.
    if (next_join < joins.size() &&
        static_cast<uint32_t>(i) == joins[next_join].first) {
      i = static_cast<int32_t>(joins[next_join].second);
      ++next_join;
      continue;
    }
    const int32_t stop = next_join < joins.size()
                             ? static_cast<int32_t>(joins[next_join].first)
                             : length;
    // ASCII not followed by a combining mark: one unit per byte.
    while (i < stop && bytes[i] < 0x80 &&
           (i + 1 == length || bytes[i + 1] < 0x80)) {
      o.push_back(static_cast<char>(bytes[i]));
      out->begin.push_back(static_cast<uint32_t>(i));
      out->end.push_back(static_cast<uint32_t>(i + 1));
      ++i;
    }
    if (i == length) break;
    if (i == stop) continue;
    const int32_t s = i;
    UChar32 c;
    U8_NEXT_UNSAFE(bytes, i, c);
    const int32_t first_end = i;
    // The segment runs to the next code point with a boundary before it
    // under both NFC and NFKC.
    while (i < stop && bytes[i] >= 0x80) {
      int32_t j = i;
      UChar32 d;
      U8_NEXT_UNSAFE(bytes, j, d);
      if (nfc.hasBoundaryBefore(d) && nfkc.hasBoundaryBefore(d)) break;
      i = j;
    }
    const int32_t e = i;
    const absl::string_view seg(text.data() + s, e - s);
    const absl::string_view rest(text.data() + first_end, e - first_end);
    while (next_mixed < mixed.size() &&
           mixed[next_mixed].second <= static_cast<uint32_t>(s)) {
      ++next_mixed;
    }
    const bool in_mixed = next_mixed < mixed.size() &&
                          mixed[next_mixed].first <= static_cast<uint32_t>(s);
    if (c < 0x80 && rest.empty()) {
      o.push_back(static_cast<char>(c));
    } else if (IsFormat(c)) {
      if (!rest.empty()) AppendNormalised(nfc, rest, &o);  // dropped
    } else if (const char* r = SeparatorReplacement(c); r && rest.empty()) {
      o.append(r);
    } else if (in_mixed && c >= kLookFirst && c < kLookEnd &&
               !LookAlikes()[c - kLookFirst].empty()) {
      const std::string& look = LookAlikes()[c - kLookFirst];
      if (look.size() == 1 && rest.empty()) {
        o.append(look);
      } else {
        scratch = look;
        scratch.append(rest.data(), rest.size());
        AppendNormalised(nfc, scratch, &o);
      }
    } else if (c >= 0xFF01 && c <= 0xFF5E && rest.empty()) {
      o.push_back(static_cast<char>(c - 0xFEE0));  // fullwidth ASCII
    } else if (WantsNfkc(c)) {
      AppendNormalised(nfkc, seg, &o);
    } else if (rest.empty() &&
               u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES) {
      o.append(seg.data(), seg.size());
    } else {
      AppendNormalised(nfc, seg, &o);
    }
    out->begin.resize(o.size(), static_cast<uint32_t>(s));
    out->end.resize(o.size(), static_cast<uint32_t>(e));
  }
}

}  // namespace

bool IsMatchPlain(int32_t c) { return c < kPlainLimit && PlainTable()[c]; }

bool HasLineBreakHyphen(absl::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  for (const char* p = begin;
       (p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr;
       ++p) {
    if (HyphenJoinAt(text, p - begin).second != 0) return true;
  }
  return false;
}

absl::Status MakeMatchText(absl::string_view text, MatchText* out) {
  *out = MatchText();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError("ICU normalisers unavailable");
  }
  std::vector<std::pair<uint32_t, uint32_t>> joins;
  FindHyphenJoins(text, &joins);
  const bool work = FindWork(text, &out->mixed_script_words) || !joins.empty();
  if (!work &&
      nfc->isNormalizedUTF8(
          icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
          status) &&
      U_SUCCESS(status)) {
    return absl::OkStatus();
  }
  out->changed = true;
  Build(text, *nfc, *nfkc, joins, out);
  return absl::OkStatus();
}

}  // namespace divcheck
