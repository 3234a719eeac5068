// The marks behind the text box. The backdrop holds the same text as the
// textarea, in the same font and wrapping, with <mark>s at the findings'
// spans; the textarea lies on top with a transparent background, so the
// marks show through under the words they concern. Each mark has a
// severity class (colour, and an underline style that differs without
// colour: solid, dashed, dotted, double) and a title with the severity.

import { t } from './i18n.js';

const RANK = { critical: 3, warning: 2, hint: 1, good: 0 };

// items: [{ id, start, end, kind }] with UTF-16 offsets and kind one of
// critical, warning, hint, good. Overlaps are split into pieces; a piece
// takes the most serious kind covering it and lists every id.
export function renderMarks(backdrop, text, items) {
  const cuts = new Set([0, text.length]);
  for (const it of items) {
    if (it.end > it.start) {
      cuts.add(Math.min(it.start, text.length));
      cuts.add(Math.min(it.end, text.length));
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const fragment = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i];
    const to = points[i + 1];
    const piece = text.slice(from, to);
    const covering = items.filter((it) => it.start <= from && it.end >= to && it.end > it.start);
    if (covering.length === 0) {
      fragment.append(piece);
      continue;
    }
    covering.sort((a, b) => RANK[b.kind] - RANK[a.kind]);
    const mark = document.createElement('mark');
    mark.className = `mark mark-${covering[0].kind}`;
    mark.dataset.ids = covering.map((it) => it.id).join(' ');
    mark.dataset.start = String(from);
    mark.title = covering.map((it) => t(it.kind)).join(', ');
    mark.textContent = piece;
    fragment.append(mark);
  }
  // A trailing newline needs a character after it to take up a line, as
  // it does in the textarea.
  fragment.append('\u200b');
  backdrop.replaceChildren(fragment);
}

// Marks the pieces of item `id` as active (outlined), and no others.
export function setActiveMark(backdrop, id) {
  for (const mark of backdrop.querySelectorAll('mark')) {
    const ids = mark.dataset.ids.split(' ');
    mark.classList.toggle('active', id !== null && ids.includes(id));
  }
}
