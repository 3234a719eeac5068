#include "formats/html_paths.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "formats/html_dom.h"

namespace divcheck::formats {
namespace {

// Ids, classes and tag names longer than this are left out of paths.
constexpr size_t kMaxStepPart = 64;
constexpr int kMaxClasses = 3;

void AppendHexEscape(unsigned char c, std::string* out) {
  absl::StrAppend(out, "\\", absl::Hex(c), " ");
}

}  // namespace

std::string CssEscape(absl::string_view ident) {
  std::string out;
  out.reserve(ident.size());
  for (size_t i = 0; i < ident.size(); ++i) {
    const unsigned char c = ident[i];
    if (c == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
    } else if (c < 0x20 || c == 0x7F) {
      AppendHexEscape(c, &out);
    } else if (absl::ascii_isdigit(c) &&
               (i == 0 || (i == 1 && ident[0] == '-'))) {
      AppendHexEscape(c, &out);
    } else if (i == 0 && c == '-' && ident.size() == 1) {
      out.append("\\-");
    } else if (c >= 0x80 || c == '-' || c == '_' || absl::ascii_isalnum(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string TagName(const GumboNode* n) {
  const GumboTag tag = n->v.element.tag;
  if (tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(tag);
  GumboStringPiece piece = n->v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return absl::AsciiStrToLower(absl::string_view(piece.data, piece.length));
}

uint32_t HtmlPathRecorder::IndexOf(const GumboNode* element) {
  chain_.clear();
  uint32_t index = ElementPaths::kNone;
  for (const GumboNode* e = element;
       e != nullptr &&
       (e->type == GUMBO_NODE_ELEMENT || e->type == GUMBO_NODE_TEMPLATE);
       e = e->parent) {
    auto it = index_.find(e);
    if (it != index_.end()) {
      index = it->second;
      break;
    }
    chain_.push_back(e);
  }
  for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
    if (index == ElementPaths::kNone ||
        out_->Depth(index) < ElementPaths::kMaxElementPathDepth) {
      index = out_->AddElement(index, Step(*it));
    }
    index_[*it] = index;
  }
  return index;
}

std::string HtmlPathRecorder::Step(const GumboNode* n) {
  const std::vector<uint32_t>& nth = NthOfType(n->parent);
  const uint32_t of_type = nth[2 * n->index_within_parent];
  std::string tag = TagName(n);
  if (tag.empty() || tag.size() > kMaxStepPart) {
    return absl::StrCat("*:nth-child(", nth[2 * n->index_within_parent + 1],
                        ")");
  }
  std::string step = CssEscape(tag);
  const char* id = Attr(n, "id");
  if (id != nullptr && id[0] != '\0' && strlen(id) <= kMaxStepPart) {
    absl::StrAppend(&step, "#", CssEscape(id));
  }
  if (const char* classes = Attr(n, "class"); classes != nullptr) {
    int count = 0;
    for (absl::string_view c : absl::StrSplit(
             classes, absl::ByAnyChar(" \t\n\f\r"), absl::SkipEmpty())) {
      if (c.size() > kMaxStepPart) continue;
      absl::StrAppend(&step, ".", CssEscape(c));
      if (++count == kMaxClasses) break;
    }
  }
  if (of_type != 0) absl::StrAppend(&step, ":nth-of-type(", of_type, ")");
  return step;
}

const std::vector<uint32_t>& HtmlPathRecorder::NthOfType(
    const GumboNode* parent) {
  auto [it, added] = nth_.try_emplace(parent);
  std::vector<uint32_t>& nth = it->second;
  if (!added) return nth;
  const GumboVector* kids = Children(parent);
  if (kids == nullptr) return nth;
  // Per child: (nth-of-type, nth-child), both from 1; 0 for non-elements.
  nth.assign(2 * kids->length, 0);
  absl::flat_hash_map<std::string, uint32_t> total, seen;
  std::vector<std::string> tags(kids->length);
  for (unsigned i = 0; i < kids->length; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids->data[i]);
    if (k->type != GUMBO_NODE_ELEMENT && k->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    tags[i] = TagName(k);
    ++total[tags[i]];
  }
  uint32_t child = 0;
  for (unsigned i = 0; i < kids->length; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids->data[i]);
    if (k->type != GUMBO_NODE_ELEMENT && k->type != GUMBO_NODE_TEMPLATE) {
      continue;
    }
    const uint32_t n = ++seen[tags[i]];
    nth[2 * i] = total[tags[i]] > 1 ? n : 0;
    nth[2 * i + 1] = ++child;
  }
  return nth;
}

// ElementPaths (formats/document.h).

std::string ElementPaths::PathAt(size_t offset) const {
  if (offset >= text_size_) return "";
  auto it =
      std::upper_bound(runs_.begin(), runs_.end(), offset,
                       [](size_t o, const std::pair<uint32_t, uint32_t>& r) {
                         return o < r.first;
                       });
  if (it == runs_.begin()) return "";
  uint32_t index = std::prev(it)->second;
  std::vector<const std::string*> steps;
  for (; index != kNone; index = elements_[index].parent) {
    steps.push_back(&elements_[index].segment);
  }
  std::string path;
  for (auto s = steps.rbegin(); s != steps.rend(); ++s) {
    if (!path.empty()) path.append(" > ");
    path.append(**s);
  }
  return path;
}

uint32_t ElementPaths::AddElement(uint32_t parent, std::string segment) {
  const uint32_t depth = parent == kNone ? 1 : elements_[parent].depth + 1;
  if (depth > kMaxElementPathDepth) return parent;
  elements_.push_back({parent, depth, std::move(segment)});
  return static_cast<uint32_t>(elements_.size() - 1);
}

void ElementPaths::StartRun(size_t offset, uint32_t index) {
  if (offset >= UINT32_MAX) return;
  while (!runs_.empty() && runs_.back().first >= offset) runs_.pop_back();
  if (!runs_.empty() && runs_.back().second == index) return;
  runs_.emplace_back(static_cast<uint32_t>(offset), index);
}

void ElementPaths::Finish(size_t text_size) {
  while (!runs_.empty() && runs_.back().first >= text_size) runs_.pop_back();
  text_size_ = text_size;
}

}  // namespace divcheck::formats
