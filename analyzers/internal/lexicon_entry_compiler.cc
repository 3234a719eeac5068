// LexiconCompiler::CompileEntry and its steps: one lexicon entry checked,
// compiled and added to the lexicon of its language (or of every language).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzers/internal/lexicon_compiler.h"

namespace divcheck {

using config::v1::ContextModifier;
using config::v1::Entry;
using config::v1::EntryKind;
using config::v1::LexiconFile;
using google::protobuf::FieldDescriptor;

namespace {

// What may stand before and after a regex rule's match: ASCII other than
// letters and digits, Latin-1 punctuation and symbols, × ÷, and the blocks
// of punctuation, currency, arrows, shapes and symbols (U+2000–U+27BF), CJK
// and full-width punctuation. Letters and digits of every script are not
// boundaries. An explicit class instead of [^\pL\pN\pM]: the negated
// Unicode classes made every compiled rule ~20× larger (2,790 against 126
// RE2 instructions), which cost most of the lexicon load time.
constexpr char kRegexBoundary[] =
    "[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f\\x{a0}-\\x{bf}\\x{d7}\\x{f7}"
    "\\x{2000}-\\x{27bf}\\x{3000}-\\x{303f}\\x{fe30}-\\x{fe4f}\\x{ff00}-\\x{"
    "ff0f}"
    "]";

EntryKind KindOf(const Entry& e) {
  return e.kind() == config::v1::ENTRY_KIND_UNSPECIFIED
             ? config::v1::ENTRY_KIND_FINDING
             : e.kind();
}

}  // namespace

void LexiconCompiler::CompileEntry(const Source& src, const LexiconFile& file,
                                   int entry_index, LexiconFileInfo* info) {
  const Entry& e = file.entries(entry_index);
  const ParseTree* tree = src.tree.GetTreeForNested(
      LexiconFile::descriptor()->FindFieldByName("entries"), entry_index);
  const size_t problems_before = problems_->size();

  CheckEntryId(src, tree, e, entry_index);
  const EntryKind kind = KindOf(e);
  const int terms = e.words_size() + e.stems_size() + e.compound_tails_size() +
                    e.phrases_size() + e.patterns_size();
  CheckEntryContent(src, tree, e, kind, terms);
  CompiledEntry ce = NewCompiledEntry(src, tree, file, e, kind);
  CompileModifiers(src, tree, e, &ce);
  const bool inflect = !e.has_inflect() || e.inflect();
  const EntryTerms compiled = CompileTerms(src, tree, e, inflect);

  info->entry_count += 1;
  info->term_count += static_cast<uint32_t>(terms);
  if (problems_->size() != problems_before) return;

  const uint32_t index = static_cast<uint32_t>(set_->entries_.size());
  if (!file.language().empty()) AssignCueIds(Lang(file.language()), &ce);
  set_->entries_.push_back(std::move(ce));

  std::vector<std::string> langs;
  if (file.language().empty()) {
    langs = all_languages_;
  } else {
    langs = {file.language()};
  }
  for (const std::string& lang : langs) {
    AddEntryToLanguage(lang, index, e, kind, terms, inflect, compiled);
  }
}

void LexiconCompiler::CheckEntryId(const Source& src, const ParseTree* tree,
                                   const Entry& e, int entry_index) {
  if (e.id().empty()) {
    problems_->push_back(
        {src.path, 0, 0,
         absl::StrCat("entry #", entry_index + 1, " has no id")});
    if (tree != nullptr) {
      auto loc = src.tree.GetLocation(
          LexiconFile::descriptor()->FindFieldByName("entries"), entry_index);
      problems_->back().line = loc.line + 1;
      problems_->back().column = loc.column + 1;
    }
    return;
  }
  for (char c : e.id()) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
          c == '_' || c == '-')) {
      Problem(src, tree, "id", 0,
              absl::StrCat("entry id \"", e.id(),
                           "\" may contain only a-z, 0-9, '.', '_' and '-'"));
      break;
    }
  }
  auto [it, inserted] = entry_ids_.emplace(e.id(), src.path);
  if (!inserted) {
    Problem(src, tree, "id", 0,
            absl::StrCat("duplicate entry id \"", e.id(),
                         "\" (first defined in ", it->second, ")"));
  }
}

