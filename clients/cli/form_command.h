// `divcheck form`: audits one application form (HTML or a ScanFormRequest
// in JSON) in-process or through a divcheckd server. Exit status 0 nothing
// reached --fail-on, 1 something did, 2 usage or input errors.
#ifndef DIVCHECK_CLIENTS_CLI_FORM_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_FORM_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck form`.
extern const char kFormHelp[];

// Runs `divcheck form …`; argv[1] is "form". Returns the exit status.
int FormCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_FORM_COMMAND_H_
