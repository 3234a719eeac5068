// Benchmarks of the application-form audit with the shipped lexicons: the
// HTML reader and Engine::ScanForm on a realistic bad form
// (tests/forms/de-01-pflegedienst-klassisch.html), and ScanForm at the
// request limits (1,000 fields; 10,000 options in one field).
//
//   build/bench/divcheck_form_benchmark --benchmark_min_time=1
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "benchmark/benchmark.h"
#include "formats/form_input.h"

namespace divcheck {
namespace {

std::string ReadForm() {
  std::ifstream in(DIVCHECK_BENCH_FORM, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Engine& SharedEngine() {
  static Engine* engine = [] {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    auto e = Engine::Create(options);
    if (!e.ok()) std::abort();
    return e->release();
  }();
  return *engine;
}

void BM_ReadHtmlForm(benchmark::State& state) {
  const std::string html = ReadForm();
  for (auto _ : state) {
    auto request = formats::FormFromHtml(html);
    benchmark::DoNotOptimize(request);
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * html.size()));
}
BENCHMARK(BM_ReadHtmlForm);

void BM_ScanFormClassic(benchmark::State& state) {
  const v1::ScanFormRequest request = *formats::FormFromHtml(ReadForm());
  Engine& engine = SharedEngine();
  size_t findings = 0;
  for (auto _ : state) {
    auto response = engine.ScanForm(request, ScanOptions());
    findings = response->report().findings_size();
    benchmark::DoNotOptimize(response);
  }
  state.counters["fields"] = request.fields_size();
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_ScanFormClassic);

void BM_ScanFormThousandFields(benchmark::State& state) {
  v1::ScanFormRequest request;
  request.set_language_code("de");
  const char* labels[] = {"Geburtsdatum *", "E-Mail", "Familienstand",
                          "Telefonnummer", "Lebenslauf (bitte ohne Foto)"};
  for (int i = 0; i < 1000; ++i) {
    v1::FormField* f = request.add_fields();
    f->set_field_id(absl::StrCat("f", i));
    f->set_name(absl::StrCat("feld_", i));
    f->set_label(labels[i % 5]);
  }
  Engine& engine = SharedEngine();
  for (auto _ : state) {
    auto response = engine.ScanForm(request, ScanOptions());
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_ScanFormThousandFields)->Unit(benchmark::kMillisecond);

void BM_ScanFormTenThousandOptions(benchmark::State& state) {
  v1::ScanFormRequest request;
  request.set_language_code("de");
  v1::FormField* f = request.add_fields();
  f->set_field_id("ort");
  f->set_label("Wohnort");
  f->set_type(v1::FIELD_TYPE_SELECT);
  for (int i = 0; i < 10000; ++i) {
    v1::FieldOption* o = f->add_options();
    o->set_value(absl::StrCat(i));
    o->set_label(absl::StrCat("Gemeinde Nummer ", i));
  }
  Engine& engine = SharedEngine();
  for (auto _ : state) {
    auto response = engine.ScanForm(request, ScanOptions());
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_ScanFormTenThousandOptions)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace divcheck

BENCHMARK_MAIN();
