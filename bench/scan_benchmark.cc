// Benchmarks of the scan pipeline with the shipped lexicons on a ~4 KB
// German job ad (bench/data/stellenanzeige_de.txt). See docs/PERFORMANCE.md
// for the command and the figures.
#include <fstream>
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

std::string ReadAd() {
  std::ifstream in(DIVCHECK_BENCH_AD, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Engine& SharedEngine() {
  static Engine* engine = [] {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto e = Engine::Create(options);
    if (!e.ok()) {
      fprintf(stderr, "cannot load lexicons: %s\n", e.status().ToString().c_str());
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

// The same into one reused Report, as a batch caller or a worker thread
// would run it (protobuf keeps the previous report's strings).
void BM_ScanGermanAdReusedReport(benchmark::State& state) {
  const std::string ad = ReadAd();
  Engine& engine = SharedEngine();
  ScanOptions options;
  options.language = "de";
  v1::Report report;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.ScanTextInto(ad, options, &report));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["findings"] = static_cast<double>(report.findings_size());
}
BENCHMARK(BM_ScanGermanAdReusedReport);
// Two threads on one engine, as divcheckd runs on this 2-core machine: shows
// what the threads share (locks, cache lines) beyond the cores themselves.
BENCHMARK(BM_ScanGermanAdReusedReport)->Threads(2)->UseRealTime();

// The same with language detection, as `divcheck scan` runs by default.
void BM_ScanGermanAdReusedReportDetectLanguage(benchmark::State& state) {
  const std::string ad = ReadAd();
  Engine& engine = SharedEngine();
  v1::Report report;
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.ScanTextInto(ad, ScanOptions(), &report));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
  state.SetItemsProcessed(state.iterations());
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
    ApplyContext(&a);
    benchmark::DoNotOptimize(a.candidates.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ad.size()));
}
BENCHMARK(BM_MatchAndAnalyze);

// Loading and compiling every shipped lexicon (start-up and reload cost).
void BM_LoadLexicons(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(LexiconSet::Load(DIVCHECK_SOURCE_LEXICONS, nullptr));
  }
}
BENCHMARK(BM_LoadLexicons)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace divcheck

BENCHMARK_MAIN();
