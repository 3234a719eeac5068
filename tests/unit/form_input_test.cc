#include "formats/form_input.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "analyzers/engine.h"
#include "api/form_validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace divcheck::formats {
namespace {

using ::testing::HasSubstr;

TEST(FormFromHtml, LabelsForWrappingAriaAndLooseText) {
  auto r = FormFromHtml(R"(<form>
    <label for="a">Geburtsdatum *</label><input id="a" name="geb" type="date" required>
    <label>Ort <input name="ort"></label>
    <input name="x" aria-label="Telefon" type="tel">
    <p>Anrede</p><select name="anrede"><option value="">Bitte wählen</option><option>Frau</option><option value="h">Herr</option></select>
    <textarea name="msg" placeholder="Ihre Nachricht"></textarea>
    <input type="hidden" name="t"><input type="submit"><button>OK</button>
  </form>)");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->fields_size(), 5);
  EXPECT_EQ(r->fields(0).field_id(), "a");
  EXPECT_EQ(r->fields(0).label(), "Geburtsdatum *");
  EXPECT_EQ(r->fields(0).type(), v1::FIELD_TYPE_DATE);
  EXPECT_TRUE(r->fields(0).required());
  EXPECT_EQ(r->fields(1).field_id(), "ort");
  EXPECT_EQ(r->fields(1).label(), "Ort");
  EXPECT_EQ(r->fields(2).label(), "Telefon");
  EXPECT_EQ(r->fields(2).type(), v1::FIELD_TYPE_TEL);
  EXPECT_EQ(r->fields(3).label(), "Anrede");
  ASSERT_EQ(r->fields(3).options_size(),
            2);  // the empty-value prompt is not a choice
  EXPECT_EQ(r->fields(3).options(0).value(), "Frau");
  EXPECT_EQ(r->fields(3).options(1).value(), "h");
  EXPECT_EQ(r->fields(4).type(), v1::FIELD_TYPE_TEXTAREA);
  EXPECT_EQ(r->fields(4).placeholder(), "Ihre Nachricht");
  // "Anrede" became a label, so it is not instructions any more.
  EXPECT_THAT(r->instructions(), ::testing::Not(HasSubstr("Anrede")));
}

// Issue 17, item 14: the text after a check box names that box, not the next
// control — a disability question must not be reported on the
// church-membership box.
TEST(FormFromHtml, TextAfterACheckBoxNamesThatBox) {
  auto r = FormFromHtml(R"(<form>
    <p>Angaben zur Person</p>
    <input type="checkbox" name="kirche"> Mitglied einer christlichen Kirche<br>
    <input type="checkbox" name="sb"> Schwerbehinderung oder Gleichstellung<br>
    Staplerschein <input type="checkbox" name="stapler">
    <p><input type="checkbox" name="agb" title="AGB"></p>
    <p>Geschlecht: <input type="radio" name="g" value="w"> weiblich
       <input type="radio" name="g" value="m"> männlich
       <input type="radio" name="g" value="d"></p>
    <p><input type="checkbox" id="nl" name="nl"> egal <label for="nl">Newsletter</label></p>
    <p>Bitte vollständig ausfüllen.</p>
  </form>)");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->fields_size(), 6);
  EXPECT_EQ(r->fields(0).name(), "kirche");
  EXPECT_EQ(r->fields(0).label(), "Mitglied einer christlichen Kirche");
  EXPECT_EQ(r->fields(1).name(), "sb");
  EXPECT_EQ(r->fields(1).label(), "Schwerbehinderung oder Gleichstellung");
  // Nothing after it: the text before names it, as before.
  EXPECT_EQ(r->fields(2).name(), "stapler");
  EXPECT_EQ(r->fields(2).label(), "Staplerschein");
  EXPECT_EQ(r->fields(3).label(), "AGB");
  EXPECT_EQ(r->fields(4).label(), "Geschlecht:");
  ASSERT_EQ(r->fields(4).options_size(), 3);
  EXPECT_EQ(r->fields(4).options(0).label(), "weiblich");
  EXPECT_EQ(r->fields(4).options(1).label(), "männlich");
  EXPECT_EQ(r->fields(4).options(2).label(), "d");
  // A <label> says otherwise.
  EXPECT_EQ(r->fields(5).label(), "Newsletter");
  EXPECT_THAT(r->instructions(), HasSubstr("Angaben zur Person"));
  EXPECT_THAT(r->instructions(), HasSubstr("Bitte vollständig ausfüllen."));
  EXPECT_THAT(r->instructions(), ::testing::Not(HasSubstr("Kirche")));
  EXPECT_THAT(r->instructions(), ::testing::Not(HasSubstr("weiblich")));
}

TEST(FormFromHtml, RadioAndCheckboxGroupsByNameWithFieldsetLegend) {
  auto r = FormFromHtml(R"(<h2>Persönliches</h2><form>
    <fieldset><legend>Familienstand</legend>
      <label><input type="radio" name="fs" value="l"> ledig</label>
      <label><input type="radio" name="fs" value="v" required> verheiratet</label>
    </fieldset>
    <fieldset><legend>Weiteres</legend>
      <label><input type="checkbox" name="spr" value="de"> Deutsch</label>
      <label><input type="checkbox" name="spr" value="en"> Englisch</label>
      <label><input type="checkbox" name="agb"> AGB gelesen</label>
    </fieldset></form>)");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->fields_size(), 3);
  const v1::FormField& fs = r->fields(0);
  EXPECT_EQ(fs.field_id(), "fs");
  EXPECT_EQ(fs.type(), v1::FIELD_TYPE_RADIO);
  EXPECT_EQ(fs.label(), "Familienstand");
  EXPECT_TRUE(fs.required());
  ASSERT_EQ(fs.options_size(), 2);
  EXPECT_EQ(fs.options(1).label(), "verheiratet");
  EXPECT_EQ(fs.section(), "Familienstand");
  const v1::FormField& spr = r->fields(1);
  EXPECT_EQ(spr.type(), v1::FIELD_TYPE_CHECKBOX);
  EXPECT_EQ(spr.options_size(), 2);
  EXPECT_EQ(spr.section(), "Weiteres");
  EXPECT_EQ(r->fields(2).options_size(), 0);  // a lone check box
  EXPECT_EQ(r->fields(2).label(), "AGB gelesen");
  // The group's legend is its label; the other legend and the heading stay.
  EXPECT_THAT(r->instructions(), HasSubstr("Persönliches"));
  EXPECT_THAT(r->instructions(), HasSubstr("Weiteres"));
  EXPECT_THAT(r->instructions(), ::testing::Not(HasSubstr("Familienstand")));
}

TEST(FormFromHtml, GeneratedIdsAreStableAndUnique) {
  const std::string html =
      R"(<input placeholder="eins"><input name="von"><input name="von">
    <input id="von"><select><option>a</option></select>)";
  auto a = FormFromHtml(html);
  auto b = FormFromHtml(html);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->fields_size(), 5);
  EXPECT_EQ(a->fields(0).field_id(), "field-1");
  EXPECT_EQ(a->fields(1).field_id(), "von");
  EXPECT_EQ(a->fields(2).field_id(), "von-2");
  EXPECT_EQ(a->fields(3).field_id(), "von-3");
  EXPECT_EQ(a->fields(4).field_id(), "field-5");
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
}

