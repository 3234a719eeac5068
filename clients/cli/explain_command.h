// `divcheck explain RULE_ID`: what a rule is for, trainer-readable — its
// severity and dimensions, why it matters, what to write instead, the legal
// basis and sources, the words it matches, and its examples and
// counter-examples, each scanned now to show that it fires (or does not).
// Exit status 0 when every example behaves, 1 when one does not, 2 for an
// unknown rule or a usage error.
#ifndef DIVCHECK_CLIENTS_CLI_EXPLAIN_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_EXPLAIN_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck explain`.
extern const char kExplainHelp[];

// Runs `divcheck explain …`; argv[1] is "explain". Returns the exit status.
int ExplainCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_EXPLAIN_COMMAND_H_
