// Command-line parsing shared by the `divcheck` subcommands.
#ifndef DIVCHECK_CLIENTS_CLI_ARGS_H_
#define DIVCHECK_CLIENTS_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

namespace divcheck::cli {

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  bool help = false;
};

// Parses argv[start..argc): `--name=value` and `--name value` for names in
// `known`, `-h`/`--help`, `--` (everything after it is positional), `-`
// (standard input, a positional) and positionals. Returns false with
// *error set for an unknown option or a missing value.
bool ParseArgs(int argc, char** argv, int start,
               const std::vector<std::string>& known, Args* out,
               std::string* error);

// The value of --name, or `fallback` when it was not given.
std::string FlagOr(const Args& args, const std::string& name,
                   const std::string& fallback = "");

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_ARGS_H_
