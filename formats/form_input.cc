#include "formats/form_input.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "formats/html_dom.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::formats {
namespace {

enum class ControlKind { kIgnore, kField, kRadio, kCheckbox };

ControlKind KindOf(const GumboNode* n, v1::FieldType* type) {
  if (n->type != GUMBO_NODE_ELEMENT) return ControlKind::kIgnore;
  switch (n->v.element.tag) {
    case GUMBO_TAG_SELECT:
      *type = v1::FIELD_TYPE_SELECT;
      return ControlKind::kField;
    case GUMBO_TAG_TEXTAREA:
      *type = v1::FIELD_TYPE_TEXTAREA;
      return ControlKind::kField;
    case GUMBO_TAG_INPUT:
      break;
    default:
      return ControlKind::kIgnore;
  }
  const std::string t = absl::AsciiStrToLower(AttrOr(n, "type"));
  if (t == "hidden" || t == "submit" || t == "reset" || t == "button" ||
      t == "image") {
    return ControlKind::kIgnore;
  }
  if (t == "radio") {
    *type = v1::FIELD_TYPE_RADIO;
    return ControlKind::kRadio;
  }
  if (t == "checkbox") {
    *type = v1::FIELD_TYPE_CHECKBOX;
    return ControlKind::kCheckbox;
  }
  static const auto* kTypes = new std::map<std::string, v1::FieldType>{
      {"email", v1::FIELD_TYPE_EMAIL},
      {"tel", v1::FIELD_TYPE_TEL},
      {"url", v1::FIELD_TYPE_URL},
      {"date", v1::FIELD_TYPE_DATE},
      {"datetime-local", v1::FIELD_TYPE_DATE},
      {"month", v1::FIELD_TYPE_MONTH},
      {"week", v1::FIELD_TYPE_MONTH},
      {"number", v1::FIELD_TYPE_NUMBER},
      {"range", v1::FIELD_TYPE_NUMBER},
      {"file", v1::FIELD_TYPE_FILE}};
  auto it = kTypes->find(t);
  *type = it == kTypes->end() ? v1::FIELD_TYPE_TEXT : it->second;
  return ControlKind::kField;
}

bool IsRequired(const GumboNode* n) {
  return Attr(n, "required") != nullptr ||
         absl::AsciiStrToLower(AttrOr(n, "aria-required")) == "true";
}

// Builds the request in one walk over the parsed document.
class HtmlFormReader {
 public:
  explicit HtmlFormReader(const GumboNode* root) : root_(root) {}

  v1::ScanFormRequest Read() {
    Index();
    Walk();
    FinishTrailing();
    v1::ScanFormRequest request;
    std::vector<std::string> lines;
    for (const Line& l : lines_) {
      std::string t = Clean(l.text);
      if (!l.consumed && !t.empty()) lines.push_back(std::move(t));
    }
    request.set_instructions(absl::StrJoin(lines, "\n"));
    absl::flat_hash_set<std::string> used;
    for (size_t i = 0; i < fields_.size(); ++i) {
      v1::FormField& f = fields_[i];
      std::string id = f.field_id();
      if (id.empty()) id = f.name();
      if (id.empty()) id = absl::StrCat("field-", i + 1);
      std::string unique = id;
      for (int k = 2; !used.insert(unique).second; ++k)
        unique = absl::StrCat(id, "-", k);
      f.set_field_id(unique);
      *request.add_fields() = std::move(f);
    }
    return request;
  }

 private:
  struct Line {
    std::string text;
    bool consumed = false;
  };

