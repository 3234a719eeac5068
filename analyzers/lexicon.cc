#include "analyzers/lexicon.h"

#include <algorithm>
#include <set>

#include "analyzers/internal/lexicon_compiler.h"
#include "analyzers/internal/lexicon_data.h"

namespace divcheck {

LexiconSet::LexiconSet() = default;
LexiconSet::~LexiconSet() = default;

size_t LexiconSet::entry_count() const { return entries_.size(); }

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

absl::StatusOr<std::shared_ptr<const LexiconSet>> LexiconSet::Load(
    const std::string& dir, std::vector<LexiconProblem>* problems) {
  std::vector<LexiconProblem> local;
  LexiconCompiler compiler(problems != nullptr ? problems : &local);
  return compiler.Run(dir);
}

LexiconLoss FindLexiconLoss(const LexiconSet& current, const LexiconSet& next) {
  LexiconLoss loss;
  const std::vector<std::string> next_languages = next.Languages();
  for (const std::string& lang : current.Languages()) {
    if (!std::binary_search(next_languages.begin(), next_languages.end(),
                            lang)) {
      loss.languages.push_back(lang);
    }
  }
  std::set<std::string, std::less<>> next_files;
  for (const LexiconFileInfo& f : next.files()) next_files.insert(f.path);
  for (const LexiconFileInfo& f : current.files()) {
    if (next_files.count(f.path) == 0) loss.files.push_back(f.path);
  }
  std::sort(loss.files.begin(), loss.files.end());
  return loss;
}

}  // namespace divcheck
