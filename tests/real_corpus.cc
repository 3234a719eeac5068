#include "tests/real_corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace divcheck::real_corpus {
namespace {

namespace fs = std::filesystem;
using google::protobuf::Struct;
using google::protobuf::Value;

constexpr double kTargetPrecision = 0.95;
constexpr double kTargetRecall = 0.95;
constexpr double kTargetCleanShare = 0.05;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The string field `key` of `s`, or "" with a line in *errors.
std::string StringField(const Struct& s, const std::string& key,
                        const std::string& where, std::string* errors) {
  const auto it = s.fields().find(key);
  if (it == s.fields().end() || it->second.kind_case() != Value::kStringValue ||
      it->second.string_value().empty()) {
    absl::StrAppend(errors, where, ": missing or empty string field \"", key,
                    "\"\n");
    return "";
  }
  return it->second.string_value();
}

bool IsDate(const std::string& s) {
  // YYYY, YYYY-MM or YYYY-MM-DD; "unknown" when neither the ad nor its
  // stored copy gives a date.
  if (s == "unknown") return true;
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !isdigit(static_cast<unsigned char>(s[i])))
      return false;
  }
  return true;
}

// Finds the occurrence-th (1-based) match of label->phrase in text and sets
// its byte span; false when there are fewer.
bool Locate(const std::string& text, Label* label) {
  size_t pos = std::string::npos;
  for (int i = 0; i < label->occurrence; ++i) {
    pos = text.find(label->phrase, pos == std::string::npos ? 0 : pos + 1);
    if (pos == std::string::npos) return false;
  }
  label->begin = pos;
  label->end = pos + label->phrase.size();
  return true;
}

void ParseLabel(const Value& v, const std::string& where,
                const std::string& text, Ad* ad, std::string* errors) {
  if (v.kind_case() != Value::kStructValue) {
    absl::StrAppend(errors, where, ": a label is not an object\n");
    return;
  }
  const Struct& s = v.struct_value();
  Label l;
  l.phrase = StringField(s, "phrase", where, errors);
  const auto occ = s.fields().find("occurrence");
  if (occ == s.fields().end() ||
      occ->second.kind_case() != Value::kNumberValue ||
      occ->second.number_value() < 1) {
    absl::StrAppend(errors, where, ": label \"", l.phrase,
                    "\" needs \"occurrence\" ≥ 1\n");
  } else {
    l.occurrence = static_cast<int>(occ->second.number_value());
  }
  l.dimension = StringField(s, "dimension", where, errors);
  if (!l.dimension.empty() && !DimensionNames().count(l.dimension)) {
    absl::StrAppend(errors, where, ": unknown dimension \"", l.dimension,
                    "\"\n");
  }
  const std::string level = StringField(s, "level", where, errors);
  if (level != "risk" && level != "hint") {
    absl::StrAppend(errors, where, ": level must be risk or hint, not \"",
                    level, "\"\n");
  }
  l.risk = level == "risk";
  StringField(s, "reason", where, errors);
  StringField(s, "basis", where, errors);
  if (!l.phrase.empty() && !Locate(text, &l)) {
    absl::StrAppend(errors, where, ": phrase \"", l.phrase,
                    "\" does not occur ", l.occurrence,
                    " time(s) in the text\n");
    return;
  }
  ad->labels.push_back(std::move(l));
}

