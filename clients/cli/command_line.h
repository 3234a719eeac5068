// One subcommand's command line, parsed with CLI11: `--name=value` and
// `--name value` for the registered names, `-h`/`--help`, `--` (everything
// after it is positional), `-` (standard input) and other positionals, in
// any order. Given twice, the last value counts; `--name=` gives an empty
// value. Errors: `unknown option "--frob"` for a name not registered (and
// for any `-x`), `option --lang needs a value` when the last argument is an
// option without one.
//
//   CommandLine line;
//   std::string format = "text";
//   std::optional<std::string> server;
//   line.Add("format", &format);
//   line.Add("server", &server);
//   std::string error;
//   if (!line.Parse(argc, argv, 2, &error)) return Usage(error, kHelp);
//   if (line.help()) …
//
// Thread-compatible; one object per parse.
#ifndef DIVCHECK_CLIENTS_CLI_COMMAND_LINE_H_
#define DIVCHECK_CLIENTS_CLI_COMMAND_LINE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace divcheck::cli {

class CommandLine {
 public:
  CommandLine();
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // Registers --name (without the dashes). When given, its value is stored
  // in *value, which must outlive Parse; otherwise *value is left as is.
  void Add(const std::string& name, std::string* value);
  // The same; *value holds a value exactly when the option was given.
  void Add(const std::string& name, std::optional<std::string>* value);
  // Registers --name as a flag without a value: *value becomes true when it
  // is given.
  void AddFlag(const std::string& name, bool* value);

  // Parses argv[start..argc). Returns false with *error set for an unknown
  // option or a missing value.
  bool Parse(int argc, char** argv, int start, std::string* error);

  // Whether -h or --help was given.
  bool help() const { return help_; }
  // The positional arguments, in order.
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::unique_ptr<CLI::App> app_;
  bool help_ = false;
  std::vector<std::string> positional_;
};

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_COMMAND_LINE_H_