TEST(FormFromHtml, AriaDescribedByIsHelpTextNotInstructions) {
  auto r = FormFromHtml(R"(<p>Einleitung.</p><label for="cv">Lebenslauf</label>
    <input type="file" id="cv" aria-describedby="h"><small id="h">Bitte ohne Foto.</small>)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fields(0).help_text(), "Bitte ohne Foto.");
  EXPECT_EQ(r->fields(0).type(), v1::FIELD_TYPE_FILE);
  EXPECT_EQ(r->instructions(), "Einleitung.");
}

TEST(FormFromHtml, MalformedHtmlIsReadLikeABrowser) {
  auto r = FormFromHtml(
      "<form><table><tr><td>Alter:<td><input name=alter>"
      "<tr><td><label>Foto<input type=file name=f></td>"
      "<p>Hinweis <b>fett <i>schief</b> text"
      "<select name=s><option>a<option>b</select></div></span>");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->fields_size(), 3);
  // As in a browser, the paragraph (and the select in it) misplaced inside
  // the table is moved before the table ("foster parenting").
  EXPECT_EQ(r->fields(0).field_id(), "s");
  EXPECT_EQ(r->fields(0).label(), "Hinweis fett schief text");
  EXPECT_EQ(r->fields(0).options_size(), 2);
  EXPECT_EQ(r->fields(1).field_id(), "alter");
  EXPECT_EQ(r->fields(1).label(), "Alter:");
  EXPECT_EQ(r->fields(2).label(), "Foto");
}

