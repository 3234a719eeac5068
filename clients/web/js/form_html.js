// Reads an HTML application form into a ScanFormRequest (proto3 JSON, as
// POST /v1/forms:scan takes it), in the browser, by the same rules as the
// CLI's reader (formats/form_input.h, `divcheck form`), so the page and
// the CLI send the server the same fields. The HTML is parsed by the
// browser's own HTML parser (DOMParser) into an inert document: nothing in
// it runs or loads. tests/web checks the result against the fields of
// every HTML form in tests/forms.
//
// Rules in short: every <input> (but hidden, submit, reset, button, image),
// <select> and <textarea> is a field; radio buttons of one name are one
// field, check boxes of one name too. The label is a <label for>, a
// <label> around the control, aria-label, aria-labelledby, the legend of a
// fieldset holding only this field, the title, or the short loose text
// just before the control; a check box or radio button without one is
// named by the text after it. help_text comes from aria-describedby,
// section from the innermost fieldset legend, else the last heading. Other
// text becomes `instructions`, one line per block.

const IGNORED_INPUTS = new Set(['hidden', 'submit', 'reset', 'button', 'image']);
const INPUT_TYPES = {
  email: 'FIELD_TYPE_EMAIL', tel: 'FIELD_TYPE_TEL', url: 'FIELD_TYPE_URL',
  date: 'FIELD_TYPE_DATE', 'datetime-local': 'FIELD_TYPE_DATE', month: 'FIELD_TYPE_MONTH',
  week: 'FIELD_TYPE_MONTH', number: 'FIELD_TYPE_NUMBER', range: 'FIELD_TYPE_NUMBER',
  file: 'FIELD_TYPE_FILE',
};
const BLOCK = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'legend',
  'fieldset', 'form', 'section', 'article', 'header', 'footer', 'table', 'tr', 'td', 'th', 'br',
  'label', 'dl', 'dt', 'dd', 'blockquote', 'main', 'body', 'input', 'select', 'textarea']);
const OPAQUE = new Set(['script', 'style', 'noscript', 'select', 'option', 'textarea', 'button',
  'head', 'template']);
const HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const FIELD = 'field';
const RADIO = 'radio';
const CHECKBOX = 'checkbox';

const isElement = (n, tag) => n.nodeType === 1 && (tag === undefined || n.localName === tag);
const attr = (n, name) => (n.nodeType === 1 ? n.getAttribute(name) : null);
const attrOr = (n, name) => attr(n, name) ?? '';
const isBlock = (n) => isElement(n) && BLOCK.has(n.localName);
const isOpaque = (n) => isElement(n) && OPAQUE.has(n.localName);
const isText = (n) => n.nodeType === 3 || n.nodeType === 4;
const utf8Length = (s) => new TextEncoder().encode(s).length;

// Appends `text` with runs of ASCII white space made one space, and no
// space at the start of a line.
function collapse(out, text) {
  let s = text.replace(/[\t\n\v\f\r ]+/g, ' ');
  if (s.startsWith(' ') && (out === '' || out.endsWith(' ') || out.endsWith('\n'))) s = s.slice(1);
  return out + s;
}

function clean(s) {
  return s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
}

// The control kind and FieldType of `n`, or null when it is no field.
function kindOf(n) {
  if (!isElement(n)) return null;
  if (n.localName === 'select') return { kind: FIELD, type: 'FIELD_TYPE_SELECT' };
  if (n.localName === 'textarea') return { kind: FIELD, type: 'FIELD_TYPE_TEXTAREA' };
  if (n.localName !== 'input') return null;
  const t = attrOr(n, 'type').toLowerCase();
  if (IGNORED_INPUTS.has(t)) return null;
  if (t === 'radio') return { kind: RADIO, type: 'FIELD_TYPE_RADIO' };
  if (t === 'checkbox') return { kind: CHECKBOX, type: 'FIELD_TYPE_CHECKBOX' };
  return { kind: FIELD, type: INPUT_TYPES[t] || 'FIELD_TYPE_TEXT' };
}

function isRequired(n) {
  return attr(n, 'required') !== null || attrOr(n, 'aria-required').toLowerCase() === 'true';
}

