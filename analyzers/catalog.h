// The catalogue of a LexiconSet: the rules a report can name, the loaded
// lexicon files and the counts that `divcheck lexicon stats` prints — as
// plain values, so that the service, the CLI and later front doors need
// nothing of the compiled lexicon's internals.
//
//   std::vector<divcheck::RuleInfo> rules = divcheck::ListRules(*set);
//   divcheck::LexiconInfo info = divcheck::DescribeLexicons(*set);
//   divcheck::LexiconStats stats = divcheck::CountLexiconTerms(*set);
//
// Each function walks the whole set (thousands of entries): callers that
// answer requests should keep the result per set (it never changes; a
// reload makes a new set). The functions only read the immutable set and
// are safe to call from any number of threads; the results are plain
// values.
#ifndef DIVCHECK_ANALYZERS_CATALOG_H_
#define DIVCHECK_ANALYZERS_CATALOG_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "analyzers/lexicon.h"
#include "divcheck/config/v1/lexicon.pb.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck {

// One rule that findings or highlights name: a lexicon entry of kind
// FINDING, HIGHLIGHT or ANALYZER_RULE (the texts of a built-in analyzer), or
// an application-form field rule that makes findings. Gender-coded words
// and context cues are not rules of their own.
struct RuleInfo {
  enum class Kind { kFinding, kHighlight };

  // The id findings and highlights carry, e.g. "de.age.junges_team".
  std::string id;
  Kind kind = Kind::kFinding;
  // "de" or "en"; empty when the rule applies to every language.
  std::string language;
  // The id of the lexicon file that defines the rule.
  std::string lexicon_id;
  // Findings only: the dimensions and the severity before context.
  std::vector<v1::Dimension> dimensions;
  v1::Severity default_severity = v1::SEVERITY_UNSPECIFIED;
  // Highlights only.
  v1::HighlightKind highlight_kind = v1::HIGHLIGHT_KIND_UNSPECIFIED;
  std::string explanation;
  // Replacements (Entry.suggestions: text to paste in place of the match)
  // and advice (what to do).
  std::vector<std::string> suggestions;
  // The same in the informal form of address (Entry.suggestions_du).
  std::vector<std::string> suggestions_du;
  std::vector<std::string> advice;
  std::string legal_basis;
  std::vector<std::string> sources;
  // True for the texts of a built-in analyzer (no terms of its own).
  bool built_in_analyzer = false;
  // True for an application-form field rule (its terms match field labels
  // and options, not ad text).
  bool form_field_rule = false;
  // The terms as written in the lexicon. For an application-form rule,
  // `words` holds its terms and then its option terms.
  std::vector<std::string> words;
  std::vector<std::string> stems;
  std::vector<std::string> compound_tails;
  std::vector<std::string> phrases;
  std::vector<std::string> patterns;
  // Texts that must make the rule's finding or highlight, and texts that
  // must not (lexicon entries only; see Entry.examples).
  std::vector<std::string> examples;
  std::vector<std::string> counter_examples;
  // The entry's context modifiers (lexicon entries only) and exceptions.
  struct Context {
    config::v1::ContextModifier::Effect effect =
        config::v1::ContextModifier::EFFECT_UNSPECIFIED;
    std::vector<std::string> cues;
    // For a document-wide condition (SCOPE_DOCUMENT): the flag.
    std::string document_flag;
    std::string note;
  };
  std::vector<Context> contexts;
  std::vector<std::string> exceptions;
};

// Every rule of `set`, sorted by id (ids are unique within a set).
std::vector<RuleInfo> ListRules(const LexiconSet& set);

// The loaded lexicon files and what can be scanned with them.
struct LexiconInfo {
  // 16 hex digits over every file's path and bytes; reports carry it as
  // their lexicon_version.
  std::string content_hash;
  // The files, sorted by path.
  std::vector<LexiconFileInfo> files;
  // Entries in all files (every kind).
  size_t entry_count = 0;
  // The languages that can be scanned, sorted ("de", "en").
  std::vector<std::string> languages;
};

LexiconInfo DescribeLexicons(const LexiconSet& set);

// The counts of one language's entries. Enum values are named without their
// prefix ("FINDING", "GENDER", "WARNING"); the maps are sorted by name.
struct LexiconLanguageStats {
  size_t entries = 0;
  // Matchable terms: words, stems, compound tails, phrases and patterns.
  size_t terms = 0;
  size_t job_titles = 0;
  // The terms of findings, highlights and gender-coded words plus the job
  // titles; context cues and analyzer rule texts are not counted.
  size_t matchable_concepts = 0;
  std::map<std::string, size_t> entries_by_kind;
  std::map<std::string, size_t> terms_by_kind;
  // Terms of FINDING entries, by dimension (a term counts once for each of
  // its entry's dimensions) and by severity.
  std::map<std::string, size_t> finding_terms_by_dimension;
  std::map<std::string, size_t> finding_terms_by_severity;
};

struct LexiconStats {
  std::string content_hash;
  // Totals over every file.
  size_t files = 0;
  size_t entries = 0;
  size_t terms = 0;
  size_t job_titles = 0;
  size_t form_rules = 0;
  // By the files' language; "all" for the language-independent files.
  std::map<std::string, LexiconLanguageStats> by_language;
};

LexiconStats CountLexiconTerms(const LexiconSet& set);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_CATALOG_H_
