// `divcheck extract`: prints the text divcheck reads from a document (the
// text the offsets and line:col of `divcheck scan` point into). Exit status
// 0 on success, 2 usage or input errors.
#ifndef DIVCHECK_CLIENTS_CLI_EXTRACT_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_EXTRACT_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck extract`.
extern const char kExtractHelp[];

// Runs `divcheck extract …`; argv[1] is "extract". Returns the exit status.
int ExtractCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_EXTRACT_COMMAND_H_
