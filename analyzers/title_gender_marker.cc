#include "analyzers/title_gender_marker.h"

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

// Sentences with an inclusive or binary title marker ("(m/w/d)", "alle
// Geschlechter"): 1 by sentence.
std::vector<uint8_t> MarkedSentences(const Analysis& a) {
  std::vector<uint8_t> sentence_marked(a.doc.sentences().size(), 0);
  for (const Match& m : a.matches) {
    const auto marker = a.entry(m.entry).def->title_marker();
    if (marker == config::v1::TITLE_MARKER_INCLUSIVE ||
        marker == config::v1::TITLE_MARKER_BINARY) {
      sentence_marked[m.sentence] = 1;
    }
  }
  return sentence_marked;
}

// A feminine form that is also the plural of all genders
// ("Fachkräfte") counts only after "eine"/"einer".
bool IsEpicenePlural(const Analysis& a, const TitleHit& h,
                     const CompiledTitle& title) {
  if (!h.feminine || !title.feminine_is_epicene_plural) return false;
  const auto& tokens = a.doc.tokens();
  const Token& tok = tokens[h.token];
  bool singular = false;
  for (uint32_t back = 1; back <= 2 && back <= h.token; ++back) {
    const Token& p = tokens[h.token - back];
    if (p.sentence != tok.sentence) break;
    const absl::string_view pt = a.doc.TokenText(p);
    if (pt == "eine" || pt == "einer") singular = true;
  }
  return !singular;
}

// True when the title hit is gender-marked: a marker in its sentence, a
// gender sign, a Binnen-I, the other form nearby, or a slash form.
bool IsMarked(const Analysis& a, const TitleHit& h, const CompiledTitle& title,
              const std::vector<uint8_t>& sentence_marked) {
  const auto& tokens = a.doc.tokens();
  const Token& tok = tokens[h.token];
  if (sentence_marked[tok.sentence] || HasGenderSign(a, h.token) ||
      (h.feminine && IsBinnenI(a, tok))) {
    return true;
  }
  // Pair form: the other form of the same title nearby.
  for (const TitleHit& o : a.titles) {
    if (o.title == h.title && o.feminine != h.feminine &&
        tokens[o.token].sentence == tok.sentence &&
        (o.token > h.token ? o.token - h.token : h.token - o.token) <=
            kPairWindow) {
      return true;
    }
  }
  if (h.token + 1 < tokens.size() &&
      tokens[h.token + 1].sentence == tok.sentence) {
    // "Kaufmann/-frau", "Koch/Köchin": the next token ends the other form.
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

// The severity of an unmarked title: CRITICAL for the advertised position
// (the first line, a heading, a cue after it), the nearest cue before it
// otherwise; SEVERITY_UNSPECIFIED when nothing says it is the position or
// a required qualification.
v1::Severity UnmarkedSeverity(const Analysis& a, const TitleHit& h,
                              uint32_t first_line) {
  const Token& tok = a.doc.tokens()[h.token];
  // Is it the advertised position or a required qualification?
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
  uint32_t nearest_before = 0;
  v1::Severity before_sev = v1::SEVERITY_UNSPECIFIED;
  for (const Match& m : a.matches) {
    if (m.sentence != tok.sentence) continue;
    const CompiledEntry& e = a.entry(m.entry);
    if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_BEFORE &&
        m.tok_end <= h.token && h.token - m.tok_end < kCueBeforeWindow) {
      if (m.tok_end > nearest_before ||
          (m.tok_end == nearest_before && e.severity > before_sev)) {
        nearest_before = m.tok_end;
        before_sev = e.severity;
      }
    } else if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_AFTER &&
               m.tok_begin > h.token &&
               m.tok_begin - h.token <= kCueAfterWindow) {
      sev = v1::SEVERITY_CRITICAL;
    }
  }
  if (before_sev > sev) sev = before_sev;
  return sev;
}

// The finding for an unmarked title, with suggestions in the ad's own
// words: the compound's first part kept.
Candidate TitleCandidate(const Analysis& a, const TitleHit& h,
                         v1::Severity severity, uint32_t entry) {
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
  if (prefix.empty()) {
    for (const std::string& n : title.def->neutral()) {
      c.suggestions.push_back(n);
    }
  }
  c.suggestions.push_back(absl::StrCat(fem, "/", masc));
  if (fem == masc + "in") c.suggestions.push_back(absl::StrCat(masc, "*in"));
  c.suggestions.push_back(absl::StrCat(masc, " (m/w/d)"));
  return c;
}

}  // namespace

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
  const std::vector<uint8_t> sentence_marked = MarkedSentences(*a);
  absl::flat_hash_set<uint32_t> marked_titles;
  struct Unmarked {
    const TitleHit* hit;
    v1::Severity severity;
  };
  std::vector<Unmarked> unmarked;
  const uint32_t first_line = sentences.empty() ? 0 : sentences[0].line;

  for (const TitleHit& h : a->titles) {
    const CompiledTitle& title = lex.titles[h.title];
    if (IsEpicenePlural(*a, h, title)) continue;  // plural of all genders
    if (IsMarked(*a, h, title, sentence_marked)) {
      marked_titles.insert(h.title);
      continue;
    }
    const v1::Severity sev = UnmarkedSeverity(*a, h, first_line);
    if (sev != v1::SEVERITY_UNSPECIFIED) unmarked.push_back({&h, sev});
  }

  for (const Unmarked& u : unmarked) {
    const TitleHit& h = *u.hit;
    if (marked_titles.contains(h.title)) continue;
    a->candidates.push_back(TitleCandidate(
        *a, h, u.severity, h.feminine ? fem_rule->second : masc_rule->second));
  }
}

}  // namespace divcheck
