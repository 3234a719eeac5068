#include "clients/cli/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "absl/strings/str_cat.h"

namespace divcheck::cli {

CommandLine::CommandLine() : app_(std::make_unique<CLI::App>()) {
  // Our own help flag, so that an unknown option is reported even next to
  // --help, and the commands print their own help texts.
  app_->set_help_flag();
  app_->add_flag("-h,--help", help_);
  // Unknown options are collected, not thrown, to name them in our words.
  app_->allow_extras();
  app_->option_defaults()->multi_option_policy(
      CLI::MultiOptionPolicy::TakeLast);
  app_->add_option("args", positional_);
}

CommandLine::~CommandLine() = default;

void CommandLine::Add(const std::string& name, std::string* value) {
  app_->add_option_function<std::string>(
      "--" + name, [value](const std::string& v) { *value = v; });
}

void CommandLine::Add(const std::string& name,
                      std::optional<std::string>* value) {
  app_->add_option_function<std::string>(
      "--" + name, [value](const std::string& v) { *value = v; });
}

void CommandLine::AddFlag(const std::string& name, bool* value) {
  app_->add_flag("--" + name, *value);
}

bool CommandLine::Parse(int argc, char** argv, int start, std::string* error) {
  // CLI11 reads `--name=` as `--name` followed by its value in the next
  // argument; `divcheck` has always read it as an empty value. The "--"
  // ends the options: what follows it is passed on unchanged.
  std::vector<std::string> args;
  bool options_done = false;
  for (int i = start; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") options_done = true;
    if (!options_done && arg.size() > 3 && arg.compare(0, 2, "--") == 0 &&
        arg.back() == '=' && arg.find('=') == arg.size() - 1) {
      args.push_back(arg.substr(0, arg.size() - 1));
      args.push_back("");
    } else {
      args.push_back(arg);
    }
  }
  // CLI11 takes the arguments last to first.
  std::reverse(args.begin(), args.end());
  try {
    app_->parse(args);
  } catch (const CLI::ArgumentMismatch& e) {
    // CLI11 says "--lang: 1 required TEXT missing"; divcheck has always
    // said "option --lang needs a value".
    const std::string what = e.what();
    const size_t colon = what.find(':');
    const bool missing =
        what.size() > 8 && what.compare(what.size() - 8, 8, " missing") == 0;
    *error =
        colon != std::string::npos && missing
            ? absl::StrCat("option ", what.substr(0, colon), " needs a value")
            : what;
    return false;
  } catch (const CLI::ParseError& e) {
    *error = e.what();
    return false;
  }
  for (const std::string& extra : app_->remaining()) {
    if (extra == "--") continue;  // CLI11 passes the marker on
    *error = absl::StrCat("unknown option \"", extra, "\"");
    return false;
  }
  return true;
}

}  // namespace divcheck::cli
