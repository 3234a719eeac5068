// `divcheck assess` without a subcommand: the questionnaire asked question
// by question in the terminal (answer by number or option id; ? help,
// b back, s skip, q save and quit), the progress saved to --resume=FILE
// after every answer, then the report.
//
// Reads standard input and writes standard output; one at a time.
#ifndef DIVCHECK_CLIENTS_CLI_ASSESS_INTERACTIVE_H_
#define DIVCHECK_CLIENTS_CLI_ASSESS_INTERACTIVE_H_

namespace divcheck::cli::assess {

// The help text of the interactive mode.
extern const char kInteractiveHelp[];

// Runs the interactive mode with the options in argv[start..argc). Returns
// 0 done, 1 left unfinished (progress saved), 2 usage, input or server
// errors.
int InteractiveCommand(int argc, char** argv, int start);

}  // namespace divcheck::cli::assess

#endif  // DIVCHECK_CLIENTS_CLI_ASSESS_INTERACTIVE_H_
