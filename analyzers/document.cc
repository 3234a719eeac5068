#include "analyzers/document.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "analyzers/match_text.h"
#include "unicode/uchar.h"
#include "unicode/ustring.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

void AppendUtf8(int32_t c, std::string* out) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, c, error);
  if (!error) out->append(buf, n);
}

// Appends the full case folding of `c` (ICU, default mapping) to `out`.
void AppendFolded(int32_t c, std::string* out) {
  if (c == 0xDF) {  // ß: the one Latin-1 letter whose full folding differs
    out->append("ss");
    return;
  }
  if (c < 0x250 && c != 0x130 && c != 0x149) {
    // Simple and full folding agree for the rest of Latin-1 and Latin
    // Extended-A/B.
    AppendUtf8(u_foldCase(c, U_FOLD_CASE_DEFAULT), out);
    return;
  }
  UChar src[2];
  int32_t src_len = 0;
  U16_APPEND_UNSAFE(src, src_len, c);
  UChar dst[8];
  UErrorCode status = U_ZERO_ERROR;
  int32_t dst_len =
      u_strFoldCase(dst, 8, src, src_len, U_FOLD_CASE_DEFAULT, &status);
  if (U_FAILURE(status) || dst_len > 8) {
    AppendUtf8(c, out);
    return;
  }
  for (int32_t i = 0; i < dst_len;) {
    UChar32 fc;
    U16_NEXT(dst, i, dst_len, fc);
    AppendUtf8(fc, out);
  }
}

// Folded tokens after which a "." does not end a sentence.
const absl::flat_hash_set<absl::string_view>& Abbreviations() {
  static const auto* set = new absl::flat_hash_set<absl::string_view>{
      "ca",  "bzw",    "dr",   "prof", "etc",  "inkl", "ggf",  "evtl",
      "max", "min",    "mind", "nr",   "str",  "tel",  "usw",  "vgl",
      "sog", "approx", "incl", "zzgl", "dipl", "ing",  "bspw", "mr",
      "mrs", "ms",     "vs",   "abs",  "gem",  "lt",   "hr",   "fr",
      "co",  "st",     "jh",   "ff",   "bzgl", "uvm",  "insb", "resp"};
  return *set;
}

// Character classes of the bytes for the folding loop: ASCII letters and
// digits are kWord, bytes of 0x80 and above kNonAscii; and the ASCII
// lower-case of each byte.
constexpr uint8_t kWord = 1, kDigit = 2, kUpper = 4, kNonAscii = 8;
struct AsciiClasses {
  uint8_t cls[256];
  uint8_t lower[256];
  constexpr AsciiClasses() : cls(), lower() {
    for (int c = 0; c < 256; ++c) {
      uint8_t v = 0;
      if (c >= '0' && c <= '9') v = kWord | kDigit;
      if (c >= 'a' && c <= 'z') v = kWord;
      if (c >= 'A' && c <= 'Z') v = kWord | kUpper;
      if (c >= 0x80) v = kNonAscii;
      cls[c] = v;
      lower[c] = static_cast<uint8_t>(v & kUpper ? c + ('a' - 'A') : c);
    }
  }
  constexpr uint8_t operator[](uint8_t c) const { return cls[c]; }
};
constexpr AsciiClasses kAsciiClass;

bool IsBulletGap(absl::string_view line_start) {
  // The text between the line break and the first token of the line.
  for (absl::string_view bullet :
       {"-", "*", "+", "\xE2\x80\xA2" /* • */, "\xE2\x80\x93" /* – */,
        "\xC2\xB7" /* · */, "\xE2\x96\xAA" /* ▪ */, "\xE2\x96\xBA" /* ► */,
        "\xE2\x9C\x93" /* ✓ */, "\xE2\x80\x94" /* — */}) {
    if (line_start.find(bullet) != absl::string_view::npos) return true;
  }
  return false;
}

}  // namespace

bool IsNfcStable(int32_t c) {
  // Ranges where every code point has NFC_Quick_Check=Yes and canonical
  // combining class 0 (document_test checks this against ICU): Latin-1 and
  // Latin Extended-A/B, general punctuation, currency symbols, arrows,
  // technical symbols, box drawing, geometric shapes, dingbats.
  return c < 0x300 || (c >= 0x2010 && c <= 0x205F) ||
         (c >= 0x20A0 && c <= 0x20CF) || (c >= 0x2190 && c <= 0x2328) ||
         (c >= 0x232B && c <= 0x23FF) || (c >= 0x2500 && c <= 0x27BF);
}

