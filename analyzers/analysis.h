// The state of one scan as it moves through the analyzers. Internal to the
// engine: analyzers read the Document and the compiled lexicon and append
// candidates; the context filter and the scorer turn candidates into the
// Report. One Analysis per call; never shared between threads.
#ifndef DIVCHECK_ANALYZERS_ANALYSIS_H_
#define DIVCHECK_ANALYZERS_ANALYSIS_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "analyzers/document.h"
#include "analyzers/internal/lexicon_data.h"
#include "analyzers/lexicon.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck {

// A lexicon entry matched at tokens [tok_begin, tok_end) / folded bytes
// [fbegin, fend).
struct Match {
  uint32_t entry = 0;
  uint32_t tok_begin = 0;
  uint32_t tok_end = 0;
  uint32_t fbegin = 0;
  uint32_t fend = 0;
  uint32_t sentence = 0;
};

// A token that is (or ends with, for compounds) a masculine or feminine job
// title form.
struct TitleHit {
  uint32_t title = 0;
  bool feminine = false;
  uint32_t token = 0;
  uint32_t form_bytes = 0;  // folded bytes of the title form at the token end
};

// A finding before context filtering. `entry` supplies the texts
// (explanation, legal basis, sources, advice and, unless overridden,
// replacements).
struct Candidate {
  uint32_t entry = 0;
  uint32_t fbegin = 0;
  uint32_t fend = 0;
  uint32_t tok_begin = 0;
  uint32_t tok_end = 0;
  uint32_t sentence = 0;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  std::vector<std::string> replacements;  // replaces the entry's when set
  std::vector<v1::Dimension> dimensions;  // replaces the entry's when set
  std::string context_note;
  bool dropped = false;
};

struct Analysis {
  Analysis(const Document& d, const LexiconSet& s, const LanguageLexicon& l)
      : doc(d), set(s), lex(l) {}
  const Document& doc;
  const LexiconSet& set;
  const LanguageLexicon& lex;

  // The continuation pattern ids (phrase tokens after the first, modifier
  // cues) that token `k` matches, as [*begin, *begin + count). MatchTerms
  // fills them for every token in the same trie walks that find its terms.
  const uint32_t* ContinuationIdsOf(uint32_t k, uint32_t* count) const {
    *count = cont_count[k];
    return cont_ids.data() + cont_begin[k];
  }
  bool HasContinuation(uint32_t k, uint32_t id) const {
    uint32_t n;
    const uint32_t* b = ContinuationIdsOf(k, &n);
    return std::find(b, b + n, id) != b + n;
  }
  std::vector<uint32_t> cont_begin;  // by token, into cont_ids
  std::vector<uint32_t> cont_count;  // by token
  std::vector<uint32_t> cont_ids;

  std::vector<Match> matches;
  std::vector<TitleHit> titles;
  std::vector<Candidate> candidates;
  absl::flat_hash_set<std::string> flags;
  // The preferred gender-fair form of title replacements (ScanOptions).
  v1::GenderForm gender_form = v1::GENDER_FORM_UNSPECIFIED;
  // Sentences whose findings are dropped: disclaimers and positive action.
  std::vector<bool> protected_sentence;
  // Disclaimer sentences (become diversity-statement highlights).
  std::vector<bool> disclaimer_sentence;

  const CompiledEntry& entry(uint32_t i) const { return set.entry(i); }

  // Set when the caller asked for a trace (ScanOptions::trace); then
  // `trace` collects, by candidate index, each step that lowered, raised
  // or dropped a candidate. Call sites build the text only when tracing.
  bool tracing = false;
  mutable std::vector<std::pair<uint32_t, std::string>> trace;
  void Trace(const Candidate& c, std::string step) const {
    trace.emplace_back(static_cast<uint32_t>(&c - candidates.data()),
                       std::move(step));
  }
};

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_ANALYSIS_H_
