// dashboard.js - the manager's views, computed in the browser from the
// API's ticket list and monthly statements (there is no reports route
// yet): response-time compliance by severity and by month, time to first
// response, breaches, open load by consultant, hours used vs included by
// client and this month's overage.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { all, qs } from "./api.js";
import { ticketNo, when, hours, soles, limaMonth } from "./fmt.js";
import { bars } from "./charts.js";
import { slaOf } from "./sla.js";
import { soft, list, currentContract, escChip } from "./ticket.js";
import { navigate } from "./app.js";

const OPEN = ["new", "assigned", "in_progress", "waiting_on_client", "solved"];

function median(xs) {
  if (!xs.length) return null;
  const a = [...xs].sort((x, y) => x - y);
  const m = Math.floor(a.length / 2);
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

// The period the ticket charts cover, kept in the URL (?period=).
const PERIODS = { month: 1, quarter: 3, half: 6, year: 12 };

// Hours as the time to first response reads best: minutes under an hour.
export function fmtFirst(v) {
  return v < 1 ? Math.round(v * 60) + " min" : Math.round(v * 10) / 10 + " h";
}

export async function render(root) {
  const month = limaMonth();
  const period = PERIODS[new URLSearchParams(location.search).get("period")] ? new URLSearchParams(location.search).get("period") : "half";
  // The first day (Lima) of the period: this month and the months before.
  const [y, m] = month.split("-").map(Number);
  const start = new Date(Date.UTC(y, m - PERIODS[period], 1)).toISOString().slice(0, 7);
  const [allTickets, escalated, clients, contracts] = await Promise.all([
    all("/api/tickets?limit=200&sort=number", 25),
    // R7: the open tickets a client escalated, by deadline.
    all("/api/tickets?escalated=true&state=open&sort=deadline&limit=200", 5),
    soft("/api/clients?limit=200", { items: [] }),
    soft("/api/contracts?limit=200", { items: [] }),
  ]);
  const tickets = allTickets.filter((tk) => (tk.created_at || "").slice(0, 7) >= start);
  const now = Date.now();
  const judged = tickets.map((tk) => ({ tk, s: slaOf(tk, now).status }));

  // Compliance by severity: answered on time over all whose outcome is
  // known (answered, or unanswered and already past due).
  const sevs = [1, 2, 3, 4];
  const onTime = sevs.map((n) => judged.filter((j) => j.tk.severity === n && j.s === "met").length);
  const late = sevs.map((n) => judged.filter((j) => j.tk.severity === n && (j.s === "missed" || j.s === "breached")).length);
  const pctOf = (a, b) => (a + b ? Math.round((100 * a) / (a + b)) : null);

  const months = [...new Set(tickets.map((tk) => (tk.created_at || "").slice(0, 7)).filter(Boolean))].sort().slice(-12);
  const mOn = months.map((m) => judged.filter((j) => j.tk.created_at.startsWith(m) && j.s === "met").length);
  const mLate = months.map((m) => judged.filter((j) => j.tk.created_at.startsWith(m) && (j.s === "missed" || j.s === "breached")).length);

  const firstH = sevs.map((n) => {
    const xs = tickets.filter((tk) => tk.severity === n && tk.first_response_at).map((tk) =>
      tk.first_response_business_s != null ? tk.first_response_business_s / 3600
        : (Date.parse(tk.first_response_at) - Date.parse(tk.created_at)) / 3600000);
    return median(xs);
  });

  const breaches = judged.filter((j) => j.s === "missed" || j.s === "breached");

  const load = new Map();
  for (const tk of tickets) {
    if (!OPEN.includes(tk.state)) continue;
    const k = tk.assignee || t("unassigned");
    load.set(k, (load.get(k) || 0) + 1);
  }
  const loadNames = [...load.keys()].sort();

  // Hours: one statement per client with a contract in force this month.
  const cl = list(clients);
  const inForce = cl.map((c) => ({ c, k: currentContract(list(contracts).filter((x) => x.client_id === c.id)) })).filter((x) => x.k);
  const stmts = await Promise.all(inForce.map((x) => soft("/api/statements" + qs({ client_id: x.c.id, month }))));
  const hoursRows = inForce.map((x, i) => ({ name: x.c.name, st: stmts[i] })).filter((r) => r.st && !r.st._error);
  const tot = (st) => st.totals || st;
  // Billed beyond the plans this month: overage of monthly plans (the
  // statement's overage_amount_cents, else its amount when over).
  const overage = hoursRows.reduce((a, r) => {
    const x = tot(r.st);
    return a + (x.overage_amount_cents != null ? Number(x.overage_amount_cents) : x.overage_s > 0 ? Number(x.amount_cents) || 0 : 0);
  }, 0);
  const stmtMissing = inForce.length > 0 && hoursRows.length === 0;

  const periodSel = h("select", { name: "period", id: "dash-period" },
    Object.keys(PERIODS).map((k) => h("option", { value: k, selected: k === period }, t("dash.period." + k))));
  periodSel.addEventListener("change", () => navigate("/dashboard?period=" + periodSel.value));
  root.append(h("div", { class: "head" }, h("h1", null, t("dash.title")),
    h("label", { class: "period" }, t("dash.period"), " ", periodSel)),
    h("div", { class: "dash" },
      bars({ title: t("dash.compliance"), labelHead: t("col.severity"), labels: sevs.map((n) => t("sev." + n)),
        series: [{ name: t("dash.pct"), values: sevs.map((_, i) => pctOf(onTime[i], late[i])), cls: "good" }], max: 100, fmt: (v) => v + " %" }),
      bars({ title: t("dash.compliance.month"), labelHead: t("portal.month"), labels: months.map((m) => m.slice(5) + "/" + m.slice(0, 4)),
        series: [{ name: t("sla.ok"), values: mOn, cls: "good" }, { name: t("sla.breached"), values: mLate, cls: "bad" }] }),
      bars({ title: t("dash.first"), labelHead: t("col.severity"), labels: sevs.map((n) => t("sev." + n)),
        series: [{ name: t("dash.first"), values: firstH }], fmt: fmtFirst }),
      bars({ title: t("dash.load"), labelHead: t("col.assignee"), labels: loadNames,
        series: [{ name: t("dash.tickets"), values: loadNames.map((k) => load.get(k)) }] }),
      stmtMissing ? h("figure", { class: "chart" }, h("figcaption", null, t("dash.hours")), h("p", { class: "muted" }, t("error.missing.data", "GET /api/statements")))
        : bars({ title: t("dash.hours"), labelHead: t("col.client"), labels: hoursRows.map((r) => r.name),
          series: [{ name: t("dash.hours.used"), values: hoursRows.map((r) => (tot(r.st).used_s || 0) / 3600), cls: "s0" },
            { name: t("dash.hours.included"), values: hoursRows.map((r) => (tot(r.st).included_s || 0) / 3600), cls: "s1" }],
          fmt: (v) => hours(v * 3600) }),
      h("section", { class: "chart" }, h("h2", null, t("dash.overage")), h("p", { class: "big", id: "overage" }, stmtMissing ? "—" : soles(overage))),
      h("section", { class: "chart wide", id: "dash-escalated" }, h("h2", null, t("dash.escalated"), " ", h("span", { class: "muted" }, String(escalated.length))),
        escalated.length ? h("ul", null, escalated.map((tk) => h("li", null, h("a", { href: "/tickets/" + tk.number }, tk.display_number || ticketNo(tk.number)),
          " · ", escChip(tk), " · ", tk.subject, " · ", tk.client_name || "", " · ", t("sev." + tk.severity), " · ", t("sla.due"), " ", when(tk, "response_due_at"))))
          : h("p", { class: "muted" }, t("dash.none"))),
      h("section", { class: "chart wide" }, h("h2", null, t("dash.breaches"), " ", h("span", { class: "muted" }, String(breaches.length))),
        breaches.length ? h("ul", null, breaches.map(({ tk }) => h("li", null, h("a", { href: "/tickets/" + tk.number }, tk.display_number || ticketNo(tk.number)),
          " · ", tk.subject, " · ", t("sev." + tk.severity), " · ", t("sla.due"), " ", when(tk, "response_due_at")))) : h("p", { class: "muted" }, t("dash.none")))));
}
