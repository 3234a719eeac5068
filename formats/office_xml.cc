#include "formats/office_xml.h"

#include <libxml/xmlreader.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace divcheck::formats {
namespace {

constexpr absl::string_view kW =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr absl::string_view kWStrict =
    "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr absl::string_view kMc =
    "http://schemas.openxmlformats.org/markup-compatibility/2006";
constexpr absl::string_view kText =
    "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr absl::string_view kOffice =
    "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr absl::string_view kSvg =
    "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";

struct FreeReader {
  void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};

// Errors are reported as statuses, not printed.
void Silent(void*, xmlErrorPtr) {}

absl::string_view View(const xmlChar* s) {
  return s == nullptr ? absl::string_view()
                      : absl::string_view(reinterpret_cast<const char*>(s));
}

// What a format does at the nodes of its parts.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // An element starts; true to skip it with everything in it.
  virtual bool Skip(absl::string_view ns, absl::string_view name) = 0;
  virtual absl::Status Start(absl::string_view ns, absl::string_view name,
                             xmlTextReaderPtr reader, bool empty) = 0;
  virtual absl::Status End(absl::string_view ns, absl::string_view name) = 0;
  virtual absl::Status Text(absl::string_view text) = 0;
};

absl::Status Walk(absl::string_view xml, const std::string& part,
                  const ReadOptions& options, XmlHandler* handler) {
  // libxml2 sets up its globals once, before any thread parses.
  static const bool initialized = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialized;
  std::unique_ptr<xmlTextReader, FreeReader> reader(xmlReaderForMemory(
      xml.data(), static_cast<int>(xml.size()), part.c_str(), nullptr,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (reader == nullptr) {
    return absl::ResourceExhaustedError("cannot start the XML reader");
  }
  xmlTextReaderSetStructuredErrorHandler(reader.get(), Silent, nullptr);
  xmlTextReaderPtr r = reader.get();
  int status = xmlTextReaderRead(r);
  while (status == 1) {
    if (xmlTextReaderDepth(r) > options.max_xml_depth) {
      return absl::OutOfRangeError(absl::StrCat(
          part, " nests XML elements more than ", options.max_xml_depth,
          " deep, the limit for documents"));
    }
    const int type = xmlTextReaderNodeType(r);
    const absl::string_view ns = View(xmlTextReaderConstNamespaceUri(r));
    const absl::string_view name = View(xmlTextReaderConstLocalName(r));
    if (type == XML_READER_TYPE_ELEMENT) {
      const bool empty = xmlTextReaderIsEmptyElement(r) == 1;
      if (handler->Skip(ns, name)) {
        status = empty ? xmlTextReaderRead(r) : xmlTextReaderNext(r);
        continue;
      }
      RETURN_IF_ERROR(handler->Start(ns, name, r, empty));
      if (empty) RETURN_IF_ERROR(handler->End(ns, name));
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      RETURN_IF_ERROR(handler->End(ns, name));
    } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
               type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
               type == XML_READER_TYPE_WHITESPACE) {
      RETURN_IF_ERROR(handler->Text(View(xmlTextReaderConstValue(r))));
    }
    status = xmlTextReaderRead(r);
  }
  if (status < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the document is damaged: ", part, " is not well-formed XML"));
  }
  return absl::OkStatus();
}

bool IsW(absl::string_view ns) { return ns == kW || ns == kWStrict; }

class DocxHandler : public XmlHandler {
 public:
  explicit DocxHandler(TextOutput* out) : out_(out) {}

  bool Skip(absl::string_view ns, absl::string_view name) override {
    // Deleted text, field codes, and the old-style copies of drawings.
    return (IsW(ns) && (name == "delText" || name == "instrText" ||
                        name == "delInstrText")) ||
           (ns == kMc && name == "Fallback");
  }
  absl::Status Start(absl::string_view ns, absl::string_view name,
                     xmlTextReaderPtr, bool) override {
    if (!IsW(ns)) return absl::OkStatus();
    if (name == "r") ++in_run_;
    if (name == "t") ++in_t_;
    if (in_run_ == 0) return absl::OkStatus();
    if (name == "tab") return out_->Append("\t");
    if (name == "br" || name == "cr") return out_->Append("\n");
    if (name == "noBreakHyphen") return out_->Append("-");
    return absl::OkStatus();  // softHyphen: an optional break, no character
  }
  absl::Status End(absl::string_view ns, absl::string_view name) override {
    if (!IsW(ns)) return absl::OkStatus();
    if (name == "r" && in_run_ > 0) --in_run_;
    if (name == "t" && in_t_ > 0) --in_t_;
    if (name == "p") return out_->EndLine();
    return absl::OkStatus();
  }
  absl::Status Text(absl::string_view text) override {
    return in_t_ > 0 ? out_->Append(text) : absl::OkStatus();
  }

 private:
  TextOutput* out_;
  int in_run_ = 0;
  int in_t_ = 0;
};

class OdtHandler : public XmlHandler {
 public:
  explicit OdtHandler(TextOutput* out) : out_(out) {}

  bool Skip(absl::string_view ns, absl::string_view name) override {
    // Note numbers, comments, the deleted text of tracked changes, and
    // the titles and descriptions of drawings.
    return (ns == kText &&
            (name == "note-citation" || name == "tracked-changes")) ||
           (ns == kOffice && name == "annotation") ||
           (ns == kSvg && (name == "title" || name == "desc"));
  }
  absl::Status Start(absl::string_view ns, absl::string_view name,
                     xmlTextReaderPtr reader, bool) override {
    if (ns != kText) return absl::OkStatus();
    if (name == "p" || name == "h") {
      // A paragraph inside one (a note's, a text box's) starts a line.
      ++in_paragraph_;
      return out_->EndLine();
    }
    if (in_paragraph_ == 0) return absl::OkStatus();
    if (name == "tab") return out_->Append("\t");
    if (name == "line-break") return out_->Append("\n");
    if (name == "s") {
      int count = 1;
      if (xmlChar* c = xmlTextReaderGetAttributeNs(
              reader, reinterpret_cast<const xmlChar*>("c"),
              reinterpret_cast<const xmlChar*>(kText.data()))) {
        count = std::atoi(reinterpret_cast<const char*>(c));
        xmlFree(c);
      }
      // Huge counts run into the text limit, a space at a time.
      count = count < 1 ? 1 : count;
      return out_->Append(std::string(static_cast<size_t>(count) <= 4096
                                          ? static_cast<size_t>(count)
                                          : 4096,
                                      ' '));
    }
    return absl::OkStatus();
  }
  absl::Status End(absl::string_view ns, absl::string_view name) override {
    if (ns == kText && (name == "p" || name == "h") && in_paragraph_ > 0) {
      --in_paragraph_;
      return out_->EndLine();
    }
    return absl::OkStatus();
  }
  // White space in ODF text is collapsed, as in HTML; text:s and text:tab
  // stand for the spaces and tabs that count.
  absl::Status Text(absl::string_view text) override {
    if (in_paragraph_ == 0) return absl::OkStatus();
    std::string piece;
    piece.reserve(text.size());
    const std::string& so_far = out_->text();
    bool after_space = so_far.empty() || so_far.back() == ' ' ||
                       so_far.back() == '\n' || so_far.back() == '\t';
    for (char c : text) {
      if (absl::ascii_isspace(c)) {
        if (!after_space) piece.push_back(' ');
        after_space = true;
      } else {
        piece.push_back(c);
        after_space = false;
      }
    }
    return out_->Append(piece);
  }

 private:
  TextOutput* out_;
  int in_paragraph_ = 0;
};

}  // namespace

absl::Status DocxXmlText(absl::string_view xml, const std::string& part,
                         const ReadOptions& options, TextOutput* out) {
  DocxHandler handler(out);
  return Walk(xml, part, options, &handler);
}

absl::Status OdtXmlText(absl::string_view xml, const std::string& part,
                        const ReadOptions& options, TextOutput* out) {
  OdtHandler handler(out);
  return Walk(xml, part, options, &handler);
}

}  // namespace divcheck::formats
