// The user-interface strings, German and English, and the choice between
// them. Finding messages, legal notes and suggestions come from the server
// in the language of the ad; only the page's own words are here.

const STRINGS = {
  de: {
    title: 'divcheck – Stellenanzeige prüfen',
    tagline: 'Anzeige einfügen oder schreiben: divcheck markiert Formulierungen, die nach dem AGG riskant sind oder Menschen ausschließen, und schlägt bessere vor.',
    uiLanguage: 'Sprache der Oberfläche',
    adLanguage: 'Sprache der Anzeige',
    langAuto: 'automatisch erkennen',
    langDe: 'Deutsch',
    langEn: 'Englisch',
    adText: 'Text der Stellenanzeige',
    skipToContent: 'Zum Inhalt springen',
    pages: 'Seiten',
    comingSoon: 'Diese Seite entsteht gerade.',
    nav: {
      ad: 'Anzeige prüfen', form: 'Formular prüfen', assessment: 'Selbstcheck',
      workshop: 'Workshop', rules: 'Regeln',
    },
    pageTitle: {
      ad: 'divcheck – Stellenanzeige prüfen',
      form: 'divcheck – Bewerbungsformular prüfen',
      assessment: 'divcheck – Selbstcheck Vielfalt',
      workshop: 'divcheck – Workshop',
      rules: 'divcheck – Regeln',
    },
    adHint: 'Wird beim Tippen geprüft. Der Text geht nur an diesen divcheck-Server und wird dort nicht gespeichert.',
    placeholder: 'Zum Beispiel: Wir suchen einen Verkäufer für unser junges Team …',
    checking: 'Wird geprüft …',
    checkedStatus: 'Geprüft: Note {grade}, {score} von 100 Punkten, {count} Fundstellen.',
    notCheckedStatus: 'Nicht geprüft.',
    errorStatus: 'Fehler bei der Prüfung.',
    result: 'Ergebnis',
    score: 'Punkte',
    outOf: 'von 100',
    grade: 'Note',
    critical: 'Kritisch',
    warning: 'Warnung',
    hint: 'Hinweis',
    good: 'Gut',
    notChecked: 'Nicht geprüft',
    coverageEmpty: 'Der Text ist leer. Fügen Sie eine Anzeige ein, um sie zu prüfen.',
    coverageNoWords: 'Der Text enthält keine Wörter (nur Zeichen, Zahlen oder Emoji).',
    coverageUnsupported: 'Die Anzeige scheint auf {language} zu sein. divcheck hat Regeln nur für Deutsch und Englisch. Wählen Sie die Sprache der Anzeige selbst, wenn die Erkennung falsch liegt.',
    coverageUnsupportedUnknown: 'Die Sprache der Anzeige ist nicht zu erkennen. Wählen Sie Deutsch oder Englisch als Sprache der Anzeige.',
    coverageMismatch: 'Achtung: Die Anzeige sieht aus wie {language}, wurde aber als {chosen} geprüft. Die Punktzahl erfasst nur Wörter dieser Sprache – verlassen Sie sich nicht auf ein gutes Ergebnis.',
    analysedAs: 'Geprüft als {language}',
    detected: '(erkannt)',
    capped: 'Der Text hat sehr viele Fundstellen; {omitted} weitere sind hier nicht aufgeführt.',
    dimensions: 'Punkte je Merkmal',
    findingsCount: '{count} Fundstellen',
    findingsCountOne: '1 Fundstelle',
    balance: 'Geschlechtercodierte Wörter',
    agentic: 'eher männlich konnotiert',
    communal: 'eher weiblich konnotiert',
    uncounted: '{count} Wörter der Listen nicht gezählt: Sie benennen hier Aufgaben, Fachgebiete oder Produkte („Datenanalyse“, „kurze Entscheidungswege“), keine Eigenschaften.',
    findings: 'Fundstellen',
    noFindings: 'Keine Fundstellen.',
    goodHeading: 'Was schon gut ist',
    noGood: 'Noch keine inklusiven Elemente erkannt (z. B. „(m/w/d)“, Teilzeit, Vielfaltserklärung).',
    showInText: 'Im Text zeigen',
    why: 'Warum',
    legalBasis: 'Rechtsgrundlage',
    contextNote: 'Einordnung',
    sources: 'Quellen',
    suggestions: 'Vorschläge',
    replaceWith: '„{text}“ einsetzen',
    replaceLabel: 'Ersetzen durch „{text}“',
    adviceNote: 'Hinweis zum Umformulieren',
    replaced: 'Ersetzt. Die Anzeige wird neu geprüft.',
    stale: 'Der Text hat sich geändert; bitte warten Sie auf die neue Prüfung.',
    dimension: {
      DIMENSION_AGE: 'Alter',
      DIMENSION_GENDER: 'Geschlecht',
      DIMENSION_ETHNIC_ORIGIN: 'Ethnische Herkunft',
      DIMENSION_RELIGION: 'Religion und Weltanschauung',
      DIMENSION_DISABILITY: 'Behinderung',
      DIMENSION_SEXUAL_IDENTITY: 'Sexuelle Identität',
      DIMENSION_SOCIAL_ORIGIN: 'Soziale Herkunft',
    },
    verdict: {
      VERDICT_NEUTRAL: 'neutral – keine codierten Wörter',
      VERDICT_BALANCED: 'ausgewogen',
      VERDICT_MASCULINE_CODED: 'männlich codiert',
      VERDICT_STRONGLY_MASCULINE_CODED: 'stark männlich codiert',
      VERDICT_FEMININE_CODED: 'weiblich codiert',
      VERDICT_STRONGLY_FEMININE_CODED: 'stark weiblich codiert',
    },
    errTooLarge: 'Der Text ist zu lang: Dieser Server prüft höchstens {limit}. Bitte kürzen Sie die Anzeige.',
    errTooLargeNoLimit: 'Der Text ist zu lang für diesen Server. Bitte kürzen Sie die Anzeige.',
    errAuth: 'Dieser Server verlangt einen API-Schlüssel; die Seite kann ihn nicht senden. Bitte wenden Sie sich an die Betreiber.',
    errNetwork: 'Der divcheck-Server ist nicht erreichbar. Läuft divcheckd noch?',
    errBusy: 'Der Server ist gerade ausgelastet oder fährt herunter. Bitte versuchen Sie es gleich noch einmal.',
    errOther: 'Die Prüfung ist fehlgeschlagen (HTTP {status}): {message}',
    bytes: '{n} Bytes',
    kilobytes: '{n} KB',
  },
  en: {
    title: 'divcheck – Check a job ad',
    tagline: 'Paste or write an ad: divcheck marks wording that is risky under Germany\'s AGG or shuts people out, and suggests better wording.',
    uiLanguage: 'Interface language',
    adLanguage: 'Language of the ad',
    langAuto: 'detect automatically',
    langDe: 'German',
    langEn: 'English',
    adText: 'Text of the job ad',
    skipToContent: 'Skip to content',
    pages: 'Pages',
    comingSoon: 'This page is being built.',
    nav: {
      ad: 'Check an ad', form: 'Check a form', assessment: 'Self-assessment',
      workshop: 'Workshop', rules: 'Rules',
    },
    pageTitle: {
      ad: 'divcheck – Check a job ad',
      form: 'divcheck – Check an application form',
      assessment: 'divcheck – Diversity self-assessment',
      workshop: 'divcheck – Workshop',
      rules: 'divcheck – Rules',
    },
    adHint: 'Checked as you type. The text goes only to this divcheck server and is not stored there.',
    placeholder: 'For example: We are looking for a salesman for our young team …',
    checking: 'Checking …',
    checkedStatus: 'Checked: grade {grade}, {score} of 100 points, {count} findings.',
    notCheckedStatus: 'Not checked.',
    errorStatus: 'The check failed.',
    result: 'Result',
    score: 'Score',
    outOf: 'of 100',
    grade: 'Grade',
    critical: 'Critical',
    warning: 'Warning',
    hint: 'Hint',
    good: 'Good',
    notChecked: 'Not checked',
    coverageEmpty: 'The text is empty. Paste an ad to check it.',
    coverageNoWords: 'The text has no words (only symbols, numbers or emoji).',
    coverageUnsupported: 'The ad seems to be in {language}. divcheck has rules only for German and English. Choose the language of the ad yourself if the detection is wrong.',
    coverageUnsupportedUnknown: 'The language of the ad cannot be told. Choose German or English as the language of the ad.',
    coverageMismatch: 'Note: the ad looks like {language} but was checked as {chosen}. The score covers only words of that language – do not rely on a good result.',
    analysedAs: 'Checked as {language}',
    detected: '(detected)',
    capped: 'The text has very many findings; {omitted} more are not listed here.',
    dimensions: 'Score per dimension',
    findingsCount: '{count} findings',
    findingsCountOne: '1 finding',
    balance: 'Gender-coded words',
    agentic: 'masculine-coded',
    communal: 'feminine-coded',
    uncounted: '{count} listed words not counted: here they name tasks, fields or products ("data analytics", "customer support"), not traits.',
    findings: 'Findings',
    noFindings: 'No findings.',
    goodHeading: 'What is already good',
    noGood: 'No inclusive elements recognised yet (e.g. "(m/f/d)", part-time, a diversity statement).',
    showInText: 'Show in text',
    why: 'Why',
    legalBasis: 'Legal basis',
    contextNote: 'Context',
    sources: 'Sources',
    suggestions: 'Suggestions',
    replaceWith: 'Use “{text}”',
    replaceLabel: 'Replace with “{text}”',
    adviceNote: 'Advice on rewording',
    replaced: 'Replaced. The ad is being checked again.',
    stale: 'The text has changed; please wait for the new check.',
    dimension: {
      DIMENSION_AGE: 'Age',
      DIMENSION_GENDER: 'Gender',
      DIMENSION_ETHNIC_ORIGIN: 'Ethnic origin',
      DIMENSION_RELIGION: 'Religion and belief',
      DIMENSION_DISABILITY: 'Disability',
      DIMENSION_SEXUAL_IDENTITY: 'Sexual identity',
      DIMENSION_SOCIAL_ORIGIN: 'Social origin',
    },
    verdict: {
      VERDICT_NEUTRAL: 'neutral – no coded words',
      VERDICT_BALANCED: 'balanced',
      VERDICT_MASCULINE_CODED: 'masculine-coded',
      VERDICT_STRONGLY_MASCULINE_CODED: 'strongly masculine-coded',
      VERDICT_FEMININE_CODED: 'feminine-coded',
      VERDICT_STRONGLY_FEMININE_CODED: 'strongly feminine-coded',
    },
    errTooLarge: 'The text is too long: this server checks at most {limit}. Please shorten the ad.',
    errTooLargeNoLimit: 'The text is too long for this server. Please shorten the ad.',
    errAuth: 'This server requires an API key, which this page cannot send. Please ask its operators.',
    errNetwork: 'The divcheck server cannot be reached. Is divcheckd still running?',
    errBusy: 'The server is busy or shutting down. Please try again in a moment.',
    errOther: 'The check failed (HTTP {status}): {message}',
    bytes: '{n} bytes',
    kilobytes: '{n} KB',
  },
};

