// Integration tests of ScanService.ScanDocument over gRPC and of
// POST /v1/documents:scan over HTTP (issue 18): the real divcheckd with the
// shipped lexicons and a small size limit, on loopback ports. Every format
// (.docx, .odt, PDF, HTML, UTF-16, Windows-1252) gives the finding of
// "Verkäufer gesucht" with offsets into the extracted text (and, for HTML,
// the element path of each finding, checked against the page's tree); the
// raw limit,
// the extracted limit (a zip bomb), a file that is no document, a text sent
// with the content and bad options get their errors, the same over both.
#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bench/document_fixtures.h"
#include "divcheck/v1/scan_service.grpc.pb.h"
#include "formats/html_dom.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/service/server_process.h"
#include "tests/unit/css_path.h"

namespace divcheck {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ServerProcess;

// The server's limit: raw documents and extracted texts.
constexpr size_t kLimit = 64 << 10;
constexpr char kRule[] = "de.gender.title_masculine_only";

// The same ad in every format.
struct Fixture {
  std::string name;
  std::string content;
  std::string format;     // detected_format
  std::string encoding;   // detected_encoding
  std::string path = "";  // the finding's element_path
};

std::vector<Fixture> Fixtures() {
  const std::string ad = "Verkäufer gesucht\nWir sind ein Team.";
  std::string latin1 = "Verk\xE4ufer gesucht\nWir sind ein Team.";
  std::string utf16 = "\xFF\xFE";
  for (const char* p = "Verk\xE4ufer gesucht\n"; *p != '\0'; ++p) {
    utf16.push_back(*p);
    utf16.push_back('\0');
  }
  return {
      {"docx",
       fixtures::Docx(fixtures::DocxPara(fixtures::DocxRun("Verkäufer "
                                                           "gesucht")) +
                      fixtures::DocxPara(fixtures::DocxRun("Wir sind ein "
                                                           "Team."))),
       "docx", "UTF-8"},
      {"odt",
       fixtures::Odt("<text:h>Verkäufer gesucht</text:h><text:p>Wir sind ein "
                     "Team.</text:p>"),
       "odt", "UTF-8"},
      {"pdf", fixtures::Pdf({latin1}), "pdf", "UTF-8"},
      {"html",
       "<!DOCTYPE html><html><head><title>x</title><script>var a = "
       "'Team';</script></head><body><h1>Verkäufer gesucht</h1><p>Wir sind "
       "ein Team.</p></body></html>",
       "html", "UTF-8", "html > body > h1"},
      {"utf-16", utf16, "text", "UTF-16LE"},
      {"windows-1252", latin1, "text", "windows-1252"},
      {"utf-8", ad, "text", "UTF-8"},
  };
}

v1::ScanDocumentRequest Request(const std::string& content) {
  v1::ScanDocumentRequest request;
  request.set_content(content);
  request.mutable_options()->set_language_code("de");
  return request;
}

// Checks a response to one of Fixtures(): the finding, its offsets into
// extracted_text, the format and encoding.
void ExpectFound(const Fixture& f, const v1::ScanDocumentResponse& response) {
  SCOPED_TRACE(f.name);
  EXPECT_EQ(response.detected_format(), f.format);
  EXPECT_EQ(response.detected_encoding(), f.encoding);
  EXPECT_THAT(response.extracted_text(), HasSubstr("Verkäufer gesucht"));
  EXPECT_THAT(response.extracted_text(), ::testing::Not(HasSubstr("var a")));
  bool found = false;
  for (const v1::Finding& finding : response.report().findings()) {
    if (finding.rule_id() != kRule) continue;
    found = true;
    const v1::Span& s = finding.span();
    ASSERT_LE(s.end_byte(), response.extracted_text().size());
    EXPECT_EQ(response.extracted_text().substr(s.start_byte(),
                                               s.end_byte() - s.start_byte()),
              "Verkäufer");
    EXPECT_EQ(finding.matched_text(), "Verkäufer");
    EXPECT_EQ(finding.element_path(), f.path);
  }
  EXPECT_TRUE(found) << response.report().DebugString();
}

// An HTML ad whose "junges Team" is in the third item of a list.
constexpr char kListAd[] =
    "<!DOCTYPE html><html><head><title>Stelle</title><style>li{}</style>"
    "</head><body><h1>Verkäufer (m/w/d)</h1><div id=\"job\"><p>Das bieten "
    "wir:</p><ul><li>Gutes Gehalt</li><li>30 Tage Urlaub</li><li>Ein "
    "junges Team</li></ul></div></body></html>";
constexpr char kListPath[] = "html > body > div#job > ul > li:nth-of-type(3)";

// The findings and highlights of kListAd carry the element paths, which
// resolve in the page's tree to the elements with their words.
void ExpectListPaths(const v1::ScanDocumentResponse& response) {
  absl::StatusOr<formats::ParsedHtml> page = formats::ParseHtml(kListAd);
  ASSERT_TRUE(page.ok());
  bool found = false;
  for (const v1::Finding& f : response.report().findings()) {
    if (f.rule_id() == "de.age.junges_team") {
      found = true;
      EXPECT_EQ(f.element_path(), kListPath);
    }
    const GumboNode* n =
        formats::testing::ResolvePath(page->root(), f.element_path());
    ASSERT_NE(n, nullptr) << f.rule_id() << ": " << f.element_path();
    EXPECT_THAT(formats::TextOf(n), HasSubstr(f.matched_text()));
  }
  EXPECT_TRUE(found) << response.report().DebugString();
  ASSERT_GT(response.report().highlights_size(), 0);
  for (const v1::Highlight& h : response.report().highlights()) {
    if (h.kind() == v1::HIGHLIGHT_KIND_INCLUSIVE_TITLE) {
      EXPECT_EQ(h.element_path(), "html > body > h1");
    }
    EXPECT_NE(formats::testing::ResolvePath(page->root(), h.element_path()),
              nullptr)
        << h.element_path();
  }
}

std::string ReasonOf(const google::rpc::Status& status) {
  for (const auto& any : status.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
      return info.reason();
    }
  }
  return "";
}

