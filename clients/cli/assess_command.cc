#include "clients/cli/assess_command.h"

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "assessment/questionnaire.h"
#include "assessment/scoring.h"
#include "clients/cli/assess_backend.h"
#include "clients/cli/assess_common.h"
#include "clients/cli/assess_format.h"
#include "clients/cli/assess_interactive.h"
#include "clients/cli/report_format.h"
#include "divcheck/cli/files/assess_files.pb.h"

namespace divcheck::cli {

const char kAssessHelp[] = R"(Usage: divcheck assess [SUBCOMMAND] [options]

The employer self-assessment ("Diversity-Check"): 7 fields of action,
about 40 questions. Scores each field (percentage, need for action as a
traffic light, maturity 1-5), each diversity dimension and overall (0-100),
and lists the next steps with the highest impact.

  divcheck assess [--resume=FILE]           answer the questions interactively
  divcheck assess questionnaire             print the questionnaire
  divcheck assess submit --answers=FILE     score an answers file
  divcheck assess list --organization=ORG --server=ADDR
                                            list stored assessments
  divcheck assess show --server=ADDR ID     print a stored assessment
  divcheck assess compare ID1 ID2 --server=ADDR | FILE1 FILE2
                                            what improved from 1 to 2

Run `divcheck assess SUBCOMMAND --help` for the options of each.
Without --server everything runs in-process and nothing is stored. With
--server, the API key ($DIVCHECK_API_KEY or the file $DIVCHECK_API_KEY_FILE)
is sent only over TLS (--tls, --ca_file; see a subcommand's --help) or to a
loopback address, unless DIVCHECK_INSECURE_SEND_KEY=1.
Exit status: 0 done; 1 the interactive questionnaire was left unfinished
(progress saved); 2 usage, input or server errors.
)";

namespace assess {
namespace {

const char kQuestionnaireHelp[] =
    R"(Usage: divcheck assess questionnaire [options]

Prints the questionnaire: every field of action, question, help text and
answer option with its id (the ids an answers file uses).

Options:
  --lang=de|en           language (default de)
  --format=text|json     json: {"id", "version", "sections": [{"id", "title",
                         "questions": [{"id", "text", "options": [{"id",
                         "label", "value"}]}]}]}
  --server=HOST:PORT     the questionnaire a divcheckd server uses
)" DIVCHECK_CLI_TLS_HELP R"(  --questionnaires=DIR   questionnaire directory
)";

const char kSubmitHelp[] =
    R"(Usage: divcheck assess submit --answers=FILE [options]

Scores an answers file and prints the report (overallScore, the result of
every field of action, dimensions, recommendations). FILE is JSON:

  {"questionnaireId": "diversity-check",
   "answers": [{"questionId": "strategy.commitment", "optionId": "partly"},
               …]}

Optional fields: "questionnaireVersion" (default: newest), "language"
("de"/"en", for the report's texts), "organization". Leave optional
questions out to skip them. Invalid answers (unknown question or option
ids, duplicates, missing required answers, unknown questionnaire version)
are all listed, and the exit status is 2.

Options:
  --answers=FILE         the answers (required; - reads standard input)
  --organization=ORG     with --server: store the result for ORG (without it
                         the server only scores)
  --server=HOST:PORT     score (and store) on a divcheckd server
)" DIVCHECK_CLI_TLS_HELP
    R"(  --format=text|json     json prints the Assessment message as proto3 JSON
  --lang=de|en           language of the report (overrides the file)
  --questionnaires=DIR   questionnaire directory (in-process)
)";

const char kListHelp[] =
    R"(Usage: divcheck assess list --organization=ORG --server=HOST:PORT [--format=text|json]

Lists the organisation's stored assessments, newest first (all pages).

Options:
)" DIVCHECK_CLI_TLS_HELP;

const char kShowHelp[] =
    R"(Usage: divcheck assess show --server=HOST:PORT [--format=text|json] ID

Prints a stored assessment.

Options:
)" DIVCHECK_CLI_TLS_HELP;

const char kCompareHelp[] =
    R"(Usage:
  divcheck assess compare --server=HOST:PORT BEFORE_ID AFTER_ID
  divcheck assess compare BEFORE_FILE AFTER_FILE

Shows what changed from the first assessment to the second: overall score,
each field of action and dimension (improved / unchanged / worse, by at
least one percentage point) and every question answered differently. With
--server, two stored assessments of the same organisation; without, two
answers files scored in-process.

