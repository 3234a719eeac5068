#include "clients/cli/assess_interactive.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "assessment/questionnaire.h"
#include "assessment/scoring.h"
#include "clients/cli/assess_backend.h"
#include "clients/cli/assess_command.h"
#include "clients/cli/assess_common.h"
#include "clients/cli/report_format.h"
#include "divcheck/cli/files/assess_files.pb.h"

namespace divcheck::cli::assess {

const char kInteractiveHelp[] =
    R"(Usage: divcheck assess [options]

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
)" DIVCHECK_CLI_TLS_HELP
    R"(  --format=text|json     the final report (default text)
  --questionnaires=DIR   questionnaire directory (default:
                         $DIVCHECK_QUESTIONNAIRES, installed, or source tree)
)";

namespace {

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

// The format fields are absl::FormatSpec so that their conversions are
// checked at compile time (clang refuses a format string it cannot check).
struct Ui {
  const char* required;
  const char* optional;
  const char* keys;
  const char* cannot_skip;
  absl::FormatSpec<int> invalid;  // %d: number of options
  const char* at_first;
  absl::FormatSpec<std::string, std::string> saved;  // %s: file
  absl::FormatSpec<int, int> resuming;               // %d/%d
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

// One question of the questionnaire, with its field of action.
struct Item {
  const v1::QuestionnaireSection* section;
  const v1::Question* question;
};

// What a line of input did.
enum class Outcome {
  kRepeatPrompt,  // help shown or the input refused: ask again
  kShowQuestion,  // moved on (or back): show the question at the position
  kQuit,          // q
  kSaveFailed,    // the progress file could not be written (printed)
};

// The dialogue: the answers so far, the position, the progress file.
class Session {
 public:
  // `resume`: the progress file ("" for none); `progress`: what it held.
  Session(const v1::Questionnaire& q, const std::string& lang,
          const std::string& organization, const std::string& resume,
          const files::AnswersFile& progress)
      : q_(q),
        lang_(lang),
        organization_(organization),
        resume_(resume),
        ui_(lang == "en" ? kEnglish : kGerman) {
    for (const auto& s : q_.sections()) {
      for (const auto& question : s.questions()) {
        items_.push_back({&s, &question});
      }
    }
    for (const auto& a : progress.answers()) {
      answers_[a.question_id()] = a.option_id();
    }
    for (const auto& id : progress.skipped_question_ids()) {
      if (!answers_.count(id)) skipped_.insert(id);
    }
  }

  // Asks until every question is answered (nullopt), or returns the exit
  // status when the user quits or the input ends (progress saved) or the
  // progress cannot be saved.
  std::optional<int> Ask(bool resumed);

  // The answers, in questionnaire order, as a request to score.
  v1::CreateAssessmentRequest Request() const;

 private:
  int total() const { return static_cast<int>(items_.size()); }
  // The first question neither answered nor skipped, else the first
  // required one without an answer (a hand-edited file), else total().
  int OpenQuestion() const;
  // The answers given, in questionnaire order.
  google::protobuf::RepeatedPtrField<v1::Answer> Answers() const;
  // Writes the progress file (when there is one); false after printing why.
  bool Save() const;
  // Saves and says how to continue; kExitUnfinished.
  int Quit() const;
  // The question at pos_ with its options, or only the prompt.
  void Prompt(bool show_question);
  // Acts on one line of input (lower case, trimmed).
  Outcome Handle(const std::string& input);
  // The option `input` names (number or id; empty: the previous answer),
  // or nullptr.
  const v1::AnswerOption* Choose(const v1::Question& question,
                                 const std::string& input) const;

  const v1::Questionnaire& q_;
  const std::string lang_;
  const std::string organization_;
  const std::string resume_;
  const Ui& ui_;
  std::vector<Item> items_;
  std::map<std::string, std::string> answers_;  // question id -> option id
  std::set<std::string> skipped_;
  int pos_ = 0;
  const v1::QuestionnaireSection* last_section_ = nullptr;
};

int Session::OpenQuestion() const {
  for (size_t i = 0; i < items_.size(); ++i) {
    const std::string& id = items_[i].question->id();
    if (!answers_.count(id) && !skipped_.count(id)) return static_cast<int>(i);
  }
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].question->required() &&
        !answers_.count(items_[i].question->id())) {
      return static_cast<int>(i);
    }
  }
  return total();
}

