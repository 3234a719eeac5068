// `divcheck assess`: the employer self-assessment on the command line —
// print the questionnaire, answer it interactively, submit an answers file,
// list and compare assessments. In-process by default; --server=HOST:PORT
// uses a divcheckd's AssessmentService (and is required to store, list and
// compare stored assessments).
#ifndef DIVCHECK_CLIENTS_CLI_ASSESS_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_ASSESS_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck assess`.
extern const char kAssessHelp[];

// Runs `divcheck assess …`; argv[1] is "assess". Returns the exit status:
// 0 done, 1 the interactive questionnaire was left unfinished (progress
// saved), 2 usage, input or server errors (every invalid answer is named).
int AssessCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_ASSESS_COMMAND_H_