  // Labels, ids, referenced help texts, radio/check-box groups and which
  // fieldsets hold which fields.
  void Index() {
    std::vector<const GumboNode*> stack = {root_};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type == GUMBO_NODE_ELEMENT) {
        if (const char* id = Attr(n, "id"); id != nullptr)
          by_id_.emplace(id, n);
        if (IsElement(n, GUMBO_TAG_LABEL)) {
          if (const char* f = Attr(n, "for"); f != nullptr)
            label_for_.emplace(f, n);
        }
        for (const char* a : {"aria-describedby", "aria-labelledby"}) {
          for (absl::string_view ref :
               absl::StrSplit(AttrOr(n, a), ' ', absl::SkipEmpty())) {
            referenced_.insert(std::string(ref));
          }
        }
        v1::FieldType type;
        const ControlKind kind = KindOf(n, &type);
        if (kind == ControlKind::kRadio || kind == ControlKind::kCheckbox) {
          const std::string name = AttrOr(n, "name");
          if (!name.empty()) groups_[GroupKey(kind, name)].push_back(n);
        }
        if (kind != ControlKind::kIgnore) controls_.push_back({n, kind});
      }
      const GumboVector* kids = Children(n);
      if (kids == nullptr) continue;
      for (unsigned i = kids->length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(kids->data[i - 1]));
      }
    }
    // Keys need the complete groups: a check box is a group only when
    // another one shares its name.
    for (const auto& [n, kind] : controls_) {
      const std::string key = KeyOf(n, kind);
      for (const GumboNode* p = n->parent; p != nullptr; p = p->parent) {
        if (IsElement(p, GUMBO_TAG_FIELDSET)) fieldset_keys_[p].insert(key);
      }
    }
  }

  static std::string GroupKey(ControlKind kind, const std::string& name) {
    return absl::StrCat(kind == ControlKind::kRadio ? "r:" : "c:", name);
  }

  // The field a control belongs to: its group, or itself.
  std::string KeyOf(const GumboNode* n, ControlKind kind) const {
    const std::string name = AttrOr(n, "name");
    if ((kind == ControlKind::kRadio || kind == ControlKind::kCheckbox) &&
        !name.empty()) {
      auto it = groups_.find(GroupKey(kind, name));
      if (kind == ControlKind::kRadio ||
          (it != groups_.end() && it->second.size() > 1)) {
        return GroupKey(kind, name);
      }
    }
    return absl::StrCat("n:", reinterpret_cast<uintptr_t>(n));
  }

  // True when the text node `n` is part of a label, help text or option list.
  bool InConsumedContext(const GumboNode* n) const {
    for (const GumboNode* p = n->parent; p != nullptr; p = p->parent) {
      if (IsOpaque(p)) return true;
      if (p->type != GUMBO_NODE_ELEMENT) continue;
      if (const char* id = Attr(p, "id");
          id != nullptr && referenced_.count(id))
        return true;
      if (IsElement(p, GUMBO_TAG_LABEL) && LabelHasControl(p)) return true;
      if (IsElement(p, GUMBO_TAG_LEGEND))
        return false;  // legends are lines of their own
    }
    return false;
  }

  static bool InLegend(const GumboNode* n) {
    for (const GumboNode* p = n->parent; p != nullptr; p = p->parent) {
      if (IsElement(p, GUMBO_TAG_LEGEND)) return true;
    }
    return false;
  }

  bool LabelHasControl(const GumboNode* label) const {
    if (const char* f = Attr(label, "for"); f != nullptr && by_id_.count(f))
      return true;
    return ControlInside(label) != nullptr;
  }

  static const GumboNode* ControlInside(const GumboNode* root) {
    std::vector<const GumboNode*> stack = {root};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      v1::FieldType type;
      if (n != root && KindOf(n, &type) != ControlKind::kIgnore) return n;
      const GumboVector* kids = Children(n);
      if (kids == nullptr) continue;
      for (unsigned i = 0; i < kids->length; ++i) {
        stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
      }
    }
    return nullptr;
  }

  std::string RefText(const std::string& ids) const {
    std::vector<std::string> parts;
    for (absl::string_view ref : absl::StrSplit(ids, ' ', absl::SkipEmpty())) {
      auto it = by_id_.find(std::string(ref));
      if (it != by_id_.end()) parts.push_back(TextOf(it->second));
    }
    return absl::StrJoin(parts, " ");
  }

  // The label of one control, without fallbacks to loose text.
  std::string OwnLabel(const GumboNode* n) const {
    if (const char* id = Attr(n, "id"); id != nullptr) {
      auto it = label_for_.find(id);
      if (it != label_for_.end()) return TextOf(it->second);
    }
    for (const GumboNode* p = n->parent; p != nullptr; p = p->parent) {
      if (IsElement(p, GUMBO_TAG_LABEL)) return TextOf(p);
    }
    if (std::string a = Clean(AttrOr(n, "aria-label")); !a.empty()) return a;
    if (std::string r = RefText(AttrOr(n, "aria-labelledby")); !r.empty())
      return r;
    return "";
  }

  std::string CurrentSection() const {
    for (auto it = fieldsets_.rbegin(); it != fieldsets_.rend(); ++it) {
      if (!it->legend.empty()) return it->legend;
    }
    return heading_;
  }

  // Takes the loose text before the control as its label.
  std::string TakePending() {
    if (pending_line_ < 0) return "";
    Line& l = lines_[pending_line_];
    std::string t = Clean(l.text);
    // A label is short and not a sentence ending in a full stop; anything
    // else is an introduction or a note, and stays instructions.
    if (t.empty() || t.size() > 80 || t.back() == '.') return "";
    l.consumed = true;
    pending_line_ = -1;
    return t;
  }

  // A check box or radio button without a label of its own is named by the
  // text after it on its line (`<input type=checkbox> Kirchenmitglied`), up
  // to the next control or line break; only when none follows does the text
  // before it serve, as for other fields.
  struct Trailing {
    size_t field = 0;
    // The option of a group the text names, or -1: the field itself.
    int option = -1;
    // The loose text before the control, or -1.
    int leading_line = -1;
    std::string title;
    std::string text;
  };

  // Gives the text collected after a control to it.
  void FinishTrailing() {
    if (!trailing_.has_value()) return;
    Trailing t = std::move(*trailing_);
    trailing_.reset();
    std::string label = Clean(t.text);
    if (t.option >= 0) {
      if (!label.empty()) {
        fields_[t.field].mutable_options(t.option)->set_label(label);
      }
      return;
    }
    if (label.empty() && t.leading_line >= 0) {
      pending_line_ = t.leading_line;
      label = TakePending();
      pending_line_ = -1;
    }
    if (label.empty()) label = t.title;
    fields_[t.field].set_label(label);
  }

  void NewLine() {
    FinishTrailing();
    if (lines_.empty() || !lines_.back().text.empty()) lines_.emplace_back();
  }

  void OnControl(const GumboNode* n, ControlKind kind, v1::FieldType type) {
    FinishTrailing();
    const std::string key = KeyOf(n, kind);
    if (absl::StartsWith(key, "r:") || absl::StartsWith(key, "c:")) {
      if (done_groups_.insert(key).second) {
        AddGroup(groups_.at(key), kind, type, key);
      }
      if (auto it = unlabelled_options_.find(n);
          it != unlabelled_options_.end()) {
        trailing_ = Trailing{it->second.first, it->second.second, -1, "", ""};
      }
    } else {
      AddSingle(n, kind, type);
    }
    pending_line_ = -1;
  }

  void AddSingle(const GumboNode* n, ControlKind kind, v1::FieldType type) {
    v1::FormField f;
    f.set_field_id(AttrOr(n, "id"));
    f.set_name(AttrOr(n, "name"));
    f.set_type(type);
    f.set_required(IsRequired(n));
    f.set_placeholder(Clean(AttrOr(n, "placeholder")));
    f.set_help_text(RefText(AttrOr(n, "aria-describedby")));
    std::string label = OwnLabel(n);
    if (label.empty() && kind != ControlKind::kField) {
      // The label is the text that follows (FinishTrailing).
      trailing_ = Trailing{fields_.size(), -1, pending_line_,
                           Clean(AttrOr(n, "title")), ""};
    }
    if (label.empty() && !trailing_.has_value() && f.placeholder().empty()) {
      label = TakePending();
    }
    if (label.empty()) label = Clean(AttrOr(n, "title"));
    f.set_label(label);
    f.set_section(CurrentSection());
    if (IsElement(n, GUMBO_TAG_SELECT)) AddOptions(n, &f);
    fields_.push_back(std::move(f));
  }

  void AddOptions(const GumboNode* select, v1::FormField* f) {
    std::vector<const GumboNode*> stack = {select};
    std::vector<const GumboNode*> options;
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (IsElement(n, GUMBO_TAG_OPTION)) {
        options.push_back(n);
        continue;
      }
      const GumboVector* kids = Children(n);
      if (kids == nullptr) continue;
      for (unsigned i = kids->length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(kids->data[i - 1]));
      }
    }
    for (const GumboNode* o : options) {
      const char* value = Attr(o, "value");
      // <option value="">Bitte wählen</option> is a prompt, not a choice.
      if (value != nullptr && *value == '\0') continue;
      v1::FieldOption* out = f->add_options();
      out->set_label(TextOf(o));
      out->set_value(value != nullptr ? std::string(value) : out->label());
    }
  }

  void AddGroup(const std::vector<const GumboNode*>& inputs, ControlKind kind,
                v1::FieldType type, const std::string& key) {
    const GumboNode* first = inputs.front();
    v1::FormField f;
    f.set_name(AttrOr(first, "name"));
    f.set_field_id(f.name());
    f.set_type(type);
    bool required = false;
    std::string help;
    for (const GumboNode* in : inputs) {
      required = required || IsRequired(in);
      if (help.empty()) help = RefText(AttrOr(in, "aria-describedby"));
      v1::FieldOption* o = f.add_options();
      o->set_label(OwnLabel(in));
      o->set_value(AttrOr(in, "value"));
      if (o->label().empty()) {
        // Named by the text after it, if any (FinishTrailing).
        unlabelled_options_[in] = {fields_.size(), f.options_size() - 1};
        o->set_label(o->value());
      }
    }
    (void)kind;
    f.set_required(required);
    f.set_help_text(help);
    std::string label;
    for (const GumboNode* p = first->parent; p != nullptr && label.empty();
         p = p->parent) {
      const std::string role = AttrOr(p, "role");
      if (role == "radiogroup" || role == "group") {
        label = Clean(AttrOr(p, "aria-label"));
        if (label.empty()) label = RefText(AttrOr(p, "aria-labelledby"));
      }
      if (IsElement(p, GUMBO_TAG_FIELDSET)) {
        auto keys = fieldset_keys_.find(p);
        if (keys != fieldset_keys_.end() && keys->second.size() == 1 &&
            keys->second.count(key)) {
          auto legend = legend_line_.find(p);
          if (legend != legend_line_.end()) {
            label = Clean(lines_[legend->second].text);
            lines_[legend->second].consumed = true;
          }
        }
        break;
      }
    }
    if (label.empty()) label = TakePending();
    f.set_label(label);
    f.set_section(CurrentSection());
    fields_.push_back(std::move(f));
  }

  void Walk() {
    struct Frame {
      const GumboNode* node;
      unsigned next;
      bool entered;
    };
    std::vector<Frame> stack = {{root_, 0, false}};
    lines_.emplace_back();
    while (!stack.empty()) {
      Frame& fr = stack.back();
      const GumboNode* n = fr.node;
      if (!fr.entered) {
        fr.entered = true;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
          if (trailing_.has_value() && !InConsumedContext(n)) {
            AppendCollapsed(n->v.text.text, &trailing_->text);
          } else if (!InConsumedContext(n)) {
            AppendCollapsed(n->v.text.text, &lines_.back().text);
            // A legend names a section; it labels a field only through its
            // fieldset (AddGroup), never as loose text.
            if (!Clean(lines_.back().text).empty() && !InLegend(n)) {
              pending_line_ = static_cast<int>(lines_.size() - 1);
            }
          }
          stack.pop_back();
          continue;
        }
        if (IsBlock(n)) NewLine();
        if (IsElement(n, GUMBO_TAG_FIELDSET)) fieldsets_.push_back({n, ""});
        if (IsElement(n, GUMBO_TAG_LEGEND) && !fieldsets_.empty() &&
            fieldsets_.back().legend.empty()) {
          fieldsets_.back().legend = TextOf(n);
          legend_line_[fieldsets_.back().node] = lines_.size() - 1;
        }
        if (IsHeading(n)) heading_ = TextOf(n);
        v1::FieldType type;
        const ControlKind kind = KindOf(n, &type);
        if (kind != ControlKind::kIgnore) OnControl(n, kind, type);
        if (IsOpaque(n) || kind != ControlKind::kIgnore) {
          stack.pop_back();
          continue;
        }
      }
      const GumboVector* kids = Children(n);
      if (kids != nullptr && fr.next < kids->length) {
        const GumboNode* child =
            static_cast<const GumboNode*>(kids->data[fr.next++]);
        stack.push_back({child, 0, false});
        continue;
      }
      // leaving
      if (IsBlock(n)) NewLine();
      if (IsElement(n, GUMBO_TAG_FIELDSET) && !fieldsets_.empty())
        fieldsets_.pop_back();
      stack.pop_back();
    }
  }

  struct Fieldset {
    const GumboNode* node;
    std::string legend;
  };

  const GumboNode* root_;
  absl::flat_hash_map<std::string, const GumboNode*> by_id_;
  absl::flat_hash_map<std::string, const GumboNode*> label_for_;
  absl::flat_hash_set<std::string> referenced_;
  std::map<std::string, std::vector<const GumboNode*>> groups_;
  std::vector<std::pair<const GumboNode*, ControlKind>> controls_;
  absl::flat_hash_map<const GumboNode*, std::set<std::string>> fieldset_keys_;
  absl::flat_hash_map<const GumboNode*, size_t> legend_line_;
  absl::flat_hash_set<std::string> done_groups_;
  std::vector<Fieldset> fieldsets_;
  std::string heading_;
  std::vector<Line> lines_;
  int pending_line_ = -1;
  // The unlabelled check box or radio button waiting for the text after it.
  std::optional<Trailing> trailing_;
  // Options of groups without a label of their own: field and option index.
  absl::flat_hash_map<const GumboNode*, std::pair<size_t, int>>
      unlabelled_options_;
  std::vector<v1::FormField> fields_;
};

}  // namespace

absl::StatusOr<v1::ScanFormRequest> FormFromHtml(absl::string_view raw_html) {
  ASSIGN_OR_RETURN(const ParsedHtml page, ParseHtml(raw_html));
  v1::ScanFormRequest request = HtmlFormReader(page.root()).Read();
  if (request.fields_size() == 0) {
    return absl::InvalidArgumentError(
        "no form fields found (no <input>, <select> or <textarea> other than "
        "hidden inputs "
        "and buttons)");
  }
  return request;
}

absl::StatusOr<v1::ScanFormRequest> FormFromJson(absl::string_view json) {
  v1::ScanFormRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &request,
      options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a ScanFormRequest in JSON: ", status.message().as_string()));
  }
  return request;
}

absl::StatusOr<v1::ScanFormRequest> FormFromFile(absl::string_view path,
                                                 absl::string_view content) {
  const absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(content);
  if (absl::EndsWithIgnoreCase(path, ".json") ||
      absl::StartsWith(trimmed, "{")) {
    return FormFromJson(content);
  }
  return FormFromHtml(content);
}

}  // namespace divcheck::formats
