// divcheckd's --help: the usage message (kServerHelp) and every divcheckd
// flag from Abseil's registry, with its help text and default, wrapped for a
// terminal.
//
// Thread-safe once the flags are registered (static initialisation).
#ifndef DIVCHECK_SERVICE_SERVER_HELP_H_
#define DIVCHECK_SERVICE_SERVER_HELP_H_

#include <ostream>
#include <string>
#include <vector>

namespace divcheck::service {

// True when the arguments ask for help ("--help" or "-h" anywhere before
// "--"). Abseil's own --help exits with status 1; divcheckd's exits with 0.
bool WantsHelp(const std::vector<std::string>& args);

// kServerHelp, then every flag defined in server_options.cc.
void PrintHelp(std::ostream& out);

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_SERVER_HELP_H_
