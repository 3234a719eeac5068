// LexiconCompiler: validates parsed lexicon files and builds the compiled
// structures of a LexiconSet (entries, tries, phrases, job titles, regex
// sets, form-field rule books). Internal to the engine: LexiconSet::Load is
// its only caller.
//
// The work is split over two files: lexicon_compiler.cc (files, job titles,
// phrases, tries and regex sets) and lexicon_entry_compiler.cc (one entry:
// its checks, modifiers and terms).
//
// One instance per Load call, used by one thread; not thread-safe.
#ifndef DIVCHECK_ANALYZERS_INTERNAL_LEXICON_COMPILER_H_
#define DIVCHECK_ANALYZERS_INTERNAL_LEXICON_COMPILER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "analyzers/form_fields.h"
#include "analyzers/internal/lexicon_data.h"
#include "analyzers/lexicon.h"
#include "base/textproto_dir.h"
#include "divcheck/config/v1/lexicon.pb.h"
#include "google/protobuf/text_format.h"

namespace divcheck {

class LexiconCompiler {
 public:
  // Problems are appended to `problems`, which must outlive the compiler.
  explicit LexiconCompiler(std::vector<LexiconProblem>* problems)
      : problems_(problems) {}

  // Reads, checks and compiles every lexicon file below `dir`; see
  // LexiconSet::Load for the errors.
  absl::StatusOr<std::shared_ptr<const LexiconSet>> Run(const std::string& dir);

 private:
  using ParseTree = google::protobuf::TextFormat::ParseInfoTree;

  struct Source {
    std::string path;  // relative
    std::unique_ptr<config::v1::LexiconFile> file;
    ParseTree tree;
  };

  // The match terms of one entry, checked and folded.
  struct EntryTerms {
    struct Single {
      TriePayload::Kind kind;
      std::string text;
    };
    std::vector<Single> single;  // words, stems, compound tails
    std::vector<std::vector<TokenPattern>> phrases;
    // Patterns wrapped in the boundary classes (see kRegexBoundary).
    std::vector<std::string> wrapped_patterns;
  };

  using FormSources = std::map<std::string, std::vector<FormRulesSource>>;

  // ---- problems and term parsing (lexicon_compiler.cc) ----

  // Appends a problem at `field` (element `index` when repeated) of the
  // message whose parse locations are `tree` (null: no location).
  void Problem(const Source& src, const ParseTree* tree, const char* field,
               int index, std::string message);
  // Folds `term` and checks it is one token. Returns "" after reporting a
  // problem.
  std::string FoldSingleToken(const Source& src, const ParseTree* tree,
                              const char* field, int index,
                              absl::string_view term, bool allow_star);
  // Parses a phrase or cue into token patterns; empty after a problem.
  std::vector<TokenPattern> ParsePhrase(const Source& src,
                                        const ParseTree* tree,
                                        const char* field, int index,
                                        absl::string_view phrase, bool inflect);

  // ---- the steps of Run (lexicon_compiler.cc) ----

  // Parses every file and checks its id and language; files with a syntax
  // error are left out (the parser reported the error).
  std::vector<std::unique_ptr<Source>> ParseFiles(
      const std::vector<DataFile>& files);
  void CheckFileHeader(const Source& src);
  // Compiles the files with a language, then the language-independent ones
  // (merged into every language). Returns the form-field blocks by language.
  FormSources CompileFiles(const std::vector<std::unique_ptr<Source>>& sources);
  void CompileFile(const Source& src, FormSources* form_sources);
  void CompileFormRuleBooks(const FormSources& form_sources);
  void FreezeTries();
  // One RE2::Set per language.
  void BuildRegexSets();

  // ---- one entry (lexicon_entry_compiler.cc) ----

  void CompileEntry(const Source& src, const config::v1::LexiconFile& file,
                    int entry_index, LexiconFileInfo* info);
  void CheckEntryId(const Source& src, const ParseTree* tree,
                    const config::v1::Entry& e, int entry_index);
  // Checks that the entry has terms (or none, for an analyzer rule) and the
  // texts its kind needs.
  void CheckEntryContent(const Source& src, const ParseTree* tree,
                         const config::v1::Entry& e, config::v1::EntryKind kind,
                         int terms);
  // The suggestions, advice, suggestions_du and term_replacements of `e`.
  void CheckReplacements(const Source& src, const ParseTree* tree,
                         const config::v1::Entry& e);
  // The entry's identity, severity, dimensions and exceptions.
  CompiledEntry NewCompiledEntry(const Source& src, const ParseTree* tree,
                                 const config::v1::LexiconFile& file,
                                 const config::v1::Entry& e,
                                 config::v1::EntryKind kind);
  void CompileModifiers(const Source& src, const ParseTree* tree,
                        const config::v1::Entry& e, CompiledEntry* ce);
  EntryTerms CompileTerms(const Source& src, const ParseTree* tree,
                          const config::v1::Entry& e, bool inflect);
  void CompilePatterns(const Source& src, const ParseTree* tree,
                       const config::v1::Entry& e, EntryTerms* terms);
  // Gives the tokens of the entry's modifier cues their continuation ids.
  void AssignCueIds(LanguageLexicon* lex, CompiledEntry* ce);
  // Adds entry `index` (compiled from `e`) to the lexicon of `language`.
  void AddEntryToLanguage(const std::string& language, uint32_t index,
                          const config::v1::Entry& e,
                          config::v1::EntryKind kind, int terms, bool inflect,
                          const EntryTerms& compiled);

  // ---- job titles, phrases and tries (lexicon_compiler.cc) ----

  void CompileSexPair(const Source& src, const config::v1::LexiconFile& file,
                      int index);
  void CompileTitle(const Source& src, const config::v1::LexiconFile& file,
                    int index);
  void AddPhrase(LanguageLexicon* lex, uint32_t entry,
                 std::vector<TokenPattern> tokens, uint32_t max_gap);
  LanguageLexicon* Lang(const std::string& language);
  uint32_t ContinuationId(LanguageLexicon* lex, const TokenPattern& t);
  static bool InsertTokenPattern(LanguageLexicon* lex, const TokenPattern& t,
                                 TriePayload p);

  absl::flat_hash_map<LanguageLexicon*,
                      absl::flat_hash_map<std::string, uint32_t>>
      continuation_ids_;
  absl::flat_hash_map<LanguageLexicon*,
                      absl::flat_hash_map<std::string, uint32_t>>
      phrase_group_ids_;
  std::vector<LexiconProblem>* problems_;
  std::shared_ptr<LexiconSet> set_;
  absl::flat_hash_map<std::string, std::string> entry_ids_;  // id → file
  absl::flat_hash_map<std::string, std::string> file_ids_;   // id → file
  struct PendingRegex {
    std::string language;
    uint32_t entry;
    std::string wrapped;
  };
  std::vector<PendingRegex> regexes_;
  std::vector<std::string> all_languages_;
};

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_INTERNAL_LEXICON_COMPILER_H_
