// divcheck: the command-line client. Scans job ads in-process or through a
// divcheckd server, audits application forms, checks lexicons, load-tests a
// server and runs the employer self-assessment. This file only dispatches:
// each command lives in its own file (scan_command.h, form_command.h,
// lexicon_command.h, bench_command.h, assess_command.h,
// audit_command.h).
//
//   divcheck scan [--format=text|json] [--lang=auto|de|en]
//                 [--fail-on=hint|warning|critical] [--server=HOST:PORT]
//                 [--disable=RULE,...] [--only=RULE,...]
//                 [--min-severity=hint|warning|critical]
//                 [--employer=private|public|religious|tendency]
//                 [--report-lang=de|en] FILE... | -
//   divcheck form [--format=text|json] [--lang=auto|de|en]
//                 [--employer=private|public|religious|tendency]
//                 [--fail-on=hint|warning|critical] [--server=HOST:PORT] FILE
//   divcheck extract [--encoding=NAME] [--media-type=TYPE]
//                    [--print=text|format] FILE | -
//   divcheck explain [--format=text|json] [--lexicons=DIR] RULE_ID
//   divcheck lexicon validate [DIR]
//   divcheck lexicon stats [DIR] [--format=text|json]
//   divcheck bench --server=HOST:PORT [--concurrency=N] [--duration=S] FILE
//   divcheck assess [SUBCOMMAND] …
//   divcheck audit [--output=FILE] [--summary=text|json] INPUT...
//
// Exit status: 0 nothing reached --fail-on; 1 something did (or, for
// `lexicon validate`, the lexicons have problems); 2 usage or input errors.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "clients/cli/assess_command.h"
#include "clients/cli/audit_command.h"
#include "clients/cli/bench_command.h"
#include "clients/cli/command_support.h"
#include "clients/cli/connection.h"
#include "clients/cli/explain_command.h"
#include "clients/cli/extract_command.h"
#include "clients/cli/form_command.h"
#include "clients/cli/lexicon_command.h"
#include "clients/cli/scan_command.h"

namespace divcheck::cli {
namespace {

const char kMainHelp[] =
    R"(divcheck — checks job ads for discriminatory and exclusionary wording
(German AGG; German and English ads).

Usage:
  divcheck scan [options] FILE... | -     scan job ads and print a report
  divcheck form [options] FILE            audit an application form (HTML or JSON)
  divcheck extract [options] FILE | -     print the text divcheck reads from a document
  divcheck explain RULE_ID                explain a rule, with its examples checked now
  divcheck lexicon validate [DIR]         list every problem in the lexicons
  divcheck lexicon stats [DIR]            count lexicon entries and terms
  divcheck audit [options] INPUT...       check a whole catalogue of ads, with a summary
  divcheck bench --server=HOST:PORT FILE  load-test a divcheckd server
  divcheck assess [SUBCOMMAND]            employer self-assessment (Diversity-Check)
  divcheck help [COMMAND]                 show help for a command
  divcheck --version

Run `divcheck scan --help` for the scan options.
)";

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kMainHelp;
    return kExitUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h") {
    std::cout << kMainHelp;
    return kExitOk;
  }
  if (cmd == "help") {
    const std::string topic = argc > 2 ? argv[2] : "";
    std::cout << (topic == "scan"      ? kScanHelp
                  : topic == "form"    ? kFormHelp
                  : topic == "lexicon" ? kLexiconHelp
                  : topic == "bench"   ? kBenchHelp
                  : topic == "extract" ? kExtractHelp
                  : topic == "explain" ? kExplainHelp
                  : topic == "assess"  ? kAssessHelp
                  : topic == "audit"   ? kAuditHelp
                                       : kMainHelp);
    return kExitOk;
  }
  if (cmd == "--version" || cmd == "version") {
    std::cout << "divcheck " << DIVCHECK_VERSION << "\n";
    return kExitOk;
  }
  if (cmd == "scan") return ScanCommand(argc, argv);
  if (cmd == "form") return FormCommand(argc, argv);
  if (cmd == "extract") return ExtractCommand(argc, argv);
  if (cmd == "explain") return ExplainCommand(argc, argv);
  if (cmd == "lexicon") return LexiconCommand(argc, argv);
  if (cmd == "bench") return BenchCommand(argc, argv);
  if (cmd == "assess") return AssessCommand(argc, argv);
  if (cmd == "audit") return AuditCommand(argc, argv);
  return Usage(absl::StrCat("unknown command \"", cmd, "\""), kMainHelp);
}

}  // namespace
}  // namespace divcheck::cli

int main(int argc, char** argv) {
  // Debian's Abseil is built with Mutex deadlock detection on; gRPC locks an
  // absl::Mutex on every call, and the cycle bookkeeping is pure overhead for
  // the remote commands (a few per cent of `divcheck bench`'s CPU).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return divcheck::cli::EndProcess(divcheck::cli::Main(argc, argv));
}
