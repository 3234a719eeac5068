#include "analyzers/internal/lexicon_compiler.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "analyzers/document.h"
#include "base/status_macros.h"
#include "base/textproto_errors.h"

namespace divcheck {

using config::v1::ContextModifier;
using config::v1::Entry;
using config::v1::JobTitle;
using config::v1::LexiconFile;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

namespace {

std::vector<std::string> DefaultEndings(absl::string_view language) {
  if (language == "de") return {"en", "er", "es", "em", "e", "n", "s"};
  if (language == "en") return {"es", "s"};
  return {};
}

}  // namespace

void LexiconCompiler::Problem(const Source& src, const ParseTree* tree,
                              const char* field, int index,
                              std::string message) {
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
std::string LexiconCompiler::FoldSingleToken(const Source& src,
                                             const ParseTree* tree,
                                             const char* field, int index,
                                             absl::string_view term,
                                             bool allow_star) {
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
    if (absl::ConsumePrefix(&body, "*")) {
    }
    if (absl::ConsumeSuffix(&body, "*")) {
    }
  }
  absl::StatusOr<Document> doc = Document::Create(body);
  if (!doc.ok() || doc->tokens().size() != 1 || doc->tokens()[0].begin != 0 ||
      doc->tokens()[0].end != body.size()) {
    Problem(src, tree, field, index,
            absl::StrCat(field, " term \"", raw,
                         "\" must be a single token (letters and digits "
                         "only; use `phrases` for several words)"));
    return "";
  }
  return *folded;
}

// Parses a phrase or cue into token patterns; empty after a problem.
std::vector<TokenPattern> LexiconCompiler::ParsePhrase(
    const Source& src, const ParseTree* tree, const char* field, int index,
    absl::string_view phrase, bool inflect) {
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

uint32_t LexiconCompiler::ContinuationId(LanguageLexicon* lex,
                                         const TokenPattern& t) {
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
bool LexiconCompiler::InsertTokenPattern(LanguageLexicon* lex,
                                         const TokenPattern& t, TriePayload p) {
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
  lex->SetEndings(DefaultEndings(language));
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
  for (size_t j = 1; j < tokens.size(); ++j)
    ids.push_back(ContinuationId(lex, tokens[j]));

  // The group of phrases with this first token.
  const std::string key =
      absl::StrCat(static_cast<int>(first.kind), ":", first.text);
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
    if (!InsertTokenPattern(lex, first, p))
      lex->number_start_groups.push_back(group);
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

void LexiconCompiler::CompileSexPair(const Source& src, const LexiconFile& file,
                                     int index) {
  const config::v1::SexPair& pair = file.sex_pairs(index);
  const ParseTree* tree = src.tree.GetTreeForNested(
      LexiconFile::descriptor()->FindFieldByName("sex_pairs"), index);
  if (file.language().empty()) {
    Problem(src, tree, "masculine", 0, "sex_pairs need a file with a language");
    return;
  }
  if (pair.masculine_size() == 0 || pair.feminine_size() == 0) {
    Problem(src, tree, "masculine", 0,
            "a sex pair needs masculine and feminine forms");
    return;
  }
  LanguageLexicon* lex = Lang(file.language());
  const uint32_t id = lex->sex_pair_count++;
  for (bool feminine : {false, true}) {
    const auto& forms = feminine ? pair.feminine() : pair.masculine();
    const char* field = feminine ? "feminine" : "masculine";
    for (int i = 0; i < forms.size(); ++i) {
      std::string f = FoldSingleToken(src, tree, field, i, forms[i], false);
      if (!f.empty()) lex->sex_words[f] = {id, feminine};
    }
  }
}

void LexiconCompiler::CompileTitle(const Source& src, const LexiconFile& file,
                                   int index) {
  const JobTitle& jt = file.job_titles(index);
  const ParseTree* tree = src.tree.GetTreeForNested(
      LexiconFile::descriptor()->FindFieldByName("job_titles"), index);
  const size_t before = problems_->size();
  std::string masc =
      FoldSingleToken(src, tree, "masculine", 0, jt.masculine(), false);
  std::string fem =
      FoldSingleToken(src, tree, "feminine", 0, jt.feminine(), false);
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
  ct.compounds_only = jt.compounds_only();
  if (ct.compounds_only && !ct.match_compounds) {
    Problem(src, tree, "compounds_only", 0,
            "compounds_only needs match_compounds (a title that matches only "
            "as a compound's head and never in one matches nothing)");
    return;
  }
  ct.feminine_is_epicene_plural = jt.feminine_is_epicene_plural();
  for (int i = 0; i < jt.exceptions_size(); ++i) {
    std::string ex =
        FoldSingleToken(src, tree, "exceptions", i, jt.exceptions(i), false);
    if (!ex.empty()) ct.exceptions.insert(ex);
  }
  auto fold_all =
      [&](const char* field,
          const google::protobuf::RepeatedPtrField<std::string>& forms) {
        std::vector<std::string> folded;
        for (int i = 0; i < forms.size(); ++i) {
          std::string f = FoldSingleToken(src, tree, field, i, forms[i], false);
          if (!f.empty()) folded.push_back(std::move(f));
        }
        return folded;
      };
  const std::vector<std::string> extra =
      fold_all("extra_masculine_forms", jt.extra_masculine_forms());
  const std::vector<std::string> extra_feminine =
      fold_all("extra_feminine_forms", jt.extra_feminine_forms());
  if (problems_->size() != before) return;
  LanguageLexicon* lex = Lang(file.language());
  const uint32_t ti = static_cast<uint32_t>(lex->titles.size());
  lex->titles.push_back(std::move(ct));
  auto insert = [&](const std::string& form, TriePayload::Kind kind) {
    TriePayload p;
    p.kind = kind;
    p.index = ti;
    p.whole_token = !lex->titles[ti].match_compounds;
    p.compound_only = lex->titles[ti].compounds_only;
    lex->backward.Insert(std::string(form.rbegin(), form.rend()), p);
  };
  insert(masc, TriePayload::Kind::kTitleMasculine);
  for (const std::string& f : extra)
    insert(f, TriePayload::Kind::kTitleMasculine);
  insert(fem, TriePayload::Kind::kTitleFeminine);
  for (const std::string& f : extra_feminine)
    insert(f, TriePayload::Kind::kTitleFeminine);
  // German feminine plurals: "-in" → "-innen", "-frau" → "-frauen".
  if (absl::EndsWith(fem, "in")) {
    insert(fem + "nen", TriePayload::Kind::kTitleFeminine);
  } else if (absl::EndsWith(fem, "frau")) {
    insert(fem + "en", TriePayload::Kind::kTitleFeminine);
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
  std::vector<std::unique_ptr<Source>> sources = ParseFiles(files);
  CompileFormRuleBooks(CompileFiles(sources));
  FreezeTries();
  BuildRegexSets();

  for (auto& src : sources) set_->files_.push_back(std::move(src->file));
  if (problems_->size() != problems_at_start) {
    return absl::InvalidArgumentError(
        absl::StrCat(problems_->size() - problems_at_start,
                     " problem(s) in lexicons under ", dir));
  }
  set_->content_hash_ = HashHex(ContentHash(files));
  return std::shared_ptr<const LexiconSet>(std::move(set_));
}

std::vector<std::unique_ptr<LexiconCompiler::Source>>
LexiconCompiler::ParseFiles(const std::vector<DataFile>& files) {
  std::vector<std::unique_ptr<Source>> sources;
  for (const DataFile& data : files) {
    auto src = std::make_unique<Source>();
    src->path = data.path;
    src->file = std::make_unique<LexiconFile>();
    CollectingErrors errors(data.path, problems_);
    TextFormat::Parser parser;
    parser.RecordErrorsTo(&errors);
    parser.WriteLocationsTo(&src->tree);
    if (!parser.ParseFromString(data.content, src->file.get())) continue;
    CheckFileHeader(*src);
    sources.push_back(std::move(src));
  }
  std::sort(all_languages_.begin(), all_languages_.end());
  return sources;
}

void LexiconCompiler::CheckFileHeader(const Source& src) {
  const LexiconFile& f = *src.file;
  if (f.id().empty()) {
    problems_->push_back({src.path, 1, 1, "file has no id"});
  } else {
    auto [it, inserted] = file_ids_.emplace(f.id(), src.path);
    if (!inserted) {
      Problem(src, &src.tree, "id", 0,
              absl::StrCat("duplicate file id \"", f.id(), "\" (also in ",
                           it->second, ")"));
    }
  }
  if (!f.language().empty() && f.language() != "de" && f.language() != "en") {
    Problem(src, &src.tree, "language", 0,
            absl::StrCat("unsupported language \"", f.language(),
                         "\" (use \"de\", \"en\" or \"\" for all)"));
  }
  if (!f.language().empty() &&
      std::find(all_languages_.begin(), all_languages_.end(), f.language()) ==
          all_languages_.end()) {
    all_languages_.push_back(f.language());
  }
}

LexiconCompiler::FormSources LexiconCompiler::CompileFiles(
    const std::vector<std::unique_ptr<Source>>& sources) {
  // Language files first, then language-independent ones (merged into every
  // language).
  FormSources form_sources;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& src : sources) {
      if (src->file->language().empty() != (pass == 1)) continue;
      CompileFile(*src, &form_sources);
    }
  }
  return form_sources;
}

void LexiconCompiler::CompileFile(const Source& src,
                                  FormSources* form_sources) {
  const LexiconFile& f = *src.file;
  LexiconFileInfo info;
  info.id = f.id();
  info.language = f.language();
  info.version = f.version();
  info.path = src.path;
  for (int i = 0; i < f.entries_size(); ++i) CompileEntry(src, f, i, &info);
  for (int i = 0; i < f.job_titles_size(); ++i) CompileTitle(src, f, i);
  info.job_title_count = f.job_titles_size();
  for (int i = 0; i < f.sex_pairs_size(); ++i) CompileSexPair(src, f, i);
  if (f.has_form_fields()) {
    const FieldDescriptor* fd =
        LexiconFile::descriptor()->FindFieldByName("form_fields");
    if (f.language().empty()) {
      Problem(src, &src.tree, "form_fields", 0,
              "form_fields need a file with a language");
    } else {
      (*form_sources)[f.language()].push_back(
          {src.path, f.id(), &f.form_fields(),
           src.tree.GetTreeForNested(fd, -1)});
      info.form_rule_count = f.form_fields().rules_size();
    }
  }
  set_->file_info_.push_back(std::move(info));
}

void LexiconCompiler::CompileFormRuleBooks(const FormSources& form_sources) {
  for (const auto& [lang, form] : form_sources) {
    Lang(lang)->form_rules =
        CompileFormRules(lang, form, &entry_ids_, problems_);
  }
}

void LexiconCompiler::FreezeTries() {
  for (auto& [lang, lex] : set_->languages_) {
    for (auto& g : lex->phrase_groups) {
      std::sort(g.by_second.begin(), g.by_second.end());
    }
    lex->forward.Freeze();
    lex->backward.Freeze();
  }
}

void LexiconCompiler::BuildRegexSets() {
  for (auto& [lang, lex] : set_->languages_) {
    RE2::Options opts = LexiconRegexOptions();
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
      problems_->push_back(
          {"(regex set " + lang + ")", 0, 0,
           "the combined RE2::Set does not compile (out of memory?)"});
    }
  }
}

}  // namespace divcheck
