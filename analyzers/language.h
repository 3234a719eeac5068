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

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_LANGUAGE_H_