// The text of `root` and everything below it, as one line.
function textOf(root) {
  let out = '';
  const stack = [root];
  while (stack.length) {
    const n = stack.pop();
    if (isText(n)) {
      out = collapse(out, n.data);
      continue;
    }
    if (n !== root && isOpaque(n)) continue;
    if (isBlock(n) && out !== '' && !out.endsWith(' ')) out += ' ';
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return clean(out);
}

function controlInside(root) {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop();
    if (n !== root && kindOf(n)) return n;
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return null;
}

// Builds the request in one walk over the parsed document.
class FormReader {
  constructor(root) {
    this.root = root;
    this.byId = new Map();
    this.labelFor = new Map();
    this.referenced = new Set();
    this.groups = new Map();
    this.controls = [];
    this.fieldsetKeys = new Map();
    this.legendLine = new Map();
    this.doneGroups = new Set();
    this.fieldsets = [];
    this.heading = '';
    this.lines = [];
    this.pendingLine = -1;
    this.trailing = null;
    this.unlabelledOptions = new Map();
    this.fields = [];
    this.nodeKeys = new Map();
  }

  read() {
    this.index();
    this.walk();
    this.finishTrailing();
    const instructions = this.lines.filter((l) => !l.consumed).map((l) => clean(l.text))
      .filter((t) => t !== '').join('\n');
    const used = new Set();
    const fields = this.fields.map((f, i) => {
      const id = f.fieldId || f.name || `field-${i + 1}`;
      let unique = id;
      for (let k = 2; used.has(unique); k++) unique = `${id}-${k}`;
      used.add(unique);
      return { ...f, fieldId: unique };
    });
    return { fields, instructions };
  }

  index() {
    const stack = [this.root];
    while (stack.length) {
      const n = stack.pop();
      if (isElement(n)) {
        const id = attr(n, 'id');
        if (id !== null && !this.byId.has(id)) this.byId.set(id, n);
        if (isElement(n, 'label')) {
          const f = attr(n, 'for');
          if (f !== null && !this.labelFor.has(f)) this.labelFor.set(f, n);
        }
        for (const a of ['aria-describedby', 'aria-labelledby']) {
          for (const ref of attrOr(n, a).split(' ')) if (ref) this.referenced.add(ref);
        }
        const k = kindOf(n);
        if (k && (k.kind === RADIO || k.kind === CHECKBOX)) {
          const name = attrOr(n, 'name');
          if (name) {
            const key = groupKey(k.kind, name);
            if (!this.groups.has(key)) this.groups.set(key, []);
            this.groups.get(key).push(n);
          }
        }
        if (k) this.controls.push([n, k.kind]);
      }
      for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
    }
    for (const [n, kind] of this.controls) {
      const key = this.keyOf(n, kind);
      for (let p = n.parentNode; p; p = p.parentNode) {
        if (!isElement(p, 'fieldset')) continue;
        if (!this.fieldsetKeys.has(p)) this.fieldsetKeys.set(p, new Set());
        this.fieldsetKeys.get(p).add(key);
      }
    }
  }

  // The field a control belongs to: its group, or itself.
  keyOf(n, kind) {
    const name = attrOr(n, 'name');
    if ((kind === RADIO || kind === CHECKBOX) && name) {
      const group = this.groups.get(groupKey(kind, name));
      if (kind === RADIO || (group && group.length > 1)) return groupKey(kind, name);
    }
    if (!this.nodeKeys.has(n)) this.nodeKeys.set(n, `n:${this.nodeKeys.size}`);
    return this.nodeKeys.get(n);
  }

  // True when the text node `n` is part of a label, help text or option list.
  inConsumedContext(n) {
    for (let p = n.parentNode; p; p = p.parentNode) {
      if (isOpaque(p)) return true;
      if (!isElement(p)) continue;
      const id = attr(p, 'id');
      if (id !== null && this.referenced.has(id)) return true;
      if (isElement(p, 'label') && this.labelHasControl(p)) return true;
      if (isElement(p, 'legend')) return false;  // legends are lines of their own
    }
    return false;
  }

  labelHasControl(label) {
    const f = attr(label, 'for');
    if (f !== null && this.byId.has(f)) return true;
    return controlInside(label) !== null;
  }

  refText(ids) {
    return ids.split(' ').filter((r) => r && this.byId.has(r))
      .map((r) => textOf(this.byId.get(r))).join(' ');
  }

  // The label of one control, without fallbacks to loose text.
  ownLabel(n) {
    const id = attr(n, 'id');
    if (id !== null && this.labelFor.has(id)) return textOf(this.labelFor.get(id));
    for (let p = n.parentNode; p; p = p.parentNode) {
      if (isElement(p, 'label')) return textOf(p);
    }
    const a = clean(attrOr(n, 'aria-label'));
    if (a) return a;
    return this.refText(attrOr(n, 'aria-labelledby'));
  }

  currentSection() {
    for (let i = this.fieldsets.length - 1; i >= 0; i--) {
      if (this.fieldsets[i].legend) return this.fieldsets[i].legend;
    }
    return this.heading;
  }

  // Takes the loose text before the control as its label: short, and not
  // a sentence ending in a full stop.
  takePending() {
    if (this.pendingLine < 0) return '';
    const line = this.lines[this.pendingLine];
    const t = clean(line.text);
    if (t === '' || utf8Length(t) > 80 || t.endsWith('.')) return '';
    line.consumed = true;
    this.pendingLine = -1;
    return t;
  }

  // Gives the text collected after an unlabelled check box or radio button
  // to it.
  finishTrailing() {
    if (!this.trailing) return;
    const tr = this.trailing;
    this.trailing = null;
    let label = clean(tr.text);
    if (tr.option >= 0) {
      if (label) this.fields[tr.field].options[tr.option].label = label;
      return;
    }
    if (!label && tr.leadingLine >= 0) {
      this.pendingLine = tr.leadingLine;
      label = this.takePending();
      this.pendingLine = -1;
    }
    if (!label) label = tr.title;
    this.fields[tr.field].label = label;
  }

  newLine() {
    this.finishTrailing();
    if (this.lines.length === 0 || this.lines[this.lines.length - 1].text !== '') {
      this.lines.push({ text: '', consumed: false });
    }
  }

  onControl(n, kind, type) {
    this.finishTrailing();
    const key = this.keyOf(n, kind);
    if (key.startsWith('r:') || key.startsWith('c:')) {
      if (!this.doneGroups.has(key)) {
        this.doneGroups.add(key);
        this.addGroup(this.groups.get(key), type, key);
      }
      const at = this.unlabelledOptions.get(n);
      if (at) this.trailing = { field: at[0], option: at[1], leadingLine: -1, title: '', text: '' };
    } else {
      this.addSingle(n, kind, type);
    }
    this.pendingLine = -1;
  }

  addSingle(n, kind, type) {
    const f = {
      fieldId: attrOr(n, 'id'), name: attrOr(n, 'name'), type, required: isRequired(n),
      placeholder: clean(attrOr(n, 'placeholder')),
      helpText: this.refText(attrOr(n, 'aria-describedby')), label: '', section: '', options: [],
    };
    let label = this.ownLabel(n);
    if (!label && kind !== FIELD) {
      // The label is the text that follows (finishTrailing).
      this.trailing = { field: this.fields.length, option: -1, leadingLine: this.pendingLine,
                        title: clean(attrOr(n, 'title')), text: '' };
    }
    if (!label && !this.trailing && !f.placeholder) label = this.takePending();
    if (!label) label = clean(attrOr(n, 'title'));
    f.label = label;
    f.section = this.currentSection();
    if (isElement(n, 'select')) f.options = selectOptions(n);
    this.fields.push(f);
  }

  addGroup(inputs, type, key) {
    const first = inputs[0];
    const f = {
      fieldId: attrOr(first, 'name'), name: attrOr(first, 'name'), type, required: false,
      placeholder: '', helpText: '', label: '', section: '', options: [],
    };
    for (const input of inputs) {
      f.required = f.required || isRequired(input);
      if (!f.helpText) f.helpText = this.refText(attrOr(input, 'aria-describedby'));
      const option = { value: attrOr(input, 'value'), label: this.ownLabel(input) };
      f.options.push(option);
      if (!option.label) {
        // Named by the text after it, if any (finishTrailing).
        this.unlabelledOptions.set(input, [this.fields.length, f.options.length - 1]);
        option.label = option.value;
      }
    }
    let label = '';
    for (let p = first.parentNode; p && !label; p = p.parentNode) {
      const role = attrOr(p, 'role');
      if (role === 'radiogroup' || role === 'group') {
        label = clean(attrOr(p, 'aria-label'));
        if (!label) label = this.refText(attrOr(p, 'aria-labelledby'));
      }
      if (isElement(p, 'fieldset')) {
        const keys = this.fieldsetKeys.get(p);
        if (keys && keys.size === 1 && keys.has(key) && this.legendLine.has(p)) {
          const line = this.lines[this.legendLine.get(p)];
          label = clean(line.text);
          line.consumed = true;
        }
        break;
      }
    }
    if (!label) label = this.takePending();
    f.label = label;
    f.section = this.currentSection();
    this.fields.push(f);
  }

  onText(n) {
    if (n.nodeType === 3 && !/[^\t\n\f\r ]/.test(n.data)) return;  // white space only
    const consumed = this.inConsumedContext(n);
    if (this.trailing && !consumed) {
      this.trailing.text = collapse(this.trailing.text, n.data);
    } else if (!consumed) {
      const line = this.lines[this.lines.length - 1];
      line.text = collapse(line.text, n.data);
      // A legend names a section; it labels a field only through its
      // fieldset (addGroup), never as loose text.
      if (clean(line.text) && !inLegend(n)) this.pendingLine = this.lines.length - 1;
    }
  }

  // Returns true when the walk does not go below `n`.
  onEnter(n) {
    if (isBlock(n)) this.newLine();
    if (isElement(n, 'fieldset')) this.fieldsets.push({ node: n, legend: '' });
    const top = this.fieldsets[this.fieldsets.length - 1];
    if (isElement(n, 'legend') && top && !top.legend) {
      top.legend = textOf(n);
      this.legendLine.set(top.node, this.lines.length - 1);
    }
    if (isElement(n) && HEADING.has(n.localName)) this.heading = textOf(n);
    const k = kindOf(n);
    if (k) this.onControl(n, k.kind, k.type);
    return isOpaque(n) || k !== null;
  }

  walk() {
    const stack = [{ node: this.root, next: null, entered: false }];
    this.lines.push({ text: '', consumed: false });
    while (stack.length) {
      const fr = stack[stack.length - 1];
      const n = fr.node;
      if (!fr.entered) {
        fr.entered = true;
        if (isText(n)) {
          this.onText(n);
          stack.pop();
          continue;
        }
        if (this.onEnter(n)) {
          stack.pop();
          continue;
        }
        fr.next = n.firstChild;
      }
      if (fr.next) {
        const child = fr.next;
        fr.next = child.nextSibling;
        stack.push({ node: child, next: null, entered: false });
        continue;
      }
      if (isBlock(n)) this.newLine();
      if (isElement(n, 'fieldset') && this.fieldsets.length) this.fieldsets.pop();
      stack.pop();
    }
  }
}

function groupKey(kind, name) {
  return `${kind === RADIO ? 'r:' : 'c:'}${name}`;
}

function inLegend(n) {
  for (let p = n.parentNode; p; p = p.parentNode) if (isElement(p, 'legend')) return true;
  return false;
}

function selectOptions(select) {
  const out = [];
  const stack = [select];
  while (stack.length) {
    const n = stack.pop();
    if (isElement(n, 'option')) {
      const value = attr(n, 'value');
      // <option value="">Bitte wählen</option> is a prompt, not a choice.
      if (value === '') continue;
      const label = textOf(n);
      out.push({ value: value ?? label, label });
      continue;
    }
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return out;
}

// Parsing needs a Trusted Types policy where the page requires them (CSP
// require-trusted-types-for 'script'). The parsed document is inert
// (DOMParser: no scripts run, nothing loads) and only read, never inserted.
let policy = null;
function trustedHtml(html) {
  if (!window.trustedTypes) return html;
  if (!policy) policy = window.trustedTypes.createPolicy('divcheck-inert-form', { createHTML: (s) => s });
  return policy.createHTML(html);
}

// The ScanFormRequest fields and instructions of `html` (a string):
// {fields: [FormField JSON], instructions}. No fields: fields is [].
export function formFromHtml(html) {
  const doc = new DOMParser().parseFromString(trustedHtml(html), 'text/html');
  return new FormReader(doc).read();
}

// The text of a file's bytes: UTF-8, or Windows-1252 when they are not
// valid UTF-8 (as browsers read legacy pages, and as the CLI does).
export function decodeHtmlBytes(buffer) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}