Options:
  --server=HOST:PORT     compare two assessments stored on a divcheckd server
)" DIVCHECK_CLI_TLS_HELP
    R"(  --format=text|json     json prints the AssessmentComparison message
  --lang=de|en           language of the texts (in-process; default: the
                         second file's, else de)
  --questionnaires=DIR   questionnaire directory (in-process)
)";

int QuestionnaireCommand(int argc, char** argv) {
  AssessFlags args;
  if (std::optional<int> done = ParseAssessFlags(
          argc, argv, 3, {"lang", "format", "server", "questionnaires"},
          kQuestionnaireHelp, &args)) {
    return *done;
  }
  const std::string format = args.format;
  const std::string lang = args.lang.value_or("de");
  if (!ValidFormat(format))
    return Usage("--format must be text or json", kQuestionnaireHelp);
  if (!ValidLang(lang))
    return Usage("--lang must be de or en", kQuestionnaireHelp);
  if (!args.positional.empty())
    return Usage("no arguments expected", kQuestionnaireHelp);
  absl::StatusOr<std::unique_ptr<Backend>> backend =
      Backend::Create(args.connection, args.questionnaires);
  if (!backend.ok()) return PrintError(backend.status(), "questionnaires");
  absl::StatusOr<v1::Questionnaire> q = (*backend)->Questionnaire("", 0, lang);
  if (!q.ok()) return PrintError(q.status(), "questionnaire");
  std::cout << (format == "json" ? QuestionnaireJson(*q) + "\n"
                                 : QuestionnaireText(*q));
  return kExitOk;
}

int SubmitCommand(int argc, char** argv) {
  AssessFlags args;
  if (std::optional<int> done =
          ParseAssessFlags(argc, argv, 3,
                           {"answers", "organization", "server", "format",
                            "lang", "questionnaires"},
                           kSubmitHelp, &args)) {
    return *done;
  }
  const std::string format = args.format;
  if (!ValidFormat(format))
    return Usage("--format must be text or json", kSubmitHelp);
  if (!ValidLang(args.lang.value_or("")))
    return Usage("--lang must be de or en", kSubmitHelp);
  const std::string path = args.answers;
  if (path.empty()) return Usage("--answers=FILE is required", kSubmitHelp);
  if (!args.positional.empty())
    return Usage("no arguments expected", kSubmitHelp);
  absl::StatusOr<files::AnswersFile> file = ReadAnswersFile(path);
  if (!file.ok()) return Fail(std::string(file.status().message()));
  absl::StatusOr<std::unique_ptr<Backend>> backend =
      Backend::Create(args.connection, args.questionnaires);
  if (!backend.ok()) return PrintError(backend.status(), "questionnaires");
  absl::StatusOr<v1::Assessment> a =
      (*backend)->Score(RequestFrom(*file, args));
  if (!a.ok()) {
    return PrintError(a.status(),
                      absl::StrCat(path, ": the answers were not accepted"));
  }
  PrintAssessment(*a, format, (*backend)->TitleOf(*a));
  return kExitOk;
}

