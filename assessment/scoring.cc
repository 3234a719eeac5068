#include "assessment/scoring.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace divcheck::assessment {
namespace {

double Round1(double x) { return std::round(x * 10.0) / 10.0; }

const v1::AnswerOption* FindOption(const v1::Question& q,
                                   const std::string& id) {
  for (const v1::AnswerOption& o : q.options()) {
    if (o.id() == id) return &o;
  }
  return nullptr;
}

int MaxValue(const v1::Question& q) {
  int max_value = 0;
  for (const v1::AnswerOption& o : q.options()) {
    if (!o.not_applicable()) max_value = std::max(max_value, o.value());
  }
  return max_value;
}

// Weighted fulfilment sums.
struct Tally {
  double weighted = 0;  // Σ weight × fulfilment
  double weights = 0;   // Σ weight
  int answered = 0;
  double Percentage() const {
    return weights > 0 ? Round1(100.0 * weighted / weights) : 0.0;
  }
};

v1::Trend TrendOf(double delta) {
  if (delta >= kTrendThreshold) return v1::TREND_IMPROVED;
  if (delta <= -kTrendThreshold) return v1::TREND_WORSE;
  return v1::TREND_UNCHANGED;
}

}  // namespace

v1::NeedForAction NeedFor(double percentage) {
  if (percentage >= kLowNeedFrom) return v1::NEED_FOR_ACTION_LOW;
  if (percentage >= kMediumNeedFrom) return v1::NEED_FOR_ACTION_MEDIUM;
  return v1::NEED_FOR_ACTION_HIGH;
}

v1::MaturityLevel MaturityFor(double percentage) {
  const int stage =
      std::clamp(static_cast<int>(percentage / kMaturityStep) + 1, 1, 5);
  return static_cast<v1::MaturityLevel>(stage);
}

std::vector<AnswerProblem> ValidateAnswers(const v1::Questionnaire& q,
                                           const Answers& answers) {
  std::vector<AnswerProblem> problems;
  absl::flat_hash_map<std::string, const v1::Question*> questions;
  for (const v1::QuestionnaireSection& s : q.sections()) {
    for (const v1::Question& question : s.questions()) {
      questions.emplace(question.id(), &question);
    }
  }
  absl::flat_hash_map<std::string, int> answered;  // question id → index
  for (int i = 0; i < answers.size(); ++i) {
    const v1::Answer& a = answers[i];
    auto it = questions.find(a.question_id());
    if (it == questions.end()) {
      problems.push_back(
          {absl::StrCat("answers[", i, "].question_id"),
           absl::StrCat("answers[", i, "]: unknown question id \"",
                        a.question_id(), "\" (not in questionnaire ", q.id(),
                        " version ", q.version(), ")"),
           "UNKNOWN_QUESTION"});
      continue;
    }
    if (FindOption(*it->second, a.option_id()) == nullptr) {
      std::string ids;
      for (const v1::AnswerOption& o : it->second->options()) {
        absl::StrAppend(&ids, ids.empty() ? "" : ", ", o.id());
      }
      problems.push_back(
          {absl::StrCat("answers[", i, "].option_id"),
           absl::StrCat("answers[", i, "]: unknown option id \"", a.option_id(),
                        "\" for question \"", a.question_id(),
                        "\" (options: ", ids, ")"),
           "UNKNOWN_OPTION"});
    }
    auto [prev, inserted] = answered.emplace(a.question_id(), i);
    if (!inserted) {
      problems.push_back(
          {absl::StrCat("answers[", i, "].question_id"),
           absl::StrCat("answers[", i, "]: question \"", a.question_id(),
                        "\" is already answered in answers[", prev->second,
                        "]"),
           "DUPLICATE_ANSWER"});
    }
  }
  for (const v1::QuestionnaireSection& s : q.sections()) {
    for (const v1::Question& question : s.questions()) {
      if (question.required() && !answered.contains(question.id())) {
        problems.push_back({"answers",
                            absl::StrCat("required question \"", question.id(),
                                         "\" has no answer"),
                            "MISSING_REQUIRED_ANSWER"});
      }
    }
  }
  return problems;
}

namespace {

// Scores the answers of one questionnaire, section by section, then the
// totals, the dimensions and the recommendations.
class Scorer {
 public:
  explicit Scorer(const Answers& answers) {
    for (const v1::Answer& a : answers)
      by_question_.emplace(a.question_id(), &a);
  }

  void ScoreSection(const v1::QuestionnaireSection& s, v1::Assessment* out) {
    Tally tally;
    v1::SectionResult* result = out->add_sections();
    result->set_section_id(s.id());
    result->set_title(s.title());
    result->set_question_count(s.questions_size());
    for (const v1::Question& question : s.questions()) {
      ScoreQuestion(s, question, result, &tally, out->add_questions());
    }
    if (tally.answered == 0) return;
    const double pct = tally.Percentage();
    result->set_assessed(true);
    result->set_percentage(pct);
    result->set_need_for_action(result->unmet_legal_duties_size() > 0
                                    ? v1::NEED_FOR_ACTION_HIGH
                                    : NeedFor(pct));
    result->set_maturity(MaturityFor(pct));
    section_sum_ += pct;
    ++assessed_sections_;
  }

