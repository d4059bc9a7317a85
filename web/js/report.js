// report.js - the month's SLA report for the Project Manager (issue 18;
// R6 response targets, R7 escalations): the server's figures
// (GET /api/reports/sla, computed in business hours by the SLA engine),
// a period and client selector kept in the URL, charts with their
// numbers, a print button (web/app.css @media print) and the exports.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { get, all } from "./api.js";
import { ticketNo, limaMonth } from "./fmt.js";
import { bars } from "./charts.js";
import { navigate } from "./app.js";
import { exportButtons } from "./exports.js";

// Business seconds as hours and minutes, "1:30 h"; "—" for none.
export function hm(s) {
  if (typeof s !== "number") return "—";
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")} h`;
}

export async function render(root) {
  const params = new URLSearchParams(location.search);
  const month = /^\d{4}-\d{2}$/.test(params.get("month") || "") ? params.get("month") : limaMonth();
  const clientId = /^\d+$/.test(params.get("client_id") || "") ? params.get("client_id") : "";
  const q = { month, client_id: clientId };
  const [rep, clients] = await Promise.all([
    get("/api/reports/sla?month=" + month + (clientId ? "&client_id=" + clientId : "")),
    all("/api/clients?limit=200", 5).catch(() => []),
  ]);

  const monthIn = h("input", { type: "month", name: "month", value: month, required: true });
  const clientSel = h("select", { name: "client_id" },
    h("option", { value: "" }, t("report.all")),
    clients.map((c) => h("option", { value: String(c.id), selected: String(c.id) === clientId }, c.name)));
  const form = h("form", { class: "filters no-print" },
    h("label", null, t("report.month"), " ", monthIn),
    h("label", null, t("f.client"), " ", clientSel),
    h("button", { type: "submit" }, t("report.show")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams({ month: monthIn.value });
    if (clientSel.value) p.set("client_id", clientSel.value);
    navigate("/reports?" + p);
  });
  const print = h("button", { type: "button", class: "no-print", onclick: () => window.print() }, t("report.print"));

  const tot = rep.totals || {};
  const sevs = rep.severities || [];
  const sevName = (n) => `${n} ${t("sev." + n)}`;
  const summary = h("dl", { class: "kv report-summary" },
    [["report.tickets", tot.tickets], ["report.met", tot.met], ["report.breached", tot.breached],
      ["report.pending", tot.pending], ["report.median", hm(tot.median_first_response_s)],
      ["report.p90", hm(tot.p90_first_response_s)], ["report.waits", (rep.waits || {}).waits],
      ["report.escalations", (rep.escalations || {}).total]]
      .flatMap(([k, v]) => [h("dt", null, t(k)), h("dd", { "data-key": k }, String(v ?? "—"))]));
  const bySev = bars({
    title: t("report.by_severity"), labelHead: t("report.severity"), labels: sevs.map((s) => sevName(s.severity)),
    series: [
      { name: t("report.met"), values: sevs.map((s) => s.met), cls: "ok" },
      { name: t("report.breached"), values: sevs.map((s) => s.breached), cls: "bad" },
      { name: t("report.pending"), values: sevs.map((s) => s.pending) },
    ],
  });
  const hoursChart = bars({
    title: t("report.hours_consultant"), labelHead: t("report.consultant"),
    labels: (rep.hours_by_consultant || []).map((x) => x.user_name || x.user_email),
    series: [{ name: t("report.hours"), values: (rep.hours_by_consultant || []).map((x) => x.logged_s / 3600) }],
    fmt: (v) => hm(v * 3600),
  });
  const breaches = rep.breaches || [];
  const breachTable = breaches.length
    ? h("table", { class: "report-breaches" },
      h("thead", null, h("tr", null, ["report.ticket", "f.client", "report.severity", "report.due", "report.first", "report.late", "report.cause"]
        .map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", null, breaches.map((b) => h("tr", null,
        h("td", null, h("a", { href: "/tickets/" + b.ticket_number }, ticketNo(b.ticket_number))),
        h("td", null, b.client_domain || "—"), h("td", null, sevName(b.severity)),
        h("td", null, b.response_due_at_local || "—"), h("td", null, b.first_response_at_local || "—"),
        h("td", null, hm(b.late_by_s)), h("td", null, t("report.cause." + b.cause))))))
    : h("p", { class: "muted" }, t("dash.none"));

  const files = h("div", { class: "report-files no-print" },
    exportButtons("/api/reports/sla", q, ["csv", "xlsx", "pdf"], "report.export"),
    clientId ? exportButtons("/api/exports/time-entries", q, ["csv", "xlsx"], "report.export.time") : null);
  if (clientId) files.lastChild.prepend(h("span", { class: "muted" }, t("report.export.time") + ": "));

  root.append(
    h("div", { class: "head" }, h("h1", null, t("report.title")), print),
    h("p", { class: "muted print-only" }, `${month} · ${rep.client ? rep.client.name : t("report.all")}`),
    form, files, summary,
    h("div", { class: "charts" }, bySev, hoursChart),
    h("h2", null, t("report.breaches")), breachTable);
}
