// Document: one input text prepared for analysis.
//
//   absl::StatusOr<divcheck::Document> doc = divcheck::Document::Create(text);
//   for (const divcheck::Token& t : doc->tokens()) Use(doc->TokenText(t));
//
// Creating a Document validates the UTF-8, builds the matching view
// (analyzers/match_text.h: NFC, format characters such as the soft hyphen
// dropped, no-break spaces as " ", NFKC for fullwidth and other
// compatibility letters, Latin look-alikes for Cyrillic and Greek letters in
// mixed-script words), applies ICU full case folding ("ß" → "ss", "Ä" →
// "ä"), and splits the folded text into tokens (maximal runs of letters,
// digits and combining marks) and sentences (ending at ".", "!", "?", ";"
// and at a line break; abbreviations such as "ca." and ordinals such as "1."
// do not end a sentence). A single line break does not end a sentence when
// the line ends in a comma or a connecting word ("und"), or when the next
// line starts with a lower-case word: hard-wrapped e-mail and PDF text;
// such a line break reads as " " in folded(). Every folded byte keeps the
// range of original bytes it came from, so any range of the folded text
// maps back to an exact range of the original input.
//
// A Document refers to the caller's text and must not outlive it. It is
// immutable after Create and safe to read from several threads.
#ifndef DIVCHECK_ANALYZERS_DOCUMENT_H_
#define DIVCHECK_ANALYZERS_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck {

// A token in folded coordinates.
struct Token {
  uint32_t begin = 0;  // folded byte offset
  uint32_t end = 0;    // one past the last folded byte
  uint32_t sentence = 0;
  bool is_number = false;     // only digits
  bool starts_lower = false;  // its first letter is lower-case
};

struct Sentence {
  uint32_t begin = 0;             // folded byte offset of the first token
  uint32_t end = 0;               // folded byte offset after the last token
  uint32_t first_token = 0;       // index into tokens()
  uint32_t end_token = 0;         // one past the last token
  uint32_t line = 0;              // 0-based line of the first token
  bool starts_line = false;       // first sentence on its line
  bool bullet = false;            // the line starts with a list bullet
  uint32_t line_tokens = 0;       // tokens on the line of the first token
  bool ends_line = false;         // a line break (or the end) follows it
  bool ends_with_period = false;  // its terminator is "."
};

class Document {
 public:
  // Returns INVALID_ARGUMENT naming the byte offset of the first invalid
  // UTF-8 sequence, or when the text is longer than 2^31 bytes.
  static absl::StatusOr<Document> Create(absl::string_view text);

  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  absl::string_view original() const { return original_; }
  absl::string_view folded() const { return folded_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  const std::vector<Sentence>& sentences() const { return sentences_; }

  absl::string_view TokenText(const Token& t) const {
    return absl::string_view(folded_).substr(t.begin, t.end - t.begin);
  }
  absl::string_view SentenceText(const Sentence& s) const {
    return absl::string_view(folded_).substr(s.begin, s.end - s.begin);
  }
  // Original byte range of the folded byte range [begin, end): the first
  // byte of the unit (code point, or normalisation segment) holding
  // folded byte `folded_begin`, and the byte after the unit holding folded
  // byte `folded_end - 1`. REQUIRES: begin < end <= folded().size().
  uint32_t OriginalBegin(uint32_t folded_begin) const;
  uint32_t OriginalEnd(uint32_t folded_end) const;
  absl::string_view OriginalText(uint32_t orig_begin, uint32_t orig_end) const {
    return original_.substr(orig_begin, orig_end - orig_begin);
  }
  // Index of the first token whose folded end is after `folded_offset`.
  uint32_t TokenAtOrAfter(uint32_t folded_offset) const;
  // Original byte ranges of the words that mix Latin letters with Cyrillic
  // or Greek ones, in text order.
  const std::vector<std::pair<uint32_t, uint32_t>>& mixed_script_words() const {
    return mixed_script_words_;
  }

 private:
  Document() = default;
  // Folds `source` (valid UTF-8, the matching view) into folded_ and splits it
  // into tokens_, recording units_ on the way.
  void FoldAndTokenise(absl::string_view source);
  void Segment();
  // Whether the line break in `gap` (the text between tokens k-1 and k,
  // holding a "\n") continues the sentence.
  bool LineContinues(absl::string_view gap, uint32_t k) const;

  // A unit whose folded bytes differ in length from its source bytes ("ß"
  // → "ss"). Between such units the folded and source texts run in step,
  // so the map stores only these.
  struct Unit {
    uint32_t folded_begin, folded_end, source_begin, source_end;
  };
  // Source (matching view) offset of a folded offset, begin or end side.
  uint32_t SourceBegin(uint32_t folded_begin) const;
  uint32_t SourceEnd(uint32_t folded_end) const;

  absl::string_view original_;
  std::string folded_;
  std::vector<Unit> units_;  // sorted by folded_begin
  // Only when the matching view differs from the input: for each byte of
  // the view, the original byte range of its unit.
  std::vector<uint32_t> view_begin_;
  std::vector<uint32_t> view_end_;
  std::vector<std::pair<uint32_t, uint32_t>> mixed_script_words_;
  std::vector<Token> tokens_;
  std::vector<Sentence> sentences_;
};

// Fills spans for sorted original byte ranges in one pass over the text:
// code-point offsets, 1-based line and column. `ranges` must be sorted by
// begin; `spans` receives one Span per range, in the same order.
void MakeSpans(absl::string_view original,
               const std::vector<std::pair<uint32_t, uint32_t>>& ranges,
               std::vector<divcheck::v1::Span>* spans);

// Folds a lexicon term exactly as Document folds text (NFC, full case
// folding). Returns INVALID_ARGUMENT for invalid UTF-8.
absl::StatusOr<std::string> FoldTerm(absl::string_view term);

// True for the characters that make up tokens: letters, digits and
// combining marks.
bool IsWordCodePoint(int32_t c);

// True when NFC leaves the code point unchanged in any context (quick check
// Yes, combining class 0), for the ranges ordinary text uses; false means
// "not known", not "unstable".
bool IsNfcStable(int32_t c);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_DOCUMENT_H_