  void SetOverall(v1::Assessment* out) const {
    if (assessed_sections_ == 0) return;
    // Each field of action counts the same, however many questions it has.
    const double overall = section_sum_ / assessed_sections_;
    out->set_overall_score(static_cast<int>(std::lround(overall)));
    // The light and stage follow the score as shown, so 75 is green.
    out->set_overall_need_for_action(any_unmet_duty_
                                         ? v1::NEED_FOR_ACTION_HIGH
                                         : NeedFor(out->overall_score()));
    out->set_overall_maturity(MaturityFor(out->overall_score()));
  }

  void AddDimensions(v1::Assessment* out) const {
    for (int dim = v1::DIMENSION_AGE; dim <= v1::DIMENSION_SOCIAL_ORIGIN;
         ++dim) {
      v1::DimensionResult* d = out->add_dimensions();
      d->set_dimension(static_cast<v1::Dimension>(dim));
      auto it = dimensions_.find(dim);
      if (it == dimensions_.end() || it->second.answered == 0) continue;
      d->set_assessed(true);
      d->set_percentage(it->second.Percentage());
      d->set_need_for_action(NeedFor(it->second.Percentage()));
      d->set_answered_count(it->second.answered);
    }
  }

  void AddRecommendations(v1::Assessment* out) {
    // Impact first; legal duties before others of equal impact; then
    // questionnaire order. Impacts are multiples of weight/max_value,
    // compared after rounding so that float noise cannot reorder ties.
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [](const Candidate& a, const Candidate& b) {
                       const long ia = std::lround(a.impact * 1e6);
                       const long ib = std::lround(b.impact * 1e6);
                       if (ia != ib) return ia > ib;
                       if (a.question->legal_duty() != b.question->legal_duty())
                         return a.question->legal_duty();
                       return a.order < b.order;
                     });
    for (const Candidate& c : candidates_) {
      if (out->recommendations_size() >= kTopRecommendations) break;
      v1::Recommendation* r = out->add_recommendations();
      r->set_rank(out->recommendations_size());
      r->set_question_id(c.question->id());
      r->set_section_id(c.section->id());
      r->set_question_text(c.question->text());
      *r->mutable_steps() = c.question->recommendations();
      r->set_impact(std::round(c.impact * 1000.0) / 1000.0);
      *r->mutable_dimensions() = c.question->dimensions();
      r->set_legal_duty(c.question->legal_duty());
    }
  }

 private:
  struct Candidate {
    double impact;
    int order;  // questionnaire order, for ties
    const v1::Question* question;
    const v1::QuestionnaireSection* section;
  };

  void ScoreQuestion(const v1::QuestionnaireSection& s,
                     const v1::Question& question, v1::SectionResult* result,
                     Tally* tally, v1::QuestionResult* qr) {
    ++order_;
    qr->set_question_id(question.id());
    qr->set_section_id(s.id());
    qr->set_weight(question.weight());
    auto it = by_question_.find(question.id());
    const v1::AnswerOption* option =
        it == by_question_.end()
            ? nullptr
            : FindOption(question, it->second->option_id());
    if (option != nullptr) qr->set_option_id(option->id());
    const int max_value = MaxValue(question);
    if (option == nullptr || option->not_applicable() || max_value <= 0) {
      qr->set_skipped(true);
      result->set_skipped_count(result->skipped_count() + 1);
      return;
    }
    const double fulfilment =
        std::clamp(static_cast<double>(option->value()) / max_value, 0.0, 1.0);
    qr->set_value(option->value());
    qr->set_fulfilment(fulfilment);
    result->set_answered_count(result->answered_count() + 1);
    tally->weighted += question.weight() * fulfilment;
    tally->weights += question.weight();
    ++tally->answered;
    for (int dim : question.dimensions()) {
      Tally& d = dimensions_[dim];
      d.weighted += question.weight() * fulfilment;
      d.weights += question.weight();
      ++d.answered;
    }
    if (question.legal_duty() && fulfilment < kLegalDutyMetFrom) {
      result->add_unmet_legal_duties(question.id());
      any_unmet_duty_ = true;
    }
    if (fulfilment < kRecommendBelow) {
      candidates_.push_back(
          {question.weight() * (1.0 - fulfilment), order_, &question, &s});
    }
  }

  absl::flat_hash_map<std::string, const v1::Answer*> by_question_;
  std::map<int, Tally> dimensions_;  // Dimension → tally
  std::vector<Candidate> candidates_;
  double section_sum_ = 0;
  int assessed_sections_ = 0;
  bool any_unmet_duty_ = false;
  int order_ = 0;
};

}  // namespace

