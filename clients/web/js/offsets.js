// Span offsets. The report gives spans in UTF-8 bytes and in Unicode code
// points (report.proto, Span); JavaScript strings index UTF-16 code units,
// so a code point above U+FFFF (most emoji) is two units in the page and
// one in the report. A combining mark is a code point of its own in both.

// A function mapping a code-point offset in `text` to its UTF-16 offset.
// Offsets past the end map to text.length.
export function codePointToUtf16(text) {
  // starts[i] is the UTF-16 offset of code point i; one entry per code
  // point plus one for the end.
  const starts = [];
  let unit = 0;
  for (const ch of text) {  // iterates code points
    starts.push(unit);
    unit += ch.length;
  }
  starts.push(unit);
  return (cp) => {
    const i = Number(cp) || 0;
    return i < starts.length ? starts[i] : text.length;
  };
}

// The [start, end) UTF-16 range of a proto3-JSON span (fields left out
// are 0, as proto3 JSON omits default values).
export function spanRange(span, toUtf16) {
  const s = span || {};
  const start = toUtf16(s.startChar || 0);
  const end = toUtf16(s.endChar || 0);
  return { start, end: Math.max(start, end) };
}