void LexiconCompiler::CheckEntryContent(const Source& src,
                                        const ParseTree* tree, const Entry& e,
                                        EntryKind kind, int terms) {
  auto problem = [&](const char* field, int index, std::string msg) {
    Problem(src, tree, field, index, std::move(msg));
  };
  if (kind == config::v1::ENTRY_KIND_ANALYZER_RULE) {
    if (terms > 0)
      problem("id", 0, "an ANALYZER_RULE entry has no match terms");
  } else if (terms == 0) {
    problem("id", 0,
            absl::StrCat("entry \"", e.id(),
                         "\" has nothing to match (words, stems, "
                         "compound_tails, phrases or patterns)"));
  }

  // Texts required by kind.
  // An analyzer rule with a highlight_kind supplies a highlight's text;
  // otherwise a finding's.
  const bool is_finding =
      kind == config::v1::ENTRY_KIND_FINDING ||
      (kind == config::v1::ENTRY_KIND_ANALYZER_RULE &&
       e.highlight_kind() == v1::HIGHLIGHT_KIND_UNSPECIFIED);
  if (is_finding) {
    if (e.dimensions_size() == 0)
      problem("id", 0, "a finding needs dimensions");
    for (int i = 0; i < e.dimensions_size(); ++i) {
      if (e.dimensions(i) == v1::DIMENSION_UNSPECIFIED) {
        problem("dimensions", i, "DIMENSION_UNSPECIFIED is not a dimension");
      }
    }
    if (e.severity() == v1::SEVERITY_UNSPECIFIED) {
      problem("id", 0, "a finding needs a severity");
    }
    if (e.suggestions_size() == 0 && e.advice_size() == 0) {
      problem("id", 0,
              "a finding needs at least one suggestion (replacement) or "
              "advice");
    }
    if (e.legal_basis().empty() && e.severity() > v1::SEVERITY_HINT) {
      problem("id", 0, "a WARNING or CRITICAL finding needs a legal_basis");
    }
  }
  if (is_finding || kind == config::v1::ENTRY_KIND_HIGHLIGHT ||
      kind == config::v1::ENTRY_KIND_ANALYZER_RULE) {
    if (e.explanation().empty()) problem("id", 0, "explanation is empty");
    if (e.sources_size() == 0)
      problem("id", 0, "at least one source is needed");
  }
  if (kind == config::v1::ENTRY_KIND_HIGHLIGHT &&
      e.highlight_kind() == v1::HIGHLIGHT_KIND_UNSPECIFIED) {
    problem("id", 0, "a highlight needs a highlight_kind");
  }
  if (kind == config::v1::ENTRY_KIND_DOCUMENT_FLAG && e.flag().empty()) {
    problem("id", 0, "a DOCUMENT_FLAG entry needs a flag");
  }
  if (kind == config::v1::ENTRY_KIND_TITLE_CUE_BEFORE &&
      e.severity() == v1::SEVERITY_UNSPECIFIED && !e.not_the_job()) {
    problem("id", 0, "a TITLE_CUE_BEFORE entry needs a severity");
  }
  if (e.coded_use() != config::v1::CODED_USE_UNSPECIFIED &&
      kind != config::v1::ENTRY_KIND_AGENTIC &&
      kind != config::v1::ENTRY_KIND_COMMUNAL) {
    problem("coded_use", 0,
            "coded_use is only for AGENTIC and COMMUNAL entries");
  }
  CheckReplacements(src, tree, e);
}

