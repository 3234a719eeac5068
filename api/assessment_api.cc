#include "api/assessment_api.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "api/errors.h"
#include "api/organization.h"
#include "assessment/scoring.h"
#include "base/fnv1a.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace divcheck::api {
namespace {

using assessment::QuestionnaireSet;

// A questionnaire has a few dozen questions; one answer each.
constexpr int kMaxAnswers = 1000;
constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;
constexpr char kPageTokenPrefix[] = "1.";
constexpr size_t kMaxRequestIdChars = 64;
constexpr size_t kIdRandomBytes = 16;

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0xF];
  }
  return out;
}

// Ids are "a" + 32 lower-case hex digits: 128 bits from OpenSSL's CSPRNG.
// (Ids of earlier versions had 24 digits from a non-cryptographic
// generator; IsWellFormedId still accepts them.)
absl::StatusOr<std::string> NewAssessmentId() {
  unsigned char bytes[kIdRandomBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError("the random number generator failed");
  }
  return absl::StrCat("a", Hex(bytes, sizeof(bytes)));
}

// SHA-256 of `parts`, each followed by a NUL byte, as hex.
std::string Digest(std::initializer_list<absl::string_view> parts) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (absl::string_view part : parts) {
    EVP_DigestUpdate(ctx, part.data(), part.size());
    EVP_DigestUpdate(ctx, "", 1);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx, digest, &length);
  EVP_MD_CTX_free(ctx);
  return Hex(digest, length);
}

bool IsWellFormedId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 64 || id[0] != 'a') return false;
  for (char c : id.substr(1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdChars) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

// Whether two stored organisation names are the same organisation
// (assessments stored by earlier versions kept names as given).
bool SameOrganization(absl::string_view a, absl::string_view b) {
  absl::StatusOr<std::string> na = NormalizeOrganization(a);
  absl::StatusOr<std::string> nb = NormalizeOrganization(b);
  if (na.ok() && nb.ok()) return *na == *nb;
  return a == b;
}

// Page tokens: "1." + web-safe base64 of "org hash\ncreate_time_us\nid". The
// organisation's hash binds a token to its list.
std::string EncodePageToken(absl::string_view organization,
                            const v1::Assessment& last) {
  const int64_t micros = last.create_time().seconds() * 1000000 +
                         last.create_time().nanos() / 1000;
  return absl::StrCat(kPageTokenPrefix, absl::WebSafeBase64Escape(absl::StrCat(
                                            absl::Hex(Fnv1a(organization)),
                                            "\n", micros, "\n", last.id())));
}

bool DecodePageToken(absl::string_view organization, absl::string_view token,
                     assessment::ListPosition* position) {
  if (!absl::ConsumePrefix(&token, kPageTokenPrefix)) return false;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  std::vector<std::string> parts = absl::StrSplit(raw, '\n');
  if (parts.size() != 3) return false;
  if (parts[0] != absl::StrCat(absl::Hex(Fnv1a(organization)))) return false;
  if (!absl::SimpleAtoi(parts[1], &position->create_time_us)) return false;
  if (!IsWellFormedId(parts[2])) return false;
  position->id = parts[2];
  return true;
}

// A questionnaire lookup error as a field violation of `field_prefix`.
FieldViolation LookupViolation(QuestionnaireSet::FindError error,
                               const absl::Status& status,
                               absl::string_view id_field,
                               absl::string_view version_field,
                               absl::string_view language_field) {
  switch (error) {
    case QuestionnaireSet::FindError::kUnknownId:
      return {std::string(id_field), std::string(status.message()),
              "UNKNOWN_QUESTIONNAIRE"};
    case QuestionnaireSet::FindError::kUnknownVersion:
      return {std::string(version_field), std::string(status.message()),
              "UNKNOWN_QUESTIONNAIRE_VERSION"};
    default:
      return {std::string(language_field), std::string(status.message()),
              "UNSUPPORTED_LANGUAGE"};
  }
}

// A repository error with its reason: STORAGE_UNAVAILABLE while the
// database cannot be reached (a retry later may succeed), STORAGE_ERROR
// otherwise.
absl::Status StorageFailure(const absl::Status& status) {
  return WithReason(status, absl::IsUnavailable(status) ? "STORAGE_UNAVAILABLE"
                                                        : "STORAGE_ERROR");
}

}  // namespace

