#include "analyzers/engine.h"

#include <atomic>
#include <string>
#include <thread>

#include "analyzers/coded_wording.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "unicode/utf8.h"

namespace divcheck {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The engine over the unit-test fixture lexicon (tests/data/lexicons).
class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_TEST_LEXICONS;
    std::vector<LexiconProblem> problems;
    auto engine = Engine::Create(options, &problems);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
  }
  static void TearDownTestSuite() { delete engine_; }

  v1::Report Scan(const std::string& text, const std::string& lang = "de") {
    ScanOptions options;
    options.language = lang;
    auto report = engine_->ScanText(text, options);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::Report();
  }
  // "rule_id severity matched_text" per finding.
  std::vector<std::string> Findings(const std::string& text,
                                    const std::string& lang = "de") {
    std::vector<std::string> out;
    const v1::Report report = Scan(text, lang);
    for (const v1::Finding& f : report.findings()) {
      out.push_back(f.rule_id() + " " + v1::Severity_Name(f.severity()) + " " +
                    f.matched_text());
    }
    return out;
  }
  static Engine* engine_;
};
Engine* EngineTest::engine_ = nullptr;

// ---- job-title gender marker ----

TEST_F(EngineTest, MasculineOnlyTitleInHeadingIsCritical) {
  EXPECT_THAT(
      Findings("Verkäufer\nIhre Aufgaben: Beratung."),
      ElementsAre(
          "de.gender.title_masculine_only SEVERITY_CRITICAL Verkäufer"));
  EXPECT_THAT(
      Findings("Hier steht Text.\nDer Laden braucht Hilfe. Verkäufer gesucht!"),
      ElementsAre(
          "de.gender.title_masculine_only SEVERITY_CRITICAL Verkäufer"));
}

TEST_F(EngineTest, FeminineOnlyTitleIsCritical) {
  EXPECT_THAT(
      Findings("Sekretärin gesucht"),
      ElementsAre(
          "de.gender.title_feminine_only SEVERITY_CRITICAL Sekretärin"));
}

TEST_F(EngineTest, MarkedTitlesAreAccepted) {
  for (const char* text :
       {"Verkäufer (m/w/d)", "Verkäufer (w/m/d) gesucht",
        "Verkäufer*in gesucht", "Verkäufer:in", "Verkäufer_in", "Verkäufer/-in",
        "Verkäufer/in", "Verkäuferin/Verkäufer", "Verkäuferin oder Verkäufer",
        "VerkäuferIn", "Kaufmann/-frau für Büromanagement",
        "Verkäufer (alle Geschlechter)", "Geschäftsführung gesucht"}) {
    EXPECT_THAT(Findings(text), IsEmpty()) << text;
  }
}

TEST_F(EngineTest, BinaryMarkerIsItsOwnWarning) {
  EXPECT_THAT(Findings("Verkäufer (m/w) gesucht"),
              ElementsAre("de.title_marker.binary SEVERITY_WARNING (m/w)"));
}

TEST_F(EngineTest, SingleSexMarkerDoesNotMarkTheTitle) {
  const std::vector<std::string> f = Findings("Fachverkäuferin (w)");
  EXPECT_THAT(f, Contains("de.title_marker.single_sex SEVERITY_CRITICAL (w)"));
  EXPECT_THAT(
      f,
      Contains(
          "de.gender.title_feminine_only SEVERITY_CRITICAL Fachverkäuferin"));
}

TEST_F(EngineTest, TitleMarkedOnceCountsForTheWholeAd) {
  EXPECT_THAT(Findings("Verkäufer (m/w/d)\nAls Verkäufer beraten Sie Kunden."),
              IsEmpty());
}

TEST_F(EngineTest, PersonNounOutsideTitleContextIsLeftAlone) {
  EXPECT_THAT(
      Findings("Assistenz (m/w/d)\nSie unterstützen den Geschäftsführer "
               "bei Terminen und Reisen."),
      IsEmpty());
}

TEST_F(EngineTest, QualificationAfterAlsIsAWarning) {
  EXPECT_THAT(
      Findings("Assistenz\nSie haben Erfahrung als Verkäufer im "
               "Einzelhandel und im Lager."),
      ElementsAre("de.gender.title_masculine_only SEVERITY_WARNING Verkäufer"));
  // Under a title for all genders, a one-sex noun elsewhere is advice.
  EXPECT_THAT(
      Findings("Assistenz (m/w/d)\nSie haben Erfahrung als Verkäufer im "
               "Einzelhandel und im Lager."),
      ElementsAre("de.gender.title_masculine_only SEVERITY_HINT Verkäufer"));
}

