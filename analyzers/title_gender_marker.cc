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
constexpr uint32_t kNameWindow = 3;

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

// The cue marks no advertised job: another person or a name (see
// Entry.not_the_job).
constexpr int kNotTheJob = -1;

// Is sentence `s` in the title position: the first line, or a short
// heading line of its own?
bool InTitlePosition(const Sentence& s, uint32_t first_line) {
  return s.line == first_line ||
         (s.starts_line && s.ends_line && !s.ends_with_period && !s.bullet &&
          s.line_tokens <= kHeadingMaxTokens);
}

// Indexes, so each title hit costs O(log n) (issue 17): the sentences
// with a gender marker; the title forms by (title, feminine, sentence,
// token); the title cues before by (sentence, end token, length, severity
// or kNotTheJob), after by (sentence, first token), and the name cues
// after ("GmbH") by (sentence, first token).
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
      const bool not_the_job = e.def->not_the_job();
      if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_BEFORE) {
        cues_before.emplace_back(
            m.sentence, m.tok_end, m.tok_end - m.tok_begin,
            not_the_job ? kNotTheJob : static_cast<int>(e.severity));
      } else if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_AFTER) {
        (not_the_job ? names_after : cues_after)
            .emplace_back(m.sentence, m.tok_begin);
      }
    }
    std::sort(cues_before.begin(), cues_before.end());
    std::sort(cues_after.begin(), cues_after.end());
    std::sort(names_after.begin(), names_after.end());
  }

  std::vector<uint8_t> sentence_marked;
  std::vector<std::tuple<uint32_t, bool, uint32_t, uint32_t>> forms;
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t, int>> cues_before;
  std::vector<std::pair<uint32_t, uint32_t>> cues_after;
  std::vector<std::pair<uint32_t, uint32_t>> names_after;
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

