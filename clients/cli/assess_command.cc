#include "clients/cli/assess_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "assessment/questionnaire.h"
#include "assessment/scoring.h"
#include "base/data_dir.h"
#include "base/file.h"
#include "clients/cli/assess_format.h"
#include "clients/cli/assess_remote.h"
#include "clients/cli/command_line.h"
#include "clients/cli/report_format.h"
#include "divcheck/cli/files/assess_files.pb.h"
#include "google/protobuf/util/json_util.h"

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
Without --server everything runs in-process and nothing is stored.
Exit status: 0 done; 1 the interactive questionnaire was left unfinished
(progress saved); 2 usage, input or server errors.
)";

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUnfinished = 1;
constexpr int kExitError = 2;

const char kInteractiveHelp[] = R"(Usage: divcheck assess [options]

Asks the questions one by one in the terminal, then prints the report.
Answer with the option's number (or its id). Also:
  ?   show the help text of the question
  b   go back one question
  s   skip the question (optional questions only)
  q   save and quit (continue later with --resume)

Options:
  --resume=FILE          save the answers to FILE after every answer and, if
                         FILE exists, continue where it stopped. FILE is an
                         answers file: `divcheck assess submit --answers=FILE`
                         accepts it too
  --lang=de|en           language of the questions (default: the progress
                         file's, else de)
  --organization=ORG     with --server: store the result for ORG
  --server=HOST:PORT     use a divcheckd server (questionnaire and scoring);
                         the API key, if needed, is read from $DIVCHECK_API_KEY
  --format=text|json     the final report (default text)
  --questionnaires=DIR   questionnaire directory (default:
                         $DIVCHECK_QUESTIONNAIRES, installed, or source tree)
)";

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
  --questionnaires=DIR   questionnaire directory
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
  --format=text|json     json prints the Assessment message as proto3 JSON
  --lang=de|en           language of the report (overrides the file)
  --questionnaires=DIR   questionnaire directory (in-process)
)";

const char kListHelp[] =
    R"(Usage: divcheck assess list --organization=ORG --server=HOST:PORT [--format=text|json]

Lists the organisation's stored assessments, newest first (all pages).
)";

const char kShowHelp[] =
    R"(Usage: divcheck assess show --server=HOST:PORT [--format=text|json] ID

Prints a stored assessment.
)";

const char kCompareHelp[] = R"(Usage:
  divcheck assess compare --server=HOST:PORT BEFORE_ID AFTER_ID
  divcheck assess compare BEFORE_FILE AFTER_FILE

Shows what changed from the first assessment to the second: overall score,
each field of action and dimension (improved / unchanged / worse, by at
least one percentage point) and every question answered differently. With
--server, two stored assessments of the same organisation; without, two
answers files scored in-process.

Options:
  --format=text|json     json prints the AssessmentComparison message
  --lang=de|en           language of the texts (in-process; default: the
                         second file's, else de)
  --questionnaires=DIR   questionnaire directory (in-process)
)";

int Usage(const std::string& error, const char* help) {
  std::cerr << "divcheck assess: " << error << "\n\n" << help;
  return kExitError;
}

int Fail(const std::string& message) {
  std::cerr << "divcheck assess: " << message << "\n";
  return kExitError;
}

std::string DefaultQuestionnaireDir() {
  return FindDataDir("DIVCHECK_QUESTIONNAIRES", "questionnaires",
                     DIVCHECK_SOURCE_QUESTIONNAIRES);
}

// The flags of the assess subcommands; each takes some of them.
struct AssessFlags {
  std::string format = "text";
  std::optional<std::string> lang;
  std::optional<std::string> organization;
  std::string server;
  std::optional<std::string> questionnaires;
  std::string answers;  // submit
  std::string resume;   // the interactive mode
  std::vector<std::string> positional;
};

// Parses argv[start..argc) with the flags in `names` into *flags. Returns
// an exit status when the command is done (`help` printed, or a usage
// error), else nullopt.
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
  return std::nullopt;
}

// The answers file, or standard input for "-".
absl::StatusOr<std::string> ReadAnswersText(const std::string& path) {
  if (path == "-") return ReadStream(stdin, "<stdin>");
  return ReadFile(path);
}

