// ticket.js - one ticket for staff: the thread (mail HTML only inside a
// sandboxed iframe, never as markup of this page), the SLA timeline,
// entitlement and coverage with their reasons, the client's contract and
// hours this month, escalation, contact attempts, the credential vault
// (reveal on click, audited by the server) and the actions.
//
// Also exports the pieces the client portal shows (thread, timeline).
import { h, field, select, toast } from "./dom.js";
import { t, tv, getLang } from "./i18n.js";
import { get, post, request, qs } from "./api.js";
import { ticketNo, when, civil, dur, hours, soles, limaToday, limaMonth } from "./fmt.js";
import { liveBadge, slaOf, stamp } from "./sla.js";
import { state, every, fail, navigate, isStaff } from "./app.js";
import { onLive } from "./live.js";
import { fileBox } from "./files.js";
import { cannedPicker } from "./canned.js";
import { phoneLink, relations, typedNumber } from "./bulk.js";

export const list = (x) => (Array.isArray(x) ? x : x && Array.isArray(x.items) ? x.items : []);
// R7: an escalated ticket's mark: the client asked to raise the
// priority, or it reached the Project Manager.
export function escChip(tk) {
  return h("span", { class: "chip-esc", "data-level": tk.escalation_level },
    t(tk.escalation_level > 0 ? "esc.chip.pm" : "esc.chip"));
}

// get() that answers fallback instead of failing (for side panels whose
// route may be refused to this role or not built yet).
export async function soft(path, fallback) {
  try { return await get(path); } catch (e) { return fallback === undefined ? { _error: e } : fallback; }
}

// ---- the triage proposal (issue 17) ----

const pct = (x) => (typeof x === "number" ? Math.round(x * 100) + "%" : "—");

// The model's proposal next to the severity: severity and category with
// their confidence, whether it was unsure (the higher severity taken, R6),
// its reasons, and, while the severity is preliminary, the one-click
// confirm of the proposed severity (the learning example of the next
// training). An excluded category is only ever shown as a proposal.
function triageView(tk, base, reload) {
  const tr = tk.triage;
  if (!tr) return null;
  const conf = tr.confidence || {};
  const box = h("div", { class: "triage", id: "ticket-triage", "data-model": tr.model_version || "", "data-severity": tr.severity },
    h("small", { class: "reason" }, t("triage.proposal", t("sev." + tr.severity), pct(conf.severity),
      tv("triage.cat.", tr.category || "incident"), pct(conf.category))),
    tr.flagged ? h("small", { class: "reason triage-flag", id: "ticket-triage-flag" }, t("triage.flagged")) : null,
    /^excluded_/.test(tr.category || "") && tk.charge !== "excluded"
      ? h("small", { class: "reason", id: "ticket-triage-exclusion" }, t("triage.exclusion")) : null,
    (tr.reasons || []).length ? h("ul", { class: "triage-reasons", "aria-label": t("triage.reasons") },
      tr.reasons.map((r) => h("li", null, r))) : null,
    h("small", { class: "muted" }, t("triage.model", (tr.model_version || "").slice(0, 12))));
  if (tk.severity_confirmed === false && tk.state !== "closed") {
    box.append(h("button", { type: "button", class: "small primary", id: "triage-confirm", onclick: async () => {
      try {
        await post(base + "/confirm-severity", { severity: tr.severity });
        toast(t("saved"));
        await reload();
      } catch (e) { fail(e); }
    } }, t("triage.confirm", t("sev." + tr.severity))));
  }
  return box;
}

// ---- the thread ----

function messageBody(m) {
  const box = h("div", { class: "body" });
  const text = h("div", { class: "text" }, m.body_text || "");
  box.append(text);
  if (m.has_html) {
    // Sanitized by the server and still untrusted: its own document
    // (GET /api/messages/{id}/html: inline images as data: URLs, a CSP
    // that allows nothing else) in an iframe with an empty sandbox (no
    // scripts, no same origin, no forms, no popups). Its markup never
    // becomes part of this page.
    let frame = null;
    const btn = h("button", { type: "button", class: "link small", "aria-expanded": "false" }, t("ticket.show_html"));
    btn.addEventListener("click", () => {
      if (!frame) {
        frame = h("iframe", { sandbox: "", referrerpolicy: "no-referrer", loading: "lazy", title: t("ticket.html_frame"), class: "mailframe" });
        frame.src = "/api/messages/" + encodeURIComponent(m.id) + "/html";
        box.append(frame);
      }
      const showing = !frame.hidden && btn.getAttribute("aria-expanded") === "true";
      frame.hidden = showing;
      text.hidden = !showing;
      btn.setAttribute("aria-expanded", showing ? "false" : "true");
      btn.textContent = showing ? t("ticket.show_html") : t("ticket.show_text");
    });
    box.prepend(h("div", { class: "bodytools" }, btn));
  }
  return box;
}

