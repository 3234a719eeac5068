#include "analyzers/address.h"

#include "absl/strings/string_view.h"

namespace divcheck {
namespace {

bool IsInformal(absl::string_view w) {
  if (w == "du" || w == "dich" || w == "dir" || w == "euch") return true;
  for (absl::string_view stem : {"dein", "euer", "eure"}) {
    if (w == stem) return true;
    // dein, deine, deinen, deinem, deiner, deines; eure, euren, …
    if (w.size() == stem.size() + 1 || w.size() == stem.size() + 2) {
      if (w.substr(0, stem.size()) != stem) continue;
      const absl::string_view end = w.substr(stem.size());
      if (end == "e" || end == "en" || end == "em" || end == "er" ||
          end == "es" || end == "n" || end == "m" || end == "r" || end == "s") {
        return true;
      }
    }
  }
  return false;
}

bool IsFormalWhenCapitalised(absl::string_view w) {
  return w == "sie" || w == "ihnen" || w == "ihr" || w == "ihre" ||
         w == "ihren" || w == "ihrem" || w == "ihrer" || w == "ihres";
}

}  // namespace

Address ReadAddress(const Document& doc) {
  int informal = 0, formal = 0;
  const std::vector<Token>& tokens = doc.tokens();
  const std::vector<Sentence>& sentences = doc.sentences();
  for (uint32_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    const absl::string_view w = doc.TokenText(t);
    if (w.size() > 6) continue;  // no pronoun is longer ("deinem")
    if (IsInformal(w)) {
      ++informal;
    } else if (!t.starts_lower && IsFormalWhenCapitalised(w)) {
      // "Ihnen" is formal anywhere; the others not at a sentence start.
      const bool starts_sentence = t.sentence < sentences.size() &&
                                   sentences[t.sentence].first_token == k;
      if (w == "ihnen" || !starts_sentence) ++formal;
    }
  }
  return informal > formal ? Address::kInformal : Address::kFormal;
}

}  // namespace divcheck