TEST_F(EngineTest, EpicenePluralIsNeutralButSingularFeminineIsNot) {
  EXPECT_THAT(
      Findings("Rechtsanwaltsfachangestellte gesucht!\nWir suchen erfahrene "
               "Rechtsanwaltsfachangestellte in Vollzeit oder Teilzeit."),
      IsEmpty());
  EXPECT_THAT(Findings("Team\nWir suchen eine Rechtsanwaltsfachangestellte."),
              ElementsAre("de.gender.title_feminine_only SEVERITY_CRITICAL "
                          "Rechtsanwaltsfachangestellte"));
}

TEST_F(EngineTest, CompoundTitlesKeepTheirFirstPartInSuggestions) {
  v1::Report r = Scan("Metallschweißer gesucht");
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_THAT(r.findings(0).suggestions(),
              ElementsAre("Metallschweißerin/Metallschweißer",
                          "Metallschweißer*in", "Metallschweißer (m/w/d)"));
  r = Scan("Verkäufer");
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_THAT(r.findings(0).suggestions(),
              ElementsAre("Verkaufskraft", "Verkäuferin/Verkäufer",
                          "Verkäufer*in", "Verkäufer (m/w/d)"));
}

TEST_F(EngineTest, TitleExceptionsAreNotTitles) {
  EXPECT_THAT(Findings("Halbleiter"), IsEmpty());
}

// ---- lexicon matcher ----

TEST_F(EngineTest, PhrasesAllowGapsWithinASentenceOnly) {
  EXPECT_THAT(
      Findings("Team (m/w/d)\nSie arbeiten in einem jungen, dynamischen "
               "und motivierten Team."),
      ElementsAre("t.de.junges_team SEVERITY_CRITICAL jungen, dynamischen und "
                  "motivierten Team"));
  // "jung" alone is a warning; the phrase does not cross the sentence end.
  EXPECT_THAT(Findings("Team (m/w/d)\nWir sind jung. Das Team wächst."),
              ElementsAre("t.de.jung SEVERITY_WARNING jung"));
}

TEST_F(EngineTest, WordsMatchInflectionsAndStemsMatchPrefixes) {
  EXPECT_THAT(
      Findings("Team (m/w/d)\nSie sind muttersprachlich fit. Junger Kollege."),
      ElementsAre("t.de.muttersprache SEVERITY_CRITICAL muttersprachlich",
                  "t.de.jung SEVERITY_WARNING Junger"));
}

TEST_F(EngineTest, NumberTokensAndRegexRules) {
  EXPECT_THAT(
      Findings("Team (m/w/d)\nSie sind nicht älter als 35."),
      ElementsAre("t.de.altersgrenze SEVERITY_CRITICAL nicht älter als 35"));
  EXPECT_THAT(
      Findings("Team (m/w/d)\nAlter zwischen 25 und 35 Jahren."),
      ElementsAre(
          "t.de.altersgrenze SEVERITY_CRITICAL zwischen 25 und 35 Jahren"));
}

TEST_F(EngineTest, RegexNeedsUnicodeWordBoundaries) {
  // "fotografie" must not match the word "foto"; "Fotos" is its plural.
  EXPECT_THAT(Findings("Team (m/w/d)\nWir lieben Fotografie."), IsEmpty());
  EXPECT_THAT(Findings("Team (m/w/d)\nBitte mit Fotos."),
              ElementsAre("t.de.foto SEVERITY_WARNING Fotos"));
}

// ---- context ----

TEST_F(EngineTest, DisclaimerSentenceProducesNoFindings) {
  const v1::Report r = Scan(
      "Team (m/w/d)\nWir begrüßen alle Bewerbungen, unabhängig "
      "von Alter, Geschlecht, Religion und Herkunft.");
  EXPECT_EQ(r.findings_size(), 0);
  bool has_statement = false;
  for (const auto& h : r.highlights()) {
    has_statement |= h.kind() == v1::HIGHLIGHT_KIND_DIVERSITY_STATEMENT;
  }
  EXPECT_TRUE(has_statement);
}

TEST_F(EngineTest, PositiveActionProtectsItsSentence) {
  EXPECT_THAT(Findings("Team (m/w/d)\nBewerbungen von Frauen sind ausdrücklich "
                       "erwünscht, auch von jungen."),
              IsEmpty());
}

