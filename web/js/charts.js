// charts.js - small inline SVG bar charts drawn here (no library), each
// with its numbers one click away: a button swaps the chart for a table.
import { h, s } from "./dom.js";
import { t } from "./i18n.js";

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
  const rowH = 24 * series.length + 12, labelW = 130, W = 420, barW = W - labelW - 70;
  const H = n * rowH + 8;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, class: "bars", preserveAspectRatio: "xMinYMin meet" });
  labels.forEach((label, i) => {
    const y0 = 4 + i * rowH;
    svg.append(s("text", { x: labelW - 8, y: y0 + (rowH - 12) / 2 + 5, "text-anchor": "end", class: "lbl" }, String(label).length > 17 ? String(label).slice(0, 16) + "…" : String(label)));
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
