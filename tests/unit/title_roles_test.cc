// Which one-sex job titles are the advertised job (issue 14, class 2):
// the title check over the shipped lexicons, with examples written for
// these tests (not taken from the real-ad corpus).
#include <string>
#include <vector>

#include "analyzers/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/shipped_engine.h"

namespace divcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class TitleRolesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    engine_ = testing_support::ShippedEngine();
    ASSERT_NE(engine_, nullptr);
  }

  // "rule_id severity matched_text" per gender finding.
  static std::vector<std::string> Gender(const std::string& text,
                                         const std::string& lang = "de") {
    ScanOptions options;
    options.language = lang;
    auto report = engine_->ScanText(text, options);
    EXPECT_TRUE(report.ok()) << report.status();
    std::vector<std::string> out;
    if (!report.ok()) return out;
    for (const v1::Finding& f : report->findings()) {
      if (f.rule_id().find(".gender.") == std::string::npos ||
          f.rule_id().find("coded") != std::string::npos) {
        continue;
      }
      out.push_back(f.rule_id() + " " + v1::Severity_Name(f.severity()) + " " +
                    f.matched_text());
    }
    return out;
  }
  static Engine* engine_;
};
Engine* TitleRolesTest::engine_ = nullptr;

TEST_F(TitleRolesTest, AdvertisedJobStaysARisk) {
  EXPECT_THAT(Gender("Stellenangebot Bäckerei\nWir suchen einen Konditor für "
                     "unsere Backstube."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Konditor"));
  EXPECT_THAT(Gender("Lagerarbeit\nIhre Stelle als Staplerfahrer im "
                     "Zweischichtbetrieb."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_WARNING "
                          "Staplerfahrer"));
}

TEST_F(TitleRolesTest, QualificationAskedOfTheApplicantIsAHint) {
  EXPECT_THAT(
      Gender("Servicekraft Haustechnik\nIhr Profil:\n- abgeschlossene "
             "Berufsausbildung als Installateur oder Tischler\n- Führerschein"),
      ElementsAre("de.gender.title_masculine_only SEVERITY_HINT Installateur",
                  "de.gender.title_masculine_only SEVERITY_HINT Tischler"));
  EXPECT_THAT(Gender("Leitung Kundendienst\nSie bringen Erfahrung als "
                     "Abteilungsleiter oder Gruppenleiter mit."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_HINT "
                          "Abteilungsleiter",
                          "de.gender.title_masculine_only SEVERITY_HINT "
                          "Gruppenleiter"));
}

TEST_F(TitleRolesTest, OtherPeopleAreNotTheJob) {
  EXPECT_THAT(Gender("Leitung Kundendienst\nSie berichten direkt und eng an "
                     "Ihren Abteilungsleiter."),
              IsEmpty());
  EXPECT_THAT(Gender("Leitung Kundendienst\nWir bieten Rabatte für unsere "
                     "Mitarbeiter und ihre Familien."),
              IsEmpty());
  // A nearer cue wins: "als" after "unsere" makes it the role again.
  EXPECT_THAT(Gender("Leitung Kundendienst\nVerstärken Sie unsere Filiale als "
                     "Verkäufer."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_WARNING "
                          "Verkäufer"));
  // A title word after a salutation is a surname (de.context.title_cue_anrede).
  EXPECT_THAT(Gender("Leitung Kundendienst\nBei Fragen wenden Sie sich an "
                     "Herrn Schneider."),
              IsEmpty());
  EXPECT_THAT(Gender("Leitung Kundendienst\nFragen beantwortet Hr. Bauer, "
                     "Ihre Ansprechpartnerin ist Frau Gärtner."),
              IsEmpty());
  // ... and so is one shortly after a contact heading
  // (de.context.title_cue_kontakt).
  EXPECT_THAT(Gender("Verkaufskraft (m/w/d)\nAnsprechpartner: Jonas Koch"),
              IsEmpty());
  EXPECT_THAT(Gender("Verkaufskraft (m/w/d)\nFragen beantwortet Ihnen gern "
                     "Lena Müller."),
              IsEmpty());
  // A contact's name on a line of its own, with phone or e-mail below it,
  // is no heading naming the job; a heading without them still is.
  EXPECT_THAT(Gender("Verkaufskraft (m/w/d)\nWir freuen uns auf Sie.\n\n"
                     "Thomas Schneider\nPersonalabteilung\nTel. 0123 456"),
              IsEmpty());
  EXPECT_THAT(Gender("Verkaufskraft (m/w/d)\nWir freuen uns auf Sie.\n\n"
                     "Anna Koch\nanna.koch@example.com"),
              IsEmpty());
  EXPECT_THAT(Gender("Unser Restaurant\nErfahrener Koch\nIhre Aufgaben"),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Koch"));
  EXPECT_THAT(Gender("Wir suchen einen Gärtner. Fragen an Herrn Schneider."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Gärtner"));
}

TEST_F(TitleRolesTest, InclusiveTitleMakesOtherOneSexNounsHints) {
  EXPECT_THAT(Gender("Servicekraft (m/w/d) Haustechnik\nSie arbeiten als "
                     "Monteur in allen Gebäuden."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_HINT "
                          "Monteur"));
  EXPECT_THAT(Gender("Fachkraft Lager\nSie arbeiten als Monteur in allen "
                     "Hallen."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_WARNING "
                          "Monteur"));  // no marker in the title
  EXPECT_THAT(Gender("Elektroniker:in Betriebstechnik\nSie arbeiten als "
                     "Monteur in allen Hallen."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_HINT "
                          "Monteur"));
}

// "-mann", "-frau", "-mutter" as a compound's head name a person by sex
// even where the compound is not a listed title (JobTitle.compounds_only);
// the words alone and compounds that name no job are not titles.
TEST_F(TitleRolesTest, MannFrauMutterCompoundsAreTitles) {
  EXPECT_THAT(Gender("Wir suchen einen Lagermann."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Lagermann"));
  EXPECT_THAT(Gender("Hotel am See\nZimmerfrauen gesucht."),
              ElementsAre("de.gender.title_feminine_only SEVERITY_CRITICAL "
                          "Zimmerfrauen"));
  EXPECT_THAT(Gender("Blaumann wird gestellt."), IsEmpty());
  // A title as the first part of a hyphenated compound names no person.
  EXPECT_THAT(Gender("Das Lehrer-Zimmer ist im ersten Stock."), IsEmpty());
  EXPECT_THAT(Gender("Wir suchen einen Koch-Azubi (m/w/d)."), IsEmpty());
  EXPECT_THAT(Gender("Wir bringen Ihr Lager auf Vordermann."), IsEmpty());
  EXPECT_THAT(Gender("Wir suchen eine Schraubenmutter M8."), IsEmpty());
  EXPECT_THAT(Gender("Lagermann (m/w/d) gesucht."), IsEmpty());
  // Umlaut plurals (JobTitle.extra_feminine_forms, extra_masculine_forms).
  EXPECT_THAT(Gender("Wir suchen Tagesmütter für unsere Großtagespflege."),
              ElementsAre("de.gender.title_feminine_only SEVERITY_CRITICAL "
                          "Tagesmütter"));
  EXPECT_THAT(Gender("Kita Sonnenschein\nHausmütter gesucht."),
              ElementsAre("de.gender.title_feminine_only SEVERITY_CRITICAL "
                          "Hausmütter"));
  EXPECT_THAT(Gender("Kita Sonnenschein\nHausväter gesucht."),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Hausväter"));
  EXPECT_THAT(Gender("Tagesmütter und Tagesväter (m/w/d) gesucht."), IsEmpty());
  EXPECT_THAT(Gender("Wir suchen Großmütter als Lesepaten? Nein: die "
                     "Schraubenmütter liegen im Lager."),
              IsEmpty());
}

TEST_F(TitleRolesTest, CompanyNamesAreNotTitles) {
  EXPECT_THAT(Gender("Buchhaltung (m/w/d)\nMüller Bäcker GmbH, Kassel"),
              IsEmpty());
  EXPECT_THAT(Gender("Buchhaltung\nWeber Schlosser AG, Kassel\nText."),
              IsEmpty());
  // A lower-case word between: a job at a company, not its name.
  EXPECT_THAT(Gender("Schlosser bei Weber AG"),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Schlosser"));
  // A company named after a trade, as the subject that seeks or hires
  // (de.context.title_cue_firma_sucht); the title after "sucht" stays.
  EXPECT_THAT(Gender("Schneider Logistik sucht Verstärkung."), IsEmpty());
  EXPECT_THAT(Gender("Becker Bau stellt ein: Maurer"),
              ElementsAre("de.gender.title_masculine_only SEVERITY_CRITICAL "
                          "Maurer"));
}

TEST_F(TitleRolesTest, QualificationMarkedElsewhereIsNotReported) {
  EXPECT_THAT(Gender("Mechaniker (m/w/d) Landtechnik\nIhr Profil: "
                     "abgeschlossene Ausbildung als Mechaniker im "
                     "Kfz-Bereich."),
              IsEmpty());
  // Not marked anywhere: the gendered qualification stays a warning.
  EXPECT_THAT(Gender("Servicekraft (m/w/d) Landtechnik\nIhr Profil: "
                     "abgeschlossene Ausbildung als Mechaniker im "
                     "Kfz-Bereich."),
              ElementsAre("de.gender.abschluss_maennlich SEVERITY_WARNING "
                          "Ausbildung als Mechaniker"));
}

}  // namespace
}  // namespace divcheck
