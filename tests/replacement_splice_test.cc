// Issue 14, "a job board must be able to apply a replacement
// automatically": for every finding with replacements over the project
// corpora (tests/corpus/{de,en}, tests/corpus/real/{de,en}) and over every
// rule's lexicon examples, each replacement is spliced into the text at the
// finding's span and the text is scanned again; the same rule must no
// longer fire where the replacement now stands. A replacement shaped as a
// whole sentence ("Wir freuen uns über …", "… mit.") must also stand where a
// whole sentence or list item stood: pasted into the middle of a sentence
// it would not be grammatical. Every failure is printed with its rule id,
// file and the spliced sentence.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "analyzers/catalog.h"
#include "analyzers/engine.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"

namespace divcheck {
namespace {

struct Text {
  std::string name;
  std::string language;
  std::string text;
};

std::vector<Text> CorpusTexts(const std::string& dir) {
  std::vector<Text> out;
  for (const char* language : {"de", "en"}) {
    const std::filesystem::path d = std::filesystem::path(dir) / language;
    if (!std::filesystem::is_directory(d)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(d)) {
      if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      out.push_back({f.string(), language, buf.str()});
    }
  }
  return out;
}

// The line of `text` around byte `at`, for the failure message.
std::string LineAround(const std::string& text, size_t at) {
  size_t b = text.rfind('\n', at == 0 ? 0 : at - 1);
  b = b == std::string::npos ? 0 : b + 1;
  size_t e = text.find('\n', at);
  if (e == std::string::npos) e = text.size();
  return text.substr(b, std::min<size_t>(e - b, 200));
}

// A replacement that is a sentence of its own: it ends with . ! or ?, or
// it opens with a subject pronoun and a verb ("Sie arbeiten …").
bool IsSentenceShaped(const std::string& r) {
  if (r.empty()) return false;
  const char last = r.back();
  if (last == '.' || last == '!' || last == '?') return true;
  for (const char* subject : {"Sie ", "Wir ", "Du ", "We ", "You "}) {
    const size_t n = std::char_traits<char>::length(subject);
    if (r.compare(0, n, subject) == 0 && r.size() > n && r[n] >= 'a' &&
        r[n] <= 'z') {
      return true;
    }
  }
  return false;
}

// Whether [b, e) of `text` is a whole sentence or list item: before it only
// blanks back to the start of the text, a line start (after an optional
// bullet) or the end of a sentence; after it only blanks, then the end, a
// line end, or the next sentence.
bool IsWholeSentence(const std::string& text, size_t b, size_t e) {
  size_t i = b;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  if (i > 0 && (text[i - 1] == '-' || text[i - 1] == '*')) {
    --i;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  }
  const bool starts =
      i == 0 || text[i - 1] == '\n' || text[i - 1] == '.' ||
      text[i - 1] == '!' || text[i - 1] == '?' || text[i - 1] == ':' ||
      (i >= 3 && text.compare(i - 3, 3, "\u2022") == 0);  // a bullet
  size_t j = e;
  while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
  const char before_end = e > b ? text[e - 1] : ' ';
  const bool ends =
      j == text.size() || text[j] == '\n' ||
      ((before_end == '.' || before_end == '!' || before_end == '?') && j > e);
  return starts && ends;
}

class ReplacementSpliceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }

  // Splices every replacement of every finding of `t` and rescans; appends
  // one line per replacement after which the rule still fires there.
  static void Check(const Text& t, int* applied,
                    std::vector<std::string>* failures) {
    ScanOptions scan;
    scan.language = t.language;
    auto report = engine_->ScanText(t.text, scan);
    ASSERT_TRUE(report.ok()) << t.name << ": " << report.status();
    for (const v1::Finding& f : report->findings()) {
      for (const std::string& r : f.replacements()) {
        const size_t b = f.span().start_byte();
        const size_t e = f.span().end_byte();
        if (IsSentenceShaped(r) && !IsWholeSentence(t.text, b, e)) {
          failures->push_back(
              absl::StrCat(f.rule_id(), " in ", t.name, ": the sentence \"", r,
                           "\" would replace \"", f.matched_text(),
                           "\" inside a sentence: ", LineAround(t.text, b)));
          continue;
        }
        const std::string spliced =
            absl::StrCat(t.text.substr(0, b), r, t.text.substr(e));
        auto again = engine_->ScanText(spliced, scan);
        ASSERT_TRUE(again.ok()) << t.name << ": " << again.status();
        ++*applied;
        for (const v1::Finding& g : again->findings()) {
          if (g.rule_id() != f.rule_id()) continue;
          if (g.span().start_byte() >= b + r.size() ||
              g.span().end_byte() <= b) {
            continue;
          }
          failures->push_back(absl::StrCat(
              f.rule_id(), " in ", t.name, ": \"", f.matched_text(), "\" -> \"",
              r, "\" still fires on \"", g.matched_text(),
              "\": ", LineAround(spliced, b)));
          break;
        }
      }
    }
  }

  static Engine* engine_;
};
Engine* ReplacementSpliceTest::engine_ = nullptr;

TEST_F(ReplacementSpliceTest, EveryReplacementRemovesItsFinding) {
  ASSERT_NE(engine_, nullptr);
  std::vector<Text> texts = CorpusTexts(DIVCHECK_CORPUS_DIR);
  const std::vector<Text> real =
      CorpusTexts(absl::StrCat(DIVCHECK_CORPUS_DIR, "/real"));
  texts.insert(texts.end(), real.begin(), real.end());
  ASSERT_GT(texts.size(), 100u);
  for (const RuleInfo& rule : ListRules(*engine_->lexicons())) {
    if (rule.form_field_rule) continue;
    for (const std::string& example : rule.examples) {
      texts.push_back({absl::StrCat("example of ", rule.id),
                       rule.language.empty() ? "de" : rule.language, example});
    }
  }
  int applied = 0;
  std::vector<std::string> failures;
  for (const Text& t : texts) Check(t, &applied, &failures);
  std::printf("%zu texts, %d replacements applied, %zu failures\n",
              texts.size(), applied, failures.size());
  EXPECT_GT(applied, 200);
  EXPECT_TRUE(failures.empty())
      << failures.size() << " replacements leave their finding in place:\n  "
      << absl::StrJoin(failures, "\n  ");
}

}  // namespace
}  // namespace divcheck