function attachmentsOf(m) {
  const atts = m.attachments || [];
  if (!atts.length) return null;
  const imgs = [], files = [];
  for (const a of atts) {
    const url = "/api/attachments/" + encodeURIComponent(a.id);
    const label = `${a.filename} (${Math.max(1, Math.round((a.size || 0) / 1024))} KB)`;
    if (a.stored !== false && /^image\/(png|jpeg|gif|webp)$/i.test(a.content_type || "")) {
      imgs.push(h("figure", { class: "inline-img" }, h("a", { href: url, download: a.filename }, h("img", { src: url, alt: a.filename, loading: "lazy" })), h("figcaption", null, label)));
    } else if (a.stored === false) {
      files.push(h("li", null, label));
    } else {
      files.push(h("li", null, h("a", { href: url, download: a.filename }, label)));
    }
  }
  return h("div", { class: "atts", "aria-label": t("ticket.attachments") }, imgs, files.length ? h("ul", null, files) : null);
}

export function thread(msgs) {
  const ol = h("ol", { class: "thread", "aria-label": t("ticket.thread") });
  for (const m of msgs) {
    const who = m.author || m.from || "";
    ol.append(h("li", { class: "msg msg-" + m.kind, "data-kind": m.kind, id: "m" + m.id },
      h("div", { class: "meta" },
        h("span", { class: "kind" }, tv("msg.", m.kind)),
        h("span", { class: "from" }, who),
        h("time", { datetime: m.created_at }, when(m, "created_at")),
        m.duration_s ? h("span", null, t("msg.duration", dur(m.duration_s))) : null),
      m.subject ? h("div", { class: "subj" }, m.subject) : null,
      messageBody(m),
      attachmentsOf(m)));
  }
  return ol;
}

// ---- the SLA timeline ----

export function timeline(tk) {
  const items = [];
  const add = (key, iso, local, cls) => { if (iso) items.push({ key, iso, local, cls }); };
  add("ticket.created", tk.created_at, when(tk, "created_at"), "");
  // Waiting episodes: the clock stops at start_at and runs again at end_at.
  for (const p of tk.pauses || []) {
    add("ticket.pause", p.start_at, when(p, "start_at"), "pause");
    add("ticket.resume", p.end_at, when(p, "end_at"), "");
  }
  if (!(tk.pauses || []).length) add("ticket.pause", tk.waiting_since, when(tk, "waiting_since"), "pause");
  add("ticket.first_response", tk.first_response_at, when(tk, "first_response_at") +
    (tk.first_response_business_s != null ? ` (${dur(tk.first_response_business_s, true)} ${t("sla.business")})` : ""),
  tk.response_met === false ? "bad" : "good");
  const s = slaOf(tk, Date.now());
  add(s.status === "breached" || s.status === "missed" ? "ticket.breach" : "ticket.deadline",
    tk.response_due_at, when(tk, "response_due_at"), s.status === "breached" || s.status === "missed" ? "bad" : "due");
  add("ticket.solved", tk.solved_at, when(tk, "solved_at"), "");
  add("ticket.closed", tk.closed_at, when(tk, "closed_at"), "");
  items.sort((a, b) => Date.parse(a.iso) - Date.parse(b.iso));
  return h("ol", { class: "timeline" }, items.map((i) =>
    h("li", { class: i.cls }, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "what" }, t(i.key)), " ", h("time", { datetime: i.iso }, i.local))));
}

