// Bar charts as inline SVG, drawn with DOM calls (no chart library, no
// markup strings): one row per item, a bar of 0–100 %, the value and a
// label as text. Colour never carries the meaning alone: each bar has its
// value and need-for-action word as text, and bars of a comparison differ
// by pattern (earlier hatched, later solid) as well as by colour.

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const BAR_W = 520;
const NOTE_W = 340;
const LABEL_H = 20;
const BAR_H = 18;
const GAP = 10;

// An <svg role="img"> with `title`; rows = [{label, value (0–100), note,
// kind ('low'|'medium'|'high'|'none')}]: per row the label on a line of its
// own, then the bar with the note beside it. Comparison rows have `before`
// (0–100) and `beforeNote` too and get two bars, the earlier one hatched.
export function barChart(title, rows, { compare = false, legend = null } = {}) {
  const rowH = LABEL_H + (compare ? 2 : 1) * BAR_H + GAP;
  const top = legend ? 30 : 4;
  const height = top + rows.length * rowH;
  const width = BAR_W + NOTE_W;
  const svg = svgEl('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'bar-chart', role: 'img', width: '100%',
    preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(svgEl('title', {}, title));
  const defs = svgEl('defs');
  const hatch = svgEl('pattern', { id: `hatch-${Math.random().toString(36).slice(2)}`,
    width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  hatch.append(svgEl('rect', { width: 6, height: 6, class: 'hatch-bg' }),
               svgEl('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }));
  defs.append(hatch);
  svg.append(defs);
  if (legend) {
    svg.append(svgEl('rect', { x: 0, y: 6, width: 16, height: 14, fill: `url(#${hatch.id})`, class: 'bar-outline' }),
               svgEl('text', { x: 22, y: 18, class: 'chart-text' }, legend[0]),
               svgEl('rect', { x: 220, y: 6, width: 16, height: 14, class: 'legend-solid' }),
               svgEl('text', { x: 242, y: 18, class: 'chart-text' }, legend[1]));
  }
  rows.forEach((row, i) => {
    const y = top + i * rowH;
    const g = svgEl('g', { class: `chart-row need-${row.kind || 'none'}` });
    g.append(svgEl('text', { x: 0, y: y + 14, class: 'chart-label' }, shorten(row.label, 80)));
    let barY = y + LABEL_H;
    g.append(svgEl('rect', { x: 0, y: barY, width: BAR_W, height: (compare ? 2 : 1) * BAR_H - 2,
                             class: 'bar-track' }));
    if (compare) {
      g.append(svgEl('rect', { x: 0, y: barY, width: Math.max(1, (BAR_W * (row.before || 0)) / 100),
                               height: BAR_H - 2, fill: `url(#${hatch.id})`, class: 'bar-outline' }));
      g.append(svgEl('text', { x: BAR_W + 8, y: barY + BAR_H / 2 + 4, class: 'chart-text muted' },
                     row.beforeNote || ''));
      barY += BAR_H;
    }
    g.append(svgEl('rect', { x: 0, y: barY, width: Math.max(1, (BAR_W * (row.value || 0)) / 100),
                             height: BAR_H - 2, class: compare ? 'bar-after' : 'bar-value' }));
    g.append(svgEl('text', { x: BAR_W + 8, y: barY + BAR_H / 2 + 4, class: 'chart-text' },
                   row.note || ''));
    svg.append(g);
  });
  return svg;
}

function shorten(text, max) {
  const s = String(text || '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