// Reads one label file and its text; problems go to *errors.
Ad ReadAd(const fs::path& json_path, const std::string& language,
          std::string* errors) {
  Ad ad;
  ad.language = language;
  ad.name = absl::StrCat(language, "/", json_path.stem().string());
  const std::string where = ad.name + ".json";
  fs::path txt = json_path;
  txt.replace_extension(".txt");
  if (!fs::exists(txt)) {
    absl::StrAppend(errors, where, ": no ", txt.filename().string(), "\n");
    return ad;
  }
  ad.text = ReadFile(txt);
  Struct root;
  const auto status =
      google::protobuf::util::JsonStringToMessage(ReadFile(json_path), &root);
  if (!status.ok()) {
    absl::StrAppend(errors, where, ": does not parse: ", status.ToString(),
                    "\n");
    return ad;
  }
  for (const char* key : {"source", "retrieved", "sector", "anonymised"}) {
    StringField(root, key, where, errors);
  }
  for (const char* key : {"published", "retrieved"}) {
    const std::string date = StringField(root, key, where, errors);
    if (!date.empty() && !IsDate(date)) {
      absl::StrAppend(errors, where, ": ", key, " \"", date,
                      "\" is not YYYY, YYYY-MM or YYYY-MM-DD\n");
    }
  }
  if (StringField(root, "language", where, errors) != language) {
    absl::StrAppend(errors, where, ": language must be \"", language,
                    "\" (its directory)\n");
  }
  const std::string employer =
      StringField(root, "employer_type", where, errors);
  if (employer == "religious") {
    ad.employer = v1::EMPLOYER_TYPE_RELIGIOUS;
  } else if (employer != "secular") {
    absl::StrAppend(errors, where,
                    ": employer_type must be secular or religious\n");
  }
  const auto labels = root.fields().find("labels");
  if (labels == root.fields().end() ||
      labels->second.kind_case() != Value::kListValue) {
    absl::StrAppend(errors, where, ": \"labels\" must be a list\n");
    return ad;
  }
  for (const Value& v : labels->second.list_value().values()) {
    ParseLabel(v, where, ad.text, &ad, errors);
  }
  return ad;
}

bool Overlaps(const Label& l, const v1::Finding& f) {
  return f.span().start_byte() < l.end && l.begin < f.span().end_byte();
}

std::string Name(int dimension) {
  for (const auto& [name, d] : DimensionNames()) {
    if (d == dimension) return name;
  }
  return "?";
}

std::string Quote(absl::string_view s) {
  std::string out = absl::StrCat("\"", s.substr(0, 80), "\"");
  return out;
}

// Which labels a false alarm overlaps: "hint label gender", "nothing".
std::string FalseAlarmClass(const Ad& ad, const v1::Finding& f) {
  std::string out;
  for (const Label& l : ad.labels) {
    if (!Overlaps(l, f)) continue;
    absl::StrAppend(&out, out.empty() ? "" : ", ", l.risk ? "risk" : "hint",
                    " label ", l.dimension);
  }
  return out.empty() ? "no label" : out;
}

std::string Rate(double r) { return absl::StrFormat("%.3f", r); }

}  // namespace

bool Ad::clean() const {
  return std::none_of(labels.begin(), labels.end(),
                      [](const Label& l) { return l.risk; });
}

const std::map<std::string, v1::Dimension>& DimensionNames() {
  static const auto* m = new std::map<std::string, v1::Dimension>{
      {"age", v1::DIMENSION_AGE},
      {"gender", v1::DIMENSION_GENDER},
      {"ethnic_origin", v1::DIMENSION_ETHNIC_ORIGIN},
      {"religion", v1::DIMENSION_RELIGION},
      {"disability", v1::DIMENSION_DISABILITY},
      {"sexual_identity", v1::DIMENSION_SEXUAL_IDENTITY},
      {"social_origin", v1::DIMENSION_SOCIAL_ORIGIN}};
  return *m;
}

std::vector<Ad> LoadCorpus(const std::string& dir, std::string* errors) {
  std::vector<Ad> ads;
  for (const char* language : {"de", "en"}) {
    const fs::path sub = fs::path(dir) / language;
    if (!fs::is_directory(sub)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(sub)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& p : files) {
      if (p.extension() == ".json") {
        ads.push_back(ReadAd(p, language, errors));
      } else if (p.extension() == ".txt") {
        fs::path json = p;
        json.replace_extension(".json");
        if (!fs::exists(json)) {
          absl::StrAppend(errors, language, "/", p.filename().string(),
                          ": no label file ", json.filename().string(), "\n");
        }
      }
    }
  }
  return ads;
}

double Counts::precision() const {
  return findings == 0 ? 1.0 : double(correct) / findings;
}
double Counts::recall() const {
  return risk_labels == 0 ? 1.0 : double(found) / risk_labels;
}
double Score::clean_flagged_share() const {
  return clean_ads == 0 ? 0.0 : double(clean_ads_flagged) / clean_ads;
}