TEST(FormFromHtml, BinaryGarbageAndDeepNestingDoNotCrash) {
  std::string deep;
  for (int i = 0; i < 1500; ++i) deep += "<div><span>";
  deep += "<label>Geburtsort <input name=o></label>";
  auto r = FormFromHtml(deep);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->fields(0).label(), "Geburtsort");
  // Deeper than a browser would build is refused quickly, with a reason.
  std::string deeper;
  for (int i = 0; i < 200000; ++i) deeper += "<div>";
  deeper += "<input name=o>";
  auto refused = FormFromHtml(deeper);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("the limit is 4096"));
  // Thousands of elements the parser closes itself are not nesting.
  std::string options = "<select name=s>";
  for (int i = 0; i < 8000; ++i) options += "<option>x";
  auto flat = FormFromHtml(options + "</select>");
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_EQ(flat->fields(0).options_size(), 8000);
  std::string garbage;
  for (int i = 0; i < 4096; ++i)
    garbage.push_back(static_cast<char>((i * 7919) % 256));
  auto g = FormFromHtml(garbage + "<input name=x>");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->fields_size(), 1);
}

TEST(FormFromHtml, Latin1PagesAreReadAsWindows1252) {
  auto r = FormFromHtml(
      "<meta charset=iso-8859-1><label for=s>Staatsangeh\xF6rigkeit</label>"
      "<input id=s name=staat>");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->fields(0).label(), "Staatsangeh\xC3\xB6rigkeit");
}

TEST(FormFromHtml, NoFieldsIsAClearError) {
  for (const char* html : {"", "<p>Nur Text</p>",
                           "<form><input type=hidden name=a>"
                           "<input type=submit><button>x</button></form>"}) {
    auto r = FormFromHtml(html);
    ASSERT_FALSE(r.ok()) << html;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(r.status().message()), HasSubstr("no form fields"));
  }
}

TEST(FormFromJson, ReadsProto3JsonAndRejectsBadInput) {
  auto r = FormFromJson(
      R"({"languageCode":"de","employerType":"EMPLOYER_TYPE_RELIGIOUS",
    "fields":[{"fieldId":"k","label":"Konfession","type":"FIELD_TYPE_SELECT","required":true,
    "options":[{"value":"ev","label":"evangelisch"}]}]})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->employer_type(), v1::EMPLOYER_TYPE_RELIGIOUS);
  EXPECT_EQ(r->fields(0).options(0).label(), "evangelisch");
  EXPECT_FALSE(FormFromJson("{\"fields\": [").ok());
  EXPECT_FALSE(FormFromJson(R"({"feilds": []})").ok());
  EXPECT_FALSE(
      FormFromJson(R"({"fields": [{"type": "FIELD_TYPE_NOPE"}]})").ok());
}

TEST(FormFromFile, PicksTheReaderByNameOrContent) {
  EXPECT_TRUE(FormFromFile("f.json", R"({"fields":[{"fieldId":"a"}]})").ok());
  EXPECT_TRUE(FormFromFile("-", "  {\"fields\":[{\"fieldId\":\"a\"}]}").ok());
  EXPECT_TRUE(FormFromFile("f.html", "<input name=a>").ok());
}

class FormLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.lexicon_dir = DIVCHECK_SOURCE_LEXICONS;
    engine_ = Engine::Create(options)->release();
  }
  static void TearDownTestSuite() { delete engine_; }
  static Engine* engine_;
};
Engine* FormLimits::engine_ = nullptr;

TEST_F(FormLimits, HugeOptionListIsRefusedWithAClearMessage) {
  std::string html = "<label for=s>Land</label><select id=s name=s>";
  for (int i = 0; i < 10001; ++i)
    absl::StrAppend(&html, "<option>Land ", i, "</option>");
  html += "</select>";
  auto request = FormFromHtml(html);
  ASSERT_TRUE(request.ok());
  ASSERT_EQ(request->fields(0).options_size(), 10001);
  auto response = engine_->ScanForm(*request, ScanOptions());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(response.status().message()),
              HasSubstr("has 10001 options; the limit is 10000"));
}

TEST_F(FormLimits, TenThousandOptionsAreAnalysed) {
  v1::ScanFormRequest request;
  v1::FormField* f = request.add_fields();
  f->set_field_id("rel");
  f->set_label("Konfession");
  f->set_type(v1::FIELD_TYPE_SELECT);
  for (int i = 0; i < 10000; ++i) {
    v1::FieldOption* o = f->add_options();
    o->set_value(absl::StrCat(i));
    o->set_label(i == 9999 ? "keine Angabe" : absl::StrCat("Gemeinde ", i));
  }
  request.set_language_code("de");
  auto response = engine_->ScanForm(request, ScanOptions());
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->report().findings_size(), 1);
  EXPECT_EQ(response->report().findings(0).rule_id(), "de.form.religion");
  EXPECT_EQ(response->report().findings(0).severity(), v1::SEVERITY_HINT);
}

