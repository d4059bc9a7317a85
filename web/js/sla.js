// sla.js - the response clock as the UI shows it.
//
// The deadline is decided by the server in business time (R6): the API
// gives response_due_at (an instant, already in business hours), the first
// response, the state and, where it offers them, the SLA status and the
// business seconds left (ticket.sla.status / remaining_business_s /
// running). We never walk the calendar here: without the API's business
// seconds the countdown is the plain time to the due instant, and the
// status follows the API's own "at risk" rule (share of the response
// time used, policy.at_risk_percent).
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { dur, when } from "./fmt.js";

let riskPercent = 75;
export function setRiskPercent(p) {
  if (Number.isInteger(p) && p > 0 && p < 100) riskPercent = p;
}

const NO_CLOCK = ["solved", "closed", "renewal_required"];

// { status: ok|at_risk|breached|paused|met|missed|none, left_s, business }
export function slaOf(tk, nowMs) {
  const api = tk.sla && typeof tk.sla === "object" ? tk.sla : null;
  if (tk.state === "waiting_on_client" || tk.waiting_since || (api && (api.paused || api.status === "paused"))) {
    return { status: "paused", left_s: api ? api.remaining_business_s ?? null : null, business: !!api };
  }
  if (tk.first_response_at) return { status: tk.response_met === false ? "missed" : "met" };
  if (NO_CLOCK.includes(tk.state)) return { status: "none" };
  if (api && api.status) {
    const map = { pending: "ok", ok: "ok", at_risk: "at_risk", breached: "breached", met: "met" };
    let left = api.remaining_business_s;
    if (typeof left === "number" && api.running && api._at) left -= (nowMs - api._at) / 1000;
    return { status: map[api.status] || api.status, left_s: left ?? null, business: typeof left === "number" };
  }
  const due = Date.parse(tk.response_due_at);
  const created = Date.parse(tk.created_at);
  if (Number.isNaN(due)) return { status: "none" };
  const left = (due - nowMs) / 1000;
  if (left <= 0) return { status: "breached", left_s: left };
  if (!Number.isNaN(created) && (nowMs - created) * 100 >= riskPercent * (due - created)) {
    return { status: "at_risk", left_s: left };
  }
  return { status: "ok", left_s: left };
}

// Stamp API-provided SLA objects with the time they were read, so a
// running business countdown can tick between refreshes.
export function stamp(tk) {
  if (tk && tk.sla && typeof tk.sla === "object") tk.sla._at = Date.now();
  return tk;
}

const LABEL = {
  ok: "sla.ok", at_risk: "sla.at_risk", breached: "sla.breached", paused: "sla.paused",
  met: "sla.met", missed: "sla.missed", none: "sla.none",
};

// The badge: a coloured word (never colour alone) and the time left.
export function slaBadge(tk, nowMs) {
  const s = slaOf(tk, nowMs ?? Date.now());
  const words = [t(LABEL[s.status] || "sla.none")];
  if (typeof s.left_s === "number" && ["ok", "at_risk", "paused"].includes(s.status)) {
    words.push(t("sla.left", dur(s.left_s)) + (s.business ? " " + t("sla.business") : ""));
  } else if (s.status === "breached" && typeof s.left_s === "number") {
    words.push(t("sla.over", dur(-s.left_s)));
  }
  return h("span", {
    class: `sla sla-${s.status}`, "data-sla": s.status,
    title: t("sla.due") + " " + when(tk, "response_due_at"),
  }, words.join(" · "));
}

// Re-render every countdown badge inside root from its ticket.
export function tickBadges(root, ticketsByNumber) {
  const now = Date.now();
  for (const el of root.querySelectorAll("[data-sla-for]")) {
    const tk = ticketsByNumber.get(Number(el.dataset.slaFor));
    if (tk) el.replaceChildren(slaBadge(tk, now));
  }
}
