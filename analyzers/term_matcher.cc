#include "analyzers/term_matcher.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace divcheck {
namespace {

// Title forms take the case and number endings of masculine nouns (des
// Verkäufers, den Verkäufern, die Ingenieure); feminine forms only their
// own plural, which is inserted as a separate key.
bool IsMasculineTitleEnding(absl::string_view e) {
  return e.empty() || e == "s" || e == "n" || e == "en" || e == "e" ||
         e == "es";
}

class Matcher {
 public:
  explicit Matcher(Analysis* a)
      : a_(*a), doc_(a->doc), lex_(a->lex), tokens_(a->doc.tokens()) {}

  void Run() {
    a_.matches.clear();
    a_.titles.clear();
    best_title_.assign(tokens_.size(), -1);
    // Pass 1: every token's terms, title forms and continuation ids, in one
    // forward and a few backward walks; phrase starts wait for pass 2,
    // which needs the ids of the tokens after them.
    a_.cont_begin.assign(tokens_.size(), 0);
    a_.cont_count.assign(tokens_.size(), 0);
    a_.cont_ids.clear();
    for (uint32_t k = 0; k < tokens_.size(); ++k) MatchToken(k);
    for (const auto& [group, k] : pending_groups_) TryGroup(group, k);
    MatchRegexes();
    for (int32_t t : best_title_) {
      if (t >= 0) a_.titles.push_back(title_hits_[t]);
    }
    std::sort(a_.matches.begin(), a_.matches.end(),
              [](const Match& x, const Match& y) {
                if (x.fbegin != y.fbegin) return x.fbegin < y.fbegin;
                if (x.entry != y.entry) return x.entry < y.entry;
                return x.fend > y.fend;
              });
    // The same entry can be reached through several keys (a word and a
    // phrase, two endings); keep one match per entry and start.
    a_.matches.erase(std::unique(a_.matches.begin(), a_.matches.end(),
                                 [](const Match& x, const Match& y) {
                                   return x.entry == y.entry &&
                                          x.fbegin == y.fbegin;
                                 }),
                     a_.matches.end());
  }

 private:
  void Add(uint32_t entry, uint32_t tok_begin, uint32_t tok_end) {
    if (a_.entry(entry).IsException(doc_.TokenText(tokens_[tok_begin]))) return;
    Match m;
    m.entry = entry;
    m.tok_begin = tok_begin;
    m.tok_end = tok_end;
    m.fbegin = tokens_[tok_begin].begin;
    m.fend = tokens_[tok_end - 1].end;
    m.sentence = tokens_[tok_begin].sentence;
    a_.matches.push_back(m);
  }

  // Phrases of group `g` whose first token is token `k`.
  void TryGroup(uint32_t g, uint32_t k) {
    const LanguageLexicon::PhraseGroup& group = lex_.phrase_groups[g];
    for (uint32_t ph : group.single) Add(lex_.phrases[ph].entry, k, k + 1);
    if (group.by_second.empty()) return;
    const uint32_t sentence = tokens_[k].sentence;
    const uint32_t last = k + 1 + group.max_gap;
    for (uint32_t next = k + 1; next <= last && next < tokens_.size() &&
                                tokens_[next].sentence == sentence;
         ++next) {
      uint32_t n;
      const uint32_t* ids = a_.ContinuationIdsOf(next, &n);
      for (uint32_t i = 0; i < n; ++i) {
        auto lo =
            std::lower_bound(group.by_second.begin(), group.by_second.end(),
                             std::make_pair(ids[i], uint32_t{0}));
        for (; lo != group.by_second.end() && lo->first == ids[i]; ++lo) {
          const CompiledPhrase& ph = lex_.phrases[lo->second];
          if (next - k - 1 <= ph.max_gap) ContinuePhrase(ph, k, next);
        }
      }
    }
  }

  // Phrase `ph` whose first token is `k` and second `cur`: the rest.
  void ContinuePhrase(const CompiledPhrase& ph, uint32_t k, uint32_t cur) {
    const uint32_t sentence = tokens_[k].sentence;
    for (size_t j = 2; j < ph.tokens.size(); ++j) {
      bool found = false;
      for (uint32_t next = cur + 1;
           next <= cur + 1 + ph.max_gap && next < tokens_.size() &&
           tokens_[next].sentence == sentence;
           ++next) {
        if (a_.HasContinuation(next, ph.token_ids[j - 1])) {
          cur = next;
          found = true;
          break;
        }
      }
      if (!found) return;
    }
    Add(ph.entry, k, cur + 1);
  }

