#include "analyzers/language.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace divcheck {
namespace {

constexpr size_t kTokensLooked = 600;

// +1 German, -1 English. Words common to both ("in", "an", "so") are left
// out.
const absl::flat_hash_map<absl::string_view, int>& FunctionWords() {
  static const auto* words = new absl::flat_hash_map<absl::string_view, int>{
      {"und", 1},    {"der", 1},    {"die", 1},    {"das", 1},
      {"wir", 1},    {"sie", 1},    {"mit", 1},    {"fur", 1},
      {"für", 1},    {"ihre", 1},   {"ihr", 1},    {"ist", 1},
      {"eine", 1},   {"einen", 1},  {"den", 1},    {"des", 1},
      {"bei", 1},    {"auf", 1},    {"von", 1},    {"zu", 1},
      {"zum", 1},    {"zur", 1},    {"sind", 1},   {"oder", 1},
      {"als", 1},    {"auch", 1},   {"nicht", 1},  {"uns", 1},
      {"unser", 1},  {"unsere", 1}, {"werden", 1}, {"bieten", 1},
      {"suchen", 1}, {"sowie", 1},  {"dem", 1},    {"du", 1},
      {"dich", 1},   {"dein", 1},   {"deine", 1},  {"ein", 1},
      {"the", -1},   {"and", -1},   {"we", -1},    {"you", -1},
      {"with", -1},  {"for", -1},   {"your", -1},  {"our", -1},
      {"is", -1},    {"are", -1},   {"of", -1},    {"to", -1},
      {"be", -1},    {"will", -1},  {"this", -1},  {"that", -1},
      {"on", -1},    {"at", -1},    {"or", -1},    {"us", -1},
      {"who", -1},   {"have", -1},  {"offer", -1}, {"looking", -1},
      {"a", -1},     {"an", 0},     {"as", -1},    {"team", 0},
      {"from", -1},  {"can", -1}};
  return *words;
}

size_t LongestFunctionWord() {
  size_t longest = 0;
  for (const auto& [word, weight] : FunctionWords()) {
    longest = std::max(longest, word.size());
  }
  return longest;
}

}  // namespace

std::string DetectLanguage(const Document& doc) {
  static const size_t kLongest = LongestFunctionWord();
  int balance = 0;
  const auto& words = FunctionWords();
  size_t n = 0;
  for (const Token& t : doc.tokens()) {
    if (++n > kTokensLooked) break;
    // Longer tokens cannot be function words: skip the hash.
    if (t.end - t.begin > kLongest || t.is_number) continue;
    auto it = words.find(doc.TokenText(t));
    if (it != words.end()) balance += it->second;
  }
  return balance < 0 ? "en" : "de";
}

}  // namespace divcheck
