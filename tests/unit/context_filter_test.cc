// The context filter and the title check against their quadratic versions
// from before issue 17 (kept here, verbatim but for the names, as the
// reference): on the golden inputs, the labelled corpus, the benchmark ad
// and generated texts, both must drop, soften and annotate exactly the same
// candidates. Also: ApplyContext polls for cancellation inside its loops.
#include "analyzers/context_filter.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "analyzers/analysis.h"
#include "analyzers/coded_wording.h"
#include "analyzers/document.h"
#include "analyzers/engine.h"
#include "analyzers/term_matcher.h"
#include "analyzers/title_gender_marker.h"
#include "gtest/gtest.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace reference {
namespace {

using config::v1::ContextModifier;

constexpr uint32_t kNegationWindow = 3;

// Quotation marks that open or close a quoted mention.
bool IsOpeningQuote(int32_t c) {
  return c == '"' || c == 0x201E /* „ */ || c == 0x201C /* “ */ ||
         c == 0x00AB /* « */ || c == 0x00BB /* » (German style) */ ||
         c == 0x201A /* ‚ */ || c == 0x2039 || c == 0x203A;
}
bool IsClosingQuote(int32_t c) {
  return c == '"' || c == 0x201C || c == 0x201D /* ” */ || c == 0x00BB ||
         c == 0x00AB || c == 0x2018 /* ‘ */ || c == 0x2019 || c == 0x2039 ||
         c == 0x203A;
}

// True when [begin, end) of the original text stands between an opening
// and a closing quotation mark on the same line, with no other quotation
// mark between them: a mention ("Begriffe wie „junges Team“ vermeiden wir"),
// not a requirement.
bool InsideQuotes(absl::string_view text, uint32_t begin, uint32_t end) {
  const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  bool opened = false;
  int32_t i = static_cast<int32_t>(begin);
  for (int steps = 0; i > 0 && steps < 120; ++steps) {
    UChar32 c;
    U8_PREV(s, 0, i, c);
    if (c == '\n') break;
    if (IsOpeningQuote(c)) {
      opened = true;
      break;
    }
    if (IsClosingQuote(c)) break;
  }
  if (!opened) return false;
  int32_t j = static_cast<int32_t>(end);
  for (int steps = 0; j < length && steps < 120; ++steps) {
    UChar32 c;
    U8_NEXT(s, j, length, c);
    if (c == '\n') return false;
    if (IsClosingQuote(c)) return true;
    if (IsOpeningQuote(c)) return false;
  }
  return false;
}

bool CueAt(const Analysis& a, const std::vector<TokenPattern>& cue,
           uint32_t start, uint32_t limit) {
  if (start + cue.size() > limit) return false;
  const auto& tokens = a.doc.tokens();
  for (size_t j = 0; j < cue.size(); ++j) {
    const Token& t = tokens[start + j];
    if (!a.lex.TokenMatches(cue[j], a.doc.TokenText(t), t.is_number)) {
      return false;
    }
  }
  return true;
}

// A cue lying entirely within [from, to), skipping [skip_begin, skip_end).
bool AnyCueIn(const Analysis& a, const CompiledModifier& mod, uint32_t from,
              uint32_t to, uint32_t skip_begin, uint32_t skip_end) {
  for (uint32_t t = from; t < to; ++t) {
    if (t >= skip_begin && t < skip_end) continue;
    const uint32_t limit = t < skip_begin ? std::min(to, skip_begin) : to;
    if (!mod.cue_ids.empty()) {
      // The cues that start with one of the token's ids, then the rest.
      uint32_t n;
      const uint32_t* token_ids = a.ContinuationIdsOf(t, &n);
      for (uint32_t i = 0; i < n; ++i) {
        auto it = std::lower_bound(mod.cues_by_first_id.begin(),
                                   mod.cues_by_first_id.end(),
                                   std::make_pair(token_ids[i], uint32_t{0}));
        for (; it != mod.cues_by_first_id.end() && it->first == token_ids[i];
             ++it) {
          const auto& ids = mod.cue_ids[it->second];
          if (t + ids.size() > limit) continue;
          size_t j = 1;
          while (j < ids.size() &&
                 a.HasContinuation(t + static_cast<uint32_t>(j), ids[j]))
            ++j;
          if (j == ids.size()) return true;
        }
      }
      continue;
    }
    for (const auto& cue : mod.cues) {
      if (CueAt(a, cue, t, limit)) return true;
    }
  }
  return false;
}

v1::Severity Lower(v1::Severity s) {
  return s <= v1::SEVERITY_HINT ? v1::SEVERITY_UNSPECIFIED
                                : static_cast<v1::Severity>(s - 1);
}
v1::Severity Higher(v1::Severity s) {
  return s >= v1::SEVERITY_CRITICAL ? v1::SEVERITY_CRITICAL
                                    : static_cast<v1::Severity>(s + 1);
}

// True when every dimension of `x` is also one of `y`'s.
bool CoversDimensions(const CompiledEntry& x, const CompiledEntry& y) {
  for (v1::Dimension d : x.dimensions) {
    if (std::find(y.dimensions.begin(), y.dimensions.end(), d) ==
        y.dimensions.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

void OldApplyContext(Analysis* a) {
  const auto& sentences = a->doc.sentences();
  for (Candidate& c : a->candidates) {
    if (c.dropped) continue;
    if (c.sentence < sentences.size() && a->protected_sentence[c.sentence]) {
      c.dropped = true;
      continue;
    }
    const CompiledEntry& e = a->entry(c.entry);
    if (!e.def->ignore_negation()) {
      for (const Match& m : a->matches) {
        if (m.sentence != c.sentence) continue;
        const auto kind = a->entry(m.entry).kind;
        if (kind == config::v1::ENTRY_KIND_NEGATION_CUE &&
            m.tok_end <= c.tok_begin &&
            c.tok_begin - m.tok_end < kNegationWindow) {
          c.dropped = true;
          break;
        }
        if (kind == config::v1::ENTRY_KIND_POST_NEGATION_CUE &&
            m.tok_begin >= c.tok_end) {
          c.dropped = true;
          break;
        }
      }
      if (c.dropped) continue;
    }
    if (InsideQuotes(a->doc.original(), a->doc.OriginalBegin(c.fbegin),
                     a->doc.OriginalEnd(c.fend))) {
      c.dropped = true;
      continue;
    }
    if (c.sentence >= sentences.size()) continue;
    const Sentence& s = sentences[c.sentence];
    for (const CompiledModifier& mod : e.modifiers) {
      bool hit = false;
      switch (mod.scope) {
        case ContextModifier::SCOPE_DOCUMENT:
          hit = a->flags.contains(mod.flag);
          break;
        case ContextModifier::SCOPE_SENTENCE:
          hit = AnyCueIn(*a, mod, s.first_token, s.end_token, c.tok_begin,
                         c.tok_end);
          break;
        case ContextModifier::SCOPE_BEFORE: {
          const uint32_t from = c.tok_begin > s.first_token + mod.window
                                    ? c.tok_begin - mod.window
                                    : s.first_token;
          hit = AnyCueIn(*a, mod, from, c.tok_begin, c.tok_begin, c.tok_begin);
          break;
        }
        case ContextModifier::SCOPE_AFTER: {
          const uint32_t to = std::min(s.end_token, c.tok_end + mod.window);
          hit = AnyCueIn(*a, mod, c.tok_end, to, c.tok_end, c.tok_end);
          break;
        }
        default:
          break;
      }
      if (!hit) continue;
      switch (mod.effect) {
        case ContextModifier::EFFECT_SUPPRESS:
          c.dropped = true;
          break;
        case ContextModifier::EFFECT_SOFTEN:
          c.severity = Lower(c.severity);
          if (c.severity == v1::SEVERITY_UNSPECIFIED) c.dropped = true;
          break;
        case ContextModifier::EFFECT_ESCALATE:
          c.severity = Higher(c.severity);
          break;
        default:
          break;
      }
      if (!mod.note.empty()) {
        c.context_note = c.context_note.empty()
                             ? mod.note
                             : absl::StrCat(c.context_note, "; ", mod.note);
      }
      if (c.dropped) break;
    }
  }

  // A finding inside a longer one of at least the same severity that
  // covers all its dimensions adds nothing ("jung" inside "junges,
  // dynamisches Team"); a photo request inside "mit Bewerbungsfoto,
  // Geburtsdatum" (age only) stays.
  std::vector<Candidate*> kept;
  for (Candidate& c : a->candidates) {
    if (!c.dropped) kept.push_back(&c);
  }
  for (Candidate* x : kept) {
    for (Candidate* y : kept) {
      if (x == y || y->dropped) continue;
      if (y->fbegin <= x->fbegin && x->fend <= y->fend &&
          y->severity >= x->severity &&
          CoversDimensions(a->entry(x->entry), a->entry(y->entry))) {
        const bool same_range = y->fbegin == x->fbegin && y->fend == x->fend;
        // Of two identical ranges keep the first (lower address) only.
        if (!same_range || y->severity > x->severity || y < x) {
          x->dropped = true;
          break;
        }
      }
    }
  }
}

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

bool TitlePosition(const Sentence& s, uint32_t first_line) {
  return s.line == first_line ||
         (s.starts_line && s.ends_line && !s.ends_with_period && !s.bullet &&
          s.line_tokens <= kHeadingMaxTokens);
}

constexpr char kQualificationNoteDe[] =
    "Gefragt ist hier eine Qualifikation oder Erfahrung der Bewerbenden, "
    "nicht die ausgeschriebene Stelle: ein Hinweis, die Bezeichnung "
    "geschlechtergerecht zu schreiben, kein Rechtsrisiko.";
constexpr char kInclusiveTitleNoteDe[] =
    "Der Titel der Anzeige spricht alle Geschlechter an; die männliche oder "
    "weibliche Form hier ist ein Hinweis für durchgängig geschlechtergerechte "
    "Sprache, kein Rechtsrisiko.";

}  // namespace

void OldFindUnmarkedTitles(Analysis* a) {
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
  const auto& tokens = a->doc.tokens();
  const auto& sentences = a->doc.sentences();

  // Markers and cues by sentence.
  std::vector<uint8_t> sentence_marked(sentences.size(), 0);
  for (const Match& m : a->matches) {
    const auto marker = a->entry(m.entry).def->title_marker();
    if (marker == config::v1::TITLE_MARKER_INCLUSIVE ||
        marker == config::v1::TITLE_MARKER_BINARY) {
      sentence_marked[m.sentence] = 1;
    }
  }

  absl::flat_hash_set<uint32_t> marked_titles;
  struct Unmarked {
    const TitleHit* hit;
    v1::Severity severity;
    bool title_position;
  };
  std::vector<Unmarked> unmarked;
  const uint32_t first_line = sentences.empty() ? 0 : sentences[0].line;
  absl::flat_hash_set<uint32_t> marked_in_word;  // title tokens

  const absl::string_view folded = a->doc.folded();
  auto gap_before = [&](uint32_t k) {
    return k == 0 ? absl::string_view()
                  : folded.substr(tokens[k - 1].end,
                                  tokens[k].begin - tokens[k - 1].end);
  };
  for (const TitleHit& h : a->titles) {
    const Token& tok = tokens[h.token];
    const CompiledTitle& title = lex.titles[h.title];
    // In an e-mail or web address: "anna.koch@…", "koch@…".
    const absl::string_view before_gap = gap_before(h.token);
    if (before_gap == "." || before_gap == "@" || before_gap == "_" ||
        (h.token + 1 < tokens.size() && gap_before(h.token + 1) == "@")) {
      continue;
    }
    // The first part of a hyphenated compound: "Lehrer-Zimmer".
    if (h.token + 1 < tokens.size() &&
        tokens[h.token + 1].sentence == tok.sentence &&
        (gap_before(h.token + 1) == "-" ||
         gap_before(h.token + 1) == "\xE2\x80\x90")) {
      continue;
    }
    if (h.feminine && title.feminine_is_epicene_plural) {
      bool singular = false;
      for (uint32_t back = 1; back <= 2 && back <= h.token; ++back) {
        const Token& p = tokens[h.token - back];
        if (p.sentence != tok.sentence) break;
        const absl::string_view pt = a->doc.TokenText(p);
        if (pt == "eine" || pt == "einer") singular = true;
      }
      if (!singular) continue;  // plural of all genders
    }
    bool marked =
        HasGenderSign(*a, h.token) || (h.feminine && IsBinnenI(*a, tok));
    if (!marked) {
      // Pair form: the other form of the same title nearby.
      for (const TitleHit& o : a->titles) {
        if (o.title == h.title && o.feminine != h.feminine &&
            tokens[o.token].sentence == tok.sentence &&
            (o.token > h.token ? o.token - h.token : h.token - o.token) <=
                kPairWindow) {
          marked = true;
          break;
        }
      }
    }
    if (!marked && h.token + 1 < tokens.size() &&
        tokens[h.token + 1].sentence == tok.sentence) {
      // "Kaufmann/-frau", "Koch/Köchin": the next token ends the other form.
      const Token& next = tokens[h.token + 1];
      const absl::string_view gap =
          a->doc.folded().substr(tok.end, next.begin - tok.end);
      const std::string& other = h.feminine ? title.masculine : title.feminine;
      const absl::string_view nt = a->doc.TokenText(next);
      if (absl::StrContains(gap, "/") && nt.size() >= 3 &&
          absl::EndsWith(other, nt)) {
        marked = true;
      }
    }
    if (marked) marked_in_word.insert(h.token);
    if (marked || sentence_marked[tok.sentence]) {
      marked_titles.insert(h.title);
      continue;
    }

    // Part of a name: a name cue ("GmbH") within three tokens after it,
    // only capitalised words between.
    bool name = false;
    for (const Match& m : a->matches) {
      const CompiledEntry& e = a->entry(m.entry);
      if (m.sentence != tok.sentence || !e.def->not_the_job() ||
          e.kind != config::v1::ENTRY_KIND_TITLE_CUE_AFTER ||
          m.tok_begin <= h.token || m.tok_begin - h.token > 3) {
        continue;
      }
      bool capitalised = true;
      for (uint32_t k = h.token + 1; k < m.tok_begin; ++k) {
        const std::string w(
            a->doc.OriginalText(a->doc.OriginalBegin(tokens[k].begin),
                                a->doc.OriginalEnd(tokens[k].end)));
        UChar32 c = 0;
        int32_t i = 0;
        if (!w.empty()) U8_NEXT(w.data(), i, static_cast<int32_t>(w.size()), c);
        capitalised = capitalised && u_isupper(c);
      }
      // The nearest name cue decides.
      name = capitalised;
      break;
    }
    if (name) continue;

    // Is it the advertised position or a required qualification?
    const bool title_position =
        TitlePosition(sentences[tok.sentence], first_line);
    v1::Severity sev =
        title_position ? v1::SEVERITY_CRITICAL : v1::SEVERITY_UNSPECIFIED;
    // The cue nearest before the title decides: "Wir suchen einen
    // Verkäufer" is the advertised job, "eine Ausbildung zum Kaufmann" a
    // qualification, "unsere Mitarbeiter" other people; of cues ending at
    // the same token the longest, then the most severe.
    uint32_t nearest_before = 0, nearest_length = 0;
    int before_sev = 0;
    bool cue_after = false;
    for (const Match& m : a->matches) {
      if (m.sentence != tok.sentence) continue;
      const CompiledEntry& e = a->entry(m.entry);
      if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_BEFORE &&
          m.tok_end <= h.token && h.token - m.tok_end < kCueBeforeWindow) {
        const int cue_sev =
            e.def->not_the_job() ? -1 : static_cast<int>(e.severity);
        const uint32_t length = m.tok_end - m.tok_begin;
        if (m.tok_end > nearest_before ||
            (m.tok_end == nearest_before &&
             (length > nearest_length ||
              (length == nearest_length && cue_sev > before_sev)))) {
          nearest_before = m.tok_end;
          nearest_length = length;
          before_sev = cue_sev;
        }
      } else if (e.kind == config::v1::ENTRY_KIND_TITLE_CUE_AFTER &&
                 !e.def->not_the_job() && m.tok_begin > h.token &&
                 m.tok_begin - h.token <= kCueAfterWindow) {
        sev = v1::SEVERITY_CRITICAL;
        cue_after = true;
      }
    }
    if (before_sev == -1) continue;  // another person
    // A contact's name line: below the first line, "Firstname Title" with
    // a plain space, and a phone, fax or e-mail word or an "@" within the
    // next three lines.
    const Sentence& own = sentences[tok.sentence];
    if (title_position && !cue_after && before_sev == 0 &&
        own.line != first_line && h.token > own.first_token &&
        !tokens[h.token - 1].starts_lower && !tokens[h.token - 1].is_number &&
        gap_before(h.token) == " ") {
      bool contact = false;
      for (uint32_t k = h.token + 1; k < tokens.size() && !contact; ++k) {
        if (sentences[tokens[k].sentence].line > own.line + 3) break;
        const absl::string_view w = a->doc.TokenText(tokens[k]);
        contact = w == "tel" || w == "telefon" || w == "telefonnummer" ||
                  w == "fax" || w == "mobil" || w == "email" || w == "mail" ||
                  w == "phone" || absl::StrContains(gap_before(k), "@");
      }
      if (contact) continue;
    }
    if (before_sev > sev) sev = static_cast<v1::Severity>(before_sev);
    if (sev != v1::SEVERITY_UNSPECIFIED) {
      unmarked.push_back({&h, sev, title_position});
    }
  }

  // Qualifications naming a title the ad marks elsewhere.
  for (Candidate& c : a->candidates) {
    if (c.dropped || !a->entry(c.entry).def->names_job_title()) continue;
    for (const TitleHit& h : a->titles) {
      if (h.token >= c.tok_begin && h.token < c.tok_end &&
          marked_titles.contains(h.title)) {
        c.dropped = true;
      }
    }
  }
  // An inclusive title: an inclusive marker, or a title marked in its own
  // words, on a title-position line.
  bool inclusive_title = false;
  for (const Match& m : a->matches) {
    if (a->entry(m.entry).def->title_marker() ==
            config::v1::TITLE_MARKER_INCLUSIVE &&
        TitlePosition(sentences[m.sentence], first_line)) {
      inclusive_title = true;
    }
  }
  for (const TitleHit& h : a->titles) {
    if (TitlePosition(sentences[tokens[h.token].sentence], first_line) &&
        marked_in_word.contains(h.token)) {
      inclusive_title = true;
    }
  }

  for (const Unmarked& u : unmarked) {
    const TitleHit& h = *u.hit;
    if (marked_titles.contains(h.title)) continue;
    const Token& tok = tokens[h.token];
    const CompiledTitle& title = lex.titles[h.title];
    Candidate c;
    c.entry = h.feminine ? fem_rule->second : masc_rule->second;
    c.fbegin = tok.begin;
    c.fend = tok.end;
    c.tok_begin = h.token;
    c.tok_end = h.token + 1;
    c.sentence = tok.sentence;
    c.severity = u.severity;
    if (u.severity == v1::SEVERITY_HINT) {
      c.context_note = lex.language == "de" ? kQualificationNoteDe : "";
    } else if (inclusive_title && !u.title_position) {
      c.severity = v1::SEVERITY_HINT;
      c.context_note = lex.language == "de" ? kInclusiveTitleNoteDe : "";
    }

    // Suggestions in the ad's own words: the compound's first part kept.
    const uint32_t token_bytes = tok.end - tok.begin;
    const uint32_t prefix_folded =
        token_bytes > h.form_bytes ? token_bytes - h.form_bytes : 0;
    std::string prefix;
    if (prefix_folded > 0) {
      const uint32_t ob = a->doc.OriginalBegin(tok.begin);
      const uint32_t pe = a->doc.OriginalBegin(tok.begin + prefix_folded);
      prefix = std::string(a->doc.OriginalText(ob, pe));
    }
    const std::string masc = prefix.empty()
                                 ? title.def->masculine()
                                 : prefix + LowerFirst(title.def->masculine());
    const std::string fem = prefix.empty()
                                ? title.def->feminine()
                                : prefix + LowerFirst(title.def->feminine());
    if (prefix.empty()) {
      for (const std::string& n : title.def->neutral())
        c.replacements.push_back(n);
    }
    c.replacements.push_back(absl::StrCat(fem, "/", masc));
    if (fem == masc + "in") c.replacements.push_back(absl::StrCat(masc, "*in"));
    c.replacements.push_back(absl::StrCat(masc, " (m/w/d)"));
    a->candidates.push_back(std::move(c));
  }
}

}  // namespace reference

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const LexiconSet& Lexicons(bool shipped) {
  static const std::shared_ptr<const LexiconSet>* sets = [] {
    auto* s = new std::shared_ptr<const LexiconSet>[2];
    for (int i = 0; i < 2; ++i) {
      auto set = LexiconSet::Load(
          i ? DIVCHECK_SOURCE_LEXICONS : DIVCHECK_TEST_LEXICONS, nullptr);
      if (!set.ok()) std::abort();
      s[i] = *set;
    }
    return s;
  }();
  return *sets[shipped ? 1 : 0];
}

std::string Describe(const Candidate& c) {
  std::string suggestions;
  for (const std::string& s : c.replacements)
    absl::StrAppend(&suggestions, s, "|");
  return absl::StrCat("entry ", c.entry, " [", c.fbegin, ",", c.fend,
                      ") tokens [", c.tok_begin, ",", c.tok_end, ") sentence ",
                      c.sentence, " severity ", c.severity,
                      c.dropped ? " dropped" : " kept", " note \"",
                      c.context_note, "\" suggestions ", suggestions);
}

// Candidates dropped by both, counted over every comparison so far.
size_t dropped_candidates = 0;

// Runs the analyzers on `text` twice, once with the reference title check
// and context filter and once with the new ones; the candidates must agree
// in every field. Returns the number of candidates kept.
size_t ExpectSameAsReference(bool shipped, const std::string& language,
                             const std::string& text) {
  const LexiconSet& set = Lexicons(shipped);
  const LanguageLexicon* lex = set.ForLanguage(language);
  if (lex == nullptr) return 0;
  auto doc = Document::Create(text);
  if (!doc.ok()) return 0;
  Analysis old_a(*doc, set, *lex), new_a(*doc, set, *lex);
  v1::CodedWordingBalance old_balance, new_balance;
  MatchTerms(&old_a);
  PrepareContext(&old_a);
  reference::OldFindUnmarkedTitles(&old_a);
  WeighCodedWording(&old_a, &old_balance);
  reference::OldApplyContext(&old_a);
  MatchTerms(&new_a);
  PrepareContext(&new_a);
  FindUnmarkedTitles(&new_a);
  WeighCodedWording(&new_a, &new_balance);
  const absl::Status status = ApplyContext(&new_a);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(old_a.candidates.size(), new_a.candidates.size());
  size_t kept = 0;
  for (size_t i = 0; i < old_a.candidates.size() && i < new_a.candidates.size();
       ++i) {
    const std::string want = Describe(old_a.candidates[i]);
    const std::string got = Describe(new_a.candidates[i]);
    EXPECT_EQ(got, want) << "candidate " << i;
    if (got != want) break;  // one difference is enough to read
    kept += !new_a.candidates[i].dropped;
    dropped_candidates += new_a.candidates[i].dropped;
  }
  return kept;
}

// Every .txt, .html and .json file under `dir`, in name order.
std::vector<fs::path> Inputs(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (ext == ".txt" || ext == ".html" || ext == ".json")
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ContextFilterReference, SameCandidatesOnTheTestInputs) {
  size_t files = 0, kept = 0;
  for (const char* dir :
       {DIVCHECK_GOLDEN_DIR, DIVCHECK_CORPUS_DIR, DIVCHECK_FORMS_DIR}) {
    for (const fs::path& p : Inputs(dir)) {
      SCOPED_TRACE(p.string());
      const std::string text = ReadFile(p);
      ++files;
      for (bool shipped : {false, true}) {
        for (const char* language : {"de", "en"}) {
          SCOPED_TRACE(absl::StrCat(shipped ? "shipped" : "fixture",
                                    " lexicons, ", language));
          kept += ExpectSameAsReference(shipped, language, text);
        }
      }
    }
  }
  const std::string ad = ReadFile(DIVCHECK_BENCH_AD);
  kept += ExpectSameAsReference(true, "de", ad);
  EXPECT_GE(files, 250u);
  EXPECT_GE(kept, 400u);  // the comparison saw findings, not just empty lists
  EXPECT_GE(dropped_candidates, 200u);
}

// Texts made of the corpus's words and punctuation in random order (fixed
// seed), and repetitions of finding-dense passages in one long sentence:
// many overlapping candidates, negations, quotes and modifier cues.
TEST(ContextFilterReference, SameCandidatesOnGeneratedTexts) {
  std::vector<std::string> words;
  std::string dense_de, dense_en;
  for (const fs::path& p : Inputs(DIVCHECK_CORPUS_DIR)) {
    std::istringstream in(ReadFile(p));
    std::string line;
    while (std::getline(in, line)) {
      if (absl::StartsWith(line, "#!")) continue;
      std::istringstream ws(line);
      std::string w;
      while (ws >> w) words.push_back(w);
      (p.parent_path().filename() == "en" ? dense_en : dense_de) += line + " ";
    }
  }
  ASSERT_GT(words.size(), 1000u);
  const std::vector<std::string> separators = {" ",   " ",   " ",  " ",  ", ",
                                               ". ",  "\n",  " „", "“ ", " \"",
                                               "\" ", " - ", ": "};
  std::mt19937 random(17);
  size_t kept = 0;
  for (int round = 0; round < 40; ++round) {
    std::string text;
    const int n = 200 + static_cast<int>(random() % 1500);
    for (int i = 0; i < n; ++i) {
      text += words[random() % words.size()];
      text += separators[random() % separators.size()];
    }
    SCOPED_TRACE(absl::StrCat("round ", round));
    for (bool shipped : {false, true}) {
      kept += ExpectSameAsReference(shipped, round % 2 ? "en" : "de", text);
    }
  }
  // One sentence, no line break: every finding of the corpus, several times.
  auto one_sentence = [](std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
  };
  kept += ExpectSameAsReference(true, "de", one_sentence(dense_de + dense_de));
  kept += ExpectSameAsReference(true, "en", one_sentence(dense_en + dense_en));
  std::string jung, titles;
  for (int i = 0; i < 2000; ++i) jung += "jung ";
  for (int i = 0; i < 500; ++i) titles += i % 7 ? "Verkäufer " : "Verkäuferin ";
  kept += ExpectSameAsReference(true, "de", jung);
  kept += ExpectSameAsReference(true, "de", "Wir suchen " + titles);
  EXPECT_GE(kept, 2000u);
  printf("compared: %zu kept, %zu dropped candidates in all\n", kept,
         dropped_candidates);
}

// Job titles among the title cues (before: "suchen", "eine", "als"; after:
// "gesucht", "wird gesucht") and filler words at random distances, so that
// the windows of the pair and cue rules are hit at and beyond their edges.
TEST(ContextFilterReference, SameTitleCandidatesOnGeneratedTexts) {
  const std::vector<std::string> words = {
      "Verkäufer", "Verkäuferin", "Koch",   "Köchin",  "Kaufmann", "Kauffrau",
      "Erzieher",  "Erzieherin",  "suchen", "sucht",   "eine",     "einen",
      "als",       "zum",         "zur",    "gesucht", "wird",     "werden",
      "und",       "mit",         "der",    "die",     "Team",     "Laden",
      "heute",     "wir",         "Sie",    "(m/w/d)"};
  const std::vector<std::string> separators = {" ", " ",  " ",  " ",  " ",
                                               " ", ". ", "\n", ", ", "/"};
  std::mt19937 random(4711);
  size_t kept = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = "Stellenangebot\n";
    const int n = 10 + static_cast<int>(random() % 120);
    for (int i = 0; i < n; ++i) {
      // "(m/w/d)" rarely, or every sentence would be marked.
      const size_t w = random() % (words.size() * 8);
      text += w < words.size() - 1       ? words[w]
              : w < words.size() * 8 - 1 ? words[8 + w % 16]
                                         : words.back();
      text += separators[random() % separators.size()];
    }
    SCOPED_TRACE(absl::StrCat("round ", round, ": ", text));
    kept += ExpectSameAsReference(true, "de", text);
  }
  // Both forms of a title at every distance around the pair window, in
  // either order, and a cue before or after at every distance.
  for (int d = 0; d < 8; ++d) {
    std::string filler;
    for (int i = 0; i < d; ++i) filler += " und";
    for (const std::string& text :
         {"Verkäufer" + filler + " Verkäuferin\nText.",
          "Verkäuferin" + filler + " Verkäufer\nText.",
          "Stellenangebot\nWir suchen" + filler + " Verkäufer für den Laden.",
          "Stellenangebot\nErfahrung als" + filler + " Koch und eine" + filler +
              " Köchin.",
          "Stellenangebot\nVerkäufer" + filler + " gesucht. Koch" + filler +
              " wird gesucht."}) {
      SCOPED_TRACE(text);
      kept += ExpectSameAsReference(true, "de", text);
    }
  }
  EXPECT_GE(kept, 300u);
}

