#include "analyzers/title_gender_marker.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

constexpr uint32_t kCueBeforeWindow = 4;
constexpr uint32_t kCueAfterWindow = 3;
constexpr uint32_t kPairWindow = 4;
constexpr uint32_t kHeadingMaxTokens = 6;

// "Verkäufer" → "verkäufer": lower-cases the first code point only, for
// joining a title to a compound's first part ("Auto" + "verkäufer").
std::string LowerFirst(absl::string_view s) {
  if (s.empty()) return "";
  const uint8_t* b = reinterpret_cast<const uint8_t*>(s.data());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(b, i, static_cast<int32_t>(s.size()), c);
  if (c < 0) return std::string(s);
  std::string out;
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool err = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, u_tolower(c), err);
  if (err) return std::string(s);
  out.append(buf, n);
  out.append(s.data() + i, s.size() - i);
  return out;
}

// The gender sign right after a title token: "*in", ":innen", "/-in",
// "(in)", "_in", "·in".
bool HasGenderSign(const Analysis& a, uint32_t k) {
  const auto& tokens = a.doc.tokens();
  if (k + 1 >= tokens.size()) return false;
  const Token& t = tokens[k];
  const Token& next = tokens[k + 1];
  const absl::string_view next_text = a.doc.TokenText(next);
  if (next_text != "in" && next_text != "innen") return false;
  const absl::string_view gap =
      a.doc.folded().substr(t.end, next.begin - t.end);
  return gap == "*" || gap == ":" || gap == "_" || gap == "/" || gap == "/-" ||
         gap == "(" || gap == "\xC2\xB7" /* · */ || gap == "\xE2\x80\xA2" ||
         gap == "'" || gap == "\xE2\x80\x99";
}

// Binnen-I: "VerkäuferIn", "MitarbeiterInnen" (original spelling).
bool IsBinnenI(const Analysis& a, const Token& t) {
  const absl::string_view orig = a.doc.OriginalText(
      a.doc.OriginalBegin(t.begin), a.doc.OriginalEnd(t.end));
  for (absl::string_view suffix : {"In", "Innen"}) {
    if (orig.size() > suffix.size() + 1 && absl::EndsWith(orig, suffix)) {
      const char before = orig[orig.size() - suffix.size() - 1];
      if (!(before >= 'A' && before <= 'Z')) return true;
    }
  }
  return false;
}

// Indexes, so each title hit costs O(log n) (issue 17): the sentences
// with a gender marker; the title forms by (title, feminine, sentence,
// token); the title cues before by (sentence, end token, severity) and
// after by (sentence, first token).
struct TitleIndex {
  explicit TitleIndex(const Analysis& a) {
    const auto& tokens = a.doc.tokens();
    sentence_marked.assign(a.doc.sentences().size(), 0);
    for (const Match& m : a.matches) {
      const auto marker = a.entry(m.entry).def->title_marker();
      if (marker == config::v1::TITLE_MARKER_INCLUSIVE ||
          marker == config::v1::TITLE_MARKER_BINARY) {
        sentence_marked[m.sentence] = 1;
      }
    }
    forms.reserve(a.titles.size());
    for (const TitleHit& o : a.titles) {
      forms.emplace_back(o.title, o.feminine, tokens[o.token].sentence,
                         o.token);
    }
    std::sort(forms.begin(), forms.end());
    for (const Match& m : a.matches) {
      const CompiledEntry& e = a.entry(m.entry);
      if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_BEFORE) {
        cues_before.emplace_back(m.sentence, m.tok_end,
                                 static_cast<int>(e.severity));
      } else if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_AFTER) {
        cues_after.emplace_back(m.sentence, m.tok_begin);
      }
    }
    std::sort(cues_before.begin(), cues_before.end());
    std::sort(cues_after.begin(), cues_after.end());
  }

  std::vector<uint8_t> sentence_marked;
  std::vector<std::tuple<uint32_t, bool, uint32_t, uint32_t>> forms;
  std::vector<std::tuple<uint32_t, uint32_t, int>> cues_before;
  std::vector<std::pair<uint32_t, uint32_t>> cues_after;
};

