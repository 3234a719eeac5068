// The matching view of an input text (issue 17): the text as the analyzers
// match it, with every byte mapped back to the range of the original input
// it came from. Invisible and look-alike characters that hide findings from
// a plain match are undone:
//  * format characters (general category Cf: soft hyphen U+00AD, zero-width
//    space U+200B, zero-width non-joiner and joiner U+200C/U+200D, word
//    joiner U+2060, byte-order mark U+FEFF, bidirectional controls) are
//    dropped, so "Verkäu<U+00AD>fer" reads "Verkäufer";
//  * every space separator other than " " (no-break space U+00A0, narrow
//    no-break space U+202F, em space …) becomes " "; a line separator U+2028
//    becomes "\n", a paragraph separator U+2029 "\n\n";
//  * letters and digits that have a compatibility form (fullwidth "ｊｕｎｇ",
//    the ligature "ﬁ") and the fullwidth/halfwidth block U+FF01–U+FFEE take
//    NFKC; everything else takes NFC;
//  * in a word that mixes Latin letters with Cyrillic or Greek ones, each
//    Cyrillic or Greek letter whose confusable skeleton (Unicode TS #39, from
//    ICU's uspoof) is a Latin letter becomes that letter ("Verkäufer" with a
//    Cyrillic "е"). A word written in one script is left alone;
//  * line-break hyphenation is undone: a hyphen ("-", soft hyphen U+00AD or
//    U+2010) that ends a line after a letter, when the next line (after
//    its indentation) starts with a lower-case letter, is dropped with the
//    line break and the indentation, so "Mutter-\n  sprache" reads
//    "Muttersprache". A hyphen before an upper-case word ("Lehrer-\nZimmer")
//    or before "und", "oder", "bzw", "sowie", "bis", "and", "or", "to" (a
//    compound shortened before a conjunction: "Kranken-\nund Altenpflege")
//    is kept, and so is one before a blank line.
// Offsets of a dropped character belong to no byte of the view; a range of
// the view maps back to the original from the first byte of its first unit
// to the last byte of its last unit, so a dropped character inside a match
// is part of the original range.
//
// Thread-safe: the functions keep no state besides tables built once.
#ifndef DIVCHECK_ANALYZERS_MATCH_TEXT_H_
#define DIVCHECK_ANALYZERS_MATCH_TEXT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace divcheck {

struct MatchText {
  bool changed = false;  // false: the input is its own matching view
  std::string text;      // the view, when changed
  // By byte of `text`: the original byte range of the unit (code point,
  // normalisation segment) it came from.
  std::vector<uint32_t> begin;
  std::vector<uint32_t> end;
  // Original byte ranges of the words that mix Latin with Cyrillic or
  // Greek letters, in text order. Set whether or not a letter was replaced.
  std::vector<std::pair<uint32_t, uint32_t>> mixed_script_words;
};

// True when code point `c` needs none of the work above: NFC leaves it alone
// in any context and it is not a format character, a space other than " ",
// a compatibility letter or digit, a fullwidth form, a Greek or Cyrillic
// letter. Exact for c < 0x2800 (tested against ICU); false beyond, meaning
// "not known".
bool IsMatchPlain(int32_t c);

// Whether `text` has a line-break hyphenation (above) to undo. Cheap: looks
// only at the line ends.
bool HasLineBreakHyphen(absl::string_view text);

// Builds the matching view of valid UTF-8 `text` (at most 2^31 bytes) into
// *out. Leaves out->changed false when the view equals the text.
absl::Status MakeMatchText(absl::string_view text, MatchText* out);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_MATCH_TEXT_H_
