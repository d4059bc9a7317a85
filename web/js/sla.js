// sla.js - the response clock as the UI shows it.
//
// The clock is the server's, in business time (R6): every ticket carries
// an `sla` object computed by the API at `as_of` with the policy's
// calendar and the ticket's pauses (status ok | at_risk | breached | met
// | paused, remaining_business_s, running). We never walk the calendar
// here: between refreshes the badge counts down from the API's numbers
// only while `running` (inside business hours, not paused), and turns
// amber / red by the policy's at_risk_percent and the deadline as it
// goes. Without the object (an older server) the countdown is the plain
// time to the due instant.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { dur, when } from "./fmt.js";

let riskPercent = 75;
export function setRiskPercent(p) {
  if (Number.isInteger(p) && p > 0 && p < 100) riskPercent = p;
}

const NO_CLOCK = ["solved", "closed", "renewal_required"];

// The API's clock seen at nowMs.
function fromApi(tk, api, nowMs) {
  let left = api.remaining_business_s;
  let status = api.status;
  if (status === "breached" && tk.first_response_at) return { status: "missed" };
  if (status === "met") return { status };
  if (tk.state === "closed" && status !== "breached") return { status: "none" };
  if (typeof left !== "number") return { status, left_s: null };
  if (api.running && api._at) left -= Math.max(0, nowMs - api._at) / 1000;
  if (status === "ok" || status === "at_risk") {
    const used = api.target_s - left;
    if (left <= 0) status = "breached";
    else if (api.target_s > 0 && used * 100 >= riskPercent * api.target_s) status = "at_risk";
  }
  const stopped = !api.running && status !== "paused";
  return { status, left_s: left, business: true, stopped };
}

// { status: ok|at_risk|breached|paused|met|missed|none, left_s, business, stopped }
export function slaOf(tk, nowMs) {
  const api = tk.sla && typeof tk.sla === "object" ? tk.sla : null;
  if (api && api.status) return fromApi(tk, api, nowMs);
  if (tk.state === "waiting_on_client") return { status: "paused", left_s: null };
  if (tk.first_response_at) return { status: tk.response_met === false ? "missed" : "met" };
  if (NO_CLOCK.includes(tk.state)) return { status: "none" };
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

// The badge: a coloured word (never colour alone) and the time left;
// under it, when the business clock stands still outside business hours,
// a note saying so.
export function slaBadge(tk, nowMs) {
  const s = slaOf(tk, nowMs ?? Date.now());
  const words = [t(LABEL[s.status] || "sla.none")];
  const b = s.business ? ".business" : "";
  if (typeof s.left_s === "number" && ["ok", "at_risk", "paused"].includes(s.status)) {
    words.push(t("sla.left" + b, dur(s.left_s, s.business)));
  } else if (s.status === "breached" && typeof s.left_s === "number") {
    words.push(t("sla.over" + b, dur(-s.left_s, s.business)));
  }
  const badge = h("span", {
    class: `sla sla-${s.status}`, "data-sla": s.status,
    "data-running": s.business ? String(!s.stopped && s.status !== "paused") : null,
    "data-left-s": typeof s.left_s === "number" ? String(Math.round(s.left_s)) : null,
    title: t("sla.due") + " " + when(tk, "response_due_at"),
  }, words.join(" · "));
  return s.stopped ? h("span", { class: "sla-box" }, badge, h("small", { class: "sla-note" }, t("sla.stopped"))) : badge;
}

// The badge of one ticket kept live with the page's timers (every(ms,
// fn)): it counts down every 15 s, and every minute takes the server's
// fresh clock (load() answers the ticket again), so the count stops when
// a business window ends.
export function liveBadge(tk, load, every) {
  const box = h("span", { class: "sla-live" }, slaBadge(tk));
  every(15000, () => box.replaceChildren(slaBadge(tk)));
  every(60000, async () => {
    try { tk.sla = stamp(await load()).sla; box.replaceChildren(slaBadge(tk)); } catch (_) { /* keep the last good clock */ }
  });
  return box;
}

// Re-render every countdown badge inside root from its ticket.
export function tickBadges(root, ticketsByNumber) {
  const now = Date.now();
  for (const el of root.querySelectorAll("[data-sla-for]")) {
    const tk = ticketsByNumber.get(Number(el.dataset.slaFor));
    if (tk) el.replaceChildren(slaBadge(tk, now));
  }
}