bool Session::Save() const {
  if (resume_.empty()) return true;
  files::AnswersFile out;
  out.set_questionnaire_id(q_.id());
  out.set_questionnaire_version(q_.version());
  out.set_language(lang_);
  out.set_organization(organization_);
  *out.mutable_answers() = Answers();
  for (const Item& item : items_) {
    const std::string& id = item.question->id();
    if (!answers_.count(id) && skipped_.count(id)) {
      out.add_skipped_question_ids(id);
    }
  }
  absl::Status written = WriteFileAtomically(resume_, ProtoJson(out));
  if (!written.ok()) {
    std::cerr << "divcheck assess: " << written.message() << "\n";
    return false;
  }
  return true;
}

int Session::Quit() const {
  if (!resume_.empty() && Save()) {
    std::cout << "\n" << absl::StrFormat(ui_.saved, resume_, resume_) << "\n";
  }
  return kExitUnfinished;
}

void Session::Prompt(bool show_question) {
  if (!show_question) {
    std::cout << "> " << std::flush;
    return;
  }
  const Item& item = items_[pos_];
  const v1::Question& question = *item.question;
  if (item.section != last_section_) {
    std::cout << "\n== " << item.section->title() << "\n";
    last_section_ = item.section;
  }
  auto current = answers_.find(question.id());
  std::cout << "\n[" << pos_ + 1 << "/" << total() << "] " << question.text()
            << " (" << (question.required() ? ui_.required : ui_.optional)
            << ")\n";
  for (int k = 0; k < question.options_size(); ++k) {
    const v1::AnswerOption& o = question.options(k);
    std::cout << "  " << k + 1 << ") " << o.label();
    if (current != answers_.end() && current->second == o.id()) {
      std::cout << "   <- " << ui_.current;
    }
    std::cout << "\n";
  }
  std::cout << ui_.keys << "\n> " << std::flush;
}

const v1::AnswerOption* Session::Choose(const v1::Question& question,
                                        const std::string& input) const {
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
  auto current = answers_.find(question.id());
  if (input.empty() && current != answers_.end()) {
    for (const auto& o : question.options()) {
      if (o.id() == current->second) chosen = &o;
    }
  }
  return chosen;
}

Outcome Session::Handle(const std::string& input) {
  const v1::Question& question = *items_[pos_].question;
  if (input == "?" || input == "h") {
    std::cout << "\n" << question.help() << "\n";
    return Outcome::kRepeatPrompt;
  }
  if (input == "b") {
    if (pos_ == 0) {
      std::cout << ui_.at_first << "\n";
      return Outcome::kRepeatPrompt;
    }
    --pos_;
    last_section_ = nullptr;
    return Outcome::kShowQuestion;
  }
  if (input == "q") return Outcome::kQuit;
  if (input == "s") {
    if (question.required()) {
      std::cout << ui_.cannot_skip << "\n";
      return Outcome::kRepeatPrompt;
    }
    answers_.erase(question.id());
    skipped_.insert(question.id());
  } else {
    const v1::AnswerOption* chosen = Choose(question, input);
    if (chosen == nullptr) {
      std::cout << absl::StrFormat(ui_.invalid, question.options_size())
                << "\n";
      return Outcome::kRepeatPrompt;
    }
    answers_[question.id()] = chosen->id();
    skipped_.erase(question.id());
  }
  if (!Save()) return Outcome::kSaveFailed;
  // Forward to the next question; after going back, straight on to the
  // next one rather than the first open one.
  ++pos_;
  if (pos_ >= total()) pos_ = OpenQuestion();
  return Outcome::kShowQuestion;
}

std::optional<int> Session::Ask(bool resumed) {
  pos_ = OpenQuestion();
  std::cout << q_.title() << "\n" << q_.description() << "\n";
  if (resumed && pos_ < total()) {
    std::cout << absl::StrFormat(ui_.resuming, pos_ + 1, total()) << "\n";
  }
  if (resume_.empty()) std::cout << ui_.no_resume << "\n";
  // After help or an invalid entry only the prompt is repeated.
  bool show_question = true;
  while (pos_ < total()) {
    Prompt(show_question);
    std::string line;
    if (!std::getline(std::cin, line)) return Quit();
    switch (Handle(absl::AsciiStrToLower(absl::StripAsciiWhitespace(line)))) {
      case Outcome::kRepeatPrompt:
        show_question = false;
        break;
      case Outcome::kShowQuestion:
        show_question = true;
        break;
      case Outcome::kQuit:
        return Quit();
      case Outcome::kSaveFailed:
        return kExitError;
    }
  }
  return std::nullopt;
}

