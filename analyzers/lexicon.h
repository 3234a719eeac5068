// LexiconSet: every lexicon file of a directory, validated and compiled.
//
//   std::vector<divcheck::LexiconProblem> problems;
//   absl::StatusOr<std::shared_ptr<const divcheck::LexiconSet>> set =
//       divcheck::LexiconSet::Load("lexicons", &problems);
//   if (!set.ok()) for (const auto& p : problems) std::cerr << p.ToString();
//
// Loading reads every `*.textproto` below the directory (see
// proto/divcheck/config/v1/lexicon.proto for the format and the matching
// rules), checks each file completely and reports every problem found — the
// first syntax error of a file (protobuf's text parser cannot go on after
// one) and every semantic problem of every file that parsed — as
// `file:line:col: message`. Terms are case-folded exactly like input text
// and compiled into byte tries (words, stems, compound tails, phrase starts)
// and one RE2::Set per language.
//
// A LexiconSet is immutable once loaded and safe for concurrent use by any
// number of threads; share it as std::shared_ptr<const LexiconSet>. A reload
// builds a new set and swaps the pointer.
#ifndef DIVCHECK_ANALYZERS_LEXICON_H_
#define DIVCHECK_ANALYZERS_LEXICON_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/data_problem.h"
#include "divcheck/config/v1/lexicon.pb.h"
#include "divcheck/v1/report.pb.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace divcheck {

struct FormRuleBook;  // form_fields.h

// One problem in a lexicon file. Line and column are 1-based; 0 when the
// problem concerns the whole file.
using LexiconProblem = DataProblem;

// One token of a phrase or cue.
struct TokenPattern {
  enum class Kind { kWord, kExact, kPrefix, kSuffix, kNumber };
  Kind kind = Kind::kWord;
  std::string text;  // folded
};

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
  bool feminine_is_epicene_plural = false;
  absl::flat_hash_set<std::string> exceptions;
};

// What a trie key stands for.
struct TriePayload {
  enum class Kind : uint8_t {
    kWord,         // index: entry; whole token (+ ending if inflect)
    kStem,         // index: entry; token prefix
    kTail,         // index: entry; token suffix (+ ending)
    kPhraseStart,  // index: phrase group; first phrase token matched
    kTitleMasculine,  // index: title
    kTitleFeminine,   // index: title
    kContinuation,    // index: continuation id (a phrase token after the
                      // first, or a modifier cue token); pattern: kind
  };
  Kind kind;
  bool inflect = true;
  // For kPhraseStart: how the first token matches (kWord, kExact, kPrefix,
  // kSuffix semantics).
  TokenPattern::Kind pattern = TokenPattern::Kind::kWord;
  // For suffix keys: the key must be the whole token (no compound prefix).
  bool whole_token = false;
  uint32_t index = 0;
};

// A byte trie. Keys are folded UTF-8; a reverse trie stores keys reversed.
class ByteTrie {
 public:
  ByteTrie();
  void Insert(absl::string_view key, const TriePayload& payload);
  // Lays the trie out in flat arrays for the walks; call once after the
  // last Insert (the walks see nothing before).
  void Freeze();
  // Calls fn(depth, payload) for every payload on the path spelled by
  // `text` from its start (forward) or from its end (backward).
  template <typename Fn>
  void WalkForward(absl::string_view text, Fn&& fn) const;
  template <typename Fn>
  void WalkBackward(absl::string_view text, Fn&& fn) const;
  size_t node_count() const { return frozen_nodes_; }

 private:
  // Build form.
  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> children;  // sorted by byte
    std::vector<TriePayload> payloads;
  };
  uint32_t BuildChild(uint32_t node, uint8_t byte) const;
  std::vector<Node> nodes_;

  // Frozen form, in breadth-first order so that the nodes near the root,
  // which every walk visits, share few cache lines. A node is a run of
  // words in `data_`: (edge_count << 16 | payload_count), first_payload,
  // then one word per edge: (byte << 24 | offset of the child's run).
  // Offset 0 is a placeholder, so 0 means "no child".
  //
  // Chains of nodes with one child and no payload (most of a word's tail)
  // are compressed: the first one's run is (kChain | label_length), unused,
  // the label bytes packed four to a word, and straight after them the run
  // of the node the chain leads to. A walk then costs one cache miss per
  // branching node instead of one per byte.
  static constexpr uint32_t kChain = 0x80000000u;
  uint32_t Child(uint32_t node, uint8_t byte) const;
  uint32_t root_children_[256];
  std::vector<uint32_t> data_;
  std::vector<TriePayload> payloads_;
  size_t frozen_nodes_ = 0;
};

// Everything compiled for one language ("de", "en"); language-independent
// files are merged into every language.
struct LanguageLexicon {
  std::string language;
  std::vector<std::string> endings;  // inflection endings, longest first
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
  absl::flat_hash_map<std::string, uint32_t> analyzer_rules;  // id → entry
  std::vector<uint32_t> entries;  // every entry that applies
  size_t term_count = 0;
  // The application-form field rules of this language (form_fields.h);
  // null when no file of the language has any.
  std::shared_ptr<const FormRuleBook> form_rules;

