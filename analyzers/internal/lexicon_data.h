// The compiled lexicon of one language and the compiled entries, phrases
// and job titles it refers to. Internal to the engine: the lexicon compiler
// builds them, the analyzers read them through Analysis. Callers outside
// analyzers/ use LexiconSet (lexicon.h) and the catalogue (catalog.h).
//
// Everything here is immutable once LexiconSet::Load returns and safe for
// concurrent use by any number of threads (LanguageLexicon::Regex compiles
// lazily under std::call_once).
#ifndef DIVCHECK_ANALYZERS_INTERNAL_LEXICON_DATA_H_
#define DIVCHECK_ANALYZERS_INTERNAL_LEXICON_DATA_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "analyzers/internal/lexicon_trie.h"
#include "analyzers/lexicon.h"
#include "divcheck/config/v1/lexicon.pb.h"
#include "divcheck/v1/report.pb.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace divcheck {

struct FormRuleBook;  // form_fields.h

struct CompiledModifier {
  config::v1::ContextModifier::Effect effect;
  config::v1::ContextModifier::Scope scope;
  uint32_t window = 3;
  std::vector<std::vector<TokenPattern>> cues;
  // The cues' tokens as continuation ids of the entry's language (empty for
  // language-independent files: then TokenMatches decides).
  std::vector<std::vector<uint32_t>> cue_ids;
  // (first token's id, cue index), sorted: the cues a token can start.
  std::vector<std::pair<uint32_t, uint32_t>> cues_by_first_id;
  std::string flag;
  std::string note;
};

// An entry ready for matching. `def` points into the set's parsed files and
// carries the texts (explanation, suggestions, legal basis, sources).
struct CompiledEntry {
  const config::v1::Entry* def = nullptr;
  // Index into LexiconSet::files() of the file that defines the entry.
  uint32_t file_index = 0;
  std::string language;
  config::v1::EntryKind kind = config::v1::ENTRY_KIND_FINDING;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  std::vector<v1::Dimension> dimensions;
  std::vector<CompiledModifier> modifiers;
  absl::flat_hash_set<std::string> exact_exceptions;
  std::vector<std::string> prefix_exceptions;

  bool IsException(absl::string_view token) const;
};

struct CompiledPhrase {
  uint32_t entry = 0;
  std::vector<TokenPattern> tokens;
  uint32_t max_gap = 0;
  // For tokens[1..]: the id of the pattern among the language's
  // continuation patterns (see LanguageLexicon::continuation_count).
  std::vector<uint32_t> token_ids;
};

struct CompiledTitle {
  const config::v1::JobTitle* def = nullptr;
  std::string masculine;  // folded
  std::string feminine;   // folded
  bool match_compounds = true;
  bool compounds_only = false;  // JobTitle.compounds_only
  bool feminine_is_epicene_plural = false;
  absl::flat_hash_set<std::string> exceptions;
};

// Everything compiled for one language ("de", "en"); language-independent
// files are merged into every language.
struct LanguageLexicon {
  std::string language;
  std::vector<std::string> endings;  // inflection endings, longest first
  // Bit i set in ending_mask_by_last[b] when endings[i] ends in byte b
  // (SetEndings fills both): the matcher tries only the endings a token can
  // have instead of comparing every one.
  uint32_t ending_mask_by_last[256] = {};
  ByteTrie forward;
  ByteTrie backward;
  std::vector<CompiledPhrase> phrases;
  // Phrases with the same first token form a group (one trie payload); a
  // group lists its one-token phrases and, sorted by the continuation id
  // of their second token, the others. Matching looks up the ids of the
  // few tokens after the first and visits only phrases that can continue.
  struct PhraseGroup {
    std::vector<uint32_t> single;
    std::vector<std::pair<uint32_t, uint32_t>> by_second;  // (id, phrase)
    uint32_t max_gap = 0;
  };
  std::vector<PhraseGroup> phrase_groups;
  std::vector<uint32_t> number_start_groups;
  // Every distinct pattern that phrases use after their first token (and
  // that modifier cues use), by id: kContinuation payloads in `forward`
  // (word/exact/prefix) and `backward` (suffix). The matcher collects a
  // token's ids in the same walks that find its terms, and phrase steps
  // compare ids instead of strings.
  uint32_t continuation_count = 0;
  int64_t continuation_number_id = -1;
  std::unique_ptr<RE2::Set> regex_set;
  std::vector<std::string> regex_sources;  // by RE2::Set index (wrapped)
  std::vector<uint32_t> regex_entry;       // by RE2::Set index
  std::vector<CompiledTitle> titles;
  // LexiconFile.sex_pairs: folded form → (pair index, feminine).
  absl::flat_hash_map<std::string, std::pair<uint32_t, bool>> sex_words;
  uint32_t sex_pair_count = 0;
  absl::flat_hash_map<std::string, uint32_t> analyzer_rules;  // id → entry
  std::vector<uint32_t> entries;  // every entry that applies
  size_t term_count = 0;
  // The application-form field rules of this language (form_fields.h);
  // null when no file of the language has any.
  std::shared_ptr<const FormRuleBook> form_rules;

  // Lazily compiled regexes; see Regex().
  mutable std::unique_ptr<std::once_flag[]> regex_once;
  mutable std::vector<std::unique_ptr<RE2>> regexes;

  // Sets `endings` (at most 32, longest first) and their index by last byte.
  void SetEndings(std::vector<std::string> e);
  bool IsEnding(absl::string_view s) const;
  // The compiled regex for RE2::Set index `id`. Compiled on first use (most
  // rules never match a given ad) and then shared; safe for concurrent use.
  const RE2& Regex(int id) const;
  // True when `token` matches `p` under this language's inflection rules.
  bool TokenMatches(const TokenPattern& p, absl::string_view token,
                    bool is_number) const;
};

// True for the kinds that count as matchable concepts in the lexicon size
// figures (findings, highlights, gender-coded words); context cues and
// analyzer rule texts are not counted.
inline bool IsConceptKind(config::v1::EntryKind kind) {
  return kind == config::v1::ENTRY_KIND_FINDING ||
         kind == config::v1::ENTRY_KIND_HIGHLIGHT ||
         kind == config::v1::ENTRY_KIND_AGENTIC ||
         kind == config::v1::ENTRY_KIND_COMMUNAL;
}

// Number of matchable terms of an entry (each word, stem, compound tail,
// phrase and pattern counts once).
inline size_t TermCount(const config::v1::Entry& e) {
  return static_cast<size_t>(e.words_size() + e.stems_size() +
                             e.compound_tails_size() + e.phrases_size() +
                             e.patterns_size());
}

// The options every lexicon regex is compiled with: patterns run on
// case-folded text; case-insensitivity only guards against authors writing
// capitals.
RE2::Options LexiconRegexOptions();

// ---- implementation ----

inline const CompiledEntry& LexiconSet::entry(uint32_t index) const {
  return entries_[index];
}

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_INTERNAL_LEXICON_DATA_H_