google::protobuf::RepeatedPtrField<v1::Answer> Session::Answers() const {
  google::protobuf::RepeatedPtrField<v1::Answer> out;
  for (const Item& item : items_) {
    auto it = answers_.find(item.question->id());
    if (it == answers_.end()) continue;
    v1::Answer* a = out.Add();
    a->set_question_id(it->first);
    a->set_option_id(it->second);
  }
  return out;
}

v1::CreateAssessmentRequest Session::Request() const {
  v1::CreateAssessmentRequest request;
  request.set_questionnaire_id(q_.id());
  request.set_questionnaire_version(q_.version());
  request.set_language_code(lang_);
  request.set_organization(organization_);
  *request.mutable_answers() = Answers();
  return request;
}

// The saved answers must fit the questionnaire (ids may have changed in a
// newer version); missing required answers are still to be asked.
absl::Status CheckSavedAnswers(const v1::Questionnaire& q,
                               const files::AnswersFile& progress) {
  std::vector<std::string> bad;
  for (const auto& p : assessment::ValidateAnswers(q, progress.answers())) {
    if (p.reason != "MISSING_REQUIRED_ANSWER") {
      bad.push_back(absl::StrCat(p.field, ": ", p.description));
    }
  }
  if (bad.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(bad, "\n"));
}

}  // namespace

int InteractiveCommand(int argc, char** argv, int start) {
  AssessFlags flags;
  if (std::optional<int> done =
          ParseAssessFlags(argc, argv, start,
                           {"resume", "lang", "organization", "server",
                            "format", "questionnaires"},
                           kInteractiveHelp, &flags)) {
    return *done;
  }
  if (!flags.positional.empty()) {
    return Usage(
        absl::StrCat("unknown subcommand \"", flags.positional[0], "\""),
        kAssessHelp);
  }
  if (!ValidFormat(flags.format)) {
    return Usage("--format must be text or json", kInteractiveHelp);
  }
  if (!ValidLang(flags.lang.value_or(""))) {
    return Usage("--lang must be de or en", kInteractiveHelp);
  }
  const std::string& resume = flags.resume;
  files::AnswersFile progress;
  const bool resumed = !resume.empty() && std::filesystem::exists(resume);
  if (resumed) {
    absl::StatusOr<files::AnswersFile> file = ReadAnswersFile(resume);
    if (!file.ok()) return Fail(std::string(file.status().message()));
    progress = *std::move(file);
  }
  std::string lang = flags.lang.value_or(progress.language());
  if (lang.empty()) lang = assessment::kDefaultLanguage;

  absl::StatusOr<std::unique_ptr<Backend>> backend =
      Backend::Create(flags.connection, flags.questionnaires);
  if (!backend.ok()) return PrintError(backend.status(), "questionnaires");
  absl::StatusOr<v1::Questionnaire> q = (*backend)->Questionnaire(
      progress.questionnaire_id(), progress.questionnaire_version(), lang);
  if (!q.ok()) {
    return PrintError(q.status(), resumed ? resume : "questionnaire");
  }
  if (absl::Status fits =
          resumed ? CheckSavedAnswers(*q, progress) : absl::OkStatus();
      !fits.ok()) {
    return PrintError(fits,
                      absl::StrCat(resume, ": the saved answers do not fit"));
  }

  Session session(*q, lang,
                  flags.organization.value_or(progress.organization()), resume,
                  progress);
  if (std::optional<int> unfinished = session.Ask(resumed)) return *unfinished;
  absl::StatusOr<v1::Assessment> scored = (*backend)->Score(session.Request());
  if (!scored.ok()) {
    return PrintError(scored.status(), "the answers were not accepted");
  }
  const Ui& ui = lang == "en" ? kEnglish : kGerman;
  std::cout << "\n" << ui.done << "\n\n";
  PrintAssessment(*scored, flags.format, q->title());
  return kExitOk;
}

}  // namespace divcheck::cli::assess
