// The lexicon's byte tries: what a key stands for (TriePayload) and the
// trie itself (ByteTrie). Internal to the engine (the lexicon compiler
// builds the tries, TermMatcher walks them).
//
// A ByteTrie is built by one thread (Insert, then Freeze once); after
// Freeze it is immutable and the walks are safe for concurrent use by any
// number of threads.
#ifndef DIVCHECK_ANALYZERS_INTERNAL_LEXICON_TRIE_H_
#define DIVCHECK_ANALYZERS_INTERNAL_LEXICON_TRIE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace divcheck {

// One token of a phrase or cue.
struct TokenPattern {
  enum class Kind { kWord, kExact, kPrefix, kSuffix, kNumber };
  Kind kind = Kind::kWord;
  std::string text;  // folded
};

// What a trie key stands for.
struct TriePayload {
  enum class Kind : uint8_t {
    kWord,            // index: entry; whole token (+ ending if inflect)
    kStem,            // index: entry; token prefix
    kTail,            // index: entry; token suffix (+ ending)
    kPhraseStart,     // index: phrase group; first phrase token matched
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
  // For suffix keys: the key must not be the whole token (a compound head).
  bool compound_only = false;
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

// ---- implementation of the trie walks (hot path, inlined) ----

inline uint32_t ByteTrie::Child(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  const uint32_t* rec = data_.data() + node;
  // Edges are sorted by byte, which is their top byte: the first edge
  // >= want is the only candidate. Wide nodes (near the root) narrow the
  // range by halves first (the candidate stays in [e, end)); the last few
  // are scanned.
  const uint32_t want = static_cast<uint32_t>(byte) << 24;
  const uint32_t* e = rec + 2;
  const uint32_t* const end = e + (rec[0] >> 16);
  for (uint32_t n = static_cast<uint32_t>(end - e); n > 8;) {
    const uint32_t half = n / 2;
    if (e[half] < want) {
      e += half + 1;
      n -= half + 1;
    } else {
      n = half;
    }
  }
  for (; e < end; ++e) {
    if (*e >= want) {
      return (*e & 0xFF000000u) == want ? *e & 0x00FFFFFFu : 0;
    }
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

#endif  // DIVCHECK_ANALYZERS_INTERNAL_LEXICON_TRIE_H_