int ListCommand(int argc, char** argv) {
  AssessFlags args;
  if (std::optional<int> done =
          ParseAssessFlags(argc, argv, 3, {"organization", "server", "format"},
                           kListHelp, &args)) {
    return *done;
  }
  const std::string format = args.format;
  if (!ValidFormat(format))
    return Usage("--format must be text or json", kListHelp);
  if (!args.connection.has_value())
    return Usage("--server is required", kListHelp);
  if (args.organization.value_or("").empty())
    return Usage("--organization is required", kListHelp);
  absl::StatusOr<std::unique_ptr<Backend>> backend =
      Backend::Create(args.connection, args.questionnaires);
  if (!backend.ok()) return PrintError(backend.status(), "");
  v1::ListAssessmentsResponse all;
  v1::ListAssessmentsRequest request;
  request.set_organization(args.organization.value_or(""));
  request.set_page_size(100);
  do {
    absl::StatusOr<v1::ListAssessmentsResponse> page =
        (*backend)->client().ListAssessments(request);
    if (!page.ok()) return PrintError(page.status(), "list");
    for (auto& a : *page->mutable_assessments())
      *all.add_assessments() = std::move(a);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  std::cout << (format == "json" ? ProtoJson(all) + "\n"
                                 : AssessmentListText(all));
  return kExitOk;
}

int ShowCommand(int argc, char** argv) {
  AssessFlags args;
  if (std::optional<int> done = ParseAssessFlags(
          argc, argv, 3, {"server", "format"}, kShowHelp, &args)) {
    return *done;
  }
  const std::string format = args.format;
  if (!ValidFormat(format))
    return Usage("--format must be text or json", kShowHelp);
  if (!args.connection.has_value())
    return Usage("--server is required", kShowHelp);
  if (args.positional.size() != 1)
    return Usage("name exactly one assessment ID", kShowHelp);
  absl::StatusOr<std::unique_ptr<Backend>> backend =
      Backend::Create(args.connection, args.questionnaires);
  if (!backend.ok()) return PrintError(backend.status(), "");
  absl::StatusOr<v1::Assessment> a =
      (*backend)->client().GetAssessment(args.positional[0]);
  if (!a.ok()) return PrintError(a.status(), args.positional[0]);
  PrintAssessment(*a, format, (*backend)->TitleOf(*a));
  return kExitOk;
}

int CompareCommand(int argc, char** argv) {
  AssessFlags args;
  if (std::optional<int> done = ParseAssessFlags(
          argc, argv, 3, {"server", "format", "lang", "questionnaires"},
          kCompareHelp, &args)) {
    return *done;
  }
  const std::string format = args.format;
  if (!ValidFormat(format))
    return Usage("--format must be text or json", kCompareHelp);
  if (!ValidLang(args.lang.value_or("")))
    return Usage("--lang must be de or en", kCompareHelp);
  if (args.positional.size() != 2) {
    return Usage(
        "name exactly two assessments (ids with --server, else answers files)",
        kCompareHelp);
  }
  absl::StatusOr<std::unique_ptr<Backend>> backend =
      Backend::Create(args.connection, args.questionnaires);
  if (!backend.ok()) return PrintError(backend.status(), "");
  v1::AssessmentComparison comparison;
  if ((*backend)->remote()) {
    absl::StatusOr<v1::AssessmentComparison> c =
        (*backend)->client().CompareAssessments(args.positional[0],
                                                args.positional[1]);
    if (!c.ok()) return PrintError(c.status(), "compare");
    comparison = *std::move(c);
  } else {
    v1::Assessment scored[2];
    std::string lang = args.lang.value_or("");
    for (int i = 0; i < 2; ++i) {
      absl::StatusOr<files::AnswersFile> file =
          ReadAnswersFile(args.positional[i]);
      if (!file.ok()) return Fail(std::string(file.status().message()));
      if (lang.empty() && i == 1) lang = file->language();
      v1::CreateAssessmentRequest request = RequestFrom(*file, args);
      request.set_language_code(lang);
      absl::StatusOr<v1::Assessment> a = (*backend)->Score(request);
      if (!a.ok()) {
        return PrintError(a.status(),
                          absl::StrCat(args.positional[i],
                                       ": the answers were not accepted"));
      }
      scored[i] = *std::move(a);
    }
    if (scored[0].questionnaire_id() != scored[1].questionnaire_id()) {
      return Fail("the two files answer different questionnaires");
    }
    absl::StatusOr<v1::Questionnaire> q = (*backend)->Questionnaire(
        scored[1].questionnaire_id(), scored[1].questionnaire_version(), lang);
    comparison = assessment::CompareAssessments(scored[0], scored[1],
                                                q.ok() ? &*q : nullptr);
  }
  std::cout << (format == "json" ? ProtoJson(comparison) + "\n"
                                 : ComparisonText(comparison));
  return kExitOk;
}

}  // namespace
}  // namespace assess

int AssessCommand(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "questionnaire") return assess::QuestionnaireCommand(argc, argv);
  if (sub == "submit") return assess::SubmitCommand(argc, argv);
  if (sub == "list") return assess::ListCommand(argc, argv);
  if (sub == "show") return assess::ShowCommand(argc, argv);
  if (sub == "compare") return assess::CompareCommand(argc, argv);
  if (sub == "help") {
    std::cout << kAssessHelp;
    return assess::kExitOk;
  }
  if (sub == "-h" || sub == "--help") {
    std::cout << kAssessHelp << "\n" << assess::kInteractiveHelp;
    return assess::kExitOk;
  }
  return assess::InteractiveCommand(argc, argv, 2);
}

}  // namespace divcheck::cli
