// Quality tests of the shipped lexicons (lexicons/):
//  * CourtExcerpts: the verbatim ad excerpts quoted in court decisions
//    (tests/data/court_excerpts.tsv) give the findings listed in
//    tests/data/court_expectations.tsv;
//  * Corpus: the labelled passages in tests/corpus/{de,en}/ reach precision
//    and recall of at least 0.9 per dimension, and no clean passage has a
//    WARNING or CRITICAL finding. Prints the per-dimension table.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "analyzers/engine.h"
#include "analyzers/internal/lexicon_data.h"
#include "analyzers/lexicon.h"
#include "gtest/gtest.h"

namespace divcheck {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const std::map<std::string, v1::Dimension>& Dimensions() {
  static const auto* m = new std::map<std::string, v1::Dimension>{
      {"age", v1::DIMENSION_AGE},
      {"gender", v1::DIMENSION_GENDER},
      {"ethnic_origin", v1::DIMENSION_ETHNIC_ORIGIN},
      {"religion", v1::DIMENSION_RELIGION},
      {"disability", v1::DIMENSION_DISABILITY},
      {"sexual_identity", v1::DIMENSION_SEXUAL_IDENTITY},
      {"social_origin", v1::DIMENSION_SOCIAL_ORIGIN}};
  return *m;
}

bool ParseSeverity(absl::string_view s, v1::Severity* out) {
  if (s == "hint") *out = v1::SEVERITY_HINT;
  else if (s == "warning") *out = v1::SEVERITY_WARNING;
  else if (s == "critical") *out = v1::SEVERITY_CRITICAL;
  else return false;
  return true;
}

// The most severe finding per dimension.
std::map<v1::Dimension, v1::Severity> Worst(const v1::Report& r) {
  std::map<v1::Dimension, v1::Severity> out;
  for (const v1::Finding& f : r.findings()) {
    for (int d : f.dimensions()) {
      auto& w = out[static_cast<v1::Dimension>(d)];
      w = std::max(w, f.severity());
    }
  }
  return out;
}

std::string Describe(const v1::Report& r) {
  std::string out;
  for (const v1::Finding& f : r.findings()) {
    absl::StrAppend(&out, "  ", v1::Severity_Name(f.severity()), " ", f.rule_id(),
                    " \"", f.matched_text(), "\"\n");
  }
  return out.empty() ? "  (no findings)\n" : out;
}

class QualityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto engine = Engine::Create(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() { delete engine_; }
  static Engine* engine_;
};
Engine* QualityTest::engine_ = nullptr;

// The size the lexicon issue asks for: ≥ 600 German and ≥ 300 English
// matchable concepts (finding, highlight and gender-coded terms plus job
// titles; context cues not counted), ≥ 300 German job titles, ≥ 60 German
// gender-coded stems per side, and the complete English Gaucher lists.
TEST_F(QualityTest, LexiconSize) {
  const std::shared_ptr<const LexiconSet> set = engine_->lexicons();
  std::map<std::string, size_t> concepts, agentic, communal, titles;
  for (size_t i = 0; i < set->entry_count(); ++i) {
    const CompiledEntry& e = set->entry(static_cast<uint32_t>(i));
    if (!IsConceptKind(e.kind)) continue;
    const size_t t = TermCount(*e.def);
    concepts[e.language] += t;
    if (e.kind == config::v1::ENTRY_KIND_AGENTIC) agentic[e.language] += t;
    if (e.kind == config::v1::ENTRY_KIND_COMMUNAL) communal[e.language] += t;
  }
  for (const LexiconFileInfo& f : set->files()) {
    titles[f.language] += f.job_title_count;
    concepts[f.language] += f.job_title_count;
  }
  std::printf("concepts: de %zu, en %zu; job titles de %zu; coded de %zu/%zu, en %zu/%zu\n",
              concepts["de"], concepts["en"], titles["de"], agentic["de"], communal["de"],
              agentic["en"], communal["en"]);
  EXPECT_GE(concepts["de"], 600u);
  EXPECT_GE(concepts["en"], 300u);
  EXPECT_GE(titles["de"], 300u);
  EXPECT_GE(agentic["de"], 60u);
  EXPECT_GE(communal["de"], 60u);
  EXPECT_GE(agentic["en"], 50u);   // Gaucher et al. via Gender Decoder: 52 stems
  EXPECT_GE(communal["en"], 48u);  // 50 stems (hyphenated variants merge)
}

TEST_F(QualityTest, CourtExcerpts) {
  std::map<std::string, std::pair<std::string, std::string>> excerpts;  // id → (lang, text)
  std::istringstream tsv(ReadFile(fs::path(DIVCHECK_TEST_DATA) / "court_excerpts.tsv"));
  std::string line;
  std::getline(tsv, line);  // header
  while (std::getline(tsv, line)) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 4) continue;
    excerpts[cols[0]] = {cols[2], cols[3]};
  }
  ASSERT_GE(excerpts.size(), 12u);
  std::istringstream exp(ReadFile(fs::path(DIVCHECK_TEST_DATA) / "court_expectations.tsv"));
  std::getline(exp, line);
  int checked = 0;
  while (std::getline(exp, line)) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    ASSERT_GE(cols.size(), 4u) << line;
    SCOPED_TRACE(line);
    ASSERT_TRUE(excerpts.count(cols[0])) << "no excerpt " << cols[0];
    ASSERT_TRUE(Dimensions().count(cols[2]));
    v1::Severity sev;
    ASSERT_TRUE(ParseSeverity(cols[3], &sev));
    ScanOptions scan;
    scan.language = excerpts[cols[0]].first;
    auto report = engine_->ScanText(excerpts[cols[0]].second, scan);
    ASSERT_TRUE(report.ok()) << report.status();
    const v1::Severity worst = Worst(*report)[Dimensions().at(cols[2])];
    if (cols[1] == "at_least") {
      EXPECT_GE(worst, sev) << cols[0] << " " << excerpts[cols[0]].second << "\n"
                            << Describe(*report);
    } else {
      ASSERT_EQ(cols[1], "at_most");
      EXPECT_LE(worst, sev) << cols[0] << " " << excerpts[cols[0]].second << "\n"
                            << Describe(*report);
    }
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

