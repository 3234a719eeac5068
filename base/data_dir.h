// Finding divcheck's data directories (lexicons, questionnaires).
#ifndef DIVCHECK_BASE_DATA_DIR_H_
#define DIVCHECK_BASE_DATA_DIR_H_

#include <string>

namespace divcheck {

// The directory to read data `name` ("lexicons", "questionnaires") from:
// the environment variable `env_var` when set and non-empty; else
// <prefix>/share/divcheck/<name> when the running executable is installed
// as <prefix>/bin/…; else `source_dir` (the source tree's copy, for builds
// run in place).
std::string FindDataDir(const char* env_var, const std::string& name,
                        const std::string& source_dir);

}  // namespace divcheck

#endif  // DIVCHECK_BASE_DATA_DIR_H_
