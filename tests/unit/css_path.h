// A test helper: document.querySelector for the element paths of
// formats::ElementPaths, over gumbo's tree (the HTML5 tree a browser
// builds). Only what those paths use: "tag#id.class:nth-of-type(N)" steps
// joined by " > " from html, ids and classes without escapes.
#ifndef DIVCHECK_TESTS_UNIT_CSS_PATH_H_
#define DIVCHECK_TESTS_UNIT_CSS_PATH_H_

#include <gumbo.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "formats/html_dom.h"
#include "formats/html_paths.h"

namespace divcheck::formats::testing {

// One step of a path: "li.a.b:nth-of-type(3)" (ids and classes without
// escapes, enough for the pages of these tests).
inline bool StepMatches(const GumboNode* n, absl::string_view step, int* nth) {
  *nth = 0;
  if (size_t p = step.find(":nth-of-type("); p != absl::string_view::npos) {
    absl::string_view num = step.substr(p + 13);
    num = absl::StripSuffix(num, ")");
    if (!absl::SimpleAtoi(num, nth)) return false;
    step = step.substr(0, p);
  }
  std::vector<absl::string_view> classes = absl::StrSplit(step, '.');
  absl::string_view head = classes[0];
  std::string id;
  if (size_t h = head.find('#'); h != absl::string_view::npos) {
    id = std::string(head.substr(h + 1));
    head = head.substr(0, h);
  }
  if (TagName(n) != head) return false;
  if (!id.empty() && AttrOr(n, "id") != id) return false;
  // The attribute is kept alive while the split views into it are used.
  const std::string class_attr(AttrOr(n, "class"));
  const std::vector<absl::string_view> have =
      absl::StrSplit(class_attr, ' ', absl::SkipEmpty());
  for (size_t i = 1; i < classes.size(); ++i) {
    if (std::find(have.begin(), have.end(), classes[i]) == have.end()) {
      return false;
    }
  }
  return true;
}

// document.querySelector(path) for paths of "tag#id.class:nth-of-type(N)"
// steps joined by " > " from html; null when nothing or more than one
// element matches.
inline const GumboNode* ResolvePath(const GumboNode* root,
                                    absl::string_view path) {
  std::vector<const GumboNode*> level = {root};
  for (absl::string_view step : absl::StrSplit(path, " > ")) {
    std::vector<const GumboNode*> next;
    for (const GumboNode* parent : level) {
      const GumboVector* kids = Children(parent);
      if (kids == nullptr) continue;
      std::string tag(step.substr(0, step.find_first_of("#.:")));
      int of_type = 0;
      for (unsigned i = 0; i < kids->length; ++i) {
        const auto* k = static_cast<const GumboNode*>(kids->data[i]);
        if (k->type != GUMBO_NODE_ELEMENT || TagName(k) != tag) continue;
        ++of_type;
        int nth = 0;
        if (StepMatches(k, step, &nth) && (nth == 0 || nth == of_type)) {
          next.push_back(k);
        }
      }
    }
    level = std::move(next);
  }
  return level.size() == 1 ? level[0] : nullptr;
}

}  // namespace divcheck::formats::testing

#endif  // DIVCHECK_TESTS_UNIT_CSS_PATH_H_
