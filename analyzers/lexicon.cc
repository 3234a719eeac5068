#include "analyzers/lexicon.h"

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

}  // namespace divcheck