struct Passage {
  std::string path;
  std::string language;
  bool clean = false;
  std::map<v1::Dimension, v1::Severity> expect;
  std::string text;
};

std::vector<Passage> LoadCorpus(std::string* error) {
  std::vector<Passage> out;
  for (const char* lang : {"de", "en"}) {
    const fs::path dir = fs::path(DIVCHECK_CORPUS_DIR) / lang;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      Passage p;
      p.path = fs::relative(f, DIVCHECK_CORPUS_DIR).string();
      p.language = lang;
      const std::string content = ReadFile(f);
      size_t pos = 0;
      while (pos < content.size() && absl::StartsWith(absl::string_view(content).substr(pos), "#!")) {
        const size_t nl = content.find('\n', pos);
        absl::string_view header = absl::string_view(content).substr(
            pos + 2, (nl == std::string::npos ? content.size() : nl) - pos - 2);
        header = absl::StripAsciiWhitespace(header);
        if (header == "clean") {
          p.clean = true;
        } else if (absl::ConsumePrefix(&header, "expect:")) {
          std::vector<std::string> parts =
              absl::StrSplit(absl::StripAsciiWhitespace(header), ' ', absl::SkipEmpty());
          v1::Severity sev;
          if (parts.size() != 2 || !Dimensions().count(parts[0]) ||
              !ParseSeverity(parts[1], &sev)) {
            *error += absl::StrCat(p.path, ": bad expect line \"", header, "\"\n");
          } else {
            p.expect[Dimensions().at(parts[0])] = sev;
          }
        } else if (!absl::StartsWith(header, "note:")) {
          *error += absl::StrCat(p.path, ": unknown header \"", header, "\"\n");
        }
        pos = nl == std::string::npos ? content.size() : nl + 1;
      }
      p.text = content.substr(pos);
      if (p.clean == !p.expect.empty()) {
        *error += absl::StrCat(p.path, ": needs either #! clean or #! expect lines\n");
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

TEST_F(QualityTest, Corpus) {
  std::string error;
  const std::vector<Passage> corpus = LoadCorpus(&error);
  ASSERT_TRUE(error.empty()) << error;
  size_t de = 0, en = 0, clean = 0;
  for (const Passage& p : corpus) {
    (p.language == "de" ? de : en) += 1;
    clean += p.clean;
  }
  EXPECT_GE(de, 100u);
  EXPECT_GE(en, 50u);
  EXPECT_GE(clean, 60u);

  struct Counts { int tp = 0, fp = 0, fn = 0; };
  std::map<v1::Dimension, Counts> counts;
  std::string failures;
  int clean_violations = 0;
  for (const Passage& p : corpus) {
    ScanOptions scan;
    scan.language = p.language;
    auto report = engine_->ScanText(p.text, scan);
    ASSERT_TRUE(report.ok()) << p.path << ": " << report.status();
    const auto worst = Worst(*report);
    for (const auto& [name, dim] : Dimensions()) {
      const auto e = p.expect.find(dim);
      const auto w = worst.find(dim);
      const v1::Severity got = w == worst.end() ? v1::SEVERITY_UNSPECIFIED : w->second;
      if (e != p.expect.end()) {
        if (got >= e->second) {
          ++counts[dim].tp;
        } else {
          ++counts[dim].fn;
          absl::StrAppend(&failures, "missed ", name, " ≥ ", v1::Severity_Name(e->second),
                          " in ", p.path, "\n", Describe(*report));
        }
      } else if (got >= v1::SEVERITY_WARNING) {
        ++counts[dim].fp;
        if (p.clean) ++clean_violations;
        absl::StrAppend(&failures, "unexpected ", name, " ", v1::Severity_Name(got),
                        " in ", p.path, p.clean ? " (clean)" : "", "\n",
                        Describe(*report));
      }
    }
  }
  std::printf("\ncorpus: %zu passages (%zu de, %zu en, %zu clean)\n", corpus.size(), de,
              en, clean);
  std::printf("%-16s %5s %5s %5s %9s %7s\n", "dimension", "tp", "fp", "fn", "precision",
              "recall");
  bool below = false;
  for (const auto& [name, dim] : Dimensions()) {
    const Counts& c = counts[dim];
    const double precision = c.tp + c.fp == 0 ? 1.0 : double(c.tp) / (c.tp + c.fp);
    const double recall = c.tp + c.fn == 0 ? 1.0 : double(c.tp) / (c.tp + c.fn);
    std::printf("%-16s %5d %5d %5d %9.3f %7.3f\n", name.c_str(), c.tp, c.fp, c.fn,
                precision, recall);
    if (precision < 0.9 || recall < 0.9) below = true;
  }
  std::fflush(stdout);
  EXPECT_FALSE(below) << "precision or recall below 0.9:\n" << failures;
  EXPECT_EQ(clean_violations, 0) << failures;
}

}  // namespace
}  // namespace divcheck
