#include "clients/cli/assess_common.h"

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/file.h"
#include "clients/cli/api_key.h"
#include "clients/cli/assess_format.h"
#include "clients/cli/command_line.h"
#include "clients/cli/report_format.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::cli::assess {

std::optional<int> ParseAssessFlags(int argc, char** argv, int start,
                                    const std::vector<std::string>& names,
                                    const char* help, AssessFlags* flags) {
  CommandLine line;
  for (const std::string& name : names) {
    if (name == "format") line.Add(name, &flags->format);
    if (name == "lang") line.Add(name, &flags->lang);
    if (name == "organization") line.Add(name, &flags->organization);
    if (name == "server") line.Add(name, &flags->server);
    if (name == "questionnaires") line.Add(name, &flags->questionnaires);
    if (name == "answers") line.Add(name, &flags->answers);
    if (name == "resume") line.Add(name, &flags->resume);
  }
  std::string error;
  if (!line.Parse(argc, argv, start, &error)) return Usage(error, help);
  if (line.help()) {
    std::cout << help;
    return kExitOk;
  }
  flags->positional = line.positional();
  if (!flags->server.empty()) {
    // Checked here, before any call, so a bad key is a usage error (exit 2).
    absl::StatusOr<std::string> key = ApiKeyFor(flags->server);
    if (!key.ok()) {
      std::cerr << "divcheck assess: " << key.status().message() << "\n";
      return kExitError;
    }
  }
  return std::nullopt;
}

bool ValidFormat(const std::string& f) { return f == "text" || f == "json"; }

bool ValidLang(const std::string& l) {
  return l.empty() || l == "de" || l == "en";
}

int Usage(const std::string& error, const char* help) {
  std::cerr << "divcheck assess: " << error << "\n\n" << help;
  return kExitError;
}

int Fail(const std::string& message) {
  std::cerr << "divcheck assess: " << message << "\n";
  return kExitError;
}

int PrintError(const absl::Status& status, const std::string& context) {
  std::cerr << "divcheck assess: " << context << (context.empty() ? "" : ": ")
            << absl::StatusCodeToString(status.code()) << "\n";
  for (absl::string_view line : absl::StrSplit(status.message(), '\n')) {
    std::cerr << "  " << line << "\n";
  }
  return kExitError;
}

void PrintAssessment(const v1::Assessment& a, const std::string& format,
                     const std::string& title) {
  if (format == "json") {
    std::cout << ProtoJson(a) << "\n";
  } else {
    std::cout << AssessmentText(a, title);
  }
}

absl::StatusOr<files::AnswersFile> ReadAnswersFile(const std::string& path) {
  absl::StatusOr<std::string> json =
      path == "-" ? ReadStream(stdin, "<stdin>") : ReadFile(path);
  if (!json.ok()) return json.status();
  files::AnswersFile file;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(*json, &file, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a valid answers file: ", parsed.ToString()));
  }
  return file;
}

v1::CreateAssessmentRequest RequestFrom(const files::AnswersFile& file,
                                        const AssessFlags& flags) {
  v1::CreateAssessmentRequest request;
  request.set_questionnaire_id(file.questionnaire_id());
  request.set_questionnaire_version(file.questionnaire_version());
  request.set_language_code(flags.lang.value_or(file.language()));
  request.set_organization(flags.organization.value_or(file.organization()));
  *request.mutable_answers() = file.answers();
  return request;
}

}  // namespace divcheck::cli::assess