TEST_F(EngineTest, NegationBeforeAndAfterSuppresses) {
  EXPECT_THAT(Findings("Team (m/w/d)\nKein Muttersprachler nötig."), IsEmpty());
  EXPECT_THAT(Findings("Team (m/w/d)\nEin Foto ist nicht erforderlich."),
              IsEmpty());
  // ... unless the entry is negative itself.
  EXPECT_THAT(Findings("Team (m/w/d)\nSie sprechen Deutsch ohne Akzent."),
              ElementsAre("t.de.akzent SEVERITY_WARNING ohne Akzent"));
}

TEST_F(EngineTest, QuotedMentionsAreNotRequirements) {
  EXPECT_THAT(
      Findings("Team (m/w/d)\nWir verzichten auf Formeln wie „junges Team“."),
      IsEmpty());
}

TEST_F(EngineTest, ModifiersSuppressSoftenAndExplain) {
  EXPECT_THAT(
      Findings(
          "Team (m/w/d)\nWir betreuen junge Menschen und junge Unternehmen."),
      IsEmpty());
  const v1::Report r =
      Scan("Team (m/w/d)\nSie bringen ca. bis zu 2 Jahre Berufserfahrung mit.");
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).severity(), v1::SEVERITY_HINT);
  EXPECT_FALSE(r.findings(0).context_note().empty());
  EXPECT_THAT(
      Findings("Team (m/w/d)\nSehr gute Deutschkenntnisse (Niveau C1)."),
      IsEmpty());
  EXPECT_THAT(Findings("Team (m/w/d)\nSehr gute Deutschkenntnisse."),
              ElementsAre("t.de.deutschkenntnisse SEVERITY_WARNING Sehr gute "
                          "Deutschkenntnisse"));
}

TEST_F(EngineTest, DocumentFlagSoftensForChurchEmployers) {
  EXPECT_THAT(
      Findings("Team (m/w/d)\nSie sind Mitglied einer christlichen Kirche."),
      ElementsAre("t.de.konfession SEVERITY_CRITICAL Mitglied einer "
                  "christlichen Kirche"));
  const v1::Report r = Scan(
      "Die Diakonie sucht Team (m/w/d)\nSie sind Mitglied einer "
      "christlichen Kirche.");
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).severity(), v1::SEVERITY_WARNING);
  EXPECT_EQ(r.findings(0).context_note(), "§ 9 AGG");
}

TEST_F(EngineTest, ContainedFindingsAreMerged) {
  EXPECT_THAT(Findings("Team (m/w/d)\nIn unserem jungen Team."),
              ElementsAre("t.de.junges_team SEVERITY_CRITICAL jungen Team"));
}

// ---- coded wording ----

TEST(CodedWordingVerdict, Thresholds) {
  using V = v1::CodedWordingBalance;
  EXPECT_EQ(CodedWordingVerdict(0, 0), V::VERDICT_NEUTRAL);
  EXPECT_EQ(CodedWordingVerdict(2, 1), V::VERDICT_BALANCED);
  EXPECT_EQ(CodedWordingVerdict(3, 1), V::VERDICT_MASCULINE_CODED);
  EXPECT_EQ(CodedWordingVerdict(6, 1), V::VERDICT_STRONGLY_MASCULINE_CODED);
  EXPECT_EQ(CodedWordingVerdict(1, 3), V::VERDICT_FEMININE_CODED);
  EXPECT_EQ(CodedWordingVerdict(0, 4), V::VERDICT_STRONGLY_FEMININE_CODED);
}

TEST_F(EngineTest, CodedWordingCountsCompoundsAndExceptions) {
  const v1::Report r = Scan(
      "Team (m/w/d)\nDurchsetzungsstark, ehrgeizig, mit "
      "Erfahrung in Mitarbeiterführung. Führerschein Klasse B.");
  EXPECT_EQ(r.coded_wording().agentic_count(), 3u);
  EXPECT_EQ(r.coded_wording().verdict(),
            v1::CodedWordingBalance::VERDICT_MASCULINE_CODED);
  EXPECT_THAT(
      r.coded_wording().agentic_words(),
      ElementsAre("Durchsetzungsstark", "ehrgeizig", "Mitarbeiterführung"));
  EXPECT_EQ(r.hint_count(), 3u);
  const v1::Report balanced = Scan(
      "Team (m/w/d)\nDurchsetzungsstark und kooperativ, "
      "Sie unterstützen Kolleginnen.");
  EXPECT_EQ(balanced.coded_wording().verdict(),
            v1::CodedWordingBalance::VERDICT_BALANCED);
  EXPECT_EQ(balanced.hint_count(), 0u);
}

// ---- offsets ----