absl::StatusOr<files::AnswersFile> ReadAnswersFile(const std::string& path) {
  absl::StatusOr<std::string> json = ReadAnswersText(path);
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

// Writes atomically: a crash mid-write leaves the previous progress.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& content) {
  const std::string tmp = absl::StrCat(path, ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content << "\n";
    out.flush();
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", path, ": ", ec.message()));
  }
  return absl::OkStatus();
}

// Where questionnaires come from and where answers are scored: in-process
// or a server.
class Backend {
 public:
  static absl::StatusOr<std::unique_ptr<Backend>> Create(
      const AssessFlags& args) {
    auto backend = std::unique_ptr<Backend>(new Backend());
    const std::string& server = args.server;
    if (!server.empty()) {
      const char* key = std::getenv("DIVCHECK_API_KEY");
      backend->remote_ =
          std::make_unique<RemoteAssessments>(server, key ? key : "");
      return backend;
    }
    const std::string dir =
        args.questionnaires.value_or(DefaultQuestionnaireDir());
    std::vector<assessment::DataProblem> problems;
    absl::StatusOr<std::shared_ptr<const assessment::QuestionnaireSet>> set =
        assessment::QuestionnaireSet::Load(dir, &problems);
    if (!set.ok()) {
      std::vector<std::string> lines = {std::string(set.status().message())};
      for (const auto& p : problems) lines.push_back(p.ToString());
      return absl::Status(set.status().code(), absl::StrJoin(lines, "\n"));
    }
    backend->local_ = *std::move(set);
    return backend;
  }

  bool remote() const { return remote_ != nullptr; }
  RemoteAssessments& client() { return *remote_; }

  absl::StatusOr<v1::Questionnaire> Questionnaire(const std::string& id,
                                                  int version,
                                                  const std::string& lang) {
    if (remote_ != nullptr) {
      v1::GetQuestionnaireRequest request;
      request.set_questionnaire_id(id);
      request.set_version(version);
      request.set_language_code(lang);
      return remote_->GetQuestionnaire(request);
    }
    absl::StatusOr<const v1::Questionnaire*> q =
        local_->Find(id, version, lang);
    if (!q.ok()) return q.status();
    return **q;
  }

  // Scores (and, with an organisation and a server, stores). Errors list
  // every problem, one per line.
  absl::StatusOr<v1::Assessment> Score(const v1::CreateAssessmentRequest& in) {
    v1::CreateAssessmentRequest request = in;
    if (remote_ != nullptr) {
      if (request.organization().empty()) request.set_validate_only(true);
      return remote_->CreateAssessment(request);
    }
    std::vector<std::string> lines;
    assessment::QuestionnaireSet::FindError error;
    absl::StatusOr<const v1::Questionnaire*> q = local_->Find(
        request.questionnaire_id(), request.questionnaire_version(),
        request.language_code(), &error);
    if (!q.ok()) {
      const char* field =
          error == assessment::QuestionnaireSet::FindError::kUnknownId
              ? "questionnaire_id"
          : error == assessment::QuestionnaireSet::FindError::kUnknownVersion
              ? "questionnaire_version"
              : "language_code";
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", q.status().message()));
    }
    std::vector<assessment::AnswerProblem> problems;
    absl::StatusOr<v1::Assessment> scored =
        assessment::ScoreAssessment(**q, request.answers(), &problems);
    if (!scored.ok()) {
      for (const auto& p : problems) {
        lines.push_back(absl::StrCat(p.field, ": ", p.description));
      }
      return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
    }
    scored->set_organization(request.organization());
    return scored;
  }

 private:
  Backend() = default;
  std::unique_ptr<RemoteAssessments> remote_;
  std::shared_ptr<const assessment::QuestionnaireSet> local_;
};

bool ValidFormat(const std::string& f) { return f == "text" || f == "json"; }
bool ValidLang(const std::string& l) {
  return l.empty() || l == "de" || l == "en";
}

// Prints an error status; every line of a multi-line message on its own.
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

v1::CreateAssessmentRequest RequestFrom(const files::AnswersFile& file,
                                        const AssessFlags& args) {
  v1::CreateAssessmentRequest request;
  request.set_questionnaire_id(file.questionnaire_id());
  request.set_questionnaire_version(file.questionnaire_version());
  request.set_language_code(args.lang.value_or(file.language()));
  request.set_organization(args.organization.value_or(file.organization()));
  *request.mutable_answers() = file.answers();
  return request;
}

