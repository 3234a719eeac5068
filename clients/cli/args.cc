#include "clients/cli/args.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace divcheck::cli {

bool ParseArgs(int argc, char** argv, int start,
               const std::vector<std::string>& known, Args* out,
               std::string* error) {
  bool flags_done = false;
  for (int i = start; i < argc; ++i) {
    std::string a = argv[i];
    if (flags_done || a == "-" || !absl::StartsWith(a, "-")) {
      out->positional.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      out->help = true;
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    bool has_value = eq != std::string::npos;
    if (has_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (!absl::StartsWith(a, "--") ||
        std::find(known.begin(), known.end(), name) == known.end()) {
      *error = absl::StrCat("unknown option \"", a, "\"");
      return false;
    }
    if (!has_value) {
      if (i + 1 >= argc) {
        *error = absl::StrCat("option --", name, " needs a value");
        return false;
      }
      value = argv[++i];
    }
    out->flags[name] = value;
  }
  return true;
}

std::string FlagOr(const Args& args, const std::string& name,
                   const std::string& fallback) {
  auto it = args.flags.find(name);
  return it == args.flags.end() ? fallback : it->second;
}

}  // namespace divcheck::cli