// True when the title hit is gender-marked in its own words: a gender sign
// or Binnen-I, the other form nearby, or "Kaufmann/-frau".
bool MarkedInWord(const Analysis& a, const TitleIndex& index,
                  const TitleHit& h) {
  const auto& tokens = a.doc.tokens();
  const Token& tok = tokens[h.token];
  if (HasGenderSign(a, h.token) || (h.feminine && IsBinnenI(a, tok))) {
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

// True when the title hit is gender-marked: a marker in its sentence, or
// marked in its own words.
bool IsMarked(const Analysis& a, const TitleIndex& index, const TitleHit& h) {
  return index.sentence_marked[a.doc.tokens()[h.token].sentence] ||
         MarkedInWord(a, index, h);
}

// True when the ad's title — a title-position line — addresses all genders:
// it holds an inclusive marker ("(m/w/d)") or a title marked in its own
// words ("Haustechniker:in", "Kauffrau/-mann").
bool AdTitleInclusive(const Analysis& a, const TitleIndex& index,
                      uint32_t first_line) {
  const auto& sentences = a.doc.sentences();
  for (const Match& m : a.matches) {
    if (a.entry(m.entry).def->title_marker() ==
            config::v1::TITLE_MARKER_INCLUSIVE &&
        InTitlePosition(sentences[m.sentence], first_line)) {
      return true;
    }
  }
  for (const TitleHit& h : a.titles) {
    const Sentence& s = sentences[a.doc.tokens()[h.token].sentence];
    if (InTitlePosition(s, first_line) && !IsEpicenePlural(a, h) &&
        MarkedInWord(a, index, h)) {
      return true;
    }
  }
  return false;
}

// True when a name cue ("GmbH", "Group") follows the title hit within
// kNameWindow tokens of its sentence with only capitalised words between:
// "Sattler Media GmbH" is a company, "Verkäufer bei Müller GmbH" a job.
bool PartOfName(const Analysis& a, const TitleIndex& index, const TitleHit& h) {
  const auto& tokens = a.doc.tokens();
  const uint32_t sentence = tokens[h.token].sentence;
  const auto it =
      std::upper_bound(index.names_after.begin(), index.names_after.end(),
                       std::make_pair(sentence, h.token));
  if (it == index.names_after.end() || it->first != sentence ||
      it->second - h.token > kNameWindow) {
    return false;
  }
  for (uint32_t k = h.token + 1; k < it->second; ++k) {
    const absl::string_view w = a.doc.OriginalText(
        a.doc.OriginalBegin(tokens[k].begin), a.doc.OriginalEnd(tokens[k].end));
    const uint8_t* b = reinterpret_cast<const uint8_t*>(w.data());
    int32_t i = 0;
    UChar32 c = 0;
    if (!w.empty()) U8_NEXT(b, i, static_cast<int32_t>(w.size()), c);
    if (!u_isupper(c)) return false;
  }
  return true;
}

// The folded text between token k-1 and token k ("" for the first token).
absl::string_view GapBefore(const Analysis& a, uint32_t k) {
  if (k == 0) return {};
  const auto& tokens = a.doc.tokens();
  return a.doc.folded().substr(tokens[k - 1].end,
                               tokens[k].begin - tokens[k - 1].end);
}

// True when token k is part of an e-mail or web address ("anna.koch@…",
// "koch@…", "www.koch.de"): joined to the word before it by ".", "@" or
// "_", or to the one after it by "@". ("/" joins titles: "Koch/Köchin".)
bool InAddress(const Analysis& a, uint32_t k) {
  const absl::string_view before = GapBefore(a, k);
  if (before == "." || before == "@" || before == "_") return true;
  return k + 1 < a.doc.tokens().size() && GapBefore(a, k + 1) == "@";
}

// True when token k is the first part of a hyphenated compound
// ("Lehrer-Zimmer", "Koch-Lehrling"): its head is the last part, so the
// title word names no person here.
bool BeforeHyphenInWord(const Analysis& a, uint32_t k) {
  const auto& tokens = a.doc.tokens();
  if (k + 1 >= tokens.size() || tokens[k + 1].sentence != tokens[k].sentence) {
    return false;
  }
  const absl::string_view gap = GapBefore(a, k + 1);
  return gap == "-" || gap == "\xE2\x80\x90";  // hyphen-minus, U+2010
}

// True when the title hit is a surname in a contact block: below the ad's
// first line, right after a capitalised word and a space ("Thomas
// Schneider"), with contact details (a phone, fax or e-mail word, or an
// "@") within the next three lines.
bool NameInContactBlock(const Analysis& a, const TitleHit& h,
                        uint32_t first_line) {
  const auto& tokens = a.doc.tokens();
  const auto& sentences = a.doc.sentences();
  const Sentence& s = sentences[tokens[h.token].sentence];
  if (s.line == first_line || h.token == s.first_token) return false;
  const Token& prev = tokens[h.token - 1];
  if (prev.starts_lower || prev.is_number || GapBefore(a, h.token) != " ") {
    return false;
  }
  for (uint32_t k = h.token + 1; k < tokens.size(); ++k) {
    if (sentences[tokens[k].sentence].line > s.line + 3) break;
    const absl::string_view w = a.doc.TokenText(tokens[k]);
    if (w == "tel" || w == "telefon" || w == "telefonnummer" || w == "fax" ||
        w == "mobil" || w == "email" || w == "mail" || w == "phone" ||
        GapBefore(a, k).find('@') != absl::string_view::npos) {
      return true;
    }
  }
  return false;
}

// What an unmarked title hit stands for, and the severity of its finding
// (SEVERITY_UNSPECIFIED: none).
enum class Role { kNone, kAdvertised, kQualification, kOtherPerson, kName };
struct Verdict {
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  Role role = Role::kNone;
  bool title_position = false;
};

// Is the unmarked title the advertised position, a required qualification,
// another person or part of a name?
Verdict Judge(const Analysis& a, const TitleIndex& index, const TitleHit& h,
              uint32_t first_line) {
  const Token& tok = a.doc.tokens()[h.token];
  const Sentence& s = a.doc.sentences()[tok.sentence];
  Verdict v;
  if (PartOfName(a, index, h)) {
    v.role = Role::kName;
    return v;
  }
  if (InTitlePosition(s, first_line)) {
    v.severity = v1::SEVERITY_CRITICAL;
    v.title_position = true;
  }
  // The cue nearest before the title decides: "Wir suchen einen
  // Verkäufer" is the advertised job, "eine abgeschlossene Ausbildung als
  // Kaufmann" a qualification, "unsere Mitarbeiter" other people. Of the
  // cues ending at the same token the longest ("Erfahrung als" over "als").
  const auto& cues_before = index.cues_before;
  const auto& cues_after = index.cues_after;
  int before = static_cast<int>(v1::SEVERITY_UNSPECIFIED);
  auto it = std::upper_bound(
      cues_before.begin(), cues_before.end(),
      std::make_tuple(tok.sentence, h.token, UINT32_MAX, v1::Severity_MAX + 1));
  if (it != cues_before.begin()) {
    --it;
    if (std::get<0>(*it) == tok.sentence &&
        h.token - std::get<1>(*it) < kCueBeforeWindow) {
      before = std::get<3>(*it);
    }
  }
  if (before == kNotTheJob) {
    v.severity = v1::SEVERITY_UNSPECIFIED;
    v.role = Role::kOtherPerson;
    return v;
  }
  const auto after = std::upper_bound(cues_after.begin(), cues_after.end(),
                                      std::make_pair(tok.sentence, h.token));
  const bool cue_after = after != cues_after.end() &&
                         after->first == tok.sentence &&
                         after->second - h.token <= kCueAfterWindow;
  if (cue_after) v.severity = v1::SEVERITY_CRITICAL;
  if (v.title_position && !cue_after &&
      before == static_cast<int>(v1::SEVERITY_UNSPECIFIED) &&
      NameInContactBlock(a, h, first_line)) {
    // A contact's name line ("Thomas Schneider", then "Tel. …"), not a
    // heading naming the job.
    Verdict name;
    name.role = Role::kName;
    return name;
  }
  if (before > v.severity) v.severity = static_cast<v1::Severity>(before);
  v.role = v.severity == v1::SEVERITY_HINT ? Role::kQualification
                                           : Role::kAdvertised;
  return v;
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
  if (title.compounds_only) {
    // "Zimmerfrau": the other form ("Zimmermann") may name another job,
    // so only the gender marker on the word as written.
    c.replacements = {
        absl::StrCat(a.doc.OriginalText(a.doc.OriginalBegin(tok.begin),
                                        a.doc.OriginalEnd(tok.end)),
                     " (m/w/d)")};
    return c;
  }
  static const google::protobuf::RepeatedPtrField<std::string> kNone;
  c.replacements = TitleReplacements(
      masc, fem, prefix.empty() ? title.def->neutral() : kNone, a.gender_form);
  return c;
}

// Drops the findings of entries with `names_job_title` ("Abschluss als
// Ingenieur") whose job title the ad marks for all genders elsewhere.
void DropQualificationsMarkedElsewhere(
    const absl::flat_hash_set<uint32_t>& marked_titles, Analysis* a) {
  if (marked_titles.empty()) return;
  for (Candidate& c : a->candidates) {
    if (c.dropped || !a->entry(c.entry).def->names_job_title()) continue;
    const auto first = std::lower_bound(
        a->titles.begin(), a->titles.end(), c.tok_begin,
        [](const TitleHit& h, uint32_t t) { return h.token < t; });
    for (auto it = first; it != a->titles.end() && it->token < c.tok_end;
         ++it) {
      if (!marked_titles.contains(it->title)) continue;
      c.dropped = true;
      if (a->tracing) {
        a->Trace(c,
                 "dropped: the ad marks this job title for all genders "
                 "elsewhere (e.g. \"(m/w/d)\" in the title), and the ad is "
                 "read as a whole");
      }
      break;
    }
  }
}

std::string QualificationNote(absl::string_view language) {
  return language == "de"
             ? "Gefragt ist hier eine Qualifikation oder Erfahrung der "
               "Bewerbenden, nicht die ausgeschriebene Stelle: ein Hinweis, "
               "die Bezeichnung geschlechtergerecht zu schreiben, kein "
               "Rechtsrisiko."
             : "This asks for a qualification or experience of the applicant, "
               "not the advertised job: advice to word it for all genders, "
               "not a legal risk.";
}

std::string InclusiveTitleNote(absl::string_view language) {
  return language == "de"
             ? "Der Titel der Anzeige spricht alle Geschlechter an; die "
               "männliche oder weibliche Form hier ist ein Hinweis für "
               "durchgängig geschlechtergerechte Sprache, kein Rechtsrisiko."
             : "The ad's title addresses all genders; the one-sex form here "
               "is advice for consistent gender-fair wording, not a legal "
               "risk.";
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
    Verdict verdict;
  };
  std::vector<Unmarked> unmarked;
  const uint32_t first_line = sentences.empty() ? 0 : sentences[0].line;

  for (const TitleHit& h : a->titles) {
    if (IsEpicenePlural(*a, h)) continue;           // plural of all genders
    if (InAddress(*a, h.token)) continue;           // "anna.koch@example.com"
    if (BeforeHyphenInWord(*a, h.token)) continue;  // "Lehrer-Zimmer"
    if (IsMarked(*a, index, h)) {
      marked_titles.insert(h.title);
      continue;
    }
    const Verdict v = Judge(*a, index, h, first_line);
    if (v.severity != v1::SEVERITY_UNSPECIFIED) unmarked.push_back({&h, v});
  }
  DropQualificationsMarkedElsewhere(marked_titles, a);

  const bool inclusive_title = AdTitleInclusive(*a, index, first_line);
  for (const Unmarked& u : unmarked) {
    const TitleHit& h = *u.hit;
    if (marked_titles.contains(h.title)) continue;
    a->candidates.push_back(UnmarkedTitleCandidate(
        *a, h, h.feminine ? fem_rule->second : masc_rule->second,
        u.verdict.severity));
    Candidate& c = a->candidates.back();
    if (u.verdict.role == Role::kQualification) {
      c.context_note = QualificationNote(lex.language);
      if (a->tracing) {
        a->Trace(c,
                 "hint: a qualification or experience asked of the applicant "
                 "(a cue such as \"abgeschlossene Ausbildung als\", "
                 "\"Erfahrung als\" stands before it), not the advertised "
                 "job");
      }
    } else if (inclusive_title && !u.verdict.title_position &&
               c.severity > v1::SEVERITY_HINT) {
      c.severity = v1::SEVERITY_HINT;
      c.context_note = InclusiveTitleNote(lex.language);
      if (a->tracing) {
        a->Trace(c,
                 "lowered to hint: the ad's title addresses all genders "
                 "(\"(m/w/d)\", gender sign or pair form), so a one-sex noun "
                 "outside the title is wording advice");
      }
    }
  }
}

}  // namespace divcheck
