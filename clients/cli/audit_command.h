// `divcheck audit`: checks a whole catalogue of ads in-process, with a
// worker per core over one shared engine, and prints a summary (see
// kAuditHelp and proto/divcheck/cli/audit.proto).
#ifndef DIVCHECK_CLIENTS_CLI_AUDIT_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_AUDIT_COMMAND_H_

namespace divcheck::cli {

extern const char kAuditHelp[];

// Runs `divcheck audit` on argv[2..argc); returns the exit status.
int AuditCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_AUDIT_COMMAND_H_