export const UI_LANGUAGES = ['de', 'en'];

// The UI language for a list of browser languages (navigator.languages):
// the first that is German or English, else English.
export function pickLanguage(preferred) {
  for (const tag of preferred || []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (UI_LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

let current = 'en';

// Adds a page's strings ({de: {...}, en: {...}}) to the tables; a page
// module calls it when it is loaded, so each page keeps its own words.
// Nested tables (pageTagline: {...}) are merged, so pages can share one.
export function addStrings(table) {
  for (const lang of UI_LANGUAGES) {
    for (const [key, value] of Object.entries(table[lang] || {})) {
      const old = STRINGS[lang][key];
      STRINGS[lang][key] = typeof value === 'object' && typeof old === 'object' ? { ...old, ...value } : value;
    }
  }
}

export function setLanguage(lang) {
  current = UI_LANGUAGES.includes(lang) ? lang : 'en';
}

export function language() {
  return current;
}

// The string `key` ("dimension.DIMENSION_AGE" for nested ones) with each
// {name} replaced by params[name].
export function t(key, params = {}) {
  let value = STRINGS[current];
  for (const part of key.split('.')) value = value ? value[part] : undefined;
  if (typeof value !== 'string') return key;
  return value.replace(/\{(\w+)\}/g, (m, name) =>
    name in params ? String(params[name]) : m);
}

// A language code ("fr") as a name in the UI language ("Französisch").
export function languageName(code) {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([current], { type: 'language' }).of(code) || code;
  } catch {
    return code;
  }
}

// A number formatted for the UI language (1.048.576 / 1,048,576).
export function formatNumber(n) {
  return new Intl.NumberFormat(current).format(n);
}
