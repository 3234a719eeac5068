// Fuzzes the questionnaire loader: text-format parsing with line/column
// tracking, then validation and resolution (QuestionnaireSet::Compile).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "assessment/questionnaire.h"
#include "divcheck/config/v1/questionnaire.pb.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace {

// Drops the text-format parser's errors (it logs them without a collector).
class Quiet : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber,
                const std::string&) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  divcheck::config::v1::QuestionnaireFile file;
  google::protobuf::TextFormat::ParseInfoTree tree;
  google::protobuf::TextFormat::Parser parser;
  parser.WriteLocationsTo(&tree);
  // Silence the parser's own error log: most inputs are bad.
  Quiet quiet;
  parser.RecordErrorsTo(&quiet);
  if (!parser.ParseFromString(text, &file)) return 0;
  std::vector<divcheck::DataProblem> problems;
  (void)divcheck::assessment::QuestionnaireSet::Compile(file, "fuzz.textproto",
                                                        &tree, &problems);
  return 0;
}