AssessmentApi::AssessmentApi(
    std::shared_ptr<const assessment::QuestionnaireSet> questionnaires,
    assessment::AssessmentRepository* repository)
    : questionnaires_(std::move(questionnaires)), repository_(repository) {}

absl::Status AssessmentApi::RequireStorage() const {
  if (repository_ != nullptr) return absl::OkStatus();
  return WithReason(
      absl::FailedPreconditionError(
          "assessment storage is disabled: this server runs without "
          "--data_dir or --database. Only GetQuestionnaire and "
          "CreateAssessment with "
          "validate_only work"),
      "STORAGE_DISABLED");
}

absl::StatusOr<v1::Questionnaire> AssessmentApi::GetQuestionnaire(
    const v1::GetQuestionnaireRequest& request) const {
  if (request.version() < 0) {
    return InvalidRequest({{"version", "version must not be negative",
                            "UNKNOWN_QUESTIONNAIRE_VERSION"}});
  }
  // Held for the call: the pointers Find returns point into it.
  const std::shared_ptr<const QuestionnaireSet> set = questionnaires();
  QuestionnaireSet::FindError error;
  absl::StatusOr<const v1::Questionnaire*> q =
      set->Find(request.questionnaire_id(), request.version(),
                request.language_code(), &error);
  if (!q.ok()) {
    if (error == QuestionnaireSet::FindError::kUnknownLanguage) {
      return InvalidRequest({LookupViolation(
          error, q.status(), "questionnaire_id", "version", "language_code")});
    }
    return WithReason(q.status(),
                      error == QuestionnaireSet::FindError::kUnknownId
                          ? "UNKNOWN_QUESTIONNAIRE"
                          : "UNKNOWN_QUESTIONNAIRE_VERSION");
  }
  return **q;
}

absl::StatusOr<v1::Assessment> AssessmentApi::CreateAssessment(
    const v1::CreateAssessmentRequest& request, const Caller& caller) const {
  std::vector<FieldViolation> violations;
  // The organisation first: a caller that may not use it learns nothing
  // more about the request.
  absl::StatusOr<std::string> organization = caller.ResolveOrganization(
      request.organization(), "organization", !request.validate_only());
  if (!organization.ok()) {
    if (!absl::IsInvalidArgument(organization.status())) {
      return organization.status();
    }
    violations.push_back({"organization",
                          std::string(organization.status().message()),
                          "INVALID_ORGANIZATION"});
  }
  if (!request.request_id().empty() &&
      !IsValidRequestId(request.request_id())) {
    violations.push_back(
        {"request_id",
         absl::StrCat("request_id must be 1-", kMaxRequestIdChars,
                      " characters of A-Z, a-z, 0-9, '.', '_' and '-' (a "
                      "UUID fits)"),
         "INVALID_REQUEST_ID"});
  }
  // Held for the call: `questionnaire` points into it.
  const std::shared_ptr<const QuestionnaireSet> set = questionnaires();
  const v1::Questionnaire* questionnaire = nullptr;
  if (request.questionnaire_version() < 0) {
    violations.push_back({"questionnaire_version",
                          "questionnaire_version must not be negative",
                          "UNKNOWN_QUESTIONNAIRE_VERSION"});
  } else {
    QuestionnaireSet::FindError error;
    absl::StatusOr<const v1::Questionnaire*> q =
        set->Find(request.questionnaire_id(), request.questionnaire_version(),
                  request.language_code(), &error);
    if (q.ok()) {
      questionnaire = *q;
    } else {
      violations.push_back(
          LookupViolation(error, q.status(), "questionnaire_id",
                          "questionnaire_version", "language_code"));
    }
  }
  absl::StatusOr<v1::Assessment> scored =
      absl::InvalidArgumentError("not scored");
  if (request.answers_size() > kMaxAnswers) {
    // Listing every problem of a huge request would make a huge answer.
    violations.push_back(
        {"answers",
         absl::StrCat("at most ", kMaxAnswers, " answers (got ",
                      request.answers_size(), ")"),
         "TOO_MANY_ANSWERS"});
  } else if (questionnaire != nullptr) {
    std::vector<assessment::AnswerProblem> problems;
    scored = assessment::ScoreAssessment(*questionnaire, request.answers(),
                                         &problems);
    for (assessment::AnswerProblem& p : problems) {
      violations.push_back(
          {std::move(p.field), std::move(p.description), std::move(p.reason)});
    }
  }
  if (!violations.empty()) return InvalidRequest(violations);
  if (!scored.ok()) return scored.status();  // not reached: problems listed
  scored->set_organization(*organization);
  if (request.validate_only()) return scored;
  if (absl::Status s = RequireStorage(); !s.ok()) return s;
  return Store(*std::move(scored), request, caller);
}

