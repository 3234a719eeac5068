// The matching half of the application-form audit (Engine::ScanForm in
// form_audit.cc): a field's texts tokenised and matched against the
// form-field rule books (form_fields.h) of every loaded language. Internal to
// the engine.
//
// Plain functions over immutable rule books; safe for concurrent use.
#ifndef DIVCHECK_ANALYZERS_INTERNAL_FORM_MATCH_H_
#define DIVCHECK_ANALYZERS_INTERNAL_FORM_MATCH_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzers/form_fields.h"
#include "analyzers/lexicon.h"
#include "divcheck/v1/form.pb.h"

namespace divcheck {

// Where in a field a rule's term was found, best first: a label match gets
// a span.
enum class FieldSource {
  kLabel = 0,
  kPlaceholder = 1,
  kName = 2,
  kHelp = 3,
  kOption = 4
};

struct TopicHit {
  const CompiledFormRule* matched = nullptr;
  FieldSource source = FieldSource::kOption;
  uint32_t begin = 0, end = 0;  // bytes in the label (FieldSource::kLabel)
  std::string matched_text;
};

// The tokens of one field's texts.
struct FieldTexts {
  std::vector<FieldToken> name, id, label, placeholder, help, section;
  std::vector<std::vector<FieldToken>> options;  // label and value tokens
};

// The form-field rule books a form is matched against: every loaded
// language's (on field names and ids) and the report language's own (also
// on labels, placeholders, help texts, sections and options; null when
// that language has none).
struct FormBooks {
  const FormRuleBook* own = nullptr;
  std::vector<const FormRuleBook*> all;
};

// The rule books of every language of `set` and the own book of `language`.
FormBooks BooksFor(const LexiconSet& set, const std::string& language);

FieldTexts TokeniseField(const v1::FormField& f);

// topic → the best hit over every book for `field` (tokenised as `t`): the
// rules matched on its name and id in every book, on its label, placeholder,
// help text and options in the own book, with exceptions, negations, section
// terms and field types applied.
std::map<std::string, TopicHit> FindTopics(const v1::FormField& field,
                                           const FieldTexts& t,
                                           const FormBooks& books);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_INTERNAL_FORM_MATCH_H_