bool IsWordCodePoint(int32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  }
  return u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

namespace {

// Checks that `text` is well-formed UTF-8, so no later stage sees
// ill-formed input, and notes on the way whether every code point is one
// that the matching view leaves alone (*plain, IsMatchPlain); then the text
// is its own matching view and ICU's checks can be skipped.
absl::Status CheckUtf8(absl::string_view text, bool* plain) {
  const int32_t length = static_cast<int32_t>(text.size());
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(text.data());
  *plain = true;
  for (int32_t i = 0; i < length;) {
    if (bytes[i] < 0x80) {
      ++i;
      // ASCII text: eight bytes at a time while none has the high bit.
      while (length - i >= 8) {
        uint64_t x;
        std::memcpy(&x, bytes + i, 8);
        if ((x & 0x8080808080808080ull) != 0) break;
        i += 8;
      }
      continue;
    }
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid UTF-8 at byte offset ", at));
    }
    *plain = *plain && IsMatchPlain(c);
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// IsWordCodePoint, u_islower and AppendFolded for U+0080..U+024F (Latin-1
// and Latin Extended-A/B), computed once with those same calls: German
// text has an umlaut or ß every 60 bytes or so.
constexpr int32_t kLatinEnd = 0x250;
struct LatinInfo {
  bool in_table = false;
  bool word = false;
  bool lower = false;
  uint8_t folded_len = 0;
  char folded[6] = {};
};
struct LatinInfoTable {
  LatinInfo info[kLatinEnd - 0x80];
};

const LatinInfoTable& LatinTable() {
  static const LatinInfoTable* table = [] {
    auto* t = new LatinInfoTable();
    std::string unit;
    for (int32_t c = 0x80; c < kLatinEnd; ++c) {
      LatinInfo& info = t->info[c - 0x80];
      info.word = IsWordCodePoint(c);
      info.lower = u_islower(c);
      unit.clear();
      AppendFolded(c, &unit);
      // Foldings here are at most 3 bytes ("ss", ŉ → ʼn); a longer one
      // would be left to ICU.
      info.in_table = unit.size() <= sizeof(info.folded);
      if (!info.in_table) continue;
      info.folded_len = static_cast<uint8_t>(unit.size());
      std::memcpy(info.folded, unit.data(), unit.size());
    }
    return t;
  }();
  return *table;
}

// The table entry of `c`, or null when ICU is to be asked.
const LatinInfo* LatinOf(int32_t c) {
  if (c >= kLatinEnd) return nullptr;
  const LatinInfo* latin = &LatinTable().info[c - 0x80];
  return latin->in_table ? latin : nullptr;
}

// The full case folding of non-ASCII code point `c` (`latin` its table
// entry or null), in `unit` when ICU made it.
absl::string_view FoldNonAscii(int32_t c, const LatinInfo* latin,
                               std::string* unit) {
  if (latin != nullptr)
    return absl::string_view(latin->folded, latin->folded_len);
  unit->clear();
  AppendFolded(c, unit);
  return *unit;
}

// Whether `fold` is exactly one code point as long as its source
// (`source_len` bytes; Ä → ä): then offsets inside it stay aligned and no
// unit is recorded.
bool SameLengthCodePoint(absl::string_view fold, size_t source_len) {
  const size_t first_len =
      fold.empty() ? 0
                   : U8_COUNT_TRAIL_BYTES(static_cast<uint8_t>(fold[0])) + 1;
  return fold.size() == source_len && first_len == fold.size();
}

}  // namespace

absl::StatusOr<Document> Document::Create(absl::string_view text) {
  if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return absl::InvalidArgumentError("input is larger than 2 GiB");
  }
  bool plain = true;
  if (absl::Status s = CheckUtf8(text, &plain); !s.ok()) return s;

  Document doc;
  doc.original_ = text;

  // The matching view. Most inputs are their own.
  absl::string_view source = text;
  MatchText view;
  // A line-break hyphenation ("Mutter-\nsprache") is ASCII too: only the
  // line ends are looked at.
  if (!plain || HasLineBreakHyphen(text)) {
    if (absl::Status s = MakeMatchText(text, &view); !s.ok()) return s;
    if (view.changed) source = view.text;
    doc.mixed_script_words_ = std::move(view.mixed_script_words);
  }
  doc.FoldAndTokenise(source);
  doc.view_begin_ = std::move(view.begin);
  doc.view_end_ = std::move(view.end);
  doc.Segment();
  return doc;
}