// A feminine form that is also the plural of all genders ("Angestellte"),
// unless "eine"/"einer" stands just before it in the same sentence.
bool IsEpicenePlural(const Analysis& a, const TitleHit& h) {
  if (!h.feminine || !a.lex.titles[h.title].feminine_is_epicene_plural) {
    return false;
  }
  const auto& tokens = a.doc.tokens();
  const Token& tok = tokens[h.token];
  for (uint32_t back = 1; back <= 2 && back <= h.token; ++back) {
    const Token& p = tokens[h.token - back];
    if (p.sentence != tok.sentence) break;
    const absl::string_view pt = a.doc.TokenText(p);
    if (pt == "eine" || pt == "einer") return false;
  }
  return true;
}

// True when the title hit is gender-marked: a marker in its sentence, a
// gender sign or Binnen-I, the other form nearby, or "Kaufmann/-frau".
bool IsMarked(const Analysis& a, const TitleIndex& index, const TitleHit& h) {
  const auto& tokens = a.doc.tokens();
  const Token& tok = tokens[h.token];
  if (index.sentence_marked[tok.sentence] || HasGenderSign(a, h.token) ||
      (h.feminine && IsBinnenI(a, tok))) {
    return true;
  }
  // Pair form: the other form of the same title nearby.
  const auto& forms = index.forms;
  const auto it = std::lower_bound(
      forms.begin(), forms.end(),
      std::make_tuple(h.title, !h.feminine, tok.sentence,
                      h.token > kPairWindow ? h.token - kPairWindow : 0));
  if (it != forms.end() && std::get<0>(*it) == h.title &&
      std::get<1>(*it) == !h.feminine && std::get<2>(*it) == tok.sentence &&
      std::get<3>(*it) <= h.token + kPairWindow) {
    return true;
  }
  if (h.token + 1 < tokens.size() &&
      tokens[h.token + 1].sentence == tok.sentence) {
    // "Kaufmann/-frau", "Koch/Köchin": the next token ends the other form.
    const CompiledTitle& title = a.lex.titles[h.title];
    const Token& next = tokens[h.token + 1];
    const absl::string_view gap =
        a.doc.folded().substr(tok.end, next.begin - tok.end);
    const std::string& other = h.feminine ? title.masculine : title.feminine;
    const absl::string_view nt = a.doc.TokenText(next);
    if (absl::StrContains(gap, "/") && nt.size() >= 3 &&
        absl::EndsWith(other, nt)) {
      return true;
    }
  }
  return false;
}

// Is the unmarked title the advertised position or a required
// qualification? The severity of its finding, or SEVERITY_UNSPECIFIED for
// none.
v1::Severity UnmarkedSeverity(const Analysis& a, const TitleIndex& index,
                              const TitleHit& h, uint32_t first_line) {
  const Token& tok = a.doc.tokens()[h.token];
  const Sentence& s = a.doc.sentences()[tok.sentence];
  v1::Severity sev = v1::SEVERITY_UNSPECIFIED;
  if (s.line == first_line ||
      (s.starts_line && s.ends_line && !s.ends_with_period && !s.bullet &&
       s.line_tokens <= kHeadingMaxTokens)) {
    sev = v1::SEVERITY_CRITICAL;
  }
  // The cue nearest before the title decides: "Wir suchen einen
  // Verkäufer" is the advertised job, "eine Ausbildung zum Kaufmann" a
  // qualification.
  // The last cue ending at or before the title (the most severe of those
  // ending there), if it ends within the window.
  const auto& cues_before = index.cues_before;
  const auto& cues_after = index.cues_after;
  v1::Severity before_sev = v1::SEVERITY_UNSPECIFIED;
  auto before = std::upper_bound(
      cues_before.begin(), cues_before.end(),
      std::make_tuple(tok.sentence, h.token, v1::Severity_MAX + 1));
  if (before != cues_before.begin()) {
    --before;
    if (std::get<0>(*before) == tok.sentence &&
        h.token - std::get<1>(*before) < kCueBeforeWindow) {
      before_sev = static_cast<v1::Severity>(std::get<2>(*before));
    }
  }
  const auto after = std::upper_bound(cues_after.begin(), cues_after.end(),
                                      std::make_pair(tok.sentence, h.token));
  if (after != cues_after.end() && after->first == tok.sentence &&
      after->second - h.token <= kCueAfterWindow) {
    sev = v1::SEVERITY_CRITICAL;
  }
  if (before_sev > sev) sev = before_sev;
  return sev;
}