void ExpectSpanMatches(const std::string& text, const v1::Span& span,
                       const std::string& matched) {
  ASSERT_LE(span.end_byte(), text.size());
  EXPECT_EQ(text.substr(span.start_byte(), span.end_byte() - span.start_byte()),
            matched);
  // Code points [start_char, end_char) are the same bytes.
  int32_t i = 0, cp = 0, start = -1, end = -1;
  const int32_t n = static_cast<int32_t>(text.size());
  while (true) {
    if (cp == static_cast<int32_t>(span.start_char())) start = i;
    if (cp == static_cast<int32_t>(span.end_char())) end = i;
    if (i >= n) break;
    U8_FWD_1(reinterpret_cast<const uint8_t*>(text.data()), i, n);
    ++cp;
  }
  ASSERT_GE(start, 0);
  ASSERT_GE(end, 0);
  EXPECT_EQ(text.substr(start, end - start), matched);
}

TEST_F(EngineTest, EveryFindingsSpanIsExactlyItsMatchedText) {
  const std::string text =
      "Größter Händler sucht Verkäufer für Straßenbau\n"
      "Ihr Profil: Sie sind zwischen 25 und 35 Jahren jung, sprechen Deutsch "
      "als Muttersprache und haben Ä\xCC\x88rger mit Fotos? Ein junges, "
      "ehrgeiziges Team erwartet Sie. Mitglied der Kirche: ja.\n"
      "GROẞE Auswahl, Maß für Maß: sehr gute Deutschkenntnisse.\n"
      "Wir begrüßen alle Bewerbungen, unabhängig von Alter, Geschlecht, "
      "Religion und Herkunft.";
  const v1::Report r = Scan(text);
  EXPECT_GE(r.findings_size(), 6);
  for (const v1::Finding& f : r.findings()) {
    SCOPED_TRACE(f.rule_id());
    ExpectSpanMatches(text, f.span(), f.matched_text());
  }
  // The diversity statement after the multi-byte text: without a highlight
  // the loop below would check nothing.
  EXPECT_GE(r.highlights_size(), 1);
  for (const v1::Highlight& h : r.highlights()) {
    SCOPED_TRACE(h.rule_id());
    ExpectSpanMatches(text, h.span(), h.matched_text());
  }
}

// ---- errors, language, concurrency ----