void Document::FoldAndTokenise(absl::string_view source) {
  // Fold and tokenise in one pass; ASCII bytes take a table-driven path.
  // The output goes to a raw buffer kept at least (input left + 16) bytes
  // ahead, so an ASCII byte needs no capacity check; byte stores through a
  // std::string would also force the loop's state out of registers.
  const uint8_t* src = reinterpret_cast<const uint8_t*>(source.data());
  const int32_t src_len = static_cast<int32_t>(source.size());
  std::string& folded = folded_;
  folded.resize(source.size() + 16);
  char* out = folded.data();
  size_t o = 0;
  std::vector<Token>& tokens = tokens_;
  tokens.reserve(source.size() / 6 + 4);
  bool in_token = false;
  bool token_digits = true;
  bool token_lower = false;
  uint32_t token_begin = 0;
  std::string unit;  // the folding of one non-ASCII code point
  auto end_token = [&] {
    Token& t = tokens.emplace_back();
    t.begin = token_begin;
    t.end = static_cast<uint32_t>(o);
    t.is_number = token_digits;
    t.starts_lower = token_lower;
  };
  for (int32_t i = 0; i < src_len;) {
    uint8_t b = src[i];
    uint8_t cls = kAsciiClass[b];
    if (cls & kWord) {
      // A run of ASCII letters and digits, in registers.
      uint8_t digits = kDigit;
      if (!in_token) {
        in_token = true;
        token_lower = (cls & (kDigit | kUpper)) == 0;
        token_begin = static_cast<uint32_t>(o);
      } else if (!token_digits) {
        digits = 0;
      }
      do {
        digits &= cls;
        out[o++] = static_cast<char>(kAsciiClass.lower[b]);
        if (++i >= src_len) break;
        b = src[i];
        cls = kAsciiClass[b];
      } while (cls & kWord);
      token_digits = digits != 0;
      continue;
    }
    if (!(cls & kNonAscii)) {
      // A run of other ASCII bytes (spaces, punctuation), copied.
      if (in_token) {
        in_token = false;
        end_token();
      }
      do {
        out[o++] = static_cast<char>(b);
        if (++i >= src_len) break;
        b = src[i];
      } while (kAsciiClass[b] == 0);
      continue;
    }
    const int32_t at = i;
    UChar32 c;
    U8_NEXT_UNSAFE(src, i, c);
    // Latin letters (umlauts, ß, accents) from a table made with the same
    // ICU calls; the rest of Unicode asks ICU.
    const LatinInfo* latin = LatinOf(c);
    if (latin != nullptr ? latin->word : IsWordCodePoint(c)) {
      if (!in_token) {
        in_token = true;
        token_digits = false;
        token_lower = latin != nullptr ? latin->lower : u_islower(c);
        token_begin = static_cast<uint32_t>(o);
      } else {
        token_digits = false;
      }
    } else if (in_token) {
      in_token = false;
      end_token();
    }
    const absl::string_view fold = FoldNonAscii(c, latin, &unit);
    const size_t need = o + fold.size() + static_cast<size_t>(src_len - i) + 16;
    if (need > folded.size()) {
      folded.resize(std::max(need, folded.size() * 2));
      out = folded.data();
    }
    std::memcpy(out + o, fold.data(), fold.size());
    if (!SameLengthCodePoint(fold, static_cast<size_t>(i - at))) {
      units_.push_back({static_cast<uint32_t>(o),
                        static_cast<uint32_t>(o + fold.size()),
                        static_cast<uint32_t>(at), static_cast<uint32_t>(i)});
    }
    o += fold.size();
  }
  if (in_token) {
    end_token();
  }
  folded.resize(o);
}

namespace {
// Words after which a line break does not end the sentence.
bool ContinuesLine(absl::string_view word) {
  static const auto* words = new absl::flat_hash_set<absl::string_view>{
      "und", "oder", "sowie", "bzw",  "von",   "mit",        "für",
      "aus", "der",  "die",   "das",  "des",   "den",        "dem",
      "zu",  "zur",  "zum",   "in",   "im",    "an",         "am",
      "auf", "bei",  "nach",  "über", "unter", "ohne",       "als",
      "and", "or",   "of",    "with", "the",   "a",          "to",
      "for", "from", "on",    "at",   "by",    "regardless", "irrespective"};
  return words->contains(word);
}
}  // namespace