// Random candidates (fixed seed) over the corpus passages: entries with
// every kind of modifier, ranges drawn from a small pool so that many
// contain each other or are equal, all three severities. Exercises the
// containment rule's ties (same range, same severity, same dimensions)
// that the analyzers seldom produce.
TEST(ContextFilterReference, SameDecisionsOnRandomCandidates) {
  const LexiconSet& set = Lexicons(true);
  std::mt19937 random(1717);
  size_t compared = 0, dropped = 0;
  for (const fs::path& p : Inputs(DIVCHECK_CORPUS_DIR)) {
    const std::string language = p.parent_path().filename().string();
    const LanguageLexicon* lex = set.ForLanguage(language);
    ASSERT_NE(lex, nullptr);
    std::vector<uint32_t> entries;
    for (uint32_t i = 0; i < set.entry_count(); ++i) {
      const CompiledEntry& e = set.entry(i);
      if (e.kind == config::v1::ENTRY_KIND_FINDING && e.language == language) {
        entries.push_back(i);
      }
    }
    ASSERT_FALSE(entries.empty());
    const std::string text = ReadFile(p);  // the Document refers to it
    auto doc = Document::Create(text);
    ASSERT_TRUE(doc.ok());
    const auto& sentences = doc->sentences();
    if (sentences.empty()) continue;
    Analysis old_a(*doc, set, *lex), new_a(*doc, set, *lex);
    MatchTerms(&old_a);
    PrepareContext(&old_a);
    old_a.candidates.clear();
    std::vector<Candidate> pool;
    for (int i = 0; i < 12; ++i) {
      const uint32_t s = static_cast<uint32_t>(random() % sentences.size());
      const Sentence& sentence = sentences[s];
      if (sentence.end_token == sentence.first_token) continue;
      Candidate c;
      c.sentence = s;
      c.tok_begin = sentence.first_token +
                    static_cast<uint32_t>(
                        random() % (sentence.end_token - sentence.first_token));
      c.tok_end = std::min<uint32_t>(
          sentence.end_token,
          c.tok_begin + 1 + static_cast<uint32_t>(random() % 4));
      c.fbegin = doc->tokens()[c.tok_begin].begin;
      c.fend = doc->tokens()[c.tok_end - 1].end;
      pool.push_back(c);
    }
    if (pool.empty()) continue;
    for (int i = 0; i < 200; ++i) {
      Candidate c = pool[random() % pool.size()];
      c.entry = entries[random() % entries.size()];
      c.severity = static_cast<v1::Severity>(1 + random() % 3);
      old_a.candidates.push_back(c);
      // The same entry again at the same place: a tie only the order breaks.
      if (random() % 4 == 0) old_a.candidates.push_back(c);
    }
    new_a.matches = old_a.matches;
    new_a.flags = old_a.flags;
    new_a.protected_sentence = old_a.protected_sentence;
    new_a.disclaimer_sentence = old_a.disclaimer_sentence;
    new_a.cont_begin = old_a.cont_begin;
    new_a.cont_count = old_a.cont_count;
    new_a.cont_ids = old_a.cont_ids;
    new_a.candidates = old_a.candidates;
    reference::OldApplyContext(&old_a);
    ASSERT_TRUE(ApplyContext(&new_a).ok());
    SCOPED_TRACE(p.string());
    for (size_t i = 0; i < old_a.candidates.size(); ++i) {
      ASSERT_EQ(Describe(new_a.candidates[i]), Describe(old_a.candidates[i]))
          << "candidate " << i;
      dropped += old_a.candidates[i].dropped;
      ++compared;
    }
  }
  EXPECT_GE(compared, 40000u);
  EXPECT_GE(dropped, compared / 4);
  EXPECT_LE(dropped, compared - compared / 20);
}

// The engine asks `is_cancelled` inside the context filter, not only
// between analyzers (three times), and stops at the first true.
TEST(ContextFilterCancellation, PollsInsideTheLoopAndStopsAtOnce) {
  EngineOptions options;
  options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
  auto engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "jung ";
  int polls = 0;
  ScanOptions scan;
  scan.language = "de";
  scan.is_cancelled = [&polls] {
    ++polls;
    return false;
  };
  ASSERT_TRUE((*engine)->ScanText(text, scan).ok());
  const int total = polls;
  EXPECT_GE(total, 10);
  for (int n : {3, total / 2, total - 2}) {
    SCOPED_TRACE(absl::StrCat("cancelled from poll ", n + 1, " of ", total));
    polls = 0;
    scan.is_cancelled = [&polls, n] { return ++polls > n; };
    const auto report = (*engine)->ScanText(text, scan);
    EXPECT_EQ(report.status().code(), absl::StatusCode::kCancelled);
    EXPECT_EQ(polls, n + 1);  // returned at the first true, asked no more
  }
}

}  // namespace
}  // namespace divcheck
