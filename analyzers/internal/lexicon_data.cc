#include "analyzers/internal/lexicon_data.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"

namespace divcheck {

RE2::Options LexiconRegexOptions() {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_case_sensitive(false);
  return opts;
}

bool CompiledEntry::IsException(absl::string_view token) const {
  if (!exact_exceptions.empty() && exact_exceptions.contains(token))
    return true;
  for (const std::string& p : prefix_exceptions) {
    if (absl::StartsWith(token, p)) return true;
  }
  return false;
}

void LanguageLexicon::SetEndings(std::vector<std::string> e) {
  endings = std::move(e);
  std::fill(std::begin(ending_mask_by_last), std::end(ending_mask_by_last), 0u);
  for (size_t i = 0; i < endings.size() && i < 32; ++i) {
    if (endings[i].empty()) continue;
    ending_mask_by_last[static_cast<uint8_t>(endings[i].back())] |= 1u << i;
  }
}

bool LanguageLexicon::IsEnding(absl::string_view s) const {
  if (s.empty() || s.size() > 3) return false;
  for (uint32_t m = ending_mask_by_last[static_cast<uint8_t>(s.back())]; m != 0;
       m &= m - 1) {
    if (s == endings[__builtin_ctz(m)]) return true;
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
    regexes[id] =
        std::make_unique<RE2>(regex_sources[id], LexiconRegexOptions());
  });
  return *regexes[id];
}

}  // namespace divcheck