void AddReport(const Ad& ad, const v1::Report& report, Score* score) {
  ++score->ads;
  bool flagged = false;
  std::vector<bool> found(ad.labels.size(), false);
  for (const v1::Finding& f : report.findings()) {
    if (f.severity() < v1::SEVERITY_WARNING) continue;
    flagged = true;
    std::set<std::string> explained;  // dimensions with an overlapping risk
    for (size_t i = 0; i < ad.labels.size(); ++i) {
      const Label& l = ad.labels[i];
      if (!l.risk || !Overlaps(l, f)) continue;
      for (int d : f.dimensions()) {
        if (Name(d) != l.dimension) continue;
        explained.insert(l.dimension);
        found[i] = true;
      }
    }
    ++score->overall.findings;
    if (!explained.empty()) ++score->overall.correct;
    for (int d : f.dimensions()) {
      Counts& c = score->by_dimension[Name(d)];
      if (explained.count(Name(d))) {
        ++c.findings;
        ++c.correct;
      } else if (explained.empty()) {
        ++c.findings;
        ++c.false_alarms;
      }
    }
    if (explained.empty()) {
      ++score->overall.false_alarms;
      std::string dims;
      for (int d : f.dimensions())
        absl::StrAppend(&dims, dims.empty() ? "" : "+", Name(d));
      score->false_alarms.push_back(
          absl::StrCat(ad.name, ": ", v1::Severity_Name(f.severity()), " ",
                       f.rule_id(), " [", dims, "] ", Quote(f.matched_text()),
                       " (", FalseAlarmClass(ad, f), ")"));
    }
  }
  for (size_t i = 0; i < ad.labels.size(); ++i) {
    const Label& l = ad.labels[i];
    if (!l.risk) continue;
    ++score->by_dimension[l.dimension].risk_labels;
    ++score->overall.risk_labels;
    if (found[i]) {
      ++score->by_dimension[l.dimension].found;
      ++score->overall.found;
      continue;
    }
    std::string near;  // findings below WARNING, or of other dimensions
    for (const v1::Finding& f : report.findings()) {
      if (!Overlaps(l, f)) continue;
      absl::StrAppend(&near, near.empty() ? "" : ", ",
                      v1::Severity_Name(f.severity()), " ", f.rule_id());
    }
    score->misses.push_back(
        absl::StrCat(ad.name, ": ", l.dimension, " ", Quote(l.phrase), " (",
                     near.empty() ? "no finding" : near, ")"));
  }
  if (ad.clean()) {
    ++score->clean_ads;
    if (flagged) ++score->clean_ads_flagged;
  }
}

std::string FormatTable(const Score& s) {
  std::string out = absl::StrFormat("%-16s %8s %7s %6s %9s %6s %6s %7s\n",
                                    "dimension", "findings", "correct", "false",
                                    "precision", "risk", "found", "recall");
  auto row = [&out](const std::string& name, const Counts& c) {
    absl::StrAppend(
        &out,
        absl::StrFormat("%-16s %8d %7d %6d %9s %6d %6d %7s\n", name, c.findings,
                        c.correct, c.false_alarms, Rate(c.precision()),
                        c.risk_labels, c.found, Rate(c.recall())));
  };
  for (const auto& [name, d] : DimensionNames()) {
    const auto it = s.by_dimension.find(name);
    row(name, it == s.by_dimension.end() ? Counts() : it->second);
  }
  row("overall", s.overall);
  absl::StrAppend(
      &out,
      absl::StrFormat("clean ads with a WARNING+: %d of %d (%.1f %%)\n",
                      s.clean_ads_flagged, s.clean_ads,
                      100 * s.clean_flagged_share()),
      absl::StrFormat("gap to the target (precision %.2f, recall %.2f, "
                      "clean ads flagged ≤ %.0f %%): precision %+.3f, "
                      "recall %+.3f, clean ads %+.1f points\n",
                      kTargetPrecision, kTargetRecall, 100 * kTargetCleanShare,
                      s.overall.precision() - kTargetPrecision,
                      s.overall.recall() - kTargetRecall,
                      100 * (kTargetCleanShare - s.clean_flagged_share())));
  return out;
}

}  // namespace divcheck::real_corpus