absl::StatusOr<v1::Assessment> ScoreAssessment(
    const v1::Questionnaire& q, const Answers& answers,
    std::vector<AnswerProblem>* problems) {
  std::vector<AnswerProblem> found = ValidateAnswers(q, answers);
  if (!found.empty()) {
    const size_t n = found.size();
    if (problems != nullptr) {
      problems->insert(problems->end(), found.begin(), found.end());
    }
    return absl::InvalidArgumentError(
        absl::StrCat(n, " problem(s) with the answers"));
  }
  v1::Assessment out;
  out.set_questionnaire_id(q.id());
  out.set_questionnaire_version(q.version());
  out.set_language(q.language());
  *out.mutable_answers() = answers;
  Scorer scorer(answers);
  for (const v1::QuestionnaireSection& s : q.sections()) {
    scorer.ScoreSection(s, &out);
  }
  scorer.SetOverall(&out);
  scorer.AddDimensions(&out);
  scorer.AddRecommendations(&out);
  return out;
}

v1::AssessmentComparison CompareAssessments(
    const v1::Assessment& before, const v1::Assessment& after,
    const v1::Questionnaire* after_questionnaire) {
  v1::AssessmentComparison out;
  out.set_before_id(before.id());
  out.set_after_id(after.id());
  out.set_overall_score_before(before.overall_score());
  out.set_overall_score_after(after.overall_score());
  out.set_overall_delta(after.overall_score() - before.overall_score());
  out.set_overall_trend(TrendOf(out.overall_delta()));

  absl::flat_hash_map<std::string, const v1::SectionResult*> before_sections;
  for (const v1::SectionResult& s : before.sections())
    before_sections.emplace(s.section_id(), &s);
  for (const v1::SectionResult& a : after.sections()) {
    v1::SectionDelta* d = out.add_sections();
    d->set_section_id(a.section_id());
    d->set_title(a.title());
    d->set_percentage_after(a.percentage());
    d->set_need_after(a.need_for_action());
    auto it = before_sections.find(a.section_id());
    const v1::SectionResult* b =
        it == before_sections.end() ? nullptr : it->second;
    if (b != nullptr) {
      d->set_percentage_before(b->percentage());
      d->set_need_before(b->need_for_action());
    }
    if (b == nullptr || !b->assessed() || !a.assessed()) {
      d->set_trend(v1::TREND_NOT_COMPARABLE);
      continue;
    }
    d->set_delta(Round1(a.percentage() - b->percentage()));
    d->set_trend(TrendOf(d->delta()));
    switch (d->trend()) {
      case v1::TREND_IMPROVED:
        out.set_improved_sections(out.improved_sections() + 1);
        break;
      case v1::TREND_WORSE:
        out.set_worse_sections(out.worse_sections() + 1);
        break;
      default:
        out.set_unchanged_sections(out.unchanged_sections() + 1);
    }
  }

  std::map<int, const v1::DimensionResult*> before_dims;
  for (const v1::DimensionResult& d : before.dimensions())
    before_dims[d.dimension()] = &d;
  for (const v1::DimensionResult& a : after.dimensions()) {
    v1::DimensionDelta* d = out.add_dimensions();
    d->set_dimension(a.dimension());
    d->set_percentage_after(a.percentage());
    auto it = before_dims.find(a.dimension());
    const v1::DimensionResult* b =
        it == before_dims.end() ? nullptr : it->second;
    if (b != nullptr) d->set_percentage_before(b->percentage());
    if (b == nullptr || !b->assessed() || !a.assessed()) {
      d->set_trend(v1::TREND_NOT_COMPARABLE);
      continue;
    }
    d->set_delta(Round1(a.percentage() - b->percentage()));
    d->set_trend(TrendOf(d->delta()));
  }

  absl::flat_hash_map<std::string, const v1::Question*> texts;
  if (after_questionnaire != nullptr) {
    for (const v1::QuestionnaireSection& s : after_questionnaire->sections())
      for (const v1::Question& q : s.questions()) texts.emplace(q.id(), &q);
  }
  absl::flat_hash_map<std::string, const v1::QuestionResult*> before_questions;
  for (const v1::QuestionResult& q : before.questions())
    before_questions.emplace(q.question_id(), &q);
  for (const v1::QuestionResult& a : after.questions()) {
    auto it = before_questions.find(a.question_id());
    if (it == before_questions.end()) continue;
    const v1::QuestionResult& b = *it->second;
    if (b.option_id() == a.option_id()) continue;
    v1::QuestionChange* c = out.add_changed_questions();
    c->set_question_id(a.question_id());
    c->set_section_id(a.section_id());
    if (auto t = texts.find(a.question_id()); t != texts.end())
      c->set_question_text(t->second->text());
    c->set_option_before(b.option_id());
    c->set_option_after(a.option_id());
    c->set_fulfilment_before(b.fulfilment());
    c->set_fulfilment_after(a.fulfilment());
    if (a.skipped() || b.skipped()) {
      c->set_trend(v1::TREND_NOT_COMPARABLE);
    } else if (a.fulfilment() > b.fulfilment()) {
      c->set_trend(v1::TREND_IMPROVED);
    } else if (a.fulfilment() < b.fulfilment()) {
      c->set_trend(v1::TREND_WORSE);
    } else {
      c->set_trend(v1::TREND_UNCHANGED);
    }
  }
  return out;
}

}  // namespace divcheck::assessment
