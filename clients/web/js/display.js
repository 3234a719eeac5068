// The display controls in the page header, for every page: "large type,
// high contrast" (html.big-contrast, kept in this browser) and "print / save
// as PDF" (print.css lays the page out for paper). main.js calls
// initDisplay() once at start.

import { addStrings } from './i18n.js';

addStrings({
  de: { contrast: 'Große Schrift, hoher Kontrast', print: 'Drucken / als PDF speichern' },
  en: { contrast: 'Large type, high contrast', print: 'Print / save as PDF' },
});

const CONTRAST_KEY = 'divcheck.contrast';

function setContrast(toggle, on) {
  document.documentElement.classList.toggle('big-contrast', on);
  toggle.setAttribute('aria-pressed', on ? 'true' : 'false');
  try {
    localStorage.setItem(CONTRAST_KEY, on ? '1' : '');
  } catch { /* private mode: for this page only */ }
}

function storedContrast() {
  try {
    return localStorage.getItem(CONTRAST_KEY) === '1';
  } catch {
    return false;
  }
}

export function initDisplay() {
  const toggle = document.getElementById('contrast-toggle');
  toggle.addEventListener('click', () =>
    setContrast(toggle, toggle.getAttribute('aria-pressed') !== 'true'));
  document.getElementById('print-button').addEventListener('click', () => window.print());
  setContrast(toggle, storedContrast());
}
