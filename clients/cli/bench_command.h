// `divcheck bench`: a closed-loop load generator against a divcheckd
// server. Exit status 0 every call succeeded, 1 some failed, 2 usage or
// input errors.
#ifndef DIVCHECK_CLIENTS_CLI_BENCH_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_BENCH_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck bench`.
extern const char kBenchHelp[];

// Runs `divcheck bench …`; argv[1] is "bench". Returns the exit status.
int BenchCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_BENCH_COMMAND_H_
