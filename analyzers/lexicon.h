// LexiconSet: every lexicon file of a directory, validated and compiled.
//
//   std::vector<divcheck::LexiconProblem> problems;
//   absl::StatusOr<std::shared_ptr<const divcheck::LexiconSet>> set =
//       divcheck::LexiconSet::Load("lexicons", &problems);
//   if (!set.ok()) for (const auto& p : problems) std::cerr << p.ToString();
//
// Loading reads every `*.textproto` below the directory (see
// proto/divcheck/config/v1/lexicon.proto for the format and the matching
// rules), checks each file completely and reports every problem found — the
// first syntax error of a file (protobuf's text parser cannot go on after
// one) and every semantic problem of every file that parsed — as
// `file:line:col: message`. Terms are case-folded exactly like input text
// and compiled into byte tries (words, stems, compound tails, phrase starts)
// and one RE2::Set per language.
//
// This header is the set's public face: loading, the files and the content
// hash. The rule catalogue and the statistics are in catalog.h; the compiled
// structures (entries, tries, per-language lexicons) are internal to the
// engine (internal/lexicon_data.h) and are reached only by the analyzers.
//
// A LexiconSet is immutable once loaded and safe for concurrent use by any
// number of threads; share it as std::shared_ptr<const LexiconSet>. A reload
// builds a new set and swaps the pointer.
#ifndef DIVCHECK_ANALYZERS_LEXICON_H_
#define DIVCHECK_ANALYZERS_LEXICON_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/data_problem.h"

namespace divcheck {

namespace config::v1 {
class LexiconFile;
}  // namespace config::v1

struct CompiledEntry;    // internal/lexicon_data.h
struct LanguageLexicon;  // internal/lexicon_data.h

// One problem in a lexicon file. Line and column are 1-based; 0 when the
// problem concerns the whole file.
using LexiconProblem = DataProblem;

// Per-file facts for `divcheck lexicon stats` and the service's lexicon
// listing.
struct LexiconFileInfo {
  std::string id;
  std::string language;
  std::string version;
  std::string path;  // relative to the directory
  uint32_t entry_count = 0;
  uint32_t term_count = 0;
  uint32_t job_title_count = 0;
  // Application-form field rules (not counted in entry_count).
  uint32_t form_rule_count = 0;
};

class LexiconSet {
 public:
  // Loads and compiles every *.textproto below `dir`. On any problem returns
  // INVALID_ARGUMENT ("N problems in lexicons") and appends every problem to
  // `problems` (which may be null); NOT_FOUND when `dir` does not exist or
  // holds no lexicon file.
  static absl::StatusOr<std::shared_ptr<const LexiconSet>> Load(
      const std::string& dir, std::vector<LexiconProblem>* problems);

  LexiconSet(const LexiconSet&) = delete;
  LexiconSet& operator=(const LexiconSet&) = delete;
  ~LexiconSet();

  // The languages with a compiled lexicon ("de", "en"), sorted.
  std::vector<std::string> Languages() const;
  // Number of compiled entries (every kind).
  size_t entry_count() const;
  const std::vector<LexiconFileInfo>& files() const { return file_info_; }
  // 16 hex digits of a hash over every file's path and bytes.
  const std::string& content_hash() const { return content_hash_; }
  const std::string& directory() const { return directory_; }

  // Internal to the engine (the definitions need internal/lexicon_data.h):
  // the compiled lexicon for `language`, or null when none is loaded; the
  // compiled entry with index `index` (< entry_count()).
  const LanguageLexicon* ForLanguage(absl::string_view language) const;
  inline const CompiledEntry& entry(uint32_t index) const;

 private:
  LexiconSet();
  friend class LexiconCompiler;

  std::string directory_;
  std::string content_hash_;
  std::vector<std::unique_ptr<config::v1::LexiconFile>> files_;
  std::vector<LexiconFileInfo> file_info_;
  std::vector<CompiledEntry> entries_;
  std::map<std::string, std::unique_ptr<LanguageLexicon>, std::less<>>
      languages_;
};

// What a new lexicon set lacks compared with the one in use: languages with
// a compiled lexicon and files (paths relative to the directory), each
// sorted. A reload that would lose either is refused unless the operator
// allows it (Engine::ReloadLexicons).
struct LexiconLoss {
  std::vector<std::string> languages;
  std::vector<std::string> files;
  bool empty() const { return languages.empty() && files.empty(); }
};
LexiconLoss FindLexiconLoss(const LexiconSet& current, const LexiconSet& next);

}  // namespace divcheck

#endif  // DIVCHECK_ANALYZERS_LEXICON_H_
