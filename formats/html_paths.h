// Recording, while an HTML page's text is extracted, which element each
// part of the text came from (ElementPaths in formats/document.h). Internal
// to formats/.
//
//   HtmlPathRecorder paths(&doc.element_paths);
//   paths.StartRun(text.size(), text_node->parent);   // before appending
//
// Not thread-safe: one recorder per extraction; it points into the parsed
// page, which must outlive it.
#ifndef DIVCHECK_FORMATS_HTML_PATHS_H_
#define DIVCHECK_FORMATS_HTML_PATHS_H_

#include <gumbo.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "formats/document.h"

namespace divcheck::formats {

class HtmlPathRecorder {
 public:
  explicit HtmlPathRecorder(ElementPaths* out) : out_(out) {}

  // Text from `offset` on comes from (a text child of) `element`; a node
  // that is not an element (the document) records "no element".
  void StartRun(size_t offset, const GumboNode* element) {
    out_->StartRun(offset, IndexOf(element));
  }

  // The index of `element`'s path, adding it and its ancestors as needed.
  uint32_t IndexOf(const GumboNode* element);

 private:
  // The step of `n` in its parent (tag, #id, .classes, :nth-of-type).
  std::string Step(const GumboNode* n);
  // For each child of `parent` (by index_within_parent): N of
  // :nth-of-type(N), or 0 when it is the only element of its tag.
  const std::vector<uint32_t>& NthOfType(const GumboNode* parent);

  ElementPaths* out_;
  absl::flat_hash_map<const GumboNode*, uint32_t> index_;
  absl::flat_hash_map<const GumboNode*, std::vector<uint32_t>> nth_;
  std::vector<const GumboNode*> chain_;
};

// `ident` escaped for a CSS selector as CSS.escape does (CSSOM §2.1.1).
std::string CssEscape(absl::string_view ident);

// The lower-case tag name of element `n` ("li", "job-card").
std::string TagName(const GumboNode* n);

}  // namespace divcheck::formats

#endif  // DIVCHECK_FORMATS_HTML_PATHS_H_
