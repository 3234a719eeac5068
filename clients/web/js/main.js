// The web app's frame: the page navigation and the interface language.
//
// Pages. Each page is a <section id="page-NAME" class="page" hidden> in
// index.html, reached by the link "#NAME" in the <nav>, with its code in
// js/page_NAME.js (loaded when the page is first shown; add it to PAGES
// below). A page module exports
//   init(ctx)          called once, the first time the page is shown;
//                      ctx = { t, language, navigate(name),
//                              loadAd(text, languageCode): show the ad check
//                                with this text and check it,
//                              errorText(e): an API error in words }
//   show()             called every time the page is shown (after init)
//   languageChanged()  optional: the UI language changed (the static
//                      [data-i18n] texts are already translated)
// main.js shows the section named by location.hash (unknown or none: the
// ad check), hides the others, marks the current link with
// aria-current="page", sets the page title and heading (i18n key
// pageTitle.NAME) and moves the focus to the heading (<h1 id="page-title">)
// when the user navigated, so screen-reader and keyboard users land at the
// start of the new page. The back and forward buttons work (hashchange).
// The header's display controls (large type, print) are display.js.

import * as adPage from './page_ad.js';
import { initDisplay } from './display.js';
import { language, pickLanguage, setLanguage, t } from './i18n.js';

// The start page's module is loaded with the page; the others when they
// are first shown (a dynamic import keeps the start page small).
const PAGES = {
  ad: async () => adPage,
  form: () => import('./page_form.js'),
  assessment: () => import('./page_assessment.js'),
  workshop: () => import('./page_workshop.js'),
  rules: () => import('./page_rules.js'),
};
const DEFAULT_PAGE = 'ad';
const UI_LANGUAGE_KEY = 'divcheck.uiLanguage';

const started = new Map();  // name → its module, once initialised
let current = '';

const uiLanguage = document.getElementById('ui-language');
const heading = document.getElementById('page-title');
const taglineNode = document.getElementById('tagline');

function pageOf(hash) {
  const name = String(hash || '').replace(/^#/, '');
  return Object.hasOwn(PAGES, name) ? name : DEFAULT_PAGE;
}

function translateStatic() {
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const node of document.querySelectorAll('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  }
  const name = current || DEFAULT_PAGE;
  heading.textContent = t(`pageTitle.${name}`);
  // The ad check keeps its tagline; other pages may give one (pageTagline.NAME).
  const taglineKey = name === 'ad' ? 'tagline' : `pageTagline.${name}`;
  const tagline = t(taglineKey);
  taglineNode.textContent = tagline === taglineKey ? '' : tagline;
  taglineNode.hidden = !taglineNode.textContent;
  document.title = heading.textContent;
}

const ctx = {
  t,
  language,
  navigate: (name) => { location.hash = `#${name}`; },
  errorText: adPage.errorText,
  loadAd: async (text, languageCode) => {
    location.hash = '#ad';
    await showPage('ad', false);
    adPage.loadAd(text, languageCode);
  },
};

// Shows page `name`; `moveFocus` when the user navigated (not on load).
// body[data-page] names the page once it is shown and initialised.
async function showPage(name, moveFocus) {
  current = name;
  for (const section of document.querySelectorAll('section.page')) {
    section.hidden = section.id !== `page-${name}`;
  }
  for (const link of document.querySelectorAll('nav.pages a')) {
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  translateStatic();
  let page = started.get(name);
  if (!page) {
    page = await PAGES[name]();
    if (!started.has(name)) {
      started.set(name, page);
      page.init(ctx);
    }
    page = started.get(name);
    translateStatic();  // the page's module may bring its strings
  }
  if (current !== name) return;  // navigated on meanwhile
  page.show();
  document.body.dataset.page = name;
  if (moveFocus) {
    heading.focus();
    window.scrollTo(0, 0);
  }
}

function applyLanguage(lang) {
  setLanguage(lang);
  document.documentElement.lang = language();
  uiLanguage.value = language();
  translateStatic();
  for (const page of started.values()) {
    if (page.languageChanged) page.languageChanged();
  }
}

function storedLanguage() {
  try {
    return localStorage.getItem(UI_LANGUAGE_KEY);
  } catch {
    return null;
  }
}

function start() {
  initDisplay();
  setLanguage(storedLanguage() || pickLanguage(navigator.languages || [navigator.language]));
  document.documentElement.lang = language();
  uiLanguage.value = language();
  uiLanguage.addEventListener('change', () => {
    try {
      localStorage.setItem(UI_LANGUAGE_KEY, uiLanguage.value);
    } catch { /* private mode: the choice lasts for this page only */ }
    applyLanguage(uiLanguage.value);
  });
  // The skip link moves the focus to the page's content without touching
  // the hash (which names the page).
  document.querySelector('.skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    const main = document.getElementById('main');
    main.focus();
  });
  window.addEventListener('hashchange', () => showPage(pageOf(location.hash), true));
  showPage(pageOf(location.hash), false);
}

start();
