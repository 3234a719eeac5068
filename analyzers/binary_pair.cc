#include "analyzers/binary_pair.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace divcheck {
namespace {

// Words that join the two members of a pair.
bool IsJoiner(absl::string_view token) {
  return token == "oder" || token == "bzw" || token == "und" ||
         token == "sowie" || token == "or" || token == "and";
}

// The sex word at token `k`: its pair and side; false when it is none.
bool SexWordAt(const Analysis& a, uint32_t k, uint32_t* pair, bool* feminine) {
  const auto it = a.lex.sex_words.find(a.doc.TokenText(a.doc.tokens()[k]));
  if (it == a.lex.sex_words.end()) return false;
  *pair = it->second.first;
  *feminine = it->second.second;
  return true;
}

// True when some token strictly between `from` and `to` is a joiner or the
// text between two adjacent tokens holds "/" or "&".
bool Joined(const Analysis& a, uint32_t from, uint32_t to) {
  const auto& tokens = a.doc.tokens();
  for (uint32_t j = from; j < to; ++j) {
    const absl::string_view gap = a.doc.folded().substr(
        tokens[j].end, tokens[j + 1].begin - tokens[j].end);
    if (absl::StrContains(gap, "/") || absl::StrContains(gap, "&")) {
      return true;
    }
    if (j > from && IsJoiner(a.doc.TokenText(tokens[j]))) return true;
  }
  return false;
}

// True when token `j` is the other side of `pair`.
bool IsCounterpart(const Analysis& a, uint32_t j, uint32_t pair,
                   bool feminine) {
  uint32_t other_pair;
  bool other_feminine;
  return SexWordAt(a, j, &other_pair, &other_feminine) && other_pair == pair &&
         other_feminine != feminine;
}

}  // namespace

bool InBinaryPair(const Analysis& a, uint32_t k) {
  const auto& tokens = a.doc.tokens();
  if (k >= tokens.size()) return false;
  uint32_t pair;
  bool feminine;
  if (!SexWordAt(a, k, &pair, &feminine)) return false;
  const uint32_t sentence = tokens[k].sentence;
  const uint32_t lo = k > kBinaryPairWindow ? k - kBinaryPairWindow : 0;
  const uint32_t hi = std::min<uint32_t>(
      k + kBinaryPairWindow + 1, static_cast<uint32_t>(tokens.size()) - 1);
  for (uint32_t j = lo; j <= hi; ++j) {
    if (j == k || tokens[j].sentence != sentence) continue;
    if (!IsCounterpart(a, j, pair, feminine)) continue;
    if (Joined(a, std::min(j, k), std::max(j, k))) return true;
  }
  return false;
}

void LowerBinaryPairs(Analysis* a) {
  if (a->lex.sex_words.empty()) return;
  const bool de = a->lex.language == "de";
  for (Candidate& c : a->candidates) {
    if (c.dropped || c.severity <= v1::SEVERITY_HINT) continue;
    const CompiledEntry& e = a->entry(c.entry);
    const bool gender_only = c.dimensions.empty()
                                 ? (e.dimensions.size() == 1 &&
                                    e.dimensions[0] == v1::DIMENSION_GENDER)
                                 : (c.dimensions.size() == 1 &&
                                    c.dimensions[0] == v1::DIMENSION_GENDER);
    if (!gender_only) continue;
    bool paired = false;
    for (uint32_t k = c.tok_begin; k < c.tok_end && !paired; ++k) {
      paired = InBinaryPair(*a, k);
    }
    if (!paired) continue;
    if (a->tracing) {
      a->Trace(c,
               "lowered to HINT: the words name both sexes (a binary "
               "pair such as \"Mann oder Frau\")");
    }
    c.severity = v1::SEVERITY_HINT;
    c.context_note =
        de ? "Nennt beide Geschlechter (Paarform): keine Benachteiligung von "
             "Frauen oder Männern, aber ohne nicht-binäre Menschen – "
             "ergänzen Sie z. B. „(m/w/d)“."
           : "Names both sexes (a binary pair): no one-sex requirement, but "
             "non-binary people are left out - add e.g. \"(all genders)\".";
  }
}

}  // namespace divcheck