absl::StatusOr<v1::Assessment> AssessmentApi::Store(
    v1::Assessment scored, const v1::CreateAssessmentRequest& request,
    const Caller& caller) const {
  const absl::Time now = absl::Now();
  const int64_t micros = absl::ToUnixMicros(now);
  scored.mutable_create_time()->set_seconds(micros / 1000000);
  scored.mutable_create_time()->set_nanos(
      static_cast<int32_t>(micros % 1000000) * 1000);
  assessment::CreateRequestRecord record;
  if (!request.request_id().empty()) {
    // The content: the request as resolved, without its id. Deterministic
    // serialisation gives the same bytes for the same content.
    v1::CreateAssessmentRequest content = request;
    content.clear_request_id();
    content.set_organization(scored.organization());
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream out(&stream);
      out.SetSerializationDeterministic(true);
      content.SerializeToCodedStream(&out);
    }
    record.scope =
        Digest({caller.key_id(), scored.organization(), request.request_id()});
    record.fingerprint = Digest({bytes});
    record.not_before_us = absl::ToUnixMicros(now - kRequestIdRetention);
  }
  // A collision of 128 random bits is not expected; retry anyway.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<std::string> id = NewAssessmentId();
    if (!id.ok()) return WithReason(id.status(), "STORAGE_ERROR");
    scored.set_id(*std::move(id));
    absl::Status stored;
    if (record.scope.empty()) {
      stored = repository_->Insert(scored);
      if (stored.ok()) return scored;
    } else {
      absl::StatusOr<assessment::InsertOnceResult> once =
          repository_->InsertOnce(scored, record);
      if (once.ok() && once->replayed && !once->same_request) {
        return WithReason(
            absl::AlreadyExistsError(
                absl::StrCat("request_id \"", request.request_id(),
                             "\" was used for a different request (assessment ",
                             once->assessment.id(),
                             "); use a new request_id for new answers")),
            "REQUEST_ID_REUSED", {{"assessment_id", once->assessment.id()}});
      }
      if (once.ok()) return std::move(once->assessment);
      stored = once.status();
    }
    if (!absl::IsAlreadyExists(stored) || attempt >= 3) {
      return StorageFailure(stored);
    }
  }
}

absl::StatusOr<v1::Assessment> AssessmentApi::Load(const std::string& id,
                                                   const Caller& caller) const {
  absl::StatusOr<v1::Assessment> a = repository_->Get(id);
  if (absl::IsNotFound(a.status())) {
    return WithReason(
        absl::NotFoundError(absl::StrCat("no assessment with id \"", id, "\"")),
        "ASSESSMENT_NOT_FOUND", {{"id", id}});
  }
  if (!a.ok()) return StorageFailure(a.status());
  if (absl::Status s = caller.CheckStored(a->organization()); !s.ok()) {
    return s;
  }
  return a;
}

absl::StatusOr<v1::Assessment> AssessmentApi::GetAssessment(
    const v1::GetAssessmentRequest& request, const Caller& caller) const {
  if (absl::Status s = caller.CheckAnyOrganization(); !s.ok()) return s;
  if (!IsWellFormedId(request.id())) {
    return InvalidRequest(
        {{"id", absl::StrCat("\"", request.id(), "\" is not an assessment id"),
          "INVALID_ASSESSMENT_ID"}});
  }
  if (absl::Status s = RequireStorage(); !s.ok()) return s;
  return Load(request.id(), caller);
}