bool Document::LineContinues(absl::string_view gap, uint32_t k) const {
  // A line break ends the sentence, unless a wrapped sentence clearly goes
  // on: a single line break, no bullet on the next line, nothing but spaces
  // and commas before it, and the line ending in a comma or a connecting
  // word ("Alter, Geschlecht,\nHerkunft …", "… Bewerberinnen und\nBewerber")
  // or the next line starting with a lower-case word (hard-wrapped text:
  // "ein junges\ndynamisches Team"). A heading line before a capitalised
  // line stays apart.
  const size_t first_nl = gap.find('\n');
  const size_t last_nl = gap.rfind('\n');
  if (first_nl != last_nl || IsBulletGap(gap.substr(last_nl + 1))) {
    return false;
  }
  const absl::string_view before_nl = gap.substr(0, first_nl);
  if (before_nl.find_first_not_of(" \t\r,") != absl::string_view::npos) {
    return false;
  }
  return before_nl.find(',') != absl::string_view::npos ||
         tokens_[k].starts_lower || ContinuesLine(TokenText(tokens_[k - 1]));
}

void Document::Segment() {
  const absl::string_view folded(folded_);
  sentences_.clear();
  std::vector<uint32_t> line_of_token(tokens_.size());
  std::vector<uint32_t> tokens_per_line;
  uint32_t line = 0;
  uint32_t line_count_tokens = 0;
  bool line_bullet = IsBulletGap(
      folded.substr(0, tokens_.empty() ? 0 : tokens_.front().begin));
  bool new_line = true;
  Sentence current;
  for (uint32_t k = 0; k < tokens_.size(); ++k) {
    Token& t = tokens_[k];
    bool brk = false;
    if (k > 0) {
      const uint32_t gap_begin = tokens_[k - 1].end;
      const absl::string_view gap =
          folded.substr(gap_begin, t.begin - gap_begin);
      // Most gaps are one space or hyphen: nothing to look at.
      const bool plain = gap.size() == 1 && gap[0] != '\n' && gap[0] != '.' &&
                         gap[0] != '!' && gap[0] != '?' && gap[0] != ';';
      const size_t last_nl = plain ? absl::string_view::npos : gap.rfind('\n');
      if (plain) {
        // no break
      } else if (last_nl != absl::string_view::npos) {
        brk = !LineContinues(gap, k);
        for (char ch : gap) {
          if (ch == '\n') {
            tokens_per_line.push_back(line_count_tokens);
            line_count_tokens = 0;
            ++line;
          }
        }
        // A joined line break reads as a space, for patterns with " ".
        if (!brk) folded_[gap_begin + last_nl] = ' ';
        new_line = true;
        line_bullet = IsBulletGap(gap.substr(last_nl + 1));
      } else {
        const Token& prev = tokens_[k - 1];
        for (size_t g = 0; g < gap.size() && !brk; ++g) {
          const char ch = gap[g];
          if (ch == '!' || ch == '?' || ch == ';') brk = true;
          if (ch == '.') {
            const bool space_after =
                gap.find_first_of(" \t\r", g) != absl::string_view::npos;
            const absl::string_view prev_text = TokenText(prev);
            if (space_after && !prev.is_number && prev_text.size() > 1 &&
                !Abbreviations().contains(prev_text)) {
              brk = true;
            }
          }
        }
      }
    }
    if (k == 0 || brk) {
      if (k > 0) {
        current.end = tokens_[k - 1].end;
        current.end_token = k;
        sentences_.push_back(current);
      }
      current = Sentence();
      current.begin = t.begin;
      current.first_token = k;
      current.line = line;
      current.starts_line = new_line;
      current.bullet = line_bullet;
    }
    new_line = false;
    t.sentence = static_cast<uint32_t>(sentences_.size());
    line_of_token[k] = line;
    ++line_count_tokens;
  }
  tokens_per_line.push_back(line_count_tokens);
  if (!tokens_.empty()) {
    current.end = tokens_.back().end;
    current.end_token = static_cast<uint32_t>(tokens_.size());
    sentences_.push_back(current);
  }
  for (Sentence& s : sentences_) {
    s.line_tokens = tokens_per_line[s.line];
    const uint32_t next_begin = s.end_token < tokens_.size()
                                    ? tokens_[s.end_token].begin
                                    : static_cast<uint32_t>(folded.size());
    const absl::string_view after = folded.substr(s.end, next_begin - s.end);
    s.ends_line = s.end_token == tokens_.size() ||
                  after.find('\n') != absl::string_view::npos;
    const size_t first = after.find_first_not_of(" \t\r");
    s.ends_with_period =
        first != absl::string_view::npos && after[first] == '.';
  }
}