std::string TitleOf(Backend& backend, const v1::Assessment& a) {
  absl::StatusOr<v1::Questionnaire> q = backend.Questionnaire(
      a.questionnaire_id(), a.questionnaire_version(), a.language());
  return q.ok() ? q->title() : "";
}

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
  absl::StatusOr<std::unique_ptr<Backend>> backend = Backend::Create(args);
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
  absl::StatusOr<std::unique_ptr<Backend>> backend = Backend::Create(args);
  if (!backend.ok()) return PrintError(backend.status(), "questionnaires");
  absl::StatusOr<v1::Assessment> a =
      (*backend)->Score(RequestFrom(*file, args));
  if (!a.ok()) {
    return PrintError(a.status(),
                      absl::StrCat(path, ": the answers were not accepted"));
  }
  PrintAssessment(*a, format, TitleOf(**backend, *a));
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
  if (args.server.empty()) return Usage("--server is required", kListHelp);
  if (args.organization.value_or("").empty())
    return Usage("--organization is required", kListHelp);
  absl::StatusOr<std::unique_ptr<Backend>> backend = Backend::Create(args);
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
  if (args.server.empty()) return Usage("--server is required", kShowHelp);
  if (args.positional.size() != 1)
    return Usage("name exactly one assessment ID", kShowHelp);
  absl::StatusOr<std::unique_ptr<Backend>> backend = Backend::Create(args);
  if (!backend.ok()) return PrintError(backend.status(), "");
  absl::StatusOr<v1::Assessment> a =
      (*backend)->client().GetAssessment(args.positional[0]);
  if (!a.ok()) return PrintError(a.status(), args.positional[0]);
  PrintAssessment(*a, format, TitleOf(**backend, *a));
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
  absl::StatusOr<std::unique_ptr<Backend>> backend = Backend::Create(args);
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

// Texts of the interactive mode in the questionnaire's language.
struct Ui {
  const char* required;
  const char* optional;
  const char* keys;
  const char* cannot_skip;
  const char* invalid;  // %d: number of options
  const char* at_first;
  const char* saved;     // %s: file
  const char* resuming;  // %d/%d
  const char* no_resume;
  const char* current;
  const char* done;
};

const Ui kGerman = {
    "Pflichtfrage",
    "optional",
    "Antwort: Nummer · ? Hilfe · b zurück · s überspringen · q speichern und "
    "beenden · Enter: bisherige Antwort behalten",
    "Diese Frage ist eine Pflichtfrage und kann nicht übersprungen werden.",
    "Bitte eine Nummer von 1 bis %d eingeben, oder ?, b, s, q.",
    "Das ist schon die erste Frage.",
    "Fortschritt gespeichert in %s. Weiter mit: divcheck assess --resume=%s",
    "Weiter bei Frage %d/%d.",
    "Tipp: mit --resume=DATEI werden die Antworten gespeichert und Sie können "
    "später weitermachen.",
    "bisherige Antwort",
    "Alle Fragen beantwortet. Auswertung:",
};
const Ui kEnglish = {
    "required",
    "optional",
    "Answer: number · ? help · b back · s skip · q save and quit · Enter: keep "
    "the previous answer",
    "This question is required and cannot be skipped.",
    "Please enter a number from 1 to %d, or ?, b, s, q.",
    "This is already the first question.",
    "Progress saved to %s. Continue with: divcheck assess --resume=%s",
    "Continuing at question %d/%d.",
    "Tip: with --resume=FILE your answers are saved and you can continue "
    "later.",
    "previous answer",
    "All questions answered. Results:",
};

