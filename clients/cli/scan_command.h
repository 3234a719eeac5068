// `divcheck scan`: scans job ads (files or standard input) in-process or
// through a divcheckd server and prints one report per input, as text or
// proto3 JSON. Exit status 0 nothing reached --fail-on, 1 something did,
// 2 usage or input errors (the other inputs are still scanned).
#ifndef DIVCHECK_CLIENTS_CLI_SCAN_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_SCAN_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck scan`.
extern const char kScanHelp[];

// Runs `divcheck scan …`; argv[1] is "scan". Returns the exit status.
int ScanCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_SCAN_COMMAND_H_
