#include "analyzers/lexicon.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analyzers/document.h"
#include "base/status_macros.h"
#include "base/textproto_dir.h"
#include "analyzers/form_fields.h"
#include "base/textproto_errors.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace divcheck {

using config::v1::ContextModifier;
using config::v1::Entry;
using config::v1::EntryKind;
using config::v1::JobTitle;
using config::v1::LexiconFile;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

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
    "\\x{2000}-\\x{27bf}\\x{3000}-\\x{303f}\\x{fe30}-\\x{fe4f}\\x{ff00}-\\x{ff0f}]";

// Patterns run on case-folded text; case-insensitivity only guards against
// authors writing capitals.
RE2::Options RegexOptions() {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(false);
  return opts;
}
}  // namespace

bool CompiledEntry::IsException(absl::string_view token) const {
  if (!exact_exceptions.empty() && exact_exceptions.contains(token)) return true;
  for (const std::string& p : prefix_exceptions) {
    if (absl::StartsWith(token, p)) return true;
  }
  return false;
}

ByteTrie::ByteTrie() : nodes_(1) {
  std::fill(std::begin(root_children_), std::end(root_children_), 0u);
}

uint32_t ByteTrie::BuildChild(uint32_t node, uint8_t byte) const {
  if (node == 0) return root_children_[byte];
  for (const auto& c : nodes_[node].children) {
    if (c.first == byte) return c.second;
  }
  return 0;
}

void ByteTrie::Insert(absl::string_view key, const TriePayload& payload) {
  uint32_t node = 0;
  for (char ch : key) {
    const uint8_t b = static_cast<uint8_t>(ch);
    uint32_t next = BuildChild(node, b);
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      if (node == 0) {
        root_children_[b] = next;
      } else {
        auto& children = nodes_[node].children;
        auto it = std::lower_bound(
            children.begin(), children.end(), b,
            [](const std::pair<uint8_t, uint32_t>& c, uint8_t v) {
              return c.first < v;
            });
        children.insert(it, {b, next});
      }
    }
    node = next;
  }
  nodes_[node].payloads.push_back(payload);
}

void ByteTrie::Freeze() {
  // A chain starts at a node with one child and no payload and runs while
  // that holds; it ends at the node it leads to.
  auto is_link = [&](uint32_t n) {
    return nodes_[n].payloads.empty() && nodes_[n].children.size() == 1;
  };
  struct Unit {
    uint32_t head;  // build node the parent's edge points to
    uint32_t tail;  // build node whose run holds the edges and payloads
    std::string label;
  };
  // Breadth-first over the units; the root's children are the first level
  // (the root itself keeps its 256-entry table).
  std::vector<Unit> units;
  units.reserve(nodes_.size());
  auto add_unit = [&](uint32_t head) {
    Unit u{head, head, {}};
    while (is_link(u.tail) && u.label.size() < 0xFFFF) {
      u.label.push_back(static_cast<char>(nodes_[u.tail].children[0].first));
      u.tail = nodes_[u.tail].children[0].second;
    }
    units.push_back(std::move(u));
  };
  for (int b = 0; b < 256; ++b) {
    if (root_children_[b] != 0) add_unit(root_children_[b]);
  }
  for (size_t i = 0; i < units.size(); ++i) {
    const uint32_t tail = units[i].tail;
    for (const auto& c : nodes_[tail].children) add_unit(c.second);
  }
  std::vector<uint32_t> offset(nodes_.size(), 0);  // head → its run
  uint32_t next = 1;  // data_[0] is the placeholder
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    const uint32_t chain_words =
        u.label.empty() ? 0 : 2 + static_cast<uint32_t>(u.label.size() + 3) / 4;
    offset[u.head] = next;
    next += chain_words + 2 + static_cast<uint32_t>(nodes_[u.tail].children.size());
  }
  data_.assign(next, 0);
  payloads_.clear();
  for (const Unit& u : units) {
    uint32_t* rec = data_.data() + offset[u.head];
    if (!u.label.empty()) {
      rec[0] = kChain | static_cast<uint32_t>(u.label.size());
      std::memcpy(rec + 2, u.label.data(), u.label.size());
      rec += 2 + (u.label.size() + 3) / 4;
    }
    const Node& node = nodes_[u.tail];
    rec[0] = static_cast<uint32_t>(node.children.size()) << 16 |
             static_cast<uint32_t>(node.payloads.size());
    rec[1] = static_cast<uint32_t>(payloads_.size());
    payloads_.insert(payloads_.end(), node.payloads.begin(), node.payloads.end());
    for (size_t i = 0; i < node.children.size(); ++i) {
      rec[2 + i] = static_cast<uint32_t>(node.children[i].first) << 24 |
                   offset[node.children[i].second];
    }
  }
  for (int b = 0; b < 256; ++b) {
    if (root_children_[b] != 0) root_children_[b] = offset[root_children_[b]];
  }
  frozen_nodes_ = nodes_.size() - 1;
  nodes_.clear();
  nodes_.shrink_to_fit();
}