  // Lazily compiled regexes; see Regex().
  mutable std::unique_ptr<std::once_flag[]> regex_once;
  mutable std::vector<std::unique_ptr<RE2>> regexes;

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
  return static_cast<size_t>(e.words_size() + e.stems_size() + e.compound_tails_size() +
                             e.phrases_size() + e.patterns_size());
}

// Per-file facts for `divcheck lexicon stats` and the service's lexicon
// listing.
struct LexiconFileInfo {
  std::string id;
  std::string language;
  std::string version;
  std::string path;  // relative to the directory
  uint32_t entry_count = 0;
  uint32_t term_count = 0;
  uint32_t job_title_count = 0;
  // Application-form field rules (not counted in entry_count).
  uint32_t form_rule_count = 0;
};

class LexiconSet {
 public:
  // Loads and compiles every *.textproto below `dir`. On any problem returns
  // INVALID_ARGUMENT ("N problems in lexicons") and appends every problem to
  // `problems` (which may be null); NOT_FOUND when `dir` does not exist or
  // holds no lexicon file.
  static absl::StatusOr<std::shared_ptr<const LexiconSet>> Load(
      const std::string& dir, std::vector<LexiconProblem>* problems);

  LexiconSet(const LexiconSet&) = delete;
  LexiconSet& operator=(const LexiconSet&) = delete;

  // The compiled lexicon for `language`, or null when none is loaded.
  const LanguageLexicon* ForLanguage(absl::string_view language) const;
  std::vector<std::string> Languages() const;
  const CompiledEntry& entry(uint32_t index) const { return entries_[index]; }
  size_t entry_count() const { return entries_.size(); }
  const std::vector<LexiconFileInfo>& files() const { return file_info_; }
  // 16 hex digits of a hash over every file's path and bytes.
  const std::string& content_hash() const { return content_hash_; }
  const std::string& directory() const { return directory_; }

 private:
  LexiconSet() = default;
  friend class LexiconCompiler;

  std::string directory_;
  std::string content_hash_;
  std::vector<std::unique_ptr<config::v1::LexiconFile>> files_;
  std::vector<LexiconFileInfo> file_info_;
  std::vector<CompiledEntry> entries_;
  std::map<std::string, std::unique_ptr<LanguageLexicon>, std::less<>>
      languages_;
};

// ---- implementation of the trie walks (hot path, inlined) ----

inline uint32_t ByteTrie::Child(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  const uint32_t* rec = data_.data() + node;
  const uint32_t edges = rec[0] >> 16;
  const uint32_t want = static_cast<uint32_t>(byte) << 24;
  for (uint32_t i = 0; i < edges; ++i) {
    const uint32_t e = rec[2 + i];
    if ((e & 0xFF000000u) == want) return e & 0x00FFFFFFu;
    if ((e & 0xFF000000u) > want) break;
  }
  return 0;
}

template <typename Fn>
void ByteTrie::WalkForward(absl::string_view text, Fn&& fn) const {
  uint32_t node = 0;
  const size_t n = text.size();
  for (size_t i = 0; i < n;) {
    node = Child(node, static_cast<uint8_t>(text[i++]));
    if (node == 0) return;
    const uint32_t* rec = data_.data() + node;
    if (rec[0] & kChain) {
      const uint32_t len = rec[0] & 0xFFFFu;
      if (n - i < len) return;
      // Labels are short: a byte loop beats a call to memcmp.
      const char* label = reinterpret_cast<const char*>(rec + 2);
      for (uint32_t k = 0; k < len; ++k) {
        if (text[i + k] != label[k]) return;
      }
      i += len;
      node += 2 + (len + 3) / 4;
      rec = data_.data() + node;
    }
    const uint32_t count = rec[0] & 0xFFFFu;
    for (uint32_t p = 0; p < count; ++p) fn(i, payloads_[rec[1] + p]);
  }
}

template <typename Fn>
void ByteTrie::WalkBackward(absl::string_view text, Fn&& fn) const {
  uint32_t node = 0;
  const size_t n = text.size();
  for (size_t i = n; i > 0;) {
    node = Child(node, static_cast<uint8_t>(text[--i]));
    if (node == 0) return;
    const uint32_t* rec = data_.data() + node;
    if (rec[0] & kChain) {
      const uint32_t len = rec[0] & 0xFFFFu;
      if (i < len) return;
      const char* label = reinterpret_cast<const char*>(rec + 2);
      for (uint32_t k = 0; k < len; ++k) {
        if (text[i - 1 - k] != label[k]) return;
      }
      i -= len;
      node += 2 + (len + 3) / 4;
      rec = data_.data() + node;
    }
    const uint32_t count = rec[0] & 0xFFFFu;
    for (uint32_t p = 0; p < count; ++p) fn(n - i, payloads_[rec[1] + p]);
  }
}

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_LEXICON_H_