// The finding of an unmarked title hit under analyzer rule `entry`, with
// suggestions in the ad's own words: the compound's first part kept.
Candidate UnmarkedTitleCandidate(const Analysis& a, const TitleHit& h,
                                 uint32_t entry, v1::Severity severity) {
  const Token& tok = a.doc.tokens()[h.token];
  const CompiledTitle& title = a.lex.titles[h.title];
  Candidate c;
  c.entry = entry;
  c.fbegin = tok.begin;
  c.fend = tok.end;
  c.tok_begin = h.token;
  c.tok_end = h.token + 1;
  c.sentence = tok.sentence;
  c.severity = severity;

  const uint32_t token_bytes = tok.end - tok.begin;
  const uint32_t prefix_folded =
      token_bytes > h.form_bytes ? token_bytes - h.form_bytes : 0;
  std::string prefix;
  if (prefix_folded > 0) {
    const uint32_t ob = a.doc.OriginalBegin(tok.begin);
    const uint32_t pe = a.doc.OriginalBegin(tok.begin + prefix_folded);
    prefix = std::string(a.doc.OriginalText(ob, pe));
  }
  const std::string masc = prefix.empty()
                               ? title.def->masculine()
                               : prefix + LowerFirst(title.def->masculine());
  const std::string fem = prefix.empty()
                              ? title.def->feminine()
                              : prefix + LowerFirst(title.def->feminine());
  static const google::protobuf::RepeatedPtrField<std::string> kNone;
  c.replacements = TitleReplacements(
      masc, fem, prefix.empty() ? title.def->neutral() : kNone, a.gender_form);
  return c;
}

}  // namespace

std::vector<std::string> TitleReplacements(
    const std::string& masc, const std::string& fem,
    const google::protobuf::RepeatedPtrField<std::string>& neutral,
    v1::GenderForm preferred) {
  const bool suffix_in = fem == masc + "in";
  std::string pair = absl::StrCat(fem, "/", masc);
  std::string star = suffix_in ? absl::StrCat(masc, "*in") : "";
  std::string marker = absl::StrCat(masc, " (m/w/d)");
  std::vector<std::string> out;
  out.reserve(neutral.size() + 4);
  // The preferred form first; star, colon and neutral fall back to the
  // pair form where the title has no such form.
  switch (preferred) {
    case v1::GENDER_FORM_STAR:
      out.push_back(suffix_in ? star : pair);
      break;
    case v1::GENDER_FORM_COLON:
      out.push_back(suffix_in ? absl::StrCat(masc, ":in") : pair);
      break;
    case v1::GENDER_FORM_NEUTRAL:
      if (neutral.empty()) out.push_back(pair);
      break;
    case v1::GENDER_FORM_PAIR:
      out.push_back(pair);
      break;
    case v1::GENDER_FORM_MARKER:
      out.push_back(marker);
      break;
    default:
      break;
  }
  auto add = [&out](std::string s) {
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) {
      out.push_back(std::move(s));
    }
  };
  for (const std::string& n : neutral) add(n);
  add(std::move(pair));
  add(std::move(star));
  add(std::move(marker));
  return out;
}

void FindUnmarkedTitles(Analysis* a) {
  const LanguageLexicon& lex = a->lex;
  if (lex.titles.empty() || a->titles.empty()) return;
  const auto masc_rule = lex.analyzer_rules.find(
      absl::StrCat(lex.language, ".gender.title_masculine_only"));
  const auto fem_rule = lex.analyzer_rules.find(
      absl::StrCat(lex.language, ".gender.title_feminine_only"));
  if (masc_rule == lex.analyzer_rules.end() ||
      fem_rule == lex.analyzer_rules.end()) {
    return;
  }
  const auto& sentences = a->doc.sentences();
  const TitleIndex index(*a);
  absl::flat_hash_set<uint32_t> marked_titles;
  struct Unmarked {
    const TitleHit* hit;
    v1::Severity severity;
  };
  std::vector<Unmarked> unmarked;
  const uint32_t first_line = sentences.empty() ? 0 : sentences[0].line;

  for (const TitleHit& h : a->titles) {
    if (IsEpicenePlural(*a, h)) continue;  // plural of all genders
    if (IsMarked(*a, index, h)) {
      marked_titles.insert(h.title);
      continue;
    }
    const v1::Severity sev = UnmarkedSeverity(*a, index, h, first_line);
    if (sev != v1::SEVERITY_UNSPECIFIED) unmarked.push_back({&h, sev});
  }

  for (const Unmarked& u : unmarked) {
    const TitleHit& h = *u.hit;
    if (marked_titles.contains(h.title)) continue;
    a->candidates.push_back(UnmarkedTitleCandidate(
        *a, h, h.feminine ? fem_rule->second : masc_rule->second, u.severity));
  }
}

}  // namespace divcheck
