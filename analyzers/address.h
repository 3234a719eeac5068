// The form of address of a German ad: does it speak to its readers with
// "du"/"ihr" or with "Sie"? Replacements that address the reader
// (config::v1::Entry.suggestions_du) follow it.
//
// Thread-safe: a pure function of the document.
#ifndef DIVCHECK_ANALYZERS_ADDRESS_H_
#define DIVCHECK_ANALYZERS_ADDRESS_H_

#include "analyzers/document.h"

namespace divcheck {

enum class Address { kFormal, kInformal };

// Counts the pronouns that can only be one form: informal "du", "dich",
// "dir", "dein…", "euch", "euer", "eure…" (any case); formal "Ihnen",
// "Sie", "Ihr…" written with a capital letter where a sentence does not
// start (there "Sie" may be "she" or "they"). Informal when the informal
// ones outnumber the formal ones; formal otherwise, also when there are
// none, as most German ads use "Sie". O(tokens).
Address ReadAddress(const Document& doc);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_ADDRESS_H_
