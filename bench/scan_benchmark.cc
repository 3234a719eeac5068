// Benchmarks of the scan pipeline with the shipped lexicons on a ~4 KB
// German job ad (bench/data/stellenanzeige_de.txt). See docs/PERFORMANCE.md
// for the command and the figures.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analyzers/analysis.h"
#include "analyzers/coded_wording.h"
#include "analyzers/context_filter.h"
#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "analyzers/term_matcher.h"
#include "analyzers/title_gender_marker.h"
#include "benchmark/benchmark.h"

namespace divcheck {
namespace {

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string ReadAd() { return ReadFileOrEmpty(DIVCHECK_BENCH_AD); }

Engine& SharedEngine() {
  static Engine* engine = [] {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto e = Engine::Create(options);
    if (!e.ok()) {
      fprintf(stderr, "cannot load lexicons: %s\n",
              e.status().ToString().c_str());
      std::abort();
    }
    return e->release();
  }();
  return *engine;
}

// The whole pipeline: document, matching, analyzers, context, spans,
// scoring, building the Report.
void BM_ScanGermanAd(benchmark::State& state) {
  const std::string ad = ReadAd();
  Engine& engine = SharedEngine();
  ScanOptions options;
  options.language = "de";
  size_t findings = 0;
  for (auto _ : state) {
    auto report = engine.ScanText(ad, options);
    findings = report->findings_size();
    benchmark::DoNotOptimize(report);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["bytes"] = static_cast<double>(ad.size());
}
BENCHMARK(BM_ScanGermanAd);

// Scans `ad` into one reused Report per thread, as a batch caller or a
// worker thread would run it (protobuf keeps the previous report's
// strings); `language` "" detects it.
void ScanReused(benchmark::State& state, const std::string& ad,
                const std::string& language) {
  Engine& engine = SharedEngine();
  ScanOptions options;
  options.language = language;
  v1::Report report;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.ScanTextInto(ad, options, &report));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["findings"] = static_cast<double>(report.findings_size());
}

void BM_ScanGermanAdReusedReport(benchmark::State& state) {
  ScanReused(state, ReadAd(), "de");
}
BENCHMARK(BM_ScanGermanAdReusedReport);
// Two threads on one engine, as divcheckd runs on this 2-core machine: shows
// what the threads share (locks, cache lines) beyond the cores themselves.
BENCHMARK(BM_ScanGermanAdReusedReport)->Threads(2)->UseRealTime();

// The same with language detection, as `divcheck scan` runs by default.
void BM_ScanGermanAdReusedReportDetectLanguage(benchmark::State& state) {
  ScanReused(state, ReadAd(), "");
}
BENCHMARK(BM_ScanGermanAdReusedReportDetectLanguage);

// The same with language detection.
void BM_ScanGermanAdDetectLanguage(benchmark::State& state) {
  const std::string ad = ReadAd();
  Engine& engine = SharedEngine();
  ScanOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(engine.ScanText(ad, options));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
}
BENCHMARK(BM_ScanGermanAdDetectLanguage);

// The text pipeline alone: UTF-8 check, NFC, folding, tokens, sentences.
void BM_Document(benchmark::State& state) {
  const std::string ad = ReadAd();
  for (auto _ : state) benchmark::DoNotOptimize(Document::Create(ad));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
}
BENCHMARK(BM_Document);

// The ad with its first space as a no-break space: one character that is
// not plain makes the whole text take the matching view (issue 17).
std::string AdWithOneNbsp() {
  std::string ad = ReadAd();
  const size_t space = ad.find(' ');
  if (space != std::string::npos) ad.replace(space, 1, "\u00a0");
  return ad;
}

void BM_DocumentOneNbsp(benchmark::State& state) {
  const std::string ad = AdWithOneNbsp();
  for (auto _ : state) benchmark::DoNotOptimize(Document::Create(ad));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
}
BENCHMARK(BM_DocumentOneNbsp);

void BM_ScanGermanAdReusedReportOneNbsp(benchmark::State& state) {
  ScanReused(state, AdWithOneNbsp(), "de");
}
BENCHMARK(BM_ScanGermanAdReusedReportOneNbsp);

// The stages after the text pipeline, on a prepared document: matching
// (tries, phrases, one RE2::Set pass per sentence) …
void BM_MatchTerms(benchmark::State& state) {
  const std::string ad = ReadAd();
  auto doc = Document::Create(ad);
  const auto set = SharedEngine().lexicons();
  const LanguageLexicon& lex = *set->ForLanguage("de");
  for (auto _ : state) {
    Analysis a(*doc, *set, lex);
    MatchTerms(&a);
    benchmark::DoNotOptimize(a.matches.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
}
BENCHMARK(BM_MatchTerms);
BENCHMARK(BM_MatchTerms)->Threads(2)->UseRealTime();

// … and matching plus the analyzers and the context filter (no Report).
void BM_MatchAndAnalyze(benchmark::State& state) {
  const std::string ad = ReadAd();
  auto doc = Document::Create(ad);
  const auto set = SharedEngine().lexicons();
  const LanguageLexicon& lex = *set->ForLanguage("de");
  v1::CodedWordingBalance balance;
  for (auto _ : state) {
    balance.Clear();  // WeighCodedWording adds to it
    Analysis a(*doc, *set, lex);
    MatchTerms(&a);
    PrepareContext(&a);
    FindUnmarkedTitles(&a);
    WeighCodedWording(&a, &balance);
    benchmark::DoNotOptimize(ApplyContext(&a));
    benchmark::DoNotOptimize(a.candidates.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
}
BENCHMARK(BM_MatchAndAnalyze);

// Pathological 1 MiB inputs (issue 17, item 1) next to a normal 1 MiB ad
// text. Every one is a valid input at the default size limit.
enum class BigInput {
  kNormal,
  kJung,
  kRepeatedAd,
  kDense,
  kTitle,
  kInvisible,
  kMixedScript
};

// `unit` + `separator` repeated while the result stays within 1 MiB.
std::string RepeatTo1MiB(const std::string& unit,
                         const std::string& separator) {
  std::string out;
  while (out.size() + unit.size() + separator.size() <= kDefaultMaxInputBytes) {
    out += unit;
    out += separator;
  }
  return out;
}

// The German corpus passages (tests/corpus/de), without their "#!" label
// lines, in file name order; `clean` selects the passages labelled clean
// (no finding at WARNING or above) or the others.
std::vector<std::string> CorpusPassages(bool clean) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e :
       std::filesystem::directory_iterator(DIVCHECK_CORPUS_DE)) {
    if (e.path().extension() == ".txt") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::istringstream in(ReadFileOrEmpty(p.string()));
    std::string line, text;
    bool is_clean = false;
    while (std::getline(in, line)) {
      if (line.rfind("#!", 0) == 0) {
        is_clean = is_clean || line.rfind("#! clean", 0) == 0;
        continue;
      }
      text += line;
      text += "\n";
    }
    if (is_clean == clean) out.push_back(text);
  }
  return out;
}

const std::string& Input(BigInput which) {
  static const std::string* inputs = [] {
    auto* in = new std::string[7];
    // Normal: the clean corpus passages, one after the other, repeated.
    std::string clean;
    for (const std::string& p : CorpusPassages(true)) clean += p + "\n";
    in[0] = RepeatTo1MiB(clean, "");
    in[1] = RepeatTo1MiB("jung", " ");
    in[2] = RepeatTo1MiB(ReadAd(), "\n\n");
    // Dense: every distinct finding text of the labelled passages, joined
    // by spaces into one long sentence, repeated.
    Engine& engine = SharedEngine();
    ScanOptions options;
    options.language = "de";
    std::set<std::string> texts;
    for (const std::string& p : CorpusPassages(false)) {
      auto report = engine.ScanText(p, options);
      if (!report.ok()) continue;
      for (const auto& f : report->findings()) texts.insert(f.matched_text());
    }
    std::string dense;
    for (const std::string& t : texts) dense += t + " ";
    in[3] = RepeatTo1MiB(dense, "");
    // One masculine-only job title, over and over (the title check).
    in[4] = RepeatTo1MiB("Verk\u00e4ufer", " ");
    // The realistic ad with every space a no-break space and a soft hyphen
    // after the third byte of every word (the matching view on every byte,
    // issue 17).
    std::string invisible;
    size_t word = 0;
    for (char c : ReadAd()) {
      const bool letter = static_cast<unsigned char>(c) >= 0x80 ||
                          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      word = letter ? word + 1 : 0;
      if (c == ' ') {
        invisible += "\u00a0";
        continue;
      }
      invisible += c;
      if (word == 3 && (static_cast<unsigned char>(c) & 0xC0) != 0xC0) {
        invisible += "\u00ad";
      }
    }
    in[5] = RepeatTo1MiB(invisible, "\n\n");
    // A finding in a mixed-script word, over and over: "Team" with a
    // Cyrillic "е", a look-alike to replace and a hint per word.
    in[6] = RepeatTo1MiB("junges T\u0435am", ". ");
    return in;
  }();
  return inputs[static_cast<int>(which)];
}

// The whole pipeline (ScanTextInto, reused Report) on 1 MiB.
void BM_Scan1MiB(benchmark::State& state) {
  const auto which = static_cast<BigInput>(state.range(0));
  static const char* const kLabels[] = {"normal (clean ads)",
                                        "\"jung \" repeated",
                                        "realistic ad repeated",
                                        "dense distinct findings",
                                        "\"Verk\u00e4ufer \" repeated",
                                        "ad with NBSP and soft hyphens",
                                        "\"junges T\u0435am. \" repeated"};
  const std::string& text = Input(which);
  Engine& engine = SharedEngine();
  ScanOptions options;
  options.language = "de";
  v1::Report report;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.ScanTextInto(text, options, &report));
  }
  state.SetLabel(kLabels[state.range(0)]);
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
  state.counters["findings"] = static_cast<double>(report.findings_size());
  state.counters["uncapped"] = static_cast<double>(
      report.findings_size() + report.omitted_finding_count());
  state.counters["response_bytes"] = static_cast<double>(report.ByteSizeLong());
}
BENCHMARK(BM_Scan1MiB)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);

// Loading and compiling every shipped lexicon (start-up and reload cost).
void BM_LoadLexicons(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        LexiconSet::Load(DIVCHECK_SOURCE_LEXICONS, nullptr));
  }
}
BENCHMARK(BM_LoadLexicons)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace divcheck

BENCHMARK_MAIN();