void LexiconCompiler::CheckReplacements(const Source& src,
                                        const ParseTree* tree, const Entry& e) {
  auto problem = [&](const char* field, int index, std::string msg) {
    Problem(src, tree, field, index, std::move(msg));
  };
  for (int i = 0; i < e.suggestions_size(); ++i) {
    if (absl::StripAsciiWhitespace(e.suggestions(i)).empty()) {
      problem("suggestions", i, "empty suggestion");
    }
  }
  for (int i = 0; i < e.advice_size(); ++i) {
    if (absl::StripAsciiWhitespace(e.advice(i)).empty()) {
      problem("advice", i, "empty advice");
    }
  }
  for (int i = 0; i < e.term_replacements_size(); ++i) {
    const config::v1::TermReplacement& t = e.term_replacements(i);
    if (t.terms_size() == 0 || t.replacements_size() == 0) {
      problem("term_replacements", i, "needs terms and replacements");
    }
    for (const std::string& term : t.terms()) {
      const bool known = std::find(e.words().begin(), e.words().end(), term) !=
                             e.words().end() ||
                         std::find(e.phrases().begin(), e.phrases().end(),
                                   term) != e.phrases().end();
      if (!known) {
        problem("term_replacements", i,
                absl::StrCat("\"", term,
                             "\" is not one of this entry's words or phrases"));
      }
    }
    for (const std::string& r : t.replacements()) {
      if (absl::StripAsciiWhitespace(r).empty()) {
        problem("term_replacements", i, "empty replacement");
      }
    }
  }
  if (e.suggestions_du_size() > 0 &&
      e.suggestions_du_size() != e.suggestions_size()) {
    problem("suggestions_du", 0,
            absl::StrCat("suggestions_du must have as many entries as "
                         "suggestions (",
                         e.suggestions_size(), "), in the same order; it has ",
                         e.suggestions_du_size()));
  }
  for (int i = 0; i < e.suggestions_du_size(); ++i) {
    if (absl::StripAsciiWhitespace(e.suggestions_du(i)).empty()) {
      problem("suggestions_du", i, "empty suggestion");
    }
  }
}

CompiledEntry LexiconCompiler::NewCompiledEntry(const Source& src,
                                                const ParseTree* tree,
                                                const LexiconFile& file,
                                                const Entry& e,
                                                EntryKind kind) {
  CompiledEntry ce;
  ce.def = &e;
  // files() gets this file's info after its entries are compiled.
  ce.file_index = static_cast<uint32_t>(set_->file_info_.size());
  ce.language = file.language();
  ce.kind = kind;
  ce.severity = e.severity();
  for (int d : e.dimensions()) {
    ce.dimensions.push_back(static_cast<v1::Dimension>(d));
  }
  for (int i = 0; i < e.exceptions_size(); ++i) {
    std::string ex = FoldSingleToken(src, tree, "exceptions", i,
                                     e.exceptions(i), /*allow_star=*/true);
    if (ex.empty()) continue;
    if (ex.back() == '*') {
      ce.prefix_exceptions.push_back(ex.substr(0, ex.size() - 1));
    } else {
      ce.exact_exceptions.insert(ex);
    }
  }
  return ce;
}

void LexiconCompiler::CompileModifiers(const Source& src, const ParseTree* tree,
                                       const Entry& e, CompiledEntry* ce) {
  const FieldDescriptor* mod_field =
      Entry::descriptor()->FindFieldByName("modifiers");
  for (int m = 0; m < e.modifiers_size(); ++m) {
    const ContextModifier& mod = e.modifiers(m);
    const ParseTree* mtree =
        tree == nullptr ? nullptr : tree->GetTreeForNested(mod_field, m);
    CompiledModifier cm;
    cm.effect = mod.effect();
    cm.scope = mod.scope();
    cm.window = mod.window() == 0 ? 3 : mod.window();
    cm.flag = mod.flag();
    cm.note = mod.note();
    if (mod.effect() == ContextModifier::EFFECT_UNSPECIFIED) {
      Problem(src, tree, "modifiers", m, "modifier needs an effect");
    }
    if (mod.scope() == ContextModifier::SCOPE_UNSPECIFIED) {
      Problem(src, tree, "modifiers", m, "modifier needs a scope");
    }
    if (mod.scope() == ContextModifier::SCOPE_DOCUMENT) {
      if (mod.flag().empty()) {
        Problem(src, tree, "modifiers", m, "SCOPE_DOCUMENT needs a flag");
      }
    } else if (mod.cues_size() == 0) {
      Problem(src, tree, "modifiers", m, "modifier needs at least one cue");
    }
    for (int c = 0; c < mod.cues_size(); ++c) {
      std::vector<TokenPattern> cue =
          ParsePhrase(src, mtree, "cues", c, mod.cues(c), /*inflect=*/true);
      if (!cue.empty()) cm.cues.push_back(std::move(cue));
    }
    ce->modifiers.push_back(std::move(cm));
  }
}

