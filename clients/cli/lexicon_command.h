// `divcheck lexicon validate|stats`: checks a lexicon directory (every
// problem listed) and counts its entries and terms. Exit status 0 fine, 1
// the lexicons have problems, 2 usage errors or a missing directory.
#ifndef DIVCHECK_CLIENTS_CLI_LEXICON_COMMAND_H_
#define DIVCHECK_CLIENTS_CLI_LEXICON_COMMAND_H_

namespace divcheck::cli {

// The help text of `divcheck lexicon`.
extern const char kLexiconHelp[];

// Runs `divcheck lexicon …`; argv[1] is "lexicon". Returns the exit status.
int LexiconCommand(int argc, char** argv);

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_LEXICON_COMMAND_H_
