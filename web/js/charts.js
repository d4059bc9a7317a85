// charts.js - small inline SVG bar charts drawn here (no library), each
// with its numbers one click away: a button swaps the chart for a table.
import { h, s } from "./dom.js";
import { t } from "./i18n.js";

// Up to 2 lines of at most max characters, words kept whole where they
// fit; what does not fit ends in "…".
const LABEL_CHARS = 20;
function fitLines(text, max) {
  const words = text.split(/\s+/).filter(Boolean);
  const lines = [""];
  for (const w of words) {
    const cur = lines[lines.length - 1];
    if (!cur) lines[lines.length - 1] = w;
    else if ((cur + " " + w).length <= max) lines[lines.length - 1] = cur + " " + w;
    else lines.push(w);
  }
  const out = lines.slice(0, 2).map((ln) => (ln.length > max ? ln.slice(0, max - 1) + "…" : ln));
  if (lines.length > 2 && !out[1].endsWith("…")) out[1] = (out[1].length >= max ? out[1].slice(0, max - 1) : out[1]) + "…";
  return out;
}

// bars(opts): opts.title, opts.labels[], opts.series[{name, values[], cls}],
// opts.fmt(v) for the numbers, opts.max (else the largest value).
export function bars(opts) {
  const { title, labels, series } = opts;
  const fmt0 = opts.fmt || ((v) => String(v));
  const fmt = (v) => (v === null || v === undefined ? "—" : fmt0(v));
  const n = labels.length;
  const fig = h("figure", { class: "chart" }, h("figcaption", null, title));
  if (!n) { fig.append(h("p", { class: "muted" }, t("dash.none"))); return fig; }
  const max = opts.max || Math.max(1, ...series.flatMap((x) => x.values.map((v) => Number(v) || 0)));
  const rowH = Math.max(24 * series.length + 12, 40), labelW = 170, W = 460, barW = W - labelW - 80;
  const H = n * rowH + 8;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, class: "bars", preserveAspectRatio: "xMinYMin meet" });
  labels.forEach((label, i) => {
    const y0 = 4 + i * rowH;
    // The label in at most two lines that fit left of the bars, cut at
    // the end (never at the start), the whole of it in its tooltip.
    const lines = fitLines(String(label), LABEL_CHARS);
    const ly = y0 + (rowH - 12) / 2 + 5 - (lines.length - 1) * 8;
    svg.append(s("text", { x: labelW - 8, y: ly, "text-anchor": "end", class: "lbl" },
      s("title", null, String(label)),
      lines.map((ln, k) => s("tspan", { x: labelW - 8, dy: k ? 16 : 0 }, ln))));
    series.forEach((ser, j) => {
      const v = Number(ser.values[i]) || 0;  // null (no data) draws no bar
      const w = Math.max(v > 0 ? 2 : 0, Math.round((v / max) * barW));
      const y = y0 + j * 24;
      svg.append(s("rect", { x: labelW, y, width: w, height: 20, rx: 3, class: "bar " + (ser.cls || "s" + j) },
        s("title", null, `${label} · ${ser.name}: ${fmt(v)}`)));
      svg.append(s("text", { x: labelW + w + 6, y: y + 15, class: "val" }, fmt(ser.values[i])));
    });
  });
  const legend = series.length > 1 ? h("ul", { class: "legend" }, series.map((ser, j) => h("li", null, h("span", { class: "key " + (ser.cls || "s" + j), "aria-hidden": "true" }), ser.name))) : null;
  const table = h("table", { class: "numbers", hidden: true },
    h("thead", null, h("tr", null, h("th", { scope: "col" }, opts.labelHead || ""), series.map((x) => h("th", { scope: "col" }, x.name)))),
    h("tbody", null, labels.map((l, i) => h("tr", null, h("th", { scope: "row" }, l), series.map((x) => h("td", null, fmt(x.values[i])))))));
  const chartBox = h("div", { class: "chartbox" }, svg, legend);
  const btn = h("button", { type: "button", class: "link small toggle", "aria-pressed": "false" }, t("dash.table"));
  btn.addEventListener("click", () => {
    const showTable = table.hidden;
    table.hidden = !showTable;
    chartBox.hidden = showTable;
    btn.setAttribute("aria-pressed", showTable ? "true" : "false");
    btn.textContent = showTable ? t("dash.chart") : t("dash.table");
  });
  fig.append(btn, chartBox, table);
  return fig;
}
