#include "api/errors.h"

#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_join.h"
#include "absl/types/optional.h"
#include "base/utf8.h"
#include "google/rpc/error_details.pb.h"

namespace divcheck::api {
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com/";

std::string TypeUrl(const google::protobuf::Message& m) {
  return std::string(kTypeUrlPrefix) + m.GetDescriptor()->full_name();
}

std::optional<google::rpc::ErrorInfo> AttachedErrorInfo(
    const absl::Status& status) {
  absl::optional<absl::Cord> payload =
      status.GetPayload(TypeUrl(google::rpc::ErrorInfo::default_instance()));
  if (!payload) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  return info;
}

// `s` with every byte that is not well-formed UTF-8 replaced by U+FFFD.
// Error texts quote what the client sent (a path, a parameter, an id);
// google.rpc messages are proto3, whose strings must be UTF-8: a client
// could not parse the details, and the JSON answer would be invalid.
std::string ValidUtf8(absl::string_view s) {
  size_t i = FirstInvalidUtf8Byte(s);
  if (i == absl::string_view::npos) return std::string(s);
  std::string out(s.substr(0, i));
  while (i < s.size()) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

}  // namespace

absl::Status InvalidRequest(
    const std::vector<FieldViolation>& violations,
    const std::map<std::string, std::string>& metadata) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> descriptions;
  for (const FieldViolation& v : violations) {
    google::rpc::BadRequest::FieldViolation* fv =
        bad_request.add_field_violations();
    fv->set_field(ValidUtf8(v.field));
    fv->set_description(ValidUtf8(v.description));
    descriptions.push_back(fv->description());
  }
  absl::Status status =
      absl::InvalidArgumentError(absl::StrJoin(descriptions, "; "));
  status.SetPayload(TypeUrl(bad_request),
                    absl::Cord(bad_request.SerializeAsString()));
  return WithReason(
      std::move(status),
      violations.size() == 1 ? violations[0].reason : "INVALID_REQUEST",
      metadata);
}

absl::Status WithReason(absl::Status status, absl::string_view reason,
                        const std::map<std::string, std::string>& metadata) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(ValidUtf8(reason));
  info.set_domain(kErrorDomain);
  for (const auto& [key, value] : metadata)
    (*info.mutable_metadata())[ValidUtf8(key)] = ValidUtf8(value);
  status.SetPayload(TypeUrl(info), absl::Cord(info.SerializeAsString()));
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info = AttachedErrorInfo(status);
  return info ? info->reason() : "";
}

google::rpc::Status ToRpcStatus(const absl::Status& status,
                                absl::string_view request_id) {
  google::rpc::Status out;
  out.set_code(static_cast<int>(status.code()));
  if (status.ok()) return out;
  out.set_message(ValidUtf8(status.message()));

  google::rpc::ErrorInfo info;
  if (std::optional<google::rpc::ErrorInfo> attached =
          AttachedErrorInfo(status)) {
    info = std::move(*attached);
  } else {
    info.set_reason(absl::StatusCodeToString(status.code()));
  }
  info.set_domain(kErrorDomain);
  (*info.mutable_metadata())["request_id"] = ValidUtf8(request_id);
  out.add_details()->PackFrom(info);

  const std::string bad_request_url =
      TypeUrl(google::rpc::BadRequest::default_instance());
  if (absl::optional<absl::Cord> payload = status.GetPayload(bad_request_url)) {
    google::protobuf::Any* any = out.add_details();
    any->set_type_url(bad_request_url);
    any->set_value(std::string(*payload));
  }
  return out;
}

absl::Status FromRpcStatus(const google::rpc::Status& status) {
  if (status.code() == 0) return absl::OkStatus();
  const absl::StatusCode code =
      status.code() > 0 && status.code() <= 16
          ? static_cast<absl::StatusCode>(status.code())
          : absl::StatusCode::kUnknown;
  absl::Status out(code, status.message());
  for (const google::protobuf::Any& any : status.details()) {
    if (any.Is<google::rpc::ErrorInfo>()) {
      google::rpc::ErrorInfo info;
      if (!any.UnpackTo(&info)) continue;
      info.mutable_metadata()->erase("request_id");
      out.SetPayload(TypeUrl(info), absl::Cord(info.SerializeAsString()));
    } else if (any.Is<google::rpc::BadRequest>()) {
      out.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return out;
}

}  // namespace divcheck::api
