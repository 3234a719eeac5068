// The real-ad corpus of tests/corpus/real/{de,en}/ (format in
// tests/corpus/real/README.md): loading and validating the label files, and
// scoring an engine's WARNING and CRITICAL findings against the labels.
// Pure functions over their arguments; thread-compatible.
#ifndef DIVCHECK_TESTS_REAL_CORPUS_H_
#define DIVCHECK_TESTS_REAL_CORPUS_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "divcheck/v1/form.pb.h"
#include "divcheck/v1/report.pb.h"

namespace divcheck::real_corpus {

// One labelled phrase; [begin, end) are the byte offsets of its occurrence
// in the ad text.
struct Label {
  std::string phrase;
  int occurrence = 1;
  std::string dimension;  // "age", "gender", ...
  bool risk = false;      // "risk" (true) or "hint" (false)
  size_t begin = 0, end = 0;
};

struct Ad {
  std::string name;      // "de/001-slug"
  std::string language;  // the directory: "de" or "en"
  v1::EmployerType employer = v1::EMPLOYER_TYPE_PRIVATE;
  std::string text;
  std::vector<Label> labels;
  bool clean() const;  // no risk label
};

// Reads every NNN-slug.json with its NNN-slug.txt under dir/{de,en}/ (a
// missing language directory is empty). Every problem (JSON that does not
// parse, a missing or wrong field, a phrase that does not occur in the text
// as often as `occurrence` says, a .txt without .json) is appended to
// *errors, one line each.
std::vector<Ad> LoadCorpus(const std::string& dir, std::string* errors);

// The dimension names of the label files, with their proto values.
const std::map<std::string, v1::Dimension>& DimensionNames();

struct Counts {
  int findings = 0;      // WARNING+ findings attributed to the dimension
  int correct = 0;       // ... that overlap a risk label of it
  int false_alarms = 0;  // ... that overlap no risk label of theirs
  int risk_labels = 0;
  int found = 0;  // risk labels a WARNING+ finding of theirs overlaps
  double precision() const;
  double recall() const;
};

struct Score {
  std::map<std::string, Counts> by_dimension;  // key: dimension name
  Counts overall;                              // every finding and label once
  int ads = 0, clean_ads = 0, clean_ads_flagged = 0;
  double clean_flagged_share() const;
  // One line per false alarm and per missed risk label.
  std::vector<std::string> false_alarms, misses;
};

// Adds one ad's scan to *score. A WARNING+ finding counts under each of its
// dimensions: correct where it overlaps a risk label of that dimension, a
// false alarm when it overlaps no risk label of any of its dimensions
// (overlapping a hint label, or nothing), and under neither when only a risk
// label of another of its dimensions explains it.
void AddReport(const Ad& ad, const v1::Report& report, Score* score);

// The per-dimension table with the gap to the target.
std::string FormatTable(const Score& score);

}  // namespace divcheck::real_corpus

#endif  // DIVCHECK_TESTS_REAL_CORPUS_H_