TEST_F(FormLimits, TooManyFieldsEmptyFormAndBadFieldsListEveryProblem) {
  v1::ScanFormRequest empty;
  std::vector<api::FieldViolation> e = api::ValidateFormRequest(empty, 1 << 20);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].reason, "INVALID_FORM");
  EXPECT_THAT(e[0].description, HasSubstr("the form has no fields"));

  v1::ScanFormRequest many;
  for (int i = 0; i < 1001; ++i)
    many.add_fields()->set_field_id(absl::StrCat("f", i));
  e = api::ValidateFormRequest(many, 1 << 20);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_THAT(e[0].description, HasSubstr("1001 fields; the limit is 1000"));
  // The engine keeps the bound for itself.
  auto r = engine_->ScanForm(many, ScanOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()),
              HasSubstr("1001 fields; the limit is 1000"));

  v1::ScanFormRequest bad;
  bad.add_fields()->set_field_id("a");
  bad.add_fields()->set_field_id("a");
  bad.add_fields();
  bad.set_language_code("fr");
  const std::vector<api::FieldViolation> v =
      api::ValidateFormRequest(bad, 1 << 20);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].field, "fields[1].field_id");
  EXPECT_EQ(v[1].field, "fields[2].field_id");
  EXPECT_EQ(v[2].reason, "UNSUPPORTED_LANGUAGE");
}

// Name, e-mail, phone, CV, cover letter, driving licence and work permit
// are what an employer may ask: never a warning, required or not.
TEST_F(FormLimits, GoodFieldsGiveNoWarningOrCritical) {
  const std::vector<std::pair<const char*, std::vector<const char*>>> forms = {
      {"de",
       {"Vorname",
        "Nachname",
        "Name",
        "Vor- und Nachname",
        "E-Mail-Adresse",
        "Telefon",
        "Mobilnummer",
        "Lebenslauf",
        "Lebenslauf (PDF, ohne Foto)",
        "Anschreiben",
        "Motivationsschreiben",
        "Führerschein Klasse B",
        "Arbeitserlaubnis",
        "Benötigen Sie eine Arbeitserlaubnis?",
        "Aufenthaltstitel vorhanden",
        "Frühester Eintrittstermin",
        "Gehaltsvorstellung",
        "Zeugnisse",
        "Deutschkenntnisse (GER)",
        "Berufserfahrung in Jahren",
        "Anschrift",
        "Wie sind Sie auf uns aufmerksam geworden?"}},
      {"en",
       {"First name", "Last name", "Full name", "Email", "Email address",
        "Phone number", "CV", "Resume", "Cover letter", "Driving licence",
        "Driver's license", "Work permit",
        "Do you have the right to work in Germany?", "Salary expectations",
        "Earliest start date", "LinkedIn profile", "Portfolio", "Address",
        "How did you hear about us?"}}};
  for (const auto& [lang, labels] : forms) {
    v1::ScanFormRequest request;
    request.set_language_code(lang);
    int i = 0;
    for (const char* label : labels) {
      v1::FormField* f = request.add_fields();
      f->set_field_id(absl::StrCat("f", i++));
      f->set_name(label);
      f->set_label(absl::StrCat(label, " *"));
      f->set_required(true);
    }
    // A control the rules must flag: without it, an audit that looked at no
    // field at all would pass.
    v1::FormField* control = request.add_fields();
    control->set_field_id("control");
    control->set_label(std::string(lang) == "de" ? "Geburtsdatum *"
                                                 : "Date of birth *");
    control->set_required(true);
    auto response = engine_->ScanForm(request, ScanOptions());
    ASSERT_TRUE(response.ok()) << response.status();
    int control_findings = 0;
    for (const v1::Finding& f : response->report().findings()) {
      if (f.field_id() == "control") {
        control_findings += f.severity() >= v1::SEVERITY_WARNING;
        continue;
      }
      EXPECT_LT(f.severity(), v1::SEVERITY_WARNING)
          << lang << " " << f.field_id() << " " << f.rule_id() << " "
          << f.matched_text();
    }
    EXPECT_EQ(control_findings, 1) << lang << ": the control was not flagged";
  }
}

TEST_F(FormLimits, AThousandFieldsAreAnalysed) {
  v1::ScanFormRequest request;
  for (int i = 0; i < 1000; ++i) {
    v1::FormField* f = request.add_fields();
    f->set_field_id(absl::StrCat("f", i));
    f->set_label(i % 2 == 0 ? "Geburtsdatum" : "E-Mail");
    f->set_required(true);
  }
  auto response = engine_->ScanForm(request, ScanOptions());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->report().findings_size(), 500);
  EXPECT_EQ(response->report().language(), "de");
}

}  // namespace
}  // namespace divcheck::formats
