#include "analyzers/language.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

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

}  // namespace

bool IsFunctionWord(absl::string_view folded) {
  // Weight 0 marks words left neutral for detection ("an", "team"), which
  // are not all function words.
  auto it = FunctionWords().find(folded);
  return it != FunctionWords().end() && it->second != 0;
}

namespace {

// Languages divcheck recognises but has no rules for, and some of their
// most frequent function words. Words that are also German or English
// function words above ("des", "die", "is", "a") and one-letter words (the
// "w" of "(m/w/d)", the "e" of "E-Mail") are left out: they would count for
// the wrong language in German and English ads.
struct OtherLanguage {
  const char* code;
  std::vector<absl::string_view> words;
};

const std::vector<OtherLanguage>& OtherLanguages() {
  static const auto* languages = new std::vector<OtherLanguage>{
      {"fr", {"le",   "la",  "les",  "de",         "du",    "et",   "est",
              "une",  "un",  "pour", "nous",       "vous",  "avec", "sur",
              "dans", "au",  "aux",  "en",         "votre", "vos",  "notre",
              "nos",  "qui", "que",  "par",        "pas",   "ce",   "cette",
              "sont", "il",  "elle", "recherchons"}},
      {"es",
       {"el",      "la",   "los", "las", "de",   "del", "en",    "que",
        "con",     "para", "por", "una", "un",   "su",  "sus",   "nuestro",
        "nuestra", "es",   "se",  "al",  "como", "más", "somos", "buscamos"}},
      {"it", {"il",    "la",    "le",  "lo",    "gli",   "di",        "del",
              "della", "è",     "per", "con",   "che",   "un",        "una",
              "nel",   "nella", "dei", "delle", "siamo", "cerchiamo", "sono"}},
      {"pt", {"os",  "as", "de", "do",    "da",    "dos", "das",
              "é",   "em", "um", "uma",   "para",  "com", "que",
              "por", "no", "na", "nosso", "nossa", "você"}},
      {"nl", {"de",  "het",  "een",  "en",   "van",  "voor", "met",
              "wij", "jij",  "je",   "zijn", "op",   "aan",  "bij",
              "ons", "onze", "jouw", "wat",  "niet", "ook"}},
      {"pl",
       {"na", "do", "że", "się", "jest", "dla", "oraz", "od", "lub", "nie",
        "jak", "po", "przez", "nasz", "poszukujemy"}},
      {"tr",
       {"ve", "bir", "için", "ile", "bu", "olarak", "veya", "çok", "iş", "olan",
        "sahip", "arıyoruz", "da", "de", "en"}},
  };
  return *languages;
}

// Word → bit i set when the word is one of OtherLanguages()[i]'s.
const absl::flat_hash_map<absl::string_view, uint32_t>& OtherWords() {
  static const auto* words = [] {
    auto* m = new absl::flat_hash_map<absl::string_view, uint32_t>();
    const auto& languages = OtherLanguages();
    for (size_t i = 0; i < languages.size(); ++i) {
      for (absl::string_view w : languages[i].words) {
        if (FunctionWords().contains(w) || w.size() < 2) continue;
        (*m)[w] |= 1u << i;
      }
    }
    return m;
  }();
  return *words;
}

size_t LongestFunctionWord() {
  size_t longest = 0;
  for (const auto& [word, weight] : FunctionWords()) {
    longest = std::max(longest, word.size());
  }
  for (const auto& [word, bits] : OtherWords()) {
    longest = std::max(longest, word.size());
  }
  return longest;
}

// FunctionWords() and OtherWords() in one absl::flat_hash_map keyed by the
// word's bytes zero-padded to 16, with a two-multiply hash: the guess looks
// at up to 600 tokens per scan, and the general string hash of the two
// maps cost more than the rest of the guess. Words hold no NUL byte, so
// the padded bytes identify them.
class WordTable {
 public:
  static constexpr size_t kMaxWord = 16;
  struct Info {
    bool function = false;  // in FunctionWords(), with `weight`
    int8_t weight = 0;
    uint32_t other_bits = 0;  // OtherWords()'s bits otherwise
  };

  WordTable() {
    for (const auto& [word, weight] : FunctionWords()) {
      if (word.size() > kMaxWord) continue;  // never looked up
      Info& info = map_[KeyOf(word)];
      info.function = true;
      info.weight = static_cast<int8_t>(weight);
    }
    for (const auto& [word, bits] : OtherWords()) {
      if (word.size() > kMaxWord) continue;
      Info& info = map_[KeyOf(word)];
      if (!info.function) info.other_bits = bits;
    }
  }

  // Null when `word` is in neither list.
  const Info* Find(absl::string_view word) const {
    if (word.empty() || word.size() > kMaxWord) return nullptr;
    auto it = map_.find(KeyOf(word));
    return it == map_.end() ? nullptr : &it->second;
  }

 private:
  struct Key {
    uint64_t lo = 0, hi = 0;
    bool operator==(const Key& o) const { return lo == o.lo && hi == o.hi; }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      // The high bits folded down: the table's control bytes use the low
      // bits.
      const uint64_t h =
          (k.lo * 0x9E3779B97F4A7C15ull) ^ (k.hi * 0xC2B2AE3D27D4EB4Full);
      return static_cast<size_t>(h ^ (h >> 32));
    }
  };
  static Key KeyOf(absl::string_view word) {
    char bytes[kMaxWord] = {};
    std::memcpy(bytes, word.data(), word.size());
    Key key;
    std::memcpy(&key.lo, bytes, 8);
    std::memcpy(&key.hi, bytes + 8, 8);
    return key;
  }
  absl::flat_hash_map<Key, Info, KeyHash> map_;
};

const WordTable& Words() {
  static const auto* table = new WordTable();
  return *table;
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

LanguageGuess GuessLanguage(const Document& doc) {
  static const size_t kLongest = LongestFunctionWord();
  const WordTable& table = Words();
  const size_t n_others = OtherLanguages().size();
  int balance = 0;
  int de_en_hits = 0;
  std::vector<int> other_hits(n_others, 0);
  size_t n = 0;
  for (const Token& t : doc.tokens()) {
    if (++n > kTokensLooked) break;
    if (t.end - t.begin > kLongest || t.is_number) continue;
    const WordTable::Info* info = table.Find(doc.TokenText(t));
    if (info == nullptr) continue;
    if (info->function) {
      balance += info->weight;
      if (info->weight != 0) ++de_en_hits;
      continue;
    }
    for (size_t i = 0; i < n_others; ++i) {
      if (info->other_bits & (1u << i)) ++other_hits[i];
    }
  }
  size_t best = 0;
  for (size_t i = 1; i < n_others; ++i) {
    if (other_hits[i] > other_hits[best]) best = i;
  }
  LanguageGuess guess;
  if (other_hits[best] >= 3 && other_hits[best] >= 2 * de_en_hits) {
    guess.language = OtherLanguages()[best].code;
    guess.supported = false;
    guess.evident = true;
    return guess;
  }
  guess.language = balance < 0 ? "en" : "de";
  guess.evident = de_en_hits > 0;
  return guess;
}

}  // namespace divcheck
