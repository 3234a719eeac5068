#include "service/request_parse.h"

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "api/errors.h"
#include "base/utf8.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"

namespace divcheck::service {
namespace {

namespace pb = google::protobuf;

constexpr size_t kMaxViolations = 50;

// Every string field made a bytes field, so that protobuf parses what it
// would otherwise refuse, and the strings can be checked one by one. Map
// entries become plain repeated messages (a map key cannot be bytes; the
// wire format is the same).
void StringsToBytes(pb::DescriptorProto* message) {
  for (pb::FieldDescriptorProto& f : *message->mutable_field()) {
    if (f.type() == pb::FieldDescriptorProto::TYPE_STRING) {
      f.set_type(pb::FieldDescriptorProto::TYPE_BYTES);
    }
  }
  if (message->options().map_entry()) {
    message->mutable_options()->clear_map_entry();
  }
  for (pb::DescriptorProto& nested : *message->mutable_nested_type()) {
    StringsToBytes(&nested);
  }
}

// The request types as bytes-only copies, built once per proto file on
// the first refused request of a type (the error path only).
class LenientTypes {
 public:
  static LenientTypes& Get() {
    static LenientTypes* const types = new LenientTypes;
    return *types;
  }

  // The bytes-only prototype of `type`, or null if it could not be built.
  const pb::Message* Prototype(const pb::Descriptor* type) {
    absl::MutexLock lock(&mu_);
    if (!AddFile(type->file())) return nullptr;
    const pb::Descriptor* lenient =
        pool_.FindMessageTypeByName(type->full_name());
    return lenient == nullptr ? nullptr : factory_.GetPrototype(lenient);
  }

 private:
  LenientTypes() : factory_(&pool_) {}

  bool AddFile(const pb::FileDescriptor* file)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (pool_.FindFileByName(file->name()) != nullptr) return true;
    for (int i = 0; i < file->dependency_count(); ++i) {
      if (!AddFile(file->dependency(i))) return false;
    }
    pb::FileDescriptorProto proto;
    file->CopyTo(&proto);
    for (pb::DescriptorProto& m : *proto.mutable_message_type()) {
      StringsToBytes(&m);
    }
    return pool_.BuildFile(proto) != nullptr;
  }

  absl::Mutex mu_;
  pb::DescriptorPool pool_ ABSL_GUARDED_BY(mu_);
  pb::DynamicMessageFactory factory_;
};

// Collects the string fields of `original`'s type whose values in
// `lenient` (its bytes-only copy) are not UTF-8.
class Utf8Checker {
 public:
  void Check(const pb::Message& lenient, const pb::Descriptor* original,
             const std::string& prefix) {
    const pb::Reflection* r = lenient.GetReflection();
    std::vector<const pb::FieldDescriptor*> fields;
    r->ListFields(lenient, &fields);
    for (const pb::FieldDescriptor* f : fields) {
      const pb::FieldDescriptor* of = original->FindFieldByNumber(f->number());
      if (of == nullptr) continue;
      const std::string name = absl::StrCat(prefix, of->name());
      if (of->type() == pb::FieldDescriptor::TYPE_STRING) {
        if (f->is_repeated()) {
          for (int i = 0; i < r->FieldSize(lenient, f); ++i) {
            CheckString(absl::StrCat(name, "[", i, "]"),
                        r->GetRepeatedString(lenient, f, i));
          }
        } else {
          CheckString(name, r->GetString(lenient, f));
        }
      } else if (of->type() == pb::FieldDescriptor::TYPE_MESSAGE) {
        if (f->is_repeated()) {
          for (int i = 0; i < r->FieldSize(lenient, f); ++i) {
            Check(r->GetRepeatedMessage(lenient, f, i), of->message_type(),
                  absl::StrCat(name, "[", i, "]."));
          }
        } else {
          Check(r->GetMessage(lenient, f), of->message_type(),
                absl::StrCat(name, "."));
        }
      }
    }
  }