export function statementView(st, opts = {}) {
  if (!st || st._error) {
    const e = st && st._error;
    return h("p", { class: "muted" }, e && (e.status === 501 || e.status === 404) ? t("error.missing.data", "GET /api/statements") : t("balance.none"));
  }
  // The statement's totals (all contracts of the month), or the flat
  // numbers of a single contract.
  const tot = st.totals || st;
  const rows = [
    ["balance.included", hours(tot.included_s)], ["balance.used", hours(tot.used_s)],
    ["balance.remaining", hours(tot.remaining_s)], ["balance.overage", hours(tot.overage_s)],
    ["balance.amount", soles(tot.amount_cents)],
  ].filter((r) => !r[1].startsWith("—"));
  const used = Number(tot.used_s) || 0, inc = Number(tot.included_s) || 0;
  const meter = inc > 0 ? h("meter", { min: 0, max: inc, value: Math.min(used, inc), low: inc * 0.75, high: inc * 0.9, optimum: 0, "aria-label": t("balance.used") }) : null;
  const lines = opts.lines === false ? [] : (st.contracts || []).flatMap((c) => c.tickets || []);
  const linesTable = lines.length ? h("div", { class: "scroll" }, h("table", { class: "numbers lines" },
    h("caption", { class: "sr-only" }, t("portal.statements")),
    h("thead", null, h("tr", null, ["col.number", "col.subject", "balance.logged", "balance.used", "balance.billed", "balance.amount"].map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", null, lines.map((l) => h("tr", null, h("td", null, l.ticket_number ? ticketNo(l.ticket_number) : "—"), h("td", null, l.subject || ""),
      h("td", null, hours(l.logged_s)), h("td", null, hours(l.used_s)), h("td", null, hours(l.billed_s)), h("td", null, soles(l.amount_cents)))))))
    : null;
  return h("div", { class: "balance", "data-used-s": used },
    meter, h("dl", { class: "kv" }, rows.map(([k, v]) => [h("dt", null, t(k)), h("dd", { "data-k": k }, v)])), linesTable);
}

export function contractView(c) {
  if (!c) return h("p", { class: "muted" }, t("contract.none"));
  return h("dl", { class: "kv" },
    h("dt", null, t("contract.plan")), h("dd", null, tv("plan.", c.plan)),
    h("dt", null, t("contract.valid")), h("dd", null, `${civil(c.valid_from)} – ${civil(c.valid_to)}`),
    c.hourly_rate_cents != null ? [h("dt", null, t("contract.rate")), h("dd", null, soles(c.hourly_rate_cents))] : null);
}

export function currentContract(contracts) {
  const today = limaToday();
  return contracts.find((c) => c.valid_from <= today && today <= c.valid_to && !c.ended_on) || null;
}

// ---- actions ----

// action(key, fields, submit): a disclosure with a labelled form.
export function action(key, fields, submit, opts = {}) {
  const form = h("form", { class: "action-form" }, fields,
    h("div", { class: "buttons" }, h("button", { type: "submit", class: opts.danger ? "danger" : "primary" }, opts.submit || t("act.send"))));
  const msg = h("p", { class: "error", role: "alert" });
  form.append(msg);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    const btn = form.querySelector("button[type=submit]");
    btn.disabled = true;
    try {
      const said = await submit(form);
      // Say it once the page shows the new state.
      if (opts.after) await opts.after();
      toast(typeof said === "string" ? said : t("saved"));
    } catch (e) {
      const { explain, sessionLost } = await import("./app.js");
      if (e.status === 401) sessionLost();
      else msg.textContent = explain(e);
    } finally {
      btn.disabled = false;
    }
  });
  return h("details", { class: "action", "data-action": opts.name || key }, h("summary", null, t(key)), form);
}

export function textarea(name, required = true) {
  return h("textarea", { name, rows: 4, required, maxlength: 100000 });
}

// A reply or a note with files (files.js): picked, dropped on the form or
// pasted; they are uploaded at once and named by the message. opts.extra:
// more controls after the text (the canned replies' picker).
export function withFiles(key, label, base, route, opts) {
  const files = fileBox(base, policyOnce().then((p) => p && p.limits));
  const body = textarea("body");
  const d = action(key, [field(label, body), opts.extra ? opts.extra(body) : null, files.el], async (f) => {
    const ids = await files.ids();
    const r = await post(base + route, ids.length ? { body: f.body.value, attachments: ids } : { body: f.body.value });
    files.reset();
    return r;
  }, opts);
  files.bind(d.querySelector("form"));
  return d;
}

