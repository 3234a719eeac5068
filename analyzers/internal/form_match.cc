#include "analyzers/internal/form_match.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "analyzers/internal/lexicon_data.h"

namespace divcheck {
namespace {

// A negation at most this many tokens before a term, in the same sentence,
// cancels it ("Please do not include a photo or your date of birth").
constexpr uint32_t kNegationWindow = 8;

// The rules of `book` that the tokens `toks` (from `source`) match, with
// exceptions and negations applied.
void MatchText(const FormRuleBook& book, const std::vector<FieldToken>& toks,
               FieldSource source, absl::string_view original,
               std::map<uint32_t, TopicHit>* hits,
               std::vector<bool>* section_ok,
               absl::flat_hash_set<uint32_t>* negated = nullptr) {
  if (toks.empty()) return;
  struct Raw {
    uint32_t rule, list, b, e;
  };
  std::vector<Raw> raw;
  book.terms.ForEachMatch(toks, [&](uint32_t payload, uint32_t b, uint32_t e) {
    raw.push_back({payload / FormRuleBook::kListCount,
                   payload % FormRuleBook::kListCount, b, e});
  });
  if (raw.empty()) return;
  std::vector<std::pair<uint32_t, uint32_t>> negations;
  if (source == FieldSource::kLabel || source == FieldSource::kPlaceholder ||
      source == FieldSource::kHelp) {
    book.negations.ForEachMatch(toks, [&](uint32_t, uint32_t b, uint32_t e) {
      negations.push_back({b, e});
    });
  }
  for (const Raw& r : raw) {
    if (r.list == FormRuleBook::kSection && section_ok != nullptr) {
      (*section_ok)[r.rule] = true;
      continue;
    }
    if (r.list != FormRuleBook::kTerm) continue;
    if (source == FieldSource::kName && book.rules[r.rule].def->labels_only())
      continue;
    bool skip = false;
    for (const Raw& x : raw) {
      if (x.rule == r.rule && x.list == FormRuleBook::kException &&
          x.b <= r.b && r.e <= x.e) {
        skip = true;
      }
    }
    for (const auto& [nb, ne] : negations) {
      if (ne <= r.b && toks[nb].clause == toks[r.b].clause &&
          r.b - ne < kNegationWindow) {
        skip = true;
        if (negated != nullptr) negated->insert(r.rule);
      }
    }
    if (skip) continue;
    auto it = hits->find(r.rule);
    if (it != hits->end() && it->second.source <= source) continue;
    TopicHit h;
    h.matched = &book.rules[r.rule];
    h.source = source;
    h.begin = toks[r.b].begin;
    h.end = toks[r.e - 1].end;
    h.matched_text =
        source == FieldSource::kLabel || source == FieldSource::kPlaceholder ||
                source == FieldSource::kHelp
            ? std::string(original.substr(h.begin, h.end - h.begin))
            : std::string(original);
    (*hits)[r.rule] = std::move(h);
  }
}

// The own book's matches on the label, placeholder, help text and section.
void MatchOwnTexts(const FormRuleBook& book, const v1::FormField& field,
                   const FieldTexts& t, std::map<uint32_t, TopicHit>* hits,
                   std::vector<bool>* section_ok) {
  absl::flat_hash_set<uint32_t> negated;
  MatchText(book, t.label, FieldSource::kLabel, field.label(), hits, section_ok,
            &negated);
  MatchText(book, t.placeholder, FieldSource::kPlaceholder, field.placeholder(),
            hits, nullptr, &negated);
  MatchText(book, t.help, FieldSource::kHelp, field.help_text(), hits, nullptr,
            &negated);
  // "No photo needed" in the label outweighs a name like "nophoto".
  for (uint32_t r : negated) {
    auto it = hits->find(r);
    if (it != hits->end() && it->second.source == FieldSource::kName)
      hits->erase(it);
  }
  // The section is evidence for section_terms only, never a hit.
  book.terms.ForEachMatch(t.section, [&](uint32_t payload, uint32_t, uint32_t) {
    if (payload % FormRuleBook::kListCount == FormRuleBook::kSection) {
      (*section_ok)[payload / FormRuleBook::kListCount] = true;
    }
  });
}

// Hits for the rules of which at least min_option_matches options of the
// field carry an option term (and that have no hit yet).
void AddOptionHits(const FormRuleBook& book, const v1::FormField& field,
                   const FieldTexts& t, std::map<uint32_t, TopicHit>* hits) {
  std::vector<uint32_t> option_count(book.rules.size(), 0);
  std::vector<int> first_option(book.rules.size(), -1);
  for (size_t oi = 0; oi < t.options.size(); ++oi) {
    absl::flat_hash_set<uint32_t> rules_here;
    book.terms.ForEachMatch(
        t.options[oi], [&](uint32_t payload, uint32_t, uint32_t) {
          if (payload % FormRuleBook::kListCount == FormRuleBook::kOption) {
            rules_here.insert(payload / FormRuleBook::kListCount);
          }
        });
    for (uint32_t r : rules_here) {
      if (option_count[r]++ == 0) first_option[r] = static_cast<int>(oi);
    }
  }
  for (uint32_t r = 0; r < book.rules.size(); ++r) {
    if (option_count[r] < book.rules[r].min_option_matches || hits->count(r))
      continue;
    const v1::FieldOption& o = field.options(first_option[r]);
    TopicHit h;
    h.matched = &book.rules[r];
    h.source = FieldSource::kOption;
    h.matched_text = o.label().empty() ? o.value() : o.label();
    (*hits)[r] = std::move(h);
  }
}

// Moves the hits of `book` that apply to a field of `type` into `topics`,
// keeping the best hit per topic.
void MergeTopics(const FormRuleBook& book, std::map<uint32_t, TopicHit>* hits,
                 const std::vector<bool>& section_ok, v1::FieldType type,
                 std::map<std::string, TopicHit>* topics) {
  for (auto& [r, h] : *hits) {
    const CompiledFormRule& rule = book.rules[r];
    if (!rule.field_types.empty() &&
        std::find(rule.field_types.begin(), rule.field_types.end(), type) ==
            rule.field_types.end()) {
      continue;
    }
    if (rule.has_section_terms && !section_ok[r]) continue;
    const std::string& topic = rule.def->topic();
    auto it = topics->find(topic);
    if (it == topics->end() || h.source < it->second.source)
      (*topics)[topic] = std::move(h);
  }
}

}  // namespace

FormBooks BooksFor(const LexiconSet& set, const std::string& language) {
  FormBooks books;
  const LanguageLexicon* lex = set.ForLanguage(language);
  books.own = lex != nullptr ? lex->form_rules.get() : nullptr;
  for (const std::string& l : set.Languages()) {
    const LanguageLexicon* x = set.ForLanguage(l);
    if (x != nullptr && x->form_rules != nullptr)
      books.all.push_back(x->form_rules.get());
  }
  return books;
}

FieldTexts TokeniseField(const v1::FormField& f) {
  FieldTexts t;
  t.name = NormaliseFieldText(f.name());
  if (f.field_id() != f.name()) t.id = NormaliseFieldText(f.field_id());
  t.label = NormaliseFieldText(f.label());
  t.placeholder = NormaliseFieldText(f.placeholder());
  t.help = NormaliseFieldText(f.help_text());
  t.section = NormaliseFieldText(f.section());
  t.options.reserve(f.options_size());
  for (const v1::FieldOption& o : f.options()) {
    std::vector<FieldToken> toks = NormaliseFieldText(o.label());
    if (o.value() != o.label()) {
      std::vector<FieldToken> v = NormaliseFieldText(o.value());
      // A clause break keeps runs from joining label and value.
      const uint32_t clause = toks.empty() ? 0 : toks.back().clause + 1;
      for (FieldToken& tok : v) {
        tok.clause += clause;
        toks.push_back(std::move(tok));
      }
    }
    t.options.push_back(std::move(toks));
  }
  return t;
}

// topic → the best hit over every book.
std::map<std::string, TopicHit> FindTopics(const v1::FormField& field,
                                           const FieldTexts& t,
                                           const FormBooks& books) {
  const v1::FieldType type = field.type() == v1::FIELD_TYPE_UNSPECIFIED
                                 ? v1::FIELD_TYPE_TEXT
                                 : field.type();
  std::map<std::string, TopicHit> topics;
  for (const FormRuleBook* book : books.all) {
    std::map<uint32_t, TopicHit> hits;
    std::vector<bool> section_ok(book->rules.size(), false);
    MatchText(*book, t.name, FieldSource::kName, field.name(), &hits, nullptr);
    MatchText(*book, t.id, FieldSource::kName, field.field_id(), &hits,
              nullptr);
    if (book == books.own) {
      MatchOwnTexts(*book, field, t, &hits, &section_ok);
      AddOptionHits(*book, field, t, &hits);
    }
    MergeTopics(*book, &hits, section_ok, type, &topics);
  }
  return topics;
}

}  // namespace divcheck