uint32_t Document::SourceBegin(uint32_t f) const {
  // The last unit starting at or before f.
  auto it = std::upper_bound(
      units_.begin(), units_.end(), f,
      [](uint32_t v, const Unit& u) { return v < u.folded_begin; });
  if (it == units_.begin()) return f;
  const Unit& u = *(it - 1);
  if (f < u.folded_end) return u.source_begin;
  return u.source_end + (f - u.folded_end);
}

uint32_t Document::SourceEnd(uint32_t f) const {
  // The last unit starting before f.
  auto it = std::lower_bound(
      units_.begin(), units_.end(), f,
      [](const Unit& u, uint32_t v) { return u.folded_begin < v; });
  if (it == units_.begin()) return f;
  const Unit& u = *(it - 1);
  if (f <= u.folded_end) return u.source_end;
  return u.source_end + (f - u.folded_end);
}

uint32_t Document::OriginalBegin(uint32_t folded_begin) const {
  const uint32_t s = SourceBegin(folded_begin);
  return view_begin_.empty() ? s : view_begin_[s];
}

uint32_t Document::OriginalEnd(uint32_t folded_end) const {
  const uint32_t s = SourceEnd(folded_end);
  return view_end_.empty() ? s : view_end_[s - 1];
}

uint32_t Document::TokenAtOrAfter(uint32_t folded_offset) const {
  auto it = std::upper_bound(
      tokens_.begin(), tokens_.end(), folded_offset,
      [](uint32_t off, const Token& t) { return off < t.end; });
  return static_cast<uint32_t>(it - tokens_.begin());
}

void MakeSpans(absl::string_view original,
               const std::vector<std::pair<uint32_t, uint32_t>>& ranges,
               std::vector<divcheck::v1::Span>* spans) {
  struct Point {
    uint32_t offset;
    uint32_t range;
    bool is_end;
  };
  std::vector<Point> points;
  points.reserve(ranges.size() * 2);
  for (uint32_t r = 0; r < ranges.size(); ++r) {
    points.push_back({ranges[r].first, r, false});
    points.push_back({ranges[r].second, r, true});
  }
  std::sort(points.begin(), points.end(),
            [](const Point& a, const Point& b) { return a.offset < b.offset; });
  spans->assign(ranges.size(), divcheck::v1::Span());
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t length = static_cast<int32_t>(original.size());
  int32_t pos = 0;
  uint32_t chars = 0, line = 1, column = 1;
  for (const Point& p : points) {
    // Offsets are code-point boundaries: count lead bytes, eight at a time
    // where the eight hold no line break.
    const int32_t stop = std::min(static_cast<int32_t>(p.offset), length);
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    while (pos < stop) {
      if (stop - pos >= 8) {
        uint64_t x;
        std::memcpy(&x, bytes + pos, 8);
        const uint64_t nl = x ^ (kOnes * '\n');
        if (((nl - kOnes) & ~nl & kHigh) == 0) {
          // Continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear.
          const uint64_t cont = x & ~(x << 1) & kHigh;
          const uint32_t leads =
              8 - static_cast<uint32_t>(((cont >> 7) * kOnes) >> 56);
          chars += leads;
          column += leads;
          pos += 8;
          continue;
        }
      }
      for (const int32_t end = std::min(stop, pos + 8); pos < end; ++pos) {
        const uint8_t b = bytes[pos];
        if (b == '\n') {
          ++line;
          column = 0;
        }
        if ((b & 0xC0) != 0x80) {
          ++chars;
          ++column;
        }
      }
    }
    divcheck::v1::Span& s = (*spans)[p.range];
    if (p.is_end) {
      s.set_end_byte(p.offset);
      s.set_end_char(chars);
    } else {
      s.set_start_byte(p.offset);
      s.set_start_char(chars);
      s.set_line(line);
      s.set_column(column);
    }
  }
}

absl::StatusOr<std::string> FoldTerm(absl::string_view term) {
  absl::StatusOr<Document> doc = Document::Create(term);
  if (!doc.ok()) return doc.status();
  return std::string(doc->folded());
}

}  // namespace divcheck
