#include "analyzers/context_trace.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace divcheck {

using config::v1::ContextModifier;

namespace {

std::string SeverityWord(v1::Severity s) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(v1::Severity_Name(s), "SEVERITY_"));
}

}  // namespace

// What modifier `i` of `entry` did to `c` (severity `before` until then),
// for a trace: the effect, where the cue was looked for, and the cues.
std::string DescribeModifier(const CompiledEntry& entry, size_t i,
                             v1::Severity before, const Candidate& c) {
  const CompiledModifier& mod = entry.modifiers[i];
  std::string out;
  if (c.dropped) {
    out = "dropped";
  } else if (c.severity != before) {
    out = absl::StrCat(c.severity < before ? "lowered " : "raised ",
                       SeverityWord(before), " -> ", SeverityWord(c.severity));
  } else {
    out = "note added";
  }
  absl::StrAppend(&out, ": context rule ", i + 1, " of ", entry.def->id());
  switch (mod.scope) {
    case ContextModifier::SCOPE_DOCUMENT:
      absl::StrAppend(&out, " (the ad sets \"", mod.flag, "\"",
                      mod.flag == "church_employer"
                          ? ": a church or church institution, § 9 AGG"
                          : "",
                      ")");
      break;
    case ContextModifier::SCOPE_SENTENCE:
      absl::StrAppend(&out, " found a cue in the same sentence");
      break;
    case ContextModifier::SCOPE_BEFORE:
      absl::StrAppend(&out, " found a cue up to ", mod.window,
                      " words before it");
      break;
    case ContextModifier::SCOPE_AFTER:
      absl::StrAppend(&out, " found a cue up to ", mod.window,
                      " words after it");
      break;
    default:
      break;
  }
  if (entry.def != nullptr &&
      i < static_cast<size_t>(entry.def->modifiers_size())) {
    const auto& cues = entry.def->modifiers(static_cast<int>(i)).cues();
    if (!cues.empty()) {
      std::vector<std::string> shown;
      for (int k = 0; k < cues.size() && k < 4; ++k) {
        shown.push_back(absl::StrCat("\"", cues[k], "\""));
      }
      absl::StrAppend(&out, " (cues ", absl::StrJoin(shown, ", "),
                      cues.size() > 4 ? ", …" : "", ")");
    }
  }
  return out;
}

void MarkBeaten(const std::vector<bool>& beaten, Analysis* a) {
  for (uint32_t i = 0; i < a->candidates.size(); ++i) {
    if (!beaten[i]) continue;
    a->candidates[i].dropped = true;
    if (a->tracing) {
      a->Trace(a->candidates[i],
               "dropped: a longer or more severe finding with the same "
               "dimensions covers the same words (one finding per words)");
    }
  }
}

}  // namespace divcheck
