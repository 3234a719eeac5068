#include "service/server_help.h"

#include <algorithm>
#include <utility>

#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "service/server_options.h"

namespace divcheck::service {
namespace {

// `text` wrapped at 78 columns, each line indented by six spaces.
std::string Wrapped(absl::string_view text) {
  std::string out;
  size_t column = 0;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    if (column > 0 && column + 1 + word.size() > 72) {
      out += '\n';
      column = 0;
    }
    absl::StrAppend(&out, column == 0 ? "      " : " ", word);
    column += word.size() + 1;
  }
  return out;
}

}  // namespace

// True when the arguments ask for help ("--help" or "-h" anywhere before
// "--"). Abseil's own --help exits with status 1; divcheckd's exits with 0.
bool WantsHelp(const std::vector<std::string>& args) {
  for (size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "--help" || args[i] == "-h") return true;
  }
  return false;
}

// kServerHelp, then every divcheckd flag from Abseil's registry with its
// help text and default.
void PrintHelp(std::ostream& out) {
  out << "divcheckd: " << kServerHelp << "\n\nFlags:\n";
  std::vector<std::pair<std::string, std::string>> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!absl::EndsWith(flag->Filename(), "server_options.cc")) continue;
    std::string help = flag->Help();
    if (flag->IsOfType<bool>()) {
      absl::StrAppend(&help, " (default ", flag->DefaultValue(), ")");
    }
    flags.emplace_back(
        std::string(name),
        absl::StrCat("  --", flag->IsOfType<bool>() ? "[no]" : "", name,
                     flag->IsOfType<bool>() ? "" : "=VALUE", "\n",
                     Wrapped(help)));
  }
  std::sort(flags.begin(), flags.end());
  for (const auto& [name, text] : flags) out << text << "\n";
  out << "  --help, --version\n";
}

}  // namespace divcheck::service