  // Job title payload `p` reached at `depth` bytes from the end of token
  // `k` (`text`) without `ending`: keeps the longest title form per token.
  void AddTitleHit(const TriePayload& p, uint32_t k, absl::string_view text,
                   size_t depth, absl::string_view ending) {
    const bool feminine = p.kind == TriePayload::Kind::kTitleFeminine;
    if (feminine ? !ending.empty() : !IsMasculineTitleEnding(ending)) return;
    const CompiledTitle& title = lex_.titles[p.index];
    if (!title.exceptions.empty() && title.exceptions.contains(text)) return;
    TitleHit hit;
    hit.title = p.index;
    hit.feminine = feminine;
    hit.token = k;
    hit.form_bytes = static_cast<uint32_t>(depth + ending.size());
    const int32_t prev = best_title_[k];
    if (prev < 0 || title_hits_[prev].form_bytes < hit.form_bytes) {
      best_title_[k] = static_cast<int32_t>(title_hits_.size());
      title_hits_.push_back(hit);
    }
  }

  // The backward walk of token `k` (`text`) without `ending`: compound
  // tails, title forms, phrase starts and suffix continuation ids.
  void WalkSuffixes(uint32_t k, absl::string_view text,
                    absl::string_view ending, size_t ids_begin) {
    std::vector<uint32_t>& ids = a_.cont_ids;
    const absl::string_view base = text.substr(0, text.size() - ending.size());
    lex_.backward.WalkBackward(base, [&](size_t depth, const TriePayload& p) {
      switch (p.kind) {
        case TriePayload::Kind::kContinuation:
          if (std::find(ids.begin() + ids_begin, ids.end(), p.index) ==
              ids.end()) {
            ids.push_back(p.index);
          }
          break;
        case TriePayload::Kind::kTail:
          if (ending.empty() || p.inflect) Add(p.index, k, k + 1);
          break;
        case TriePayload::Kind::kPhraseStart:
          pending_groups_.push_back({p.index, k});
          break;
        case TriePayload::Kind::kTitleMasculine:
        case TriePayload::Kind::kTitleFeminine:
          if (p.whole_token && depth != base.size()) break;
          if (p.compound_only && depth == base.size()) break;
          AddTitleHit(p, k, text, depth, ending);
          break;
        default:
          break;
      }
    });
  }

  void MatchToken(uint32_t k) {
    const Token& tok = tokens_[k];
    const absl::string_view text = doc_.TokenText(tok);
    std::vector<uint32_t>& ids = a_.cont_ids;
    const size_t ids_begin = ids.size();
    if (tok.is_number && lex_.continuation_number_id >= 0) {
      ids.push_back(static_cast<uint32_t>(lex_.continuation_number_id));
    }
    // Whether the rest of the token after `depth` bytes is an inflection
    // ending; asked for several payloads at one depth, computed once.
    size_t ending_depth = static_cast<size_t>(-1);
    bool ending_rest = false;
    auto rest_is_ending = [&](size_t depth) {
      if (depth != ending_depth) {
        ending_depth = depth;
        ending_rest = lex_.IsEnding(
            absl::string_view(text.data() + depth, text.size() - depth));
      }
      return ending_rest;
    };
    // A phrase token pattern (first token or continuation) reached at `depth`.
    auto pattern_matches = [&](const TriePayload& p, size_t depth) {
      const bool whole = depth == text.size();
      switch (p.pattern) {
        case TokenPattern::Kind::kPrefix:
          return true;
        case TokenPattern::Kind::kExact:
          return whole;
        case TokenPattern::Kind::kWord:
          return whole || rest_is_ending(depth);
        default:
          return false;
      }
    };
    lex_.forward.WalkForward(text, [&](size_t depth, const TriePayload& p) {
      switch (p.kind) {
        case TriePayload::Kind::kWord:
          if (depth == text.size() || (p.inflect && rest_is_ending(depth))) {
            Add(p.index, k, k + 1);
          }
          break;
        case TriePayload::Kind::kStem:
          Add(p.index, k, k + 1);
          break;
        case TriePayload::Kind::kPhraseStart:
          if (pattern_matches(p, depth))
            pending_groups_.push_back({p.index, k});
          break;
        case TriePayload::Kind::kContinuation:
          if (pattern_matches(p, depth)) ids.push_back(p.index);
          break;
        default:
          break;
      }
    });
    // Suffixes: the bare token, then the token without each ending it
    // ends in (only the endings with its last byte are compared).
    if (!text.empty()) {
      WalkSuffixes(k, text, absl::string_view(), ids_begin);
      for (uint32_t m =
               lex_.ending_mask_by_last[static_cast<uint8_t>(text.back())];
           m != 0; m &= m - 1) {
        const absl::string_view ending(lex_.endings[__builtin_ctz(m)]);
        if (text.size() <= ending.size() || !absl::EndsWith(text, ending)) {
          continue;
        }
        WalkSuffixes(k, text, ending, ids_begin);
      }
    }
    if (tok.is_number) {
      for (uint32_t g : lex_.number_start_groups)
        pending_groups_.push_back({g, k});
    }
    a_.cont_begin[k] = static_cast<uint32_t>(ids_begin);
    a_.cont_count[k] = static_cast<uint32_t>(ids.size() - ids_begin);
  }

