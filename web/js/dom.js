// dom.js - building the page without ever parsing data as HTML.
// h(tag, attrs, ...children): attrs are set as attributes (or properties
// for "on*" handlers, "class", "text"); children are nodes or strings,
// and strings always become text nodes: nothing here parses HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, attrs, children) {
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = String(v);
      else if (k === "class") el.setAttribute("class", v);
      else if (v === true) el.setAttribute(k, "");
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
export function id(prefix) {
  uid += 1;
  return `${prefix || "f"}-${uid}`;
}

// field(label, control): a label tied to its control by id.
export function field(label, control, hint) {
  if (!control.id) control.id = id("f");
  const hintEl = hint ? h("small", { class: "hint", id: control.id + "-hint" }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintEl);
}

export function select(name, options, value) {
  const el = h("select", { name });
  for (const [v, label] of options) {
    const o = h("option", { value: v }, label);
    if (String(v) === String(value ?? "")) o.selected = true;
    el.append(o);
  }
  return el;
}

let toastTimer = 0;
export function toast(msg, kind) {
  const el = document.getElementById("toast");
  if (!el) return;
  el.textContent = msg;
  el.className = "toast show" + (kind === "error" ? " error" : "");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.className = "toast"; }, kind === "error" ? 8000 : 3000);
}

// marked(text, q): text with the words of the search q in <mark>, as
// nodes (never markup): a word of text is marked when it begins with a
// word of q, accents and case aside, or with its first letters when the
// word is long (the search matches Spanish words by their stem:
// "facturas" finds "facturación").
const fold = (x) => x.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
export function marked(text, q) {
  if (!q || !text) return text;
  const stems = fold(q).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2)
    .map((w) => (w.length > 5 ? w.slice(0, -2) : w));
  if (!stems.length) return text;
  const out = [];
  let last = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const f = fold(m[0]);
    if (!stems.some((st) => f.startsWith(st))) continue;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(h("mark", null, m[0]));
    last = m.index + m[0].length;
  }
  if (!out.length) return text;
  out.push(text.slice(last));
  return out;
}