int InteractiveCommand(int argc, char** argv, int start) {
  AssessFlags args;
  if (std::optional<int> done =
          ParseAssessFlags(argc, argv, start,
                           {"resume", "lang", "organization", "server",
                            "format", "questionnaires"},
                           kInteractiveHelp, &args)) {
    return *done;
  }
  if (!args.positional.empty()) {
    return Usage(
        absl::StrCat("unknown subcommand \"", args.positional[0], "\""),
        kAssessHelp);
  }
  const std::string format = args.format;
  if (!ValidFormat(format))
    return Usage("--format must be text or json", kInteractiveHelp);
  if (!ValidLang(args.lang.value_or("")))
    return Usage("--lang must be de or en", kInteractiveHelp);
  const std::string resume = args.resume;
  files::AnswersFile progress;
  bool resumed = false;
  if (!resume.empty() && std::filesystem::exists(resume)) {
    absl::StatusOr<files::AnswersFile> file = ReadAnswersFile(resume);
    if (!file.ok()) return Fail(std::string(file.status().message()));
    progress = *std::move(file);
    resumed = true;
  }
  std::string lang = args.lang.value_or(progress.language());
  if (lang.empty()) lang = assessment::kDefaultLanguage;
  const Ui& ui = lang == "en" ? kEnglish : kGerman;

  absl::StatusOr<std::unique_ptr<Backend>> backend = Backend::Create(args);
  if (!backend.ok()) return PrintError(backend.status(), "questionnaires");
  absl::StatusOr<v1::Questionnaire> q = (*backend)->Questionnaire(
      progress.questionnaire_id(), progress.questionnaire_version(), lang);
  if (!q.ok()) {
    return PrintError(q.status(), resumed ? resume : "questionnaire");
  }
  // The saved answers must fit the questionnaire (ids may have changed in
  // a newer version).
  if (resumed) {
    std::vector<std::string> bad;
    for (const auto& p : assessment::ValidateAnswers(*q, progress.answers())) {
      if (p.reason != "MISSING_REQUIRED_ANSWER") {
        bad.push_back(absl::StrCat(p.field, ": ", p.description));
      }
    }
    if (!bad.empty()) {
      return PrintError(absl::InvalidArgumentError(absl::StrJoin(bad, "\n")),
                        absl::StrCat(resume, ": the saved answers do not fit"));
    }
  }

  struct Item {
    const v1::QuestionnaireSection* section;
    const v1::Question* question;
  };
  std::vector<Item> items;
  for (const auto& s : q->sections())
    for (const auto& question : s.questions()) items.push_back({&s, &question});
  std::map<std::string, std::string> answers;
  std::set<std::string> skipped;
  for (const auto& a : progress.answers())
    answers[a.question_id()] = a.option_id();
  for (const auto& id : progress.skipped_question_ids()) {
    if (!answers.count(id)) skipped.insert(id);
  }

  auto save = [&]() -> bool {
    if (resume.empty()) return true;
    files::AnswersFile out;
    out.set_questionnaire_id(q->id());
    out.set_questionnaire_version(q->version());
    out.set_language(lang);
    out.set_organization(args.organization.value_or(progress.organization()));
    for (const Item& item : items) {
      auto it = answers.find(item.question->id());
      if (it != answers.end()) {
        v1::Answer* a = out.add_answers();
        a->set_question_id(it->first);
        a->set_option_id(it->second);
      } else if (skipped.count(item.question->id())) {
        out.add_skipped_question_ids(item.question->id());
      }
    }
    absl::Status written = WriteFileAtomically(resume, ProtoJson(out));
    if (!written.ok()) {
      std::cerr << "divcheck assess: " << written.message() << "\n";
      return false;
    }
    return true;
  };
  auto open_question = [&]() -> int {
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string& id = items[i].question->id();
      if (!answers.count(id) && !skipped.count(id)) return static_cast<int>(i);
    }
    // Required questions left unanswered (a hand-edited file).
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].question->required() &&
          !answers.count(items[i].question->id()))
        return static_cast<int>(i);
    }
    return static_cast<int>(items.size());
  };
  auto quit = [&]() {
    if (!resume.empty() && save()) {
      std::cout << "\n" << absl::StrFormat(ui.saved, resume, resume) << "\n";
    }
    return kExitUnfinished;
  };

  const int total = static_cast<int>(items.size());
  int pos = open_question();
  std::cout << q->title() << "\n" << q->description() << "\n";
  if (resumed && pos < total) {
    std::cout << absl::StrFormat(ui.resuming, pos + 1, total) << "\n";
  }
  if (resume.empty()) std::cout << ui.no_resume << "\n";
  const v1::QuestionnaireSection* last_section = nullptr;
  // After help or an invalid entry only the prompt is repeated.
  bool show_question = true;
  while (pos < total) {
    const Item& item = items[pos];
    const v1::Question& question = *item.question;
    auto current = answers.find(question.id());
    if (!show_question) {
      std::cout << "> " << std::flush;
    } else if (item.section != last_section) {
      std::cout << "\n== " << item.section->title() << "\n";
      last_section = item.section;
    }
    if (show_question) {
      std::cout << "\n[" << pos + 1 << "/" << total << "] " << question.text()
                << " (" << (question.required() ? ui.required : ui.optional)
                << ")\n";
      for (int k = 0; k < question.options_size(); ++k) {
        const v1::AnswerOption& o = question.options(k);
        std::cout << "  " << k + 1 << ") " << o.label();
        if (current != answers.end() && current->second == o.id()) {
          std::cout << "   <- " << ui.current;
        }
        std::cout << "\n";
      }
      std::cout << ui.keys << "\n> " << std::flush;
    }
    show_question = false;
    std::string line;
    if (!std::getline(std::cin, line)) return quit();
    const std::string input =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(line));
    if (input == "?" || input == "h") {
      std::cout << "\n" << question.help() << "\n";
      continue;
    }
    show_question = true;
    if (input == "b") {
      if (pos == 0) {
        std::cout << ui.at_first << "\n";
        show_question = false;
      } else {
        --pos;
        last_section = nullptr;
      }
      continue;
    }
    if (input == "q") return quit();
    if (input == "s") {
      if (question.required()) {
        std::cout << ui.cannot_skip << "\n";
        show_question = false;
        continue;
      }
      answers.erase(question.id());
      skipped.insert(question.id());
    } else {
      const v1::AnswerOption* chosen = nullptr;
      int number = 0;
      if (absl::SimpleAtoi(input, &number) && number >= 1 &&
          number <= question.options_size()) {
        chosen = &question.options(number - 1);
      } else {
        for (const auto& o : question.options()) {
          if (o.id() == input) chosen = &o;
        }
      }
      // Enter keeps the previous answer (after going back).
      if (input.empty() && current != answers.end()) {
        for (const auto& o : question.options()) {
          if (o.id() == current->second) chosen = &o;
        }
      }
      if (chosen == nullptr) {
        std::cout << absl::StrFormat(ui.invalid, question.options_size())
                  << "\n";
        show_question = false;
        continue;
      }
      answers[question.id()] = chosen->id();
      skipped.erase(question.id());
    }
    if (!save()) return kExitError;
    // Forward to the next question; after going back, straight on to the
    // next one rather than the first open one.
    ++pos;
    if (pos >= total) pos = open_question();
  }

  v1::CreateAssessmentRequest request;
  request.set_questionnaire_id(q->id());
  request.set_questionnaire_version(q->version());
  request.set_language_code(lang);
  request.set_organization(args.organization.value_or(progress.organization()));
  for (const Item& item : items) {
    auto it = answers.find(item.question->id());
    if (it == answers.end()) continue;
    v1::Answer* a = request.add_answers();
    a->set_question_id(it->first);
    a->set_option_id(it->second);
  }
  absl::StatusOr<v1::Assessment> scored = (*backend)->Score(request);
  if (!scored.ok())
    return PrintError(scored.status(), "the answers were not accepted");
  std::cout << "\n" << ui.done << "\n\n";
  PrintAssessment(*scored, format, q->title());
  return kExitOk;
}

}  // namespace

int AssessCommand(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "questionnaire") return QuestionnaireCommand(argc, argv);
  if (sub == "submit") return SubmitCommand(argc, argv);
  if (sub == "list") return ListCommand(argc, argv);
  if (sub == "show") return ShowCommand(argc, argv);
  if (sub == "compare") return CompareCommand(argc, argv);
  if (sub == "help") {
    std::cout << kAssessHelp;
    return kExitOk;
  }
  if (sub == "-h" || sub == "--help") {
    std::cout << kAssessHelp << "\n" << kInteractiveHelp;
    return kExitOk;
  }
  return InteractiveCommand(argc, argv, 2);
}

}  // namespace divcheck::cli
