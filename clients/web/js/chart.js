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

const LABEL_W = 300;
const BAR_W = 340;
const ROW_H = 34;
const BAR_H = 18;
const NOTE_W = 290;

// An <svg role="img"> with `title`; rows = [{label, value (0–100), note,
// kind ('low'|'medium'|'high'|'none')}]. Comparison rows have `before`
// (0–100 or null) too and get two bars.
export function barChart(title, rows, { compare = false, legend = null } = {}) {
  const rowH = compare ? ROW_H + BAR_H : ROW_H;
  const top = legend ? 30 : 8;
  const height = top + rows.length * rowH + 8;
  const width = LABEL_W + BAR_W + NOTE_W;
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
    svg.append(svgEl('rect', { x: LABEL_W, y: 6, width: 16, height: 14, fill: `url(#${hatch.id})`, class: 'bar-outline' }),
               svgEl('text', { x: LABEL_W + 22, y: 18, class: 'chart-text' }, legend[0]),
               svgEl('rect', { x: LABEL_W + 170, y: 6, width: 16, height: 14, class: 'bar-after' }),
               svgEl('text', { x: LABEL_W + 192, y: 18, class: 'chart-text' }, legend[1]));
  }
  // Grid lines at 0, 50 and 100 %.
  for (const p of [0, 50, 100]) {
    const x = LABEL_W + (BAR_W * p) / 100;
    svg.append(svgEl('line', { x1: x, y1: top - 4, x2: x, y2: height - 6, class: 'grid-line' }));
  }
  rows.forEach((row, i) => {
    const y = top + i * rowH;
    const g = svgEl('g', { class: `chart-row need-${row.kind || 'none'}` });
    g.append(svgEl('text', { x: LABEL_W - 8, y: y + BAR_H / 2 + 5, 'text-anchor': 'end', class: 'chart-label' },
                   shorten(row.label, 32)));
    let barY = y;
    if (compare) {
      const before = row.before;
      if (before !== null && before !== undefined) {
        g.append(svgEl('rect', { x: LABEL_W, y: barY, width: Math.max(1, (BAR_W * before) / 100),
                                 height: BAR_H - 2, fill: `url(#${hatch.id})`, class: 'bar-outline' }));
      }
      g.append(svgEl('text', { x: LABEL_W + BAR_W + 8, y: barY + BAR_H / 2 + 4, class: 'chart-text muted' },
                     row.beforeNote || ''));
      barY += BAR_H;
    }
    g.append(svgEl('rect', { x: LABEL_W, y: barY, width: Math.max(1, (BAR_W * (row.value || 0)) / 100),
                             height: BAR_H - 2, class: compare ? 'bar-after' : 'bar-value' }));
    g.append(svgEl('text', { x: LABEL_W + BAR_W + 8, y: barY + BAR_H / 2 + 4, class: 'chart-text' },
                   row.note || ''));
    svg.append(g);
  });
  return svg;
}

function shorten(text, max) {
  const s = String(text || '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
