// api::ScanApi::ScanDocument and api::AddElementPaths over the real
// lexicons: findings and highlights of an HTML document name their element
// (formats::ElementPaths); those of other formats name none.
#include <map>
#include <memory>
#include <string>

#include "analyzers/engine.h"
#include "api/scan_api.h"
#include "formats/document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace divcheck::api {
namespace {

constexpr char kHtml[] =
    "<html><body><h1 class=\"title\">Verkäufer (m/w/d)</h1><ul><li>Gehalt</li>"
    "<li>Urlaub</li><li>Ein <em>junges</em> Team</li></ul>"
    "<p>Teilzeit ist möglich.</p></body></html>";

class DocumentApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    engine_ = Engine::Create(options)->release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static v1::ScanDocumentResponse Scan(const std::string& content) {
    ScanApi api(engine_, 1 << 20);
    v1::ScanDocumentRequest request;
    request.set_content(content);
    request.mutable_options()->set_language_code("de");
    absl::StatusOr<v1::ScanDocumentResponse> response =
        api.ScanDocument(request, CallControl());
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::ScanDocumentResponse();
  }
  static Engine* engine_;
};
Engine* DocumentApiTest::engine_ = nullptr;

TEST_F(DocumentApiTest, HtmlFindingsAndHighlightsNameTheirElement) {
  const v1::ScanDocumentResponse response = Scan(kHtml);
  ASSERT_EQ(response.detected_format(), "html");
  std::map<std::string, std::string> paths;
  for (const v1::Finding& f : response.report().findings()) {
    paths[f.rule_id()] = f.element_path();
  }
  // "junges" is in the em: the finding starts there.
  EXPECT_EQ(paths["de.age.junges_team"],
            "html > body > ul > li:nth-of-type(3) > em");
  std::map<v1::HighlightKind, std::string> highlights;
  for (const v1::Highlight& h : response.report().highlights()) {
    highlights[h.kind()] = h.element_path();
  }
  EXPECT_EQ(highlights[v1::HIGHLIGHT_KIND_INCLUSIVE_TITLE],
            "html > body > h1.title");
  EXPECT_EQ(highlights[v1::HIGHLIGHT_KIND_PART_TIME], "html > body > p");
}

TEST_F(DocumentApiTest, OtherFormatsHaveNoElementPaths) {
  const v1::ScanDocumentResponse response =
      Scan("Verkäufer gesucht\nWir sind ein junges Team.\n");
  ASSERT_GT(response.report().findings_size(), 0);
  for (const v1::Finding& f : response.report().findings()) {
    EXPECT_EQ(f.element_path(), "") << f.rule_id();
  }
}

TEST(AddElementPathsTest, ByTheFirstByteOfEachSpan) {
  formats::ReadOptions options;
  absl::StatusOr<formats::ExtractedText> doc =
      formats::ReadDocument("<p>eins</p><p>zwei</p>", options);
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->text, "eins\nzwei\n");
  v1::Report report;
  report.add_findings()->mutable_span()->set_start_byte(5);    // zwei
  report.add_findings()->mutable_span()->set_start_byte(3);    // eins
  report.add_highlights()->mutable_span()->set_start_byte(4);  // "\n"
  report.add_findings()->mutable_span()->set_start_byte(99);   // past it
  AddElementPaths(doc->element_paths, &report);
  EXPECT_EQ(report.findings(0).element_path(),
            "html > body > p:nth-of-type(2)");
  EXPECT_EQ(report.findings(1).element_path(),
            "html > body > p:nth-of-type(1)");
  EXPECT_EQ(report.highlights(0).element_path(),
            "html > body > p:nth-of-type(1)");
  EXPECT_EQ(report.findings(2).element_path(), "");
}

}  // namespace
}  // namespace divcheck::api