  std::vector<api::FieldViolation> violations;
  size_t bad_strings = 0;

 private:
  void CheckString(const std::string& field, const std::string& value) {
    const size_t at = FirstInvalidUtf8Byte(value);
    if (at == absl::string_view::npos) return;
    if (++bad_strings > kMaxViolations) return;
    violations.push_back(
        {field,
         absl::StrCat(field, " is not valid UTF-8 (byte offset ", at, ")"),
         "INVALID_UTF8"});
  }
};

absl::Status Malformed(const pb::Descriptor* type) {
  return api::InvalidRequest(
      {{"", absl::StrCat("the request is not a ", type->name(), " message"),
        "MALFORMED_REQUEST"}});
}

}  // namespace

absl::Status CheckMessageReceived(const grpc::ByteBuffer& buffer,
                                  const pb::Descriptor* type) {
  if (buffer.Valid()) return absl::OkStatus();
  return api::InvalidRequest(
      {{"",
        absl::StrCat("no complete ", type->name(),
                     " message was received (none, one shorter than its "
                     "length prefix, or one gRPC could not read)"),
        "MALFORMED_REQUEST"}});
}

absl::string_view Flatten(const grpc::ByteBuffer& buffer,
                          std::vector<grpc::Slice>* slices,
                          std::string* scratch) {
  slices->clear();
  scratch->clear();
  if (!buffer.Dump(slices).ok()) return {};
  if (slices->size() == 1) {
    const grpc::Slice& s = (*slices)[0];
    return absl::string_view(reinterpret_cast<const char*>(s.begin()),
                             s.size());
  }
  scratch->reserve(buffer.Length());
  for (const grpc::Slice& s : *slices) {
    scratch->append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return *scratch;
}

absl::Status ExplainParseFailure(absl::string_view wire,
                                 const pb::Descriptor* type) {
  const pb::Message* prototype = LenientTypes::Get().Prototype(type);
  if (prototype == nullptr) return Malformed(type);
  std::unique_ptr<pb::Message> lenient(prototype->New());
  if (!lenient->ParseFromArray(wire.data(), static_cast<int>(wire.size()))) {
    return Malformed(type);
  }
  Utf8Checker checker;
  checker.Check(*lenient, type, "");
  if (checker.violations.empty()) return Malformed(type);
  if (checker.bad_strings > kMaxViolations) {
    checker.violations.push_back(
        {"",
         absl::StrCat(checker.bad_strings - kMaxViolations,
                      " more strings are not valid UTF-8"),
         "INVALID_UTF8"});
  }
  return api::InvalidRequest(checker.violations);
}

absl::Status ParseRequest(absl::string_view wire, pb::Message* message) {
  if (wire.size() > static_cast<size_t>(INT_MAX)) {
    return Malformed(message->GetDescriptor());
  }
  if (message->ParseFromArray(wire.data(), static_cast<int>(wire.size()))) {
    return absl::OkStatus();
  }
  message->Clear();
  return ExplainParseFailure(wire, message->GetDescriptor());
}

absl::Status ParseRequest(const grpc::ByteBuffer& wire, pb::Message* message) {
  message->Clear();
  if (absl::Status s = CheckMessageReceived(wire, message->GetDescriptor());
      !s.ok()) {
    return s;
  }
  std::vector<grpc::Slice> slices;
  std::string scratch;
  return ParseRequest(Flatten(wire, &slices, &scratch), message);
}

absl::Status SerializeResponse(const pb::Message& response,
                               grpc::ByteBuffer* out) {
  const size_t size = response.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return absl::InternalError("the response is over 2 GiB");
  }
  grpc::Slice slice(size);
  response.SerializeWithCachedSizesToArray(const_cast<uint8_t*>(slice.begin()));
  grpc::ByteBuffer buffer(&slice, 1);
  out->Swap(&buffer);
  return absl::OkStatus();
}

}  // namespace divcheck::service