absl::StatusOr<v1::ListAssessmentsResponse> AssessmentApi::ListAssessments(
    const v1::ListAssessmentsRequest& request, const Caller& caller) const {
  std::vector<FieldViolation> violations;
  absl::StatusOr<std::string> organization = caller.ResolveOrganization(
      request.organization(), "organization", /*required=*/true);
  if (!organization.ok()) {
    if (!absl::IsInvalidArgument(organization.status())) {
      return organization.status();
    }
    violations.push_back({"organization",
                          std::string(organization.status().message()),
                          "INVALID_ORGANIZATION"});
    organization = std::string();
  }
  if (request.page_size() < 0) {
    violations.push_back(
        {"page_size", "page_size must not be negative", "INVALID_PAGE_SIZE"});
  }
  std::optional<assessment::ListPosition> after;
  if (!request.page_token().empty()) {
    assessment::ListPosition position;
    if (DecodePageToken(*organization, request.page_token(), &position)) {
      after = std::move(position);
    } else {
      violations.push_back(
          {"page_token",
           "page_token was not returned by ListAssessments for this "
           "organization",
           "INVALID_PAGE_TOKEN"});
    }
  }
  if (!violations.empty()) return InvalidRequest(violations);
  if (absl::Status s = RequireStorage(); !s.ok()) return s;
  const int size = request.page_size() == 0
                       ? kDefaultPageSize
                       : std::min(request.page_size(), kMaxPageSize);
  // One more than asked tells whether another page follows.
  absl::StatusOr<std::vector<v1::Assessment>> rows =
      repository_->List(*organization, after, size + 1);
  if (!rows.ok()) return StorageFailure(rows.status());
  v1::ListAssessmentsResponse response;
  const bool more = static_cast<int>(rows->size()) > size;
  for (int i = 0; i < std::min<int>(size, rows->size()); ++i) {
    *response.add_assessments() = std::move((*rows)[i]);
  }
  if (more) {
    response.set_next_page_token(EncodePageToken(
        *organization, response.assessments(response.assessments_size() - 1)));
  }
  return response;
}

absl::StatusOr<v1::AssessmentComparison> AssessmentApi::CompareAssessments(
    const v1::CompareAssessmentsRequest& request, const Caller& caller) const {
  if (absl::Status s = caller.CheckAnyOrganization(); !s.ok()) return s;
  std::vector<FieldViolation> violations;
  for (const auto& [field, id] : {std::pair<const char*, const std::string&>{
                                      "before_id", request.before_id()},
                                  {"after_id", request.after_id()}}) {
    if (!IsWellFormedId(id)) {
      violations.push_back(
          {field, absl::StrCat(field, ": \"", id, "\" is not an assessment id"),
           "INVALID_ASSESSMENT_ID"});
    }
  }
  if (!violations.empty()) return InvalidRequest(violations);
  if (absl::Status s = RequireStorage(); !s.ok()) return s;
  absl::StatusOr<v1::Assessment> before = Load(request.before_id(), caller);
  if (!before.ok()) return before.status();
  absl::StatusOr<v1::Assessment> after = Load(request.after_id(), caller);
  if (!after.ok()) return after.status();
  if (!SameOrganization(before->organization(), after->organization())) {
    return WithReason(
        absl::FailedPreconditionError("the two assessments belong to different "
                                      "organizations"),
        "DIFFERENT_ORGANIZATIONS");
  }
  if (before->questionnaire_id() != after->questionnaire_id()) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "the assessments answered different questionnaires (",
            before->questionnaire_id(), ", ", after->questionnaire_id(), ")")),
        "DIFFERENT_QUESTIONNAIRES");
  }
  const std::shared_ptr<const QuestionnaireSet> set = questionnaires();
  absl::StatusOr<const v1::Questionnaire*> texts =
      set->Find(after->questionnaire_id(), after->questionnaire_version(),
                after->language());
  return assessment::CompareAssessments(*before, *after,
                                        texts.ok() ? *texts : nullptr);
}

std::shared_ptr<const QuestionnaireSet> AssessmentApi::questionnaires() const {
  return std::atomic_load(&questionnaires_);
}

absl::Status AssessmentApi::ReplaceQuestionnaires(
    std::shared_ptr<const QuestionnaireSet> next) {
  absl::MutexLock lock(&replace_mu_);
  std::vector<std::string> missing;
  for (const v1::Questionnaire* q : questionnaires()->All()) {
    if (!next->Find(q->id(), q->version(), q->language()).ok()) {
      missing.push_back(absl::StrCat(q->id(), " version ", q->version(), " (",
                                     q->language(), ")"));
    }
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the new questionnaires lack ", absl::StrJoin(missing, ", "),
        ", which stored assessments may refer to; keep the old versions "
        "when you add new ones"));
  }
  std::atomic_store(&questionnaires_, std::move(next));
  return absl::OkStatus();
}

}  // namespace divcheck::api
