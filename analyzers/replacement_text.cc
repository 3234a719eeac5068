#include "analyzers/replacement_text.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"

namespace divcheck {
namespace {

// English verbs that open an instruction to the writer.
constexpr absl::string_view kEnglishVerbs[] = {
    "add",   "ask",     "avoid",  "consider", "delete",  "describe",
    "drop",  "explain", "list",   "make",     "mention", "name",
    "offer", "remove",  "repeat", "replace",  "say",     "specify",
    "state", "type",    "use",    "write",    "address", "limit"};

// German infinitives that end an instruction ("Feld streichen.", "nur den
// Abschluss erfragen").
constexpr absl::string_view kGermanInfinitives[] = {
    "anbieten",  "angeben",   "beschränken", "beschreiben", "erfragen",
    "ergänzen",  "fragen",    "gestalten",   "machen",      "nennen",
    "schreiben", "streichen", "weglassen"};

bool IsOneOf(absl::string_view word, absl::Span<const absl::string_view> set) {
  for (absl::string_view v : set) {
    if (word == v) return true;
  }
  return false;
}

}  // namespace

bool LooksLikeInstruction(absl::string_view text) {
  // "Kirchliche Arbeitgeber: Beschreiben Sie …": the part after a label.
  for (absl::string_view clause :
       absl::StrSplit(text, absl::ByAnyChar(":.;"), absl::SkipEmpty())) {
    std::vector<absl::string_view> words =
        absl::StrSplit(clause, absl::ByAnyChar(" ,"), absl::SkipEmpty());
    if (words.empty()) continue;
    // German imperative: "Beschreiben Sie …", "Streichen Sie …" (a
    // question, "Benötigen Sie …?", is not one).
    if (words.size() >= 2 && words[1] == "Sie" && words[0] != "Sie" &&
        !absl::StrContains(clause, "?") && absl::EndsWith(words[0], "en") &&
        absl::ascii_isupper(words[0][0])) {
      return true;
    }
    if (absl::AsciiStrToLower(words[0]) == "stattdessen") return true;
    // German infinitive instruction: the clause ends with the verb.
    if (words.size() <= 12 && IsOneOf(words.back(), kGermanInfinitives)) {
      return true;
    }
    const std::string first = absl::AsciiStrToLower(words[0]);
    if (IsOneOf(first, kEnglishVerbs)) return true;
  }
  return false;
}

std::string ReplacementProblem(absl::string_view text) {
  if (LooksLikeInstruction(text)) {
    return "looks like an instruction (imperative): move it to `advice`; "
           "suggestions are text to paste in place of the match";
  }
  if (absl::StrContains(text, "\xE2\x80\xA6") /* … */ ||
      absl::StrContains(text, "...")) {
    return "has a gap (\xE2\x80\xA6) to fill in: a job board cannot paste "
           "it as it stands; move it to `advice`";
  }
  return "";
}

}  // namespace divcheck
