// The cost of formats::ReadDocument per format: the ~4 KB German job ad
// (bench/data/stellenanzeige_de.txt) as .docx, .odt, PDF, HTML and
// Windows-1252 text, 8 copies in a row (~30 KB of text). The counter
// per_KB is the CPU time per KB of extracted text. See docs/PERFORMANCE.md.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bench/document_fixtures.h"
#include "benchmark/benchmark.h"
#include "formats/document.h"
#include "unicode/unistr.h"

namespace divcheck {
namespace {

constexpr int kCopies = 8;

std::vector<std::string> AdLines() {
  std::ifstream in(DIVCHECK_BENCH_AD, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  std::vector<std::string> lines;
  for (int i = 0; i < kCopies; ++i) {
    for (absl::string_view line : absl::StrSplit(buf.str(), '\n')) {
      if (!line.empty()) lines.emplace_back(line);
    }
  }
  return lines;
}

std::string Xml(absl::string_view s) {
  return absl::StrReplaceAll(s, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}});
}

std::string Windows1252(absl::string_view utf8) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::string out(static_cast<size_t>(u.length()) * 2 + 16, '\0');
  const int32_t n =
      u.extract(0, u.length(), out.data(), static_cast<uint32_t>(out.size()),
                "windows-1252");
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string MakeDocx() {
  std::string body;
  for (const std::string& l : AdLines()) {
    body += fixtures::DocxPara(fixtures::DocxRun(Xml(l)));
  }
  return fixtures::Docx(body);
}

std::string MakeOdt() {
  std::string body;
  for (const std::string& l : AdLines()) {
    absl::StrAppend(&body, "<text:p>", Xml(l), "</text:p>");
  }
  return fixtures::Odt(body);
}

std::string MakeHtml() {
  std::string html =
      "<!doctype html><html><head><title>Stelle</title><style>p{margin:0}"
      "</style><script>var tracking = 1;</script></head><body><main>";
  for (const std::string& l : AdLines()) {
    absl::StrAppend(&html, "<p>", Xml(l), "</p>\n");
  }
  return html + "</main></body></html>";
}

// The ad as a job board's page: sections with ids and classes, the lines
// as list items with bold words, in a table-based layout.
std::string MakeNestedHtml() {
  std::string html =
      "<!doctype html><html><head><title>Stelle</title><style>li{margin:0}"
      "</style><script>var tracking = 1;</script></head><body>"
      "<div id=\"page\" class=\"layout wide\"><table class=\"frame\"><tr>"
      "<td class=\"nav\"><a href=\"/\">Start</a></td><td class=\"content\">";
  int n = 0;
  for (const std::string& l : AdLines()) {
    if (n % 10 == 0) {
      absl::StrAppend(&html, n == 0 ? "" : "</ul></section>",
                      "<section class=\"block\" id=\"s", n, "\"><h2>Teil ", n,
                      "</h2><ul class=\"items\">");
    }
    const size_t space = l.find(' ');
    absl::StrAppend(&html, "<li><b>", Xml(l.substr(0, space)), "</b>",
                    space == std::string::npos ? "" : Xml(l.substr(space)),
                    "</li>\n");
    ++n;
  }
  return html + "</ul></section></td></tr></table></div></body></html>";
}

std::string MakePdf() {
  std::vector<std::string> pages;
  std::string page;
  int lines = 0;
  for (const std::string& l : AdLines()) {
    std::string escaped = absl::StrReplaceAll(
        Windows1252(l), {{"\\", "\\\\"}, {"(", "\\("}, {")", "\\)"}});
    absl::StrAppend(&page, page.empty() ? "" : "\n", escaped);
    if (++lines % 40 == 0) pages.push_back(std::move(page)), page.clear();
  }
  if (!page.empty()) pages.push_back(page);
  return fixtures::Pdf(pages);
}

std::string MakeText1252() {
  std::string text;
  for (const std::string& l : AdLines()) absl::StrAppend(&text, l, "\n");
  return Windows1252(text);
}

void Extract(benchmark::State& state, const std::string& bytes,
             bool element_paths = true) {
  formats::ReadOptions options;
  options.element_paths = element_paths;
  absl::StatusOr<formats::ExtractedText> first =
      formats::ReadDocument(bytes, options);
  if (!first.ok()) {
    state.SkipWithError(std::string(first.status().message()).c_str());
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<formats::ExtractedText> doc =
        formats::ReadDocument(bytes, options);
    benchmark::DoNotOptimize(doc);
  }
  const double kb = static_cast<double>(first->text.size()) / 1024;
  // CPU seconds per KB of text, printed as e.g. "40.1us".
  state.counters["per_KB"] =
      benchmark::Counter(kb, benchmark::Counter::kIsIterationInvariantRate |
                                 benchmark::Counter::kInvert);
  state.counters["text_KB"] = kb;
  state.counters["file_KB"] = static_cast<double>(bytes.size()) / 1024;
}

void BM_Docx(benchmark::State& state) { Extract(state, MakeDocx()); }
void BM_Odt(benchmark::State& state) { Extract(state, MakeOdt()); }
void BM_Pdf(benchmark::State& state) { Extract(state, MakePdf()); }
// HTML with and without ExtractedText::element_paths.
void BM_Html(benchmark::State& state) { Extract(state, MakeHtml()); }
void BM_HtmlNoPaths(benchmark::State& state) {
  Extract(state, MakeHtml(), false);
}
void BM_HtmlNested(benchmark::State& state) {
  Extract(state, MakeNestedHtml());
}
void BM_HtmlNestedNoPaths(benchmark::State& state) {
  Extract(state, MakeNestedHtml(), false);
}
void BM_Windows1252Text(benchmark::State& state) {
  Extract(state, MakeText1252());
}
BENCHMARK(BM_Docx)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Odt)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Pdf)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Html)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HtmlNoPaths)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HtmlNested)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HtmlNestedNoPaths)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Windows1252Text)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace divcheck

BENCHMARK_MAIN();