LexiconCompiler::EntryTerms LexiconCompiler::CompileTerms(const Source& src,
                                                          const ParseTree* tree,
                                                          const Entry& e,
                                                          bool inflect) {
  EntryTerms out;
  for (int i = 0; i < e.words_size(); ++i) {
    std::string t = FoldSingleToken(src, tree, "words", i, e.words(i), false);
    if (!t.empty()) out.single.push_back({TriePayload::Kind::kWord, t});
  }
  for (int i = 0; i < e.stems_size(); ++i) {
    std::string t = FoldSingleToken(src, tree, "stems", i, e.stems(i), false);
    if (t.empty()) continue;
    if (t.size() < 3) {
      Problem(src, tree, "stems", i,
              absl::StrCat("stem \"", e.stems(i),
                           "\" is shorter than 3 characters"));
      continue;
    }
    out.single.push_back({TriePayload::Kind::kStem, t});
  }
  for (int i = 0; i < e.compound_tails_size(); ++i) {
    std::string t = FoldSingleToken(src, tree, "compound_tails", i,
                                    e.compound_tails(i), false);
    if (!t.empty()) out.single.push_back({TriePayload::Kind::kTail, t});
  }
  for (int i = 0; i < e.phrases_size(); ++i) {
    std::vector<TokenPattern> p =
        ParsePhrase(src, tree, "phrases", i, e.phrases(i), inflect);
    if (!p.empty()) out.phrases.push_back(std::move(p));
  }
  CompilePatterns(src, tree, e, &out);
  return out;
}

void LexiconCompiler::CompilePatterns(const Source& src, const ParseTree* tree,
                                      const Entry& e, EntryTerms* terms) {
  for (int i = 0; i < e.patterns_size(); ++i) {
    const std::string& pat = e.patterns(i);
    if (absl::StripAsciiWhitespace(pat).empty()) {
      Problem(src, tree, "patterns", i, "empty pattern");
      continue;
    }
    if (absl::StrContains(pat, "\xC3\x9F") ||
        absl::StrContains(pat, "\xE1\xBA\x9E")) {
      Problem(src, tree, "patterns", i,
              "patterns run on case-folded text: write \"ss\" instead of "
              "\"ß\"");
      continue;
    }
    // Parsing is enough to validate (RE2::Set::Add does not compile); the
    // pattern is compiled once per language in the set, and on its own
    // only when the set reports it.
    RE2::Options opts = LexiconRegexOptions();
    RE2::Set check(opts, RE2::UNANCHORED);
    std::string error;
    if (check.Add(pat, &error) < 0) {
      Problem(src, tree, "patterns", i,
              absl::StrCat("pattern does not compile under RE2: ", error));
      continue;
    }
    terms->wrapped_patterns.push_back(absl::StrCat(
        "(?:^|", kRegexBoundary, ")(", pat, ")(?:", kRegexBoundary, "|$)"));
  }
}

void LexiconCompiler::AssignCueIds(LanguageLexicon* lex, CompiledEntry* ce) {
  for (CompiledModifier& cm : ce->modifiers) {
    for (const auto& cue : cm.cues) {
      std::vector<uint32_t> ids;
      for (const TokenPattern& t : cue) ids.push_back(ContinuationId(lex, t));
      cm.cues_by_first_id.push_back(
          {ids.front(), static_cast<uint32_t>(cm.cue_ids.size())});
      cm.cue_ids.push_back(std::move(ids));
    }
    std::sort(cm.cues_by_first_id.begin(), cm.cues_by_first_id.end());
  }
}

void LexiconCompiler::AddEntryToLanguage(const std::string& language,
                                         uint32_t index, const Entry& e,
                                         EntryKind kind, int terms,
                                         bool inflect,
                                         const EntryTerms& compiled) {
  LanguageLexicon* lex = Lang(language);
  lex->entries.push_back(index);
  lex->term_count += terms;
  if (kind == config::v1::ENTRY_KIND_ANALYZER_RULE) {
    lex->analyzer_rules[e.id()] = index;
  }
  for (const EntryTerms::Single& t : compiled.single) {
    TriePayload p;
    p.kind = t.kind;
    p.index = index;
    p.inflect = inflect;
    if (t.kind == TriePayload::Kind::kTail) {
      lex->backward.Insert(std::string(t.text.rbegin(), t.text.rend()), p);
    } else {
      lex->forward.Insert(t.text, p);
    }
  }
  for (const auto& ph : compiled.phrases) {
    AddPhrase(lex, index, ph, e.max_gap());
  }
  for (const std::string& w : compiled.wrapped_patterns) {
    regexes_.push_back({language, index, w});
  }
}

}  // namespace divcheck