TEST_F(EngineTest, ErrorsAreClear) {
  ScanOptions options;
  auto r = engine_->ScanText("ab\xFF", options);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("byte offset 2"), std::string::npos);
  options.language = "fr";
  EXPECT_EQ(engine_->ScanText("x", options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.language = "";
  EXPECT_EQ(
      engine_->ScanText(std::string(kDefaultMaxInputBytes + 1, 'a'), options)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  options.is_cancelled = [] { return true; };
  EXPECT_EQ(engine_->ScanText("Verkäufer", options).status().code(),
            absl::StatusCode::kCancelled);
}

// Issue 14: an empty text used to be a perfect 100/A; it is now "not
// checked" with no score (see the coverage tests below).
TEST_F(EngineTest, EmptyTextIsNotAPerfectReport) {
  const v1::Report r = Scan("");
  EXPECT_EQ(r.coverage(), v1::COVERAGE_EMPTY);
  EXPECT_EQ(r.score(), 0u);
  EXPECT_EQ(r.grade(), "");
  EXPECT_EQ(r.dimension_scores_size(), 0);
}

TEST_F(EngineTest, DetectsLanguage) {
  ScanOptions options;
  auto de = engine_->ScanText(
      "Wir suchen eine Fachkraft für unser Team und bieten "
      "einen sicheren Arbeitsplatz.",
      options);
  ASSERT_TRUE(de.ok());
  EXPECT_EQ(de->language(), "de");
  EXPECT_TRUE(de->language_detected());
  auto en = engine_->ScanText(
      "We are looking for a colleague to join our team and "
      "you will work with the best.",
      options);
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->language(), "en");
}

TEST_F(EngineTest, ConcurrentScansDuringReloadSeeOneConsistentSet) {
  const std::string text =
      "Verkäufer gesucht\njunges Team, Deutsch als Muttersprache.";
  const std::string expected = Scan(text).SerializeAsString();
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, scans{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      ScanOptions options;
      options.language = "de";
      while (!stop.load()) {
        auto r = engine_->ScanText(text, options);
        if (!r.ok() || r->SerializeAsString() != expected) ++bad;
        ++scans;
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(engine_->ReloadLexicons().ok());
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(scans.load(), 0);
}

// ---- reusing one Report ----

TEST_F(EngineTest, ScanTextIntoAReusedReportEqualsAFreshScan) {
  const std::string big =
      "Verkäufer gesucht\nWir sind ein junges Team. Deutsch als Muttersprache. "
      "Bitte mit Foto. Frauen ausdrücklich erwünscht.";
  const std::string small = "Wir suchen eine Pflegefachkraft (m/w/d).";
  ScanOptions options;
  options.language = "de";
  v1::Report reused;
  ASSERT_TRUE(engine_->ScanTextInto(big, options, &reused).ok());
  ASSERT_GT(reused.findings_size(), 2);
  // A smaller report into the same message: nothing of the first may stay.
  ASSERT_TRUE(engine_->ScanTextInto(small, options, &reused).ok());
  EXPECT_EQ(reused.SerializeAsString(), Scan(small).SerializeAsString());
  ASSERT_TRUE(engine_->ScanTextInto(big, options, &reused).ok());
  EXPECT_EQ(reused.SerializeAsString(), Scan(big).SerializeAsString());
  // An error leaves a cleared report, not the previous one.
  options.language = "fr";
  EXPECT_FALSE(engine_->ScanTextInto(big, options, &reused).ok());
  EXPECT_EQ(reused.findings_size(), 0);
}

// ---- coverage: texts that cannot be checked (issue 14) ----

TEST_F(EngineTest, EmptyAndWhiteSpaceTextsAreNotScored) {
  for (const std::string text : {"", "   \n\t ", "\xc2\xa0\xef\xbb\xbf\n"}) {
    const v1::Report r = Scan(text, "");
    EXPECT_EQ(r.coverage(), v1::COVERAGE_EMPTY) << text;
    EXPECT_EQ(r.score(), 0u);
    EXPECT_EQ(r.grade(), "");
    EXPECT_THAT(r.dimension_scores(), IsEmpty());
  }
  EXPECT_EQ(Scan("", "de").coverage(), v1::COVERAGE_EMPTY);
}

TEST_F(EngineTest, TextWithoutWordsIsNotScored) {
  for (const std::string text :
       {"!!! ... ???", "\xf0\x9f\x98\x80 \xf0\x9f\x91\x8d", "12 345 - 67"}) {
    const v1::Report r = Scan(text, "");
    EXPECT_EQ(r.coverage(), v1::COVERAGE_NO_WORDS) << text;
    EXPECT_EQ(r.grade(), "");
  }
}

TEST_F(EngineTest, FrenchAndTurkishAdsAreUnsupportedWhenDetecting) {
  const v1::Report fr = Scan(
      "Nous recherchons un vendeur pour notre magasin. Vous avez le sens du "
      "contact et une expérience dans la vente.",
      "");
  EXPECT_EQ(fr.coverage(), v1::COVERAGE_UNSUPPORTED_LANGUAGE);
  EXPECT_EQ(fr.apparent_language(), "fr");
  EXPECT_EQ(fr.language(), "");
  EXPECT_EQ(fr.grade(), "");
  const v1::Report tr = Scan(
      "Ekibimize deneyimli bir satış danışmanı arıyoruz. Müşteri ilişkileri "
      "için iletişim becerisi ve takım çalışmasına yatkın olan adaylar.",
      "");
  EXPECT_EQ(tr.coverage(), v1::COVERAGE_UNSUPPORTED_LANGUAGE);
  EXPECT_EQ(tr.apparent_language(), "tr");
}

TEST_F(EngineTest, ExplicitLanguageOnFrenchTextIsScannedButFlagged) {
  const v1::Report r = Scan(
      "Nous recherchons un vendeur pour notre magasin. Vous avez le sens du "
      "contact et une expérience dans la vente.",
      "de");
  EXPECT_EQ(r.coverage(), v1::COVERAGE_LANGUAGE_MISMATCH);
  EXPECT_EQ(r.language(), "de");
  EXPECT_EQ(r.apparent_language(), "fr");
  EXPECT_FALSE(r.grade().empty());
}

TEST_F(EngineTest, ShortGermanAndEnglishTextsAreStillChecked) {
  for (const std::string text :
       {"Verkäufer gesucht", "Koch (m/w/d) – Chef de Partie, à la carte",
        "Junges Team sucht Verstärkung.", "Sales assistant wanted",
        "Wir suchen eine Pflegekraft für die Nacht.",
        "We are looking for a young team player."}) {
    const v1::Report r = Scan(text, "");
    EXPECT_EQ(r.coverage(), v1::COVERAGE_CHECKED) << text;
    EXPECT_FALSE(r.grade().empty()) << text;
  }
  EXPECT_EQ(Scan("Wir suchen eine Pflegekraft für die Nacht.", "").language(),
            "de");
}

}  // namespace
}  // namespace divcheck
