// The text of the XML parts of .docx and .odt documents (formats/
// document.h lists what is read). Internal to formats/. Each reader streams
// the part with libxml2's xmlTextReader (no tree, no entity expansion, no
// network), refuses nesting deeper than ReadOptions::max_xml_depth and
// appends to `out`, which refuses text over its limit. Thread-safe.
#ifndef DIVCHECK_FORMATS_OFFICE_XML_H_
#define DIVCHECK_FORMATS_OFFICE_XML_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "formats/document.h"
#include "formats/readers.h"

namespace divcheck::formats {

// Reads one XML part (`part` names it in errors).
using XmlTextReader = absl::Status (*)(absl::string_view xml,
                                       const std::string& part,
                                       const ReadOptions& options,
                                       TextOutput* out);

// WordprocessingML: document.xml, headers, footers, foot- and endnotes.
absl::Status DocxXmlText(absl::string_view xml, const std::string& part,
                         const ReadOptions& options, TextOutput* out);

// OpenDocument text: content.xml, and the headers and footers of
// styles.xml.
absl::Status OdtXmlText(absl::string_view xml, const std::string& part,
                        const ReadOptions& options, TextOutput* out);

}  // namespace divcheck::formats

#endif  // DIVCHECK_FORMATS_OFFICE_XML_H_