bool LanguageLexicon::IsEnding(absl::string_view s) const {
  if (s.empty() || s.size() > 3) return false;
  for (const std::string& e : endings) {
    if (e.size() == s.size() && e.back() == s.back() && s == e) return true;
  }
  return false;
}

bool LanguageLexicon::TokenMatches(const TokenPattern& p,
                                   absl::string_view token,
                                   bool is_number) const {
  switch (p.kind) {
    case TokenPattern::Kind::kNumber:
      return is_number;
    case TokenPattern::Kind::kExact:
      return token == p.text;
    case TokenPattern::Kind::kPrefix:
      return absl::StartsWith(token, p.text);
    case TokenPattern::Kind::kWord:
      return absl::StartsWith(token, p.text) &&
             (token.size() == p.text.size() ||
              IsEnding(token.substr(p.text.size())));
    case TokenPattern::Kind::kSuffix: {
      if (absl::EndsWith(token, p.text)) return true;
      for (const std::string& e : endings) {
        if (absl::EndsWith(token, e) &&
            absl::EndsWith(token.substr(0, token.size() - e.size()), p.text)) {
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

const RE2& LanguageLexicon::Regex(int id) const {
  std::call_once(regex_once[id], [&] {
    regexes[id] = std::make_unique<RE2>(regex_sources[id], RegexOptions());
  });
  return *regexes[id];
}

const LanguageLexicon* LexiconSet::ForLanguage(
    absl::string_view language) const {
  auto it = languages_.find(language);
  return it == languages_.end() ? nullptr : it->second.get();
}

std::vector<std::string> LexiconSet::Languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, lex] : languages_) out.push_back(lang);
  return out;
}

namespace {

std::vector<std::string> DefaultEndings(absl::string_view language) {
  if (language == "de") return {"en", "er", "es", "em", "e", "n", "s"};
  if (language == "en") return {"es", "s"};
  return {};
}

}  // namespace

// Validates parsed files and builds the compiled structures. One instance per
// Load call.
class LexiconCompiler {
 public:
  explicit LexiconCompiler(std::vector<LexiconProblem>* problems)
      : problems_(problems) {}

  absl::StatusOr<std::shared_ptr<const LexiconSet>> Run(const std::string& dir);

 private:
  struct Source {
    std::string path;  // relative
    std::unique_ptr<LexiconFile> file;
    TextFormat::ParseInfoTree tree;
  };

  void Problem(const Source& src, const TextFormat::ParseInfoTree* tree,
               const char* field, int index, std::string message) {
    int line = 0, col = 0;
    if (tree != nullptr) {
      const Descriptor* d = nullptr;
      // Find the field in whichever message type owns it.
      for (const Descriptor* cand :
           {LexiconFile::descriptor(), Entry::descriptor(),
            JobTitle::descriptor(), ContextModifier::descriptor()}) {
        if (cand->FindFieldByName(field) != nullptr) {
          d = cand;
          const FieldDescriptor* fd = cand->FindFieldByName(field);
          auto loc = tree->GetLocation(fd, fd->is_repeated() ? index : -1);
          if (loc.line >= 0) {
            line = loc.line + 1;
            col = loc.column + 1;
            break;
          }
        }
      }
      (void)d;
    }
    problems_->push_back({src.path, line, col, std::move(message)});
  }

  // Folds `term` and checks it is one token. Returns "" after reporting a
  // problem.
  std::string FoldSingleToken(const Source& src,
                              const TextFormat::ParseInfoTree* tree,
                              const char* field, int index,
                              absl::string_view term, bool allow_star) {
    std::string raw(absl::StripAsciiWhitespace(term));
    if (raw.empty()) {
      Problem(src, tree, field, index, absl::StrCat("empty ", field, " term"));
      return "";
    }
    absl::StatusOr<std::string> folded = FoldTerm(raw);
    if (!folded.ok()) {
      Problem(src, tree, field, index, std::string(folded.status().message()));
      return "";
    }
    absl::string_view body = *folded;
    if (allow_star) {
      if (absl::ConsumePrefix(&body, "*")) {}
      if (absl::ConsumeSuffix(&body, "*")) {}
    }
    absl::StatusOr<Document> doc = Document::Create(body);
    if (!doc.ok() || doc->tokens().size() != 1 ||
        doc->tokens()[0].begin != 0 || doc->tokens()[0].end != body.size()) {
      Problem(src, tree, field, index,
              absl::StrCat(field, " term \"", raw,
                           "\" must be a single token (letters and digits "
                           "only; use `phrases` for several words)"));
      return "";
    }
    return *folded;
  }

  // Parses a phrase or cue into token patterns; empty after a problem.
  std::vector<TokenPattern> ParsePhrase(const Source& src,
                                        const TextFormat::ParseInfoTree* tree,
                                        const char* field, int index,
                                        absl::string_view phrase,
                                        bool inflect) {
    std::vector<TokenPattern> out;
    std::vector<absl::string_view> parts =
        absl::StrSplit(phrase, ' ', absl::SkipEmpty());
    if (parts.empty()) {
      Problem(src, tree, field, index, absl::StrCat("empty ", field, " term"));
      return {};
    }
    for (absl::string_view part : parts) {
      TokenPattern p;
      if (part == "#") {
        p.kind = TokenPattern::Kind::kNumber;
        out.push_back(p);
        continue;
      }
      std::string folded =
          FoldSingleToken(src, tree, field, index, part, /*allow_star=*/true);
      if (folded.empty()) return {};
      if (folded.size() > 1 && folded.back() == '*') {
        p.kind = TokenPattern::Kind::kPrefix;
        p.text = folded.substr(0, folded.size() - 1);
      } else if (folded.size() > 1 && folded.front() == '*') {
        p.kind = TokenPattern::Kind::kSuffix;
        p.text = folded.substr(1);
      } else {
        p.kind = inflect ? TokenPattern::Kind::kWord : TokenPattern::Kind::kExact;
        p.text = folded;
      }
      out.push_back(std::move(p));
    }
    return out;
  }

  void CompileEntry(const Source& src, const LexiconFile& file, int entry_index,
                    LexiconFileInfo* info);
  void CompileTitle(const Source& src, const LexiconFile& file, int index);
  void AddPhrase(LanguageLexicon* lex, uint32_t entry,
                 std::vector<TokenPattern> tokens, uint32_t max_gap);
  LanguageLexicon* Lang(const std::string& language);
  uint32_t ContinuationId(LanguageLexicon* lex, const TokenPattern& t);
  static bool InsertTokenPattern(LanguageLexicon* lex, const TokenPattern& t,
                                 TriePayload p);

  absl::flat_hash_map<LanguageLexicon*, absl::flat_hash_map<std::string, uint32_t>>
      continuation_ids_;
  absl::flat_hash_map<LanguageLexicon*, absl::flat_hash_map<std::string, uint32_t>>
      phrase_group_ids_;
  std::vector<LexiconProblem>* problems_;
  std::shared_ptr<LexiconSet> set_;
  absl::flat_hash_map<std::string, std::string> entry_ids_;  // id → file
  absl::flat_hash_map<std::string, std::string> file_ids_;   // id → file
  // Entries and titles of language-independent files, merged at the end.
  std::vector<std::pair<const Source*, int>> pending_common_titles_;
  struct PendingRegex {
    std::string language;
    uint32_t entry;
    std::string wrapped;
  };
  std::vector<PendingRegex> regexes_;
  std::vector<std::string> all_languages_;
};

uint32_t LexiconCompiler::ContinuationId(LanguageLexicon* lex, const TokenPattern& t) {
  auto& known = continuation_ids_[lex];
  const std::string key = absl::StrCat(static_cast<int>(t.kind), ":", t.text);
  auto it = known.find(key);
  if (it != known.end()) return it->second;
  const uint32_t id = lex->continuation_count++;
  known.emplace(key, id);
  TriePayload p;
  p.kind = TriePayload::Kind::kContinuation;
  p.index = id;
  if (!InsertTokenPattern(lex, t, p)) lex->continuation_number_id = id;
  return id;
}

// Inserts `p` under the key of token pattern `t`: suffixes into the
// backward trie, words, exact tokens and prefixes into the forward trie.
// Returns false for a number pattern, which has no key.
bool LexiconCompiler::InsertTokenPattern(LanguageLexicon* lex, const TokenPattern& t,
                                         TriePayload p) {
  p.pattern = t.kind;
  switch (t.kind) {
    case TokenPattern::Kind::kNumber:
      return false;
    case TokenPattern::Kind::kSuffix:
      lex->backward.Insert(std::string(t.text.rbegin(), t.text.rend()), p);
      return true;
    default:
      p.inflect = t.kind == TokenPattern::Kind::kWord;
      lex->forward.Insert(t.text, p);
      return true;
  }
}

LanguageLexicon* LexiconCompiler::Lang(const std::string& language) {
  auto it = set_->languages_.find(language);
  if (it != set_->languages_.end()) return it->second.get();
  auto lex = std::make_unique<LanguageLexicon>();
  lex->language = language;
  lex->endings = DefaultEndings(language);
  LanguageLexicon* raw = lex.get();
  set_->languages_.emplace(language, std::move(lex));
  return raw;
}

void LexiconCompiler::AddPhrase(LanguageLexicon* lex, uint32_t entry,
                                std::vector<TokenPattern> tokens,
                                uint32_t max_gap) {
  const uint32_t index = static_cast<uint32_t>(lex->phrases.size());
  const TokenPattern first = tokens.front();
  std::vector<uint32_t> ids;
  for (size_t j = 1; j < tokens.size(); ++j) ids.push_back(ContinuationId(lex, tokens[j]));

  // The group of phrases with this first token.
  const std::string key = absl::StrCat(static_cast<int>(first.kind), ":", first.text);
  auto& groups = phrase_group_ids_[lex];
  auto it = groups.find(key);
  uint32_t group;
  if (it != groups.end()) {
    group = it->second;
  } else {
    group = static_cast<uint32_t>(lex->phrase_groups.size());
    lex->phrase_groups.emplace_back();
    groups.emplace(key, group);
    TriePayload p;
    p.kind = TriePayload::Kind::kPhraseStart;
    p.index = group;
    if (!InsertTokenPattern(lex, first, p)) lex->number_start_groups.push_back(group);
  }
  LanguageLexicon::PhraseGroup& g = lex->phrase_groups[group];
  if (ids.empty()) {
    g.single.push_back(index);
  } else {
    g.by_second.push_back({ids[0], index});
    g.max_gap = std::max(g.max_gap, max_gap);
  }
  lex->phrases.push_back({entry, std::move(tokens), max_gap, std::move(ids)});
}

void LexiconCompiler::CompileEntry(const Source& src, const LexiconFile& file,
                                   int entry_index, LexiconFileInfo* info) {
  const Entry& e = file.entries(entry_index);
  const TextFormat::ParseInfoTree* tree = src.tree.GetTreeForNested(
      LexiconFile::descriptor()->FindFieldByName("entries"), entry_index);
  auto problem = [&](const char* field, int index, std::string msg) {
    Problem(src, tree, field, index, std::move(msg));
  };
  const size_t problems_before = problems_->size();

  // Identity.
  if (e.id().empty()) {
    problems_->push_back(
        {src.path, 0, 0, absl::StrCat("entry #", entry_index + 1, " has no id")});
    if (tree != nullptr) {
      auto loc = src.tree.GetLocation(
          LexiconFile::descriptor()->FindFieldByName("entries"), entry_index);
      problems_->back().line = loc.line + 1;
      problems_->back().column = loc.column + 1;
    }
  } else {
    for (char c : e.id()) {
      if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
            c == '_' || c == '-')) {
        problem("id", 0,
                absl::StrCat("entry id \"", e.id(),
                             "\" may contain only a-z, 0-9, '.', '_' and '-'"));
        break;
      }
    }
    auto [it, inserted] = entry_ids_.emplace(e.id(), src.path);
    if (!inserted) {
      problem("id", 0,
              absl::StrCat("duplicate entry id \"", e.id(),
                           "\" (first defined in ", it->second, ")"));
    }
  }

  const EntryKind kind = e.kind() == config::v1::ENTRY_KIND_UNSPECIFIED
                             ? config::v1::ENTRY_KIND_FINDING
                             : e.kind();
  const int terms = e.words_size() + e.stems_size() + e.compound_tails_size() +
                    e.phrases_size() + e.patterns_size();
  if (kind == config::v1::ENTRY_KIND_ANALYZER_RULE) {
    if (terms > 0) problem("id", 0, "an ANALYZER_RULE entry has no match terms");
  } else if (terms == 0) {
    problem("id", 0,
            absl::StrCat("entry \"", e.id(),
                         "\" has nothing to match (words, stems, "
                         "compound_tails, phrases or patterns)"));
  }

  // Texts required by kind.
  // An analyzer rule with a highlight_kind supplies a highlight's text;
  // otherwise a finding's.
  const bool is_finding = kind == config::v1::ENTRY_KIND_FINDING ||
                          (kind == config::v1::ENTRY_KIND_ANALYZER_RULE &&
                           e.highlight_kind() == v1::HIGHLIGHT_KIND_UNSPECIFIED);
  if (is_finding) {
    if (e.dimensions_size() == 0) problem("id", 0, "a finding needs dimensions");
    for (int i = 0; i < e.dimensions_size(); ++i) {
      if (e.dimensions(i) == v1::DIMENSION_UNSPECIFIED) {
        problem("dimensions", i, "DIMENSION_UNSPECIFIED is not a dimension");
      }
    }
    if (e.severity() == v1::SEVERITY_UNSPECIFIED) {
      problem("id", 0, "a finding needs a severity");
    }
    if (e.suggestions_size() == 0) {
      problem("id", 0, "a finding needs at least one suggestion");
    }
    if (e.legal_basis().empty() && e.severity() > v1::SEVERITY_HINT) {
      problem("id", 0, "a WARNING or CRITICAL finding needs a legal_basis");
    }
  }
  if (is_finding || kind == config::v1::ENTRY_KIND_HIGHLIGHT ||
      kind == config::v1::ENTRY_KIND_ANALYZER_RULE) {
    if (e.explanation().empty()) problem("id", 0, "explanation is empty");
    if (e.sources_size() == 0) problem("id", 0, "at least one source is needed");
  }
  if (kind == config::v1::ENTRY_KIND_HIGHLIGHT &&
      e.highlight_kind() == v1::HIGHLIGHT_KIND_UNSPECIFIED) {
    problem("id", 0, "a highlight needs a highlight_kind");
  }
  if (kind == config::v1::ENTRY_KIND_DOCUMENT_FLAG && e.flag().empty()) {
    problem("id", 0, "a DOCUMENT_FLAG entry needs a flag");
  }
  if (kind == config::v1::ENTRY_KIND_TITLE_CUE_BEFORE &&
      e.severity() == v1::SEVERITY_UNSPECIFIED) {
    problem("id", 0, "a TITLE_CUE_BEFORE entry needs a severity");
  }
  for (int i = 0; i < e.suggestions_size(); ++i) {
    if (absl::StripAsciiWhitespace(e.suggestions(i)).empty()) {
      problem("suggestions", i, "empty suggestion");
    }
  }

  CompiledEntry ce;
  ce.def = &e;
  // files() gets this file's info after its entries are compiled.
  ce.file_index = static_cast<uint32_t>(set_->file_info_.size());
  ce.language = file.language();
  ce.kind = kind;
  ce.severity = e.severity();
  for (int d : e.dimensions()) ce.dimensions.push_back(static_cast<v1::Dimension>(d));
  for (int i = 0; i < e.exceptions_size(); ++i) {
    std::string ex = FoldSingleToken(src, tree, "exceptions", i, e.exceptions(i),
                                     /*allow_star=*/true);
    if (ex.empty()) continue;
    if (ex.back() == '*') {
      ce.prefix_exceptions.push_back(ex.substr(0, ex.size() - 1));
    } else {
      ce.exact_exceptions.insert(ex);
    }
  }

  // Modifiers.
  const FieldDescriptor* mod_field = Entry::descriptor()->FindFieldByName("modifiers");
  for (int m = 0; m < e.modifiers_size(); ++m) {
    const ContextModifier& mod = e.modifiers(m);
    const TextFormat::ParseInfoTree* mtree =
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
    ce.modifiers.push_back(std::move(cm));
  }

  // Terms.
  const bool inflect = !e.has_inflect() || e.inflect();
  struct Term {
    TriePayload::Kind kind;
    std::string text;
  };
  std::vector<Term> single;
  for (int i = 0; i < e.words_size(); ++i) {
    std::string t = FoldSingleToken(src, tree, "words", i, e.words(i), false);
    if (!t.empty()) single.push_back({TriePayload::Kind::kWord, t});
  }
  for (int i = 0; i < e.stems_size(); ++i) {
    std::string t = FoldSingleToken(src, tree, "stems", i, e.stems(i), false);
    if (t.empty()) continue;
    if (t.size() < 3) {
      problem("stems", i, absl::StrCat("stem \"", e.stems(i),
                                       "\" is shorter than 3 characters"));
      continue;
    }
    single.push_back({TriePayload::Kind::kStem, t});
  }
  for (int i = 0; i < e.compound_tails_size(); ++i) {
    std::string t = FoldSingleToken(src, tree, "compound_tails", i,
                                    e.compound_tails(i), false);
    if (!t.empty()) single.push_back({TriePayload::Kind::kTail, t});
  }
  std::vector<std::vector<TokenPattern>> phrases;
  for (int i = 0; i < e.phrases_size(); ++i) {
    std::vector<TokenPattern> p =
        ParsePhrase(src, tree, "phrases", i, e.phrases(i), inflect);
    if (!p.empty()) phrases.push_back(std::move(p));
  }
  std::vector<std::string> wrapped_patterns;
  for (int i = 0; i < e.patterns_size(); ++i) {
    const std::string& pat = e.patterns(i);
    if (absl::StripAsciiWhitespace(pat).empty()) {
      problem("patterns", i, "empty pattern");
      continue;
    }
    if (absl::StrContains(pat, "\xC3\x9F") || absl::StrContains(pat, "\xE1\xBA\x9E")) {
      problem("patterns", i,
              "patterns run on case-folded text: write \"ss\" instead of \"ß\"");
      continue;
    }
    // Parsing is enough to validate (RE2::Set::Add does not compile); the
    // pattern is compiled once per language in the set, and on its own
    // only when the set reports it.
    RE2::Options opts = RegexOptions();
    RE2::Set check(opts, RE2::UNANCHORED);
    std::string error;
    if (check.Add(pat, &error) < 0) {
      problem("patterns", i,
              absl::StrCat("pattern does not compile under RE2: ", error));
      continue;
    }
    wrapped_patterns.push_back(
        absl::StrCat("(?:^|", kRegexBoundary, ")(", pat, ")(?:", kRegexBoundary, "|$)"));
  }

  info->entry_count += 1;
  info->term_count += static_cast<uint32_t>(terms);
  if (problems_->size() != problems_before) return;

  const uint32_t entry_index_global =
      static_cast<uint32_t>(set_->entries_.size());
  if (!file.language().empty()) {
    LanguageLexicon* lex = Lang(file.language());
    for (CompiledModifier& cm : ce.modifiers) {
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
  set_->entries_.push_back(std::move(ce));

  std::vector<std::string> langs;
  if (file.language().empty()) {
    langs = all_languages_;
  } else {
    langs = {file.language()};
  }
  for (const std::string& lang : langs) {
    LanguageLexicon* lex = Lang(lang);
    lex->entries.push_back(entry_index_global);
    lex->term_count += terms;
    if (kind == config::v1::ENTRY_KIND_ANALYZER_RULE) {
      lex->analyzer_rules[e.id()] = entry_index_global;
    }
    for (const Term& t : single) {
      TriePayload p;
      p.kind = t.kind;
      p.index = entry_index_global;
      p.inflect = inflect;
      if (t.kind == TriePayload::Kind::kTail) {
        lex->backward.Insert(std::string(t.text.rbegin(), t.text.rend()), p);
      } else {
        lex->forward.Insert(t.text, p);
      }
    }
    for (const auto& ph : phrases) {
      AddPhrase(lex, entry_index_global, ph, e.max_gap());
    }
    for (const std::string& w : wrapped_patterns) {
      regexes_.push_back({lang, entry_index_global, w});
    }
  }
}

void LexiconCompiler::CompileTitle(const Source& src, const LexiconFile& file,
                                   int index) {
  const JobTitle& jt = file.job_titles(index);
  const TextFormat::ParseInfoTree* tree = src.tree.GetTreeForNested(
      LexiconFile::descriptor()->FindFieldByName("job_titles"), index);
  const size_t before = problems_->size();
  std::string masc =
      FoldSingleToken(src, tree, "masculine", 0, jt.masculine(), false);
  std::string fem = FoldSingleToken(src, tree, "feminine", 0, jt.feminine(), false);
  if (problems_->size() != before) return;
  if (file.language().empty()) {
    Problem(src, tree, "masculine", 0,
            "job_titles need a file with a language");
    return;
  }
  CompiledTitle ct;
  ct.def = &jt;
  ct.masculine = masc;
  ct.feminine = fem;
  ct.match_compounds = !jt.has_match_compounds() || jt.match_compounds();
  ct.feminine_is_epicene_plural = jt.feminine_is_epicene_plural();
  for (int i = 0; i < jt.exceptions_size(); ++i) {
    std::string ex =
        FoldSingleToken(src, tree, "exceptions", i, jt.exceptions(i), false);
    if (!ex.empty()) ct.exceptions.insert(ex);
  }
  std::vector<std::string> extra;
  for (int i = 0; i < jt.extra_masculine_forms_size(); ++i) {
    std::string f = FoldSingleToken(src, tree, "extra_masculine_forms", i,
                                    jt.extra_masculine_forms(i), false);
    if (!f.empty()) extra.push_back(f);
  }
  if (problems_->size() != before) return;
  LanguageLexicon* lex = Lang(file.language());
  const uint32_t ti = static_cast<uint32_t>(lex->titles.size());
  lex->titles.push_back(std::move(ct));
  auto insert = [&](const std::string& form, TriePayload::Kind kind) {
    TriePayload p;
    p.kind = kind;
    p.index = ti;
    p.whole_token = !lex->titles[ti].match_compounds;
    lex->backward.Insert(std::string(form.rbegin(), form.rend()), p);
  };
  insert(masc, TriePayload::Kind::kTitleMasculine);
  for (const std::string& f : extra) insert(f, TriePayload::Kind::kTitleMasculine);
  insert(fem, TriePayload::Kind::kTitleFeminine);
  if (absl::EndsWith(fem, "in")) {
    insert(fem + "nen", TriePayload::Kind::kTitleFeminine);
  }
}

absl::StatusOr<std::shared_ptr<const LexiconSet>> LexiconCompiler::Run(
    const std::string& dir) {
  const size_t problems_at_start = problems_->size();
  ASSIGN_OR_RETURN(std::vector<DataFile> files,
                   ReadTextprotoDir(dir, "lexicon", problems_));
  if (files.empty() && problems_->size() == problems_at_start) {
    return absl::NotFoundError(
        absl::StrCat("no *.textproto lexicon files in \"", dir, "\""));
  }

  set_ = std::shared_ptr<LexiconSet>(new LexiconSet());
  set_->directory_ = dir;
  std::vector<std::unique_ptr<Source>> sources;
  for (DataFile& data : files) {
    const std::string& rel = data.path;
    const std::string& content = data.content;
    auto src = std::make_unique<Source>();
    src->path = rel;
    src->file = std::make_unique<LexiconFile>();
    CollectingErrors errors(rel, problems_);
    TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&src->tree);
    if (!parser.ParseFromString(content, src->file.get())) continue;
    const LexiconFile& f = *src->file;
    if (f.id().empty()) {
      problems_->push_back({rel, 1, 1, "file has no id"});
    } else {
      auto [it, inserted] = file_ids_.emplace(f.id(), rel);
      if (!inserted) {
        Problem(*src, &src->tree, "id", 0,
                absl::StrCat("duplicate file id \"", f.id(), "\" (also in ",
                             it->second, ")"));
      }
    }
    if (!f.language().empty() && f.language() != "de" && f.language() != "en") {
      Problem(*src, &src->tree, "language", 0,
              absl::StrCat("unsupported language \"", f.language(),
                           "\" (use \"de\", \"en\" or \"\" for all)"));
    }
    if (!f.language().empty() &&
        std::find(all_languages_.begin(), all_languages_.end(), f.language()) ==
            all_languages_.end()) {
      all_languages_.push_back(f.language());
    }
    sources.push_back(std::move(src));
  }
  std::sort(all_languages_.begin(), all_languages_.end());

  // Language files first, then language-independent ones (merged into every
  // language).
  std::map<std::string, std::vector<FormRulesSource>> form_sources;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& src : sources) {
      const LexiconFile& f = *src->file;
      if (f.language().empty() != (pass == 1)) continue;
      LexiconFileInfo info;
      info.id = f.id();
      info.language = f.language();
      info.version = f.version();
      info.path = src->path;
      for (int i = 0; i < f.entries_size(); ++i) CompileEntry(*src, f, i, &info);
      for (int i = 0; i < f.job_titles_size(); ++i) CompileTitle(*src, f, i);
      info.job_title_count = f.job_titles_size();
      if (f.has_form_fields()) {
        const FieldDescriptor* fd = LexiconFile::descriptor()->FindFieldByName("form_fields");
        if (f.language().empty()) {
          Problem(*src, &src->tree, "form_fields", 0, "form_fields need a file with a language");
        } else {
          form_sources[f.language()].push_back(
              {src->path, f.id(), &f.form_fields(), src->tree.GetTreeForNested(fd, -1)});
          info.form_rule_count = f.form_fields().rules_size();
        }
      }
      set_->file_info_.push_back(std::move(info));
    }
  }

  for (const auto& [lang, form] : form_sources) {
    Lang(lang)->form_rules = CompileFormRules(lang, form, &entry_ids_, problems_);
  }

  for (auto& [lang, lex] : set_->languages_) {
    for (auto& g : lex->phrase_groups) std::sort(g.by_second.begin(), g.by_second.end());
    lex->forward.Freeze();
    lex->backward.Freeze();
  }

  // One RE2::Set per language.
  for (auto& [lang, lex] : set_->languages_) {
    RE2::Options opts = RegexOptions();
    opts.set_max_mem(64 << 20);
    lex->regex_set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
    for (const PendingRegex& r : regexes_) {
      if (r.language != lang) continue;
      std::string error;
      if (lex->regex_set->Add(r.wrapped, &error) < 0) {
        problems_->push_back({"(regex set " + lang + ")", 0, 0, error});
        continue;
      }
      lex->regex_sources.push_back(r.wrapped);
      lex->regex_entry.push_back(r.entry);
    }
    lex->regexes.resize(lex->regex_sources.size());
    lex->regex_once.reset(new std::once_flag[lex->regex_sources.size()]);
    if (!lex->regex_sources.empty() && !lex->regex_set->Compile()) {
      problems_->push_back({"(regex set " + lang + ")", 0, 0,
                            "the combined RE2::Set does not compile (out of memory?)"});
    }
  }

  for (auto& src : sources) set_->files_.push_back(std::move(src->file));
  if (problems_->size() != problems_at_start) {
    return absl::InvalidArgumentError(absl::StrCat(
        problems_->size() - problems_at_start, " problem(s) in lexicons under ",
        dir));
  }
  set_->content_hash_ = HashHex(ContentHash(files));
  return std::shared_ptr<const LexiconSet>(std::move(set_));
}

absl::StatusOr<std::shared_ptr<const LexiconSet>> LexiconSet::Load(
    const std::string& dir, std::vector<LexiconProblem>* problems) {
  std::vector<LexiconProblem> local;
  LexiconCompiler compiler(problems != nullptr ? problems : &local);
  return compiler.Run(dir);
}

}  // namespace divcheck