std::vector<std::string> FieldsOf(const google::rpc::Status& status) {
  std::vector<std::string> fields;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad;
    if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

// What an error answer says, over either transport.
struct Error {
  int code = 0;  // google.rpc.Code
  std::string reason;
  std::string message;
  std::vector<std::string> fields;
};

// A bad request and the error it must get.
struct BadCase {
  std::string name;
  v1::ScanDocumentRequest request;
  std::string reason;
  std::vector<std::string> fields;
  std::string message_part;
};

std::vector<BadCase> BadCases() {
  std::vector<BadCase> cases;
  cases.push_back({"raw limit",
                   Request(std::string(kLimit + 1, 'a')),
                   "DOCUMENT_TOO_LARGE",
                   {"content"},
                   "content is 65537 bytes; the limit is 65536 bytes"});
  // 200 KB of text in a 1 KB .docx: over the extracted limit.
  cases.push_back({"extracted limit",
                   Request(fixtures::Docx(fixtures::DocxPara(
                       fixtures::DocxRun(std::string(200000, 'a'))))),
                   "EXTRACTED_TOO_LARGE",
                   {"content"},
                   "the extracted text is over 65536 bytes"});
  // A zip bomb: 40 MiB of XML in a .docx of about 40 KB.
  cases.push_back(
      {"zip bomb",
       Request(fixtures::MakeZip(
           {{"[Content_Types].xml", "<Types/>"},
            {"word/document.xml",
             fixtures::WordPart(
                 "document",
                 "<w:body>" + std::string(40 << 20, ' ') + "</w:body>")}})),
       "EXTRACTED_TOO_LARGE",
       {"content"},
       "(a zip bomb?)"});
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<w:sdt>";
  for (int i = 0; i < 200; ++i) deep += "</w:sdt>";
  cases.push_back({"deep xml",
                   Request(fixtures::Docx(deep)),
                   "EXTRACTED_TOO_LARGE",
                   {"content"},
                   "nests XML elements more than 128 deep"});
  cases.push_back({"png",
                   Request("\x89PNG\r\n\x1a\n" + std::string(64, '\0')),
                   "UNSUPPORTED_DOCUMENT",
                   {"content"},
                   "this looks like a PNG image, not a document divcheck "
                   "reads"});
  cases.push_back({"truncated docx",
                   Request(fixtures::Docx("").substr(0, 200)),
                   "UNSUPPORTED_DOCUMENT",
                   {"content"},
                   "damaged or truncated"});
  v1::ScanDocumentRequest with_text = Request("Verkäufer gesucht");
  with_text.mutable_options()->set_text("Verkäufer gesucht");
  cases.push_back({"text with content",
                   with_text,
                   "TEXT_WITH_CONTENT",
                   {"options.text"},
                   "options.text must be empty"});
  v1::ScanDocumentRequest media = Request("Verkäufer gesucht");
  media.set_content_type("image/png");
  cases.push_back({"media type",
                   media,
                   "UNSUPPORTED_CONTENT_TYPE",
                   {"content_type"},
                   "media type \"image/png\""});
  v1::ScanDocumentRequest charset = Request("Verkäufer gesucht");
  charset.set_content_type("text/plain; charset=klingon");
  cases.push_back({"charset",
                   charset,
                   "UNSUPPORTED_CONTENT_TYPE",
                   {"content_type"},
                   "unknown encoding \"klingon\""});
  v1::ScanDocumentRequest several = Request("");
  several.mutable_options()->set_language_code("fr");
  cases.push_back({"several",
                   several,
                   "INVALID_REQUEST",
                   {"content", "options.language_code"},
                   "content is empty"});
  return cases;
}

void ExpectError(const BadCase& c, const Error& e) {
  SCOPED_TRACE(c.name);
  EXPECT_EQ(e.code, static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(e.reason, c.reason);
  EXPECT_EQ(e.fields, c.fields);
  EXPECT_THAT(e.message, HasSubstr(c.message_part));
}

class ScanDocumentServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess(
        {std::string("--lexicons=") + DIVCHECK_SOURCE_LEXICONS,
         absl::StrCat("--max_text_bytes=", kLimit), "--http_listen=127.0.0.1:0",
         "--metrics_listen=127.0.0.1:0"});
    ASSERT_TRUE(server_->Start()) << server_->Log();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::unique_ptr<v1::ScanService::Stub> Stub() {
    return v1::ScanService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  static grpc::Status Call(const v1::ScanDocumentRequest& request,
                           v1::ScanDocumentResponse* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    return Stub()->ScanDocument(&ctx, request, response);
  }

  static httplib::Result Post(const std::string& body) {
    httplib::Client cli("127.0.0.1", server_->ListeningField("http_port"));
    cli.set_read_timeout(30, 0);
    return cli.Post("/v1/documents:scan", body, "application/json");
  }

  static std::string Json(const v1::ScanDocumentRequest& request) {
    std::string json;
    EXPECT_TRUE(
        google::protobuf::util::MessageToJsonString(request, &json).ok());
    return json;
  }

  static ServerProcess* server_;
};
ServerProcess* ScanDocumentServer::server_ = nullptr;

TEST_F(ScanDocumentServer, EveryFormatOverGrpc) {
  for (const Fixture& f : Fixtures()) {
    v1::ScanDocumentRequest request = Request(f.content);
    request.set_file_name("anzeige." + f.name);
    request.mutable_options()->set_request_id("doc-" + f.name);
    v1::ScanDocumentResponse response;
    const grpc::Status status = Call(request, &response);
    ASSERT_TRUE(status.ok()) << f.name << ": " << status.error_message();
    EXPECT_EQ(response.request_id(), "doc-" + f.name);
    ExpectFound(f, response);
  }
}

TEST_F(ScanDocumentServer, EveryFormatOverHttp) {
  for (const Fixture& f : Fixtures()) {
    const httplib::Result res = Post(Json(Request(f.content)));
    ASSERT_TRUE(res) << f.name;
    ASSERT_EQ(res->status, 200) << f.name << ": " << res->body;
    v1::ScanDocumentResponse response;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(res->body, &response).ok())
        << res->body;
    ExpectFound(f, response);
  }
  // The content as base64 in the JSON body, as `base64 -w0` writes it.
  const httplib::Result res =
      Post(R"({"content": "VmVya8OkdWZlciBnZXN1Y2h0", "fileName": "ad.txt",)"
           R"( "options": {"languageCode": "de"}})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr(R"("extractedText":"Verkäufer gesucht")"));
  EXPECT_THAT(res->body, HasSubstr(R"("detectedFormat":"text")"));
}

TEST_F(ScanDocumentServer, HtmlFindingsNameTheirElement) {
  v1::ScanDocumentResponse response;
  const grpc::Status status = Call(Request(kListAd), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectListPaths(response);

  const httplib::Result res = Post(Json(Request(kListAd)));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  // protobuf's JSON writes ">" as \u003e.
  EXPECT_THAT(res->body,
              HasSubstr(R"("elementPath":"html \u003e body \u003e div#job )"
                        R"x(\u003e ul \u003e li:nth-of-type(3)")x"));
  v1::ScanDocumentResponse over_http;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(res->body, &over_http).ok());
  ExpectListPaths(over_http);
}

TEST_F(ScanDocumentServer, ForcedMediaTypeAndCharset) {
  // Latin-1 bytes that the detector would read as windows-1252, forced.
  v1::ScanDocumentRequest request =
      Request("Verk\xE4ufer gesucht. Wir sind ein Team.");
  request.set_content_type("text/plain; charset=latin-1");
  v1::ScanDocumentResponse response;
  ASSERT_TRUE(Call(request, &response).ok());
  EXPECT_EQ(response.detected_encoding(), "latin-1");
  EXPECT_THAT(response.extracted_text(), HasSubstr("Verkäufer"));
  // HTML sent as text/plain keeps its tags.
  request = Request("<p>Verkäufer gesucht</p>");
  request.set_content_type("text/plain");
  ASSERT_TRUE(Call(request, &response).ok());
  EXPECT_EQ(response.detected_format(), "text");
  EXPECT_EQ(response.extracted_text(), "<p>Verkäufer gesucht</p>");
}

TEST_F(ScanDocumentServer, BadDocumentsOverGrpc) {
  for (const BadCase& c : BadCases()) {
    v1::ScanDocumentResponse response;
    const grpc::Status status = Call(c.request, &response);
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(status.error_details())) << c.name;
    ExpectError(c, {status.error_code(), ReasonOf(details),
                    status.error_message(), FieldsOf(details)});
  }
}

TEST_F(ScanDocumentServer, BadDocumentsOverHttp) {
  for (const BadCase& c : BadCases()) {
    const httplib::Result res = Post(Json(c.request));
    ASSERT_TRUE(res) << c.name;
    EXPECT_EQ(res->status, 400) << c.name << ": " << res->body;
    google::rpc::Status details;
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(res->body, &details).ok())
        << res->body;
    ExpectError(c, {details.code(), ReasonOf(details), details.message(),
                    FieldsOf(details)});
  }
  // Not base64.
  const httplib::Result res = Post(R"({"content": "%%%"})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, HasSubstr("MALFORMED_JSON"));
}

TEST_F(ScanDocumentServer, CallsAreCountedInTheMetrics) {
  v1::ScanDocumentResponse response;
  ASSERT_TRUE(Call(Request("Verkäufer gesucht"), &response).ok());
  ASSERT_TRUE(Post(Json(Request("Verkäufer gesucht"))));
  const std::string metrics =
      testing::HttpGet(server_->ListeningField("metrics_port"), "/metrics");
  EXPECT_THAT(metrics, HasSubstr("grpc_method=\"ScanDocument\""));
  EXPECT_THAT(metrics, HasSubstr("route=\"/v1/documents:scan\""));
}

}  // namespace
}  // namespace divcheck