  // Regex rules. A yes/no RE2::Set pass per sentence window finds the few
  // sentences where some rule matches (without an id vector RE2 stops at
  // the first match); an id pass over each of those windows names the
  // rules, and only those run on their own in that window, for the
  // offsets.
  void MatchRegexes() {
    if (lex_.regex_sources.empty() || doc_.sentences().empty()) return;
    const absl::string_view folded = doc_.folded();
    const auto& sentences = doc_.sentences();
    std::vector<std::pair<uint32_t, uint32_t>> windows;  // (begin, end)
    std::vector<uint32_t> hit_sentences;
    for (size_t s = 0; s < sentences.size(); ++s) {
      // The window runs from the sentence's first token, widened back over
      // adjacent punctuation such as "(" or "„", to the next sentence, so
      // that closing brackets and quotes belong to it.
      uint32_t begin = sentences[s].begin;
      const uint32_t limit = s == 0 ? 0 : sentences[s - 1].end;
      while (begin > limit) {
        const char c = folded[begin - 1];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') break;
        --begin;
      }
      const uint32_t end = s + 1 < sentences.size()
                               ? sentences[s + 1].begin
                               : static_cast<uint32_t>(folded.size());
      const re2::StringPiece piece(folded.data() + begin, end - begin);
      if (!lex_.regex_set->Match(piece, nullptr)) continue;
      windows.push_back({begin, end});
      hit_sentences.push_back(static_cast<uint32_t>(s));
    }
    std::vector<int> ids;
    for (size_t w = 0; w < windows.size(); ++w) {
      const auto [begin, end] = windows[w];
      const re2::StringPiece text(folded.data() + begin, end - begin);
      ids.clear();
      if (!lex_.regex_set->Match(text, &ids)) continue;
      for (int id : ids) {
        const RE2& re = lex_.Regex(id);
        size_t pos = 0;
        re2::StringPiece groups[2];
        while (pos <= text.size() &&
               re.Match(text, pos, text.size(), RE2::UNANCHORED, groups, 2)) {
          const re2::StringPiece& m = groups[1];
          const size_t m_end =
              static_cast<size_t>(m.data() + m.size() - text.data());
          if (m.empty()) {
            pos = static_cast<size_t>(groups[0].data() + groups[0].size() -
                                      text.data()) +
                  1;
            continue;
          }
          Match match;
          match.entry = lex_.regex_entry[id];
          match.fbegin = begin + static_cast<uint32_t>(m.data() - text.data());
          match.fend = begin + static_cast<uint32_t>(m_end);
          match.tok_begin = doc_.TokenAtOrAfter(match.fbegin);
          match.tok_end = TokenEndBefore(match.fend);
          if (match.tok_end < match.tok_begin) match.tok_end = match.tok_begin;
          match.sentence = hit_sentences[w];
          if (match.tok_begin >= match.tok_end ||
              !a_.entry(match.entry)
                   .IsException(doc_.TokenText(tokens_[match.tok_begin]))) {
            a_.matches.push_back(match);
          }
          pos = m_end;
        }
      }
    }
  }

  // Index of the first token that begins at or after `folded_end`.
  uint32_t TokenEndBefore(uint32_t folded_end) const {
    auto it = std::lower_bound(
        tokens_.begin(), tokens_.end(), folded_end,
        [](const Token& t, uint32_t off) { return t.begin < off; });
    return static_cast<uint32_t>(it - tokens_.begin());
  }

  Analysis& a_;
  const Document& doc_;
  const LanguageLexicon& lex_;
  const std::vector<Token>& tokens_;
  std::vector<TitleHit> title_hits_;
  std::vector<int32_t> best_title_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_groups_;  // (group, token)
};

}  // namespace

void MatchTerms(Analysis* analysis) { Matcher(analysis).Run(); }

}  // namespace divcheck
