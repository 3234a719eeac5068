// Language detection for job ads: German or English, by counting frequent
// function words. Ads are short and rarely mixed within a sentence; function
// words are the most reliable signal at that length.
#ifndef DIVCHECK_ANALYZERS_LANGUAGE_H_
#define DIVCHECK_ANALYZERS_LANGUAGE_H_

#include <string>

#include "analyzers/document.h"

namespace divcheck {

// "de" or "en". Ties (including texts with no function words) go to "de",
// the language of most ads divcheck sees.
std::string DetectLanguage(const Document& doc);

// What the function words of a text suggest.
struct LanguageGuess {
  // "de" or "en" when the text is (or may be) German or English; otherwise
  // the language it clearly is: "fr", "es", "it", "pt", "nl", "pl" or "tr".
  std::string language;
  // False when `language` is one divcheck has no rules for.
  bool supported = true;
  // True when function words decided it; false when there were none (then
  // `language` is the DetectLanguage default "de").
  bool evident = false;
};

// Like DetectLanguage, but also recognises texts in a few languages
// divcheck does not check. A text counts as another language only when at
// least 3 of that language's function words occur and they are at least
// twice as many as the German and English ones together; short or mixed
// texts stay German or English, so that they are checked rather than
// turned away.
LanguageGuess GuessLanguage(const Document& doc);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_LANGUAGE_H_