// ---- the page ----

// The causes of R4 (PATCH /api/tickets/{n} {"cause"}) and the API's word
// for each exclusion of the policy (POST /api/tickets/{n}/exclude).
const CAUSES = ["defect", "misuse", "third_party_change", "question"];
const EXCLUDE_KIND = { training: "training", third_party: "third_party", business_consulting: "consulting" };

let policyCache = null;
export function policyOnce() {
  if (!policyCache) policyCache = soft("/api/policy", null);
  return policyCache;
}

export async function render(root, number) {
  const base = "/api/tickets/" + number;
  const staffOnly = (p) => soft(p);
  const canAudit = ["admin", "project_manager"].includes(state.user.role);
  // Every request at once; the client's contract and statement go as
  // soon as the ticket says whose it is (client_id).
  const tkP = get(base);
  const clientP = tkP.then((tk) => (tk.client_id
    ? Promise.all([soft("/api/contracts" + qs({ client_id: tk.client_id, limit: 200 }), { items: [] }),
      soft("/api/statements" + qs({ client_id: tk.client_id, month: limaMonth() }))])
    : [{ items: [] }, null]));
  const [tk0, [contracts, statement], msgs, times, attempts, escal, secrets, users, audit] = await Promise.all([
    tkP,
    clientP,
    soft(base + "/messages?limit=200", { items: [] }),
    staffOnly(base + "/time-entries"),
    soft(base + "/contact-attempts", []),
    soft(base + "/escalations", []),
    staffOnly(base + "/secrets"),
    ["admin", "project_manager"].includes(state.user.role) ? soft("/api/users?limit=200", { items: [] }) : Promise.resolve({ items: [] }),
    canAudit ? soft(base + "/audit?limit=50", null) : Promise.resolve(null),
  ]);
  const tk = stamp(tk0);
  const clientContracts = list(contracts);

  const reload = async () => {
    const fresh = h("div", { class: "page" });
    await render(fresh, number);
    root.replaceWith(fresh);
    fresh.querySelector("h1").focus({ preventScroll: true });
  };
  const me = state.user.id;

  // Live (live.js): another user's change to this ticket offers the new
  // version; nothing moves under the user's hands (a draft stays).
  const changed = h("p", { class: "notice", id: "ticket-changed", role: "status", hidden: true },
    t("live.changed"), " ", h("button", { type: "button", class: "link", onclick: () => reload() }, t("live.show")));
  onLive((ev) => { if (root.isConnected && ev.number === number && !ev.mine) changed.hidden = false; });

  // Header
  const slaBox = liveBadge(tk, () => get(base), every);
  slaBox.id = "ticket-sla";
  const head = h("div", { class: "ticket-head" },
    h("p", { class: "crumbs" }, h("a", { href: "/queue" }, "← " + t("ticket.back"))),
    h("h1", null, h("span", { class: "tno" }, tk.display_number || ticketNo(tk.number)), " ", tk.subject),
    h("div", { class: "badges" },
      h("span", { class: "sev sev-" + tk.severity }, t("sev." + tk.severity)),
      tk.severity_confirmed === false ? h("span", { class: "prelim", id: "ticket-sev-prelim", title: t("sev.prelim.hint") }, t("sev.prelim")) : null,
      h("span", { class: "state", "data-state": tk.state }, tv("state.", tk.state)),
      tk.escalated ? escChip(tk) : null,
      tk.close_reason ? h("span", { class: "state" }, tv("reason.", tk.close_reason)) : null,
      slaBox),
    changed);

  // Side panel
  const attemptList = list(attempts);
  const side = h("aside", { class: "side", "aria-label": t("ticket.details") },
    h("section", null, h("h2", null, t("ticket.details")),
      h("dl", { class: "kv" },
        h("dt", null, t("col.client")), h("dd", null, tk.client_name || tk.client_domain || "—"),
        h("dt", null, t("ticket.contact")), h("dd", null, tk.contact_email || "—", phoneLink(tk) ? [h("br"), phoneLink(tk)] : null),
        h("dt", null, t("ticket.product")), h("dd", null, tk.product || "—"),
        h("dt", null, t("col.assignee")), h("dd", { id: "ticket-assignee" }, tk.assignee || t("unassigned")),
        h("dt", null, t("ticket.channel")), h("dd", null, tv("channel.", tk.channel)),
        h("dt", null, t("ticket.entitlement")), h("dd", null, tk.entitlement ? h("span", { class: "badge ent-" + tk.entitlement }, tv("ent.", tk.entitlement)) : "—",
          tk.entitlement_reason ? h("small", { class: "reason" }, tv("why.", tk.entitlement_reason)) : null),
        h("dt", null, t("ticket.coverage")), h("dd", null, tk.coverage ? h("span", { class: "badge cov-" + tk.coverage }, tv("cov.", tk.coverage)) : "—",
          tk.coverage_reason ? h("small", { class: "reason" }, tv("why.", tk.coverage_reason)) : null),
        h("dt", null, t("ticket.cause")), h("dd", { id: "ticket-cause" }, tk.cause ? tv("cause.", tk.cause) : "—"),
        h("dt", null, t("ticket.charge")), h("dd", { id: "ticket-charge" }, tk.charge ? tv("chg.", tk.charge) : "—"),
        h("dt", null, t("ticket.escalation")), h("dd", { id: "ticket-escalation" }, tv("esc.", tk.escalation_level),
          tk.raise_requested && !tk.escalation_level ? h("small", { class: "reason" }, t("esc.raise_priority")) : null),
        // R6: the desk's proposal and the reasons behind it (issue 17).
        h("dt", null, t("ticket.severity")), h("dd", { id: "ticket-severity" },
          t(tk.severity_confirmed === false ? "sev.prelim" : "sev.confirmed"),
          triageView(tk, base, reload)))),
    relations(tk, base, reload, isStaff()),
    h("section", null, h("h2", null, t("ticket.timeline")), timeline(tk)),
    h("section", { id: "ticket-contract" }, h("h2", null, t("ticket.contract")),
      contractView(currentContract(clientContracts)), statementView(statement, { lines: false })),
    h("section", { id: "ticket-attempts" }, h("h2", null, t("ticket.attempts")),
      attemptList.length ? h("ol", { class: "attempts" }, attemptList.map((a, i) => h("li", null,
        h("strong", null, t("ticket.attempt.n", i + 1)), " · ", when(a, "attempted_at"), " · ", tv("channel.", a.channel), " · ",
        tv("outcome.", a.outcome), " · ", t("ticket.attempt.wait", dur(a.wait_s)), a.user ? ` · ${a.user}` : "")))
        : h("p", { class: "muted" }, t("ticket.no_attempts"))),
    list(escal).length ? h("section", null, h("h2", null, t("ticket.escalations")),
      h("ul", null, list(escal).map((e) => h("li", null, tv("esc.", e.kind), " · ", when(e, "created_at"),
        // Only a severity change has a from and a to (R7).
        e.kind === "severity_change" && e.to_severity && e.from_severity !== e.to_severity
          ? ` · ${t("sev." + (e.from_severity || "?"))} → ${t("sev." + e.to_severity)}` : "", e.note ? ` · ${e.note}` : "")))) : null,
    vault(secrets),
    timeView(times),
    auditView(audit));

  // Actions
  const after = reload;
  const acts = [];
  if (!tk.assignee_id && tk.state !== "closed") {
    acts.push(h("button", { type: "button", class: "primary", id: "take", onclick: async () => {
      try {
        await request("POST", base + "/assign", { assignee_id: me }, { "If-Match": tk._etag || `"${tk.version}"` });
        toast(t("saved"));
        await reload();
      } catch (e) { fail(e); if (e.status === 412) reload(); }
    } }, t("act.take")));
  }
  // R3: a ticket waiting for the renewal goes on only when its
  // entitlement, decided again by the server, holds (renewals, admin).
  if (tk.state === "renewal_required" && ["renewals", "admin"].includes(state.user.role)) {
    acts.push(h("button", { type: "button", class: "primary", id: "recheck", onclick: async () => {
      try {
        await request("POST", base + "/recheck");
        toast(t("saved"));
        await reload();
      } catch (e) { fail(e); }
    } }, t("act.recheck")));
  }
  acts.push(withFiles("act.reply", t("act.reply.label"), base, "/replies", { after, name: "reply", extra: (box) => cannedPicker(base, box) }));
  acts.push(withFiles("act.note", t("act.note.label"), base, "/notes", { after, name: "note" }));
  acts.push(action("act.call", [field(t("act.call.label"), textarea("body")),
    field(t("act.call.minutes"), h("input", { type: "number", name: "minutes", min: 0, max: 1440, value: 10, required: true }))],
  (f) => post(base + "/calls", { body: f.body.value, duration_s: Number(f.minutes.value) * 60 }), { after, name: "call" }));
  acts.push(action("act.time", [
    field(t("act.time.date"), h("input", { type: "date", name: "work_date", value: limaToday(), required: true })),
    field(t("act.time.minutes"), h("input", { type: "number", name: "minutes", min: 1, max: 1440, value: 60, required: true })),
    field(t("act.time.kind"), select("kind", ["work", "update", "remote_session"].map((k) => [k, t("kind." + k)]), "work")),
    field(t("act.time.note"), h("input", { type: "text", name: "note", maxlength: 2000 }))],
  (f) => post(base + "/time-entries", { work_date: f.work_date.value, seconds: Number(f.minutes.value) * 60, kind: f.kind.value, note: f.note.value || null }),
  { after, name: "time" }));
  acts.push(action("act.severity", field(t("act.severity.to"), select("sev", [1, 2, 3, 4].map((n) => [n, `${n} · ${t("sev." + n)}`]), tk.severity)),
    (f) => post(base + "/escalations", { kind: "severity_change", to_severity: Number(f.sev.value) }), { after, name: "severity" }));
  const staffUsers = list(users).filter((u) => u.role === "consultant" && u.active !== false);
  if (staffUsers.length) {
    acts.push(action("act.assign", field(t("act.assign.to"), select("assignee", staffUsers.map((u) => [u.id, u.name]), tk.assignee_id)),
      (f) => request("POST", base + "/assign", { assignee_id: Number(f.assignee.value) }, { "If-Match": tk._etag || `"${tk.version}"` }), { after, name: "assign" }));
  }
  acts.push(action("act.wait", field(t("act.wait.label"), textarea("body")),
    (f) => post(base + "/wait", { body: f.body.value }), { after, name: "wait" }));
  const waitInput = h("input", { type: "number", name: "hours", min: 1, max: 720, value: 16, required: true });
  acts.push(action("act.attempt", [
    field(t("act.attempt.channel"), select("channel", [["phone", t("channel.phone")], ["email", t("channel.email")]], "phone")),
    field(t("act.attempt.outcome"), select("outcome", ["no_answer", "left_message", "busy", "sent"].map((o) => [o, t("outcome." + o)]), "no_answer")),
    field(t("act.attempt.wait"), waitInput),
    field(t("f.note"), h("input", { type: "text", name: "note", maxlength: 2000 }))],
  (f) => post(base + "/contact-attempts", { channel: f.channel.value, outcome: f.outcome.value, wait_s: Number(f.hours.value) * 3600, note: f.note.value || null }),
  { after, name: "attempt" }));
  acts.push(action("act.solve", field(t("act.solve.label"), textarea("note", false)),
    (f) => post(base + "/solve", f.note.value ? { note: f.note.value } : {}), { after, name: "solve" }));
  if (tk.severity_confirmed === false) {
    acts.push(action("act.confirmsev", field(t("act.severity.to"), select("sev", [1, 2, 3, 4].map((n) => [n, `${n} · ${t("sev." + n)}`]), tk.severity)),
      (f) => post(base + "/confirm-severity", { severity: Number(f.sev.value) }), { after, name: "confirmsev" }));
  }
  // R7: only the step that is allowed: the client's request to the
  // consultant (taken by phone) first; the Project Manager once (the
  // consultant or an admin hands it over; the PM does not to itself).
  const steps = tk.escalation_level > 0 ? []
    : [...(tk.raise_requested ? [] : [["raise_priority", t("esc.raise_priority")]]),
      ...(state.user.role === "project_manager" ? [] : [["project_manager", t("esc.project_manager")]])];
  if (steps.length) {
    acts.push(action("act.escalate", [
      field(t("act.escalate.kind"), select("kind", steps, steps[0][0])),
      field(t("act.note.optional"), textarea("note", false))],
    (f) => post(base + "/escalations", { kind: f.kind.value, note: f.note.value || null }), { after, name: "escalate" }));
  }
  // R4: the cause decides who pays (PATCH with the cause alone).
  acts.push(action("act.cause", field(t("act.cause.which"), select("cause", CAUSES.map((c) => [c, t("cause." + c)]), tk.cause || "defect")),
    (f) => request("PATCH", base, { cause: f.cause.value }, { "If-Match": tk._etag || `"${tk.version}"` }), { after, name: "cause" }));
  // R5: an exclusion is closed by the server with the policy's reason
  // mailed to the client (shown here as it will read); the note stays
  // with staff.
  let exclusions = [];
  const exSel = select("exclusion", [], "");
  const exNote = textarea("note", false);
  const exText = h("p", { class: "muted small", id: "exclude-client-text" });
  const fillNote = () => {
    const x = exclusions.find((e) => e.key === exSel.value);
    exText.textContent = x ? [x["reason_" + getLang()] || x.reason_es, x["offer_" + getLang()] || x.offer_es].filter(Boolean).join(" ") : "";
  };
  exSel.addEventListener("change", fillNote);
  // The policy (the exclusions to name, the wait to state) fills the forms
  // when it comes: the page does not wait for it.
  policyOnce().then((policy) => {
    exclusions = (policy && policy.exclusions) || [];
    exSel.replaceChildren(...exclusions.map((x) => h("option", { value: x.key }, x["reason_" + getLang()] || x.reason_es || x.key)));
    const hours = policy && policy.closure && policy.closure.attempt_wait_hours;
    if (hours) waitInput.value = hours;
    fillNote();
  });
  acts.push(action("act.exclude", [field(t("act.exclude.which"), exSel), h("p", { class: "small" }, t("act.exclude.client")), exText,
    field(t("act.exclude.label"), exNote)],
  (f) => post(base + "/exclude", { kind: EXCLUDE_KIND[exSel.value] || exSel.value, note: f.note.value || null }), { after, name: "exclude", danger: true }));

  // Housekeeping: reopen a solved ticket, merge two tickets of one client
  // (the older number keeps both threads), link a related one.
  acts.push(action("act.reopen", field(t("act.reopen.label"), textarea("note", false)),
    (f) => post(base + "/reopen", f.note.value ? { note: f.note.value } : {}), { after, name: "reopen" }));
  acts.push(action("act.merge", [field(t("act.merge.other"), h("input", { type: "text", name: "other", required: true, inputmode: "numeric", pattern: "#?[0-9]+" })),
    h("p", { class: "small" }, t("act.merge.hint"))],
  async (f) => {
    const r = await post(base + "/merge", { other: typedNumber(f.other.value) });
    if (r.number !== tk.number) navigate("/tickets/" + r.number);
    return t("act.merge.done", ticketNo(r.number));
  }, { after: async () => { if (!root.isConnected) return; await reload(); }, name: "merge", danger: true }));
  acts.push(action("act.link", field(t("act.link.number"), h("input", { type: "text", name: "other", required: true, inputmode: "numeric", pattern: "#?[0-9]+" })),
    (f) => post(base + "/links", { number: typedNumber(f.other.value) }), { after, name: "link" }));

  // Offer what the state allows (the server's state machine decides
  // anyway; this only keeps the page clear).
  const OPEN_WORK = ["reply", "note", "call", "time", "severity", "confirmsev", "assign", "wait", "solve", "escalate", "cause", "exclude", "merge", "link"];
  const allowed = {
    new: OPEN_WORK, assigned: OPEN_WORK, in_progress: OPEN_WORK, reopened: OPEN_WORK,
    waiting_on_client: ["reply", "note", "call", "time", "severity", "confirmsev", "assign", "attempt", "solve", "escalate", "cause", "exclude", "merge", "link"],
    solved: ["reply", "note", "call", "time", "attempt", "assign", "cause", "reopen", "merge", "link"],
    renewal_required: ["note", "assign", "exclude", "link"],
    closed: ["note", "link"],
  }[tk.state] || OPEN_WORK;
  const shown = acts.filter((a) => !a.dataset || !a.dataset.action || allowed.includes(a.dataset.action));

  // Keys: r reply, n note, t time, Escape closes the open form.
  const onKey = (ev) => {
    if (!root.isConnected) { document.removeEventListener("keydown", onKey); return; }
    const tag = (ev.target.tagName || "").toLowerCase();
    if (ev.key === "Escape") {
      const open = root.querySelector("details.action[open]");
      if (open) { open.open = false; open.querySelector("summary").focus(); }
      return;
    }
    if (["input", "textarea", "select"].includes(tag) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const which = { r: "reply", n: "note", t: "time" }[ev.key];
    const d = which && root.querySelector(`details[data-action="${which}"]`);
    if (d) {
      ev.preventDefault();
      d.open = true;
      const first = d.querySelector("textarea, input, select");
      if (first) first.focus();
    }
  };
  document.addEventListener("keydown", onKey);

  root.append(head,
    h("p", { class: "muted small keys" }, t("ticket.keys")),
    h("div", { class: "ticket-grid" },
      h("div", { class: "maincol" },
        h("section", { class: "actions", "aria-labelledby": "acts-h" }, h("h2", { id: "acts-h", class: "sr-only" }, t("ticket.actions")), shown),
        h("section", { "aria-labelledby": "thread-h" }, h("h2", { id: "thread-h" }, t("ticket.thread")), thread(list(msgs)))),
      side));
}

function vault(secrets) {
  if (!secrets || secrets._error) return null;
  const items = list(secrets);
  const sec = h("section", { id: "vault", "aria-labelledby": "vault-h" }, h("h2", { id: "vault-h" }, t("ticket.vault")),
    h("p", { class: "muted small" }, t("ticket.vault.note")));
  if (!items.length) { sec.append(h("p", { class: "muted" }, t("ticket.vault.none"))); return sec; }
  const ul = h("ul", { class: "secrets" });
  for (const s of items) {
    const out = h("code", { class: "secret-value", "aria-live": "polite" });
    let timer = 0;
    const btn = h("button", { type: "button", class: "small", "aria-expanded": "false" }, t("ticket.vault.reveal"));
    const hide = () => { clearTimeout(timer); out.textContent = ""; btn.textContent = t("ticket.vault.reveal"); btn.setAttribute("aria-expanded", "false"); };
    btn.addEventListener("click", async () => {
      if (btn.getAttribute("aria-expanded") === "true") { hide(); return; }
      try {
        const r = await request("POST", "/api/secrets/" + encodeURIComponent(s.id) + "/reveal");
        out.textContent = r.value;
        btn.textContent = t("ticket.vault.hide");
        btn.setAttribute("aria-expanded", "true");
        timer = setTimeout(hide, 60000);   // never left on screen
      } catch (e) { fail(e); }
    });
    ul.append(h("li", null, h("span", { class: "label" }, s.label), " ", btn, " ", out));
  }
  sec.append(ul);
  return sec;
}

// The ticket's audit trail (PM and admin): who did what, credential
// reveals included.
function auditView(audit) {
  if (!audit || audit._error) return null;
  const items = list(audit);
  return h("section", { id: "ticket-audit" }, h("details", null, h("summary", null, h("h2", { class: "inline" }, t("ticket.audit"), " ", h("span", { class: "muted" }, String(items.length)))),
    h("ol", { class: "audit" }, items.map((a) => h("li", null, when(a, "at"), " · ", a.actor || tv("actor.", a.actor_kind), " · ", h("code", null, a.action))))));
}

function timeView(times) {
  if (!times || times._error) return null;
  const items = list(times);
  const total = items.reduce((a, e) => a + (Number(e.seconds) || 0), 0);
  return h("section", { id: "ticket-time" }, h("h2", null, t("ticket.time"), " ", h("span", { class: "muted" }, hours(total))),
    items.length ? h("ul", null, items.map((e) => h("li", null, civil(e.work_date), " · ", dur(e.seconds), " · ", tv("kind.", e.kind),
      " · ", tv("cov.", e.coverage), e.user ? ` · ${e.user}` : "", e.note ? ` · ${e.note}` : "")))
      : h("p", { class: "muted" }, t("ticket.no_time")));
}

