// portal.js - the client portal: the organization's own tickets (the API
// scopes them; another client's ticket answers 404), their state and
// deadlines, reply, confirm the solution or say it is not solved, ask to
// raise the priority or to reach the Project Manager, hand over a
// credential, the hour balance, the contract and monthly statements.
// No ticket creation (R1): it says how to write to support instead.
import { h, field, select } from "./dom.js";
import { t, tv } from "./i18n.js";
import { get, post, qs } from "./api.js";
import { ticketNo, when, limaMonth, civil } from "./fmt.js";
import { slaBadge, liveBadge, stamp } from "./sla.js";
import { list, soft, thread, timeline, action, textarea, withFiles, statementView, contractView, currentContract, escChip } from "./ticket.js";
import { every, state } from "./app.js";

// How to open a ticket (R1), with the support address, phone rule and
// hours from the policy in force.
function intake(policy) {
  const c = (policy && policy.contact) || {};
  const sched = policy && policy.schedule ? (policy.schedule.mon || []).join(", ") : "";
  return h("section", { class: "card intake", "aria-labelledby": "intake-h" },
    h("h2", { id: "intake-h" }, t("intake.address")),
    c.support_address ? h("p", { class: "big-address" }, h("a", { href: "mailto:" + c.support_address }, c.support_address)) : null,
    h("p", null, t("intake")),
    sched ? h("p", null, t("intake.hours", sched)) : null,
    c.phone ? h("p", null, t("intake.phone", c.phone)) : null,
    h("p", null, t("intake.what")),
    h("p", { class: "muted" }, t("intake.nocreate")));
}

async function ticketsList(root) {
  const [page, policy, contracts] = await Promise.all([get("/api/tickets" + qs({ sort: "deadline", limit: 200 })), soft("/api/policy", null),
    soft("/api/contracts", { items: [] })]);
  const contract = currentContract(list(contracts));
  // Open tickets first (by deadline), then the closed ones, newest first.
  const closed = (x) => (x.state === "closed" ? 1 : 0);
  const items = list(page).map(stamp).sort((a, b) => closed(a) - closed(b) ||
    (closed(a) ? b.number - a.number : Date.parse(a.response_due_at) - Date.parse(b.response_due_at)));
  const table = h("table", { class: "queue" },
    h("caption", { class: "sr-only" }, t("portal.title")),
    h("thead", null, h("tr", null, ...["number", "subject", "severity", "state", "due", "sla"].map((c) => h("th", { scope: "col" }, t("col." + c))))),
    h("tbody", null, items.map((tk) => h("tr", { "data-number": tk.number },
      h("td", null, h("a", { href: "/portal/tickets/" + tk.number, class: "tno" }, tk.display_number || ticketNo(tk.number))),
      h("td", { class: "subject" }, tk.subject),
      h("td", null, h("span", { class: "sev sev-" + tk.severity }, t("sev." + tk.severity))),
      h("td", null, tv("state.", tk.state)),
      h("td", { class: "nowrap" }, when(tk, "response_due_at")),
      h("td", null, slaBadge(tk))))));
  root.append(h("h1", null, t("portal.title")),
    h("p", { class: "summary" }, contract ? [t("contract.plan"), ": ", h("strong", null, tv("plan.", contract.plan)), ` (${civil(contract.valid_from)} – ${civil(contract.valid_to)}) · `] : [t("contract.none"), " · "],
      h("a", { href: "/portal/balance" }, t("portal.balance"))),
    items.length ? h("div", { class: "scroll" }, table) : h("p", { class: "empty" }, t("queue.empty")),
    intake(policy));
}

async function ticketPage(root, number) {
  const base = "/api/tickets/" + number;
  const tk = stamp(await get(base));
  const msgs = await soft(base + "/messages?limit=200", { items: [] });
  const reload = async () => {
    const fresh = h("div", { class: "page" });
    await ticketPage(fresh, number);
    root.replaceWith(fresh);
    fresh.querySelector("h1").focus({ preventScroll: true });
  };
  const acts = [];
  if (tk.state === "solved") {
    acts.push(h("button", { type: "button", class: "primary", id: "confirm", onclick: async (ev) => {
      ev.target.disabled = true;
      try { await post(base + "/confirm", {}); await reload(); }
      catch (e) { (await import("./app.js")).fail(e); ev.target.disabled = false; }
    } }, t("portal.confirm")));
    // "Not solved" reopens the ticket (R9); where the API has no reopen
    // route, the client's reply says it and staff reopen.
    acts.push(action("portal.notsolved", field(t("portal.notsolved.label"), textarea("body")),
      (f) => post(base + "/reopen", { note: f.body.value }).catch((e) => {
        if (e.status === 404 && /route/i.test(e.message)) return post(base + "/replies", { body: f.body.value });
        throw e;
      }), { after: reload, name: "notsolved" }));
  }
  if (tk.state !== "closed") {
    acts.push(withFiles("portal.reply", t("portal.reply.label"), base, "/replies", { after: reload, name: "reply" }));
    // R7: one step at a time: first the consultant, then the Project
    // Manager, once.
    if (!tk.raise_requested && !tk.escalation_level) {
      acts.push(action("portal.raise", field(t("act.note.optional"), textarea("note", false)),
        (f) => post(base + "/escalations", { kind: "raise_priority", note: f.note.value || null }), { after: reload, name: "raise" }));
    } else if (!tk.escalation_level) {
      acts.push(action("portal.pm", field(t("act.note.optional"), textarea("note", false)),
        (f) => post(base + "/escalations", { kind: "project_manager", note: f.note.value || null }), { after: reload, name: "pm" }));
    }
    acts.push(action("portal.secret", [field(t("secret.label"), h("input", { type: "text", name: "label", required: true, maxlength: 100 })),
      field(t("secret.value"), h("input", { type: "password", name: "value", required: true, maxlength: 4096, autocomplete: "off" }), t("secret.hint"))],
    (f) => post(base + "/secrets", { label: f.label.value, value: f.value.value }).then(() => { f.value.value = ""; }),
    { after: reload, name: "secret" }));
  }
  const slaBox = liveBadge(tk, () => get(base), every);
  root.append(
    h("p", { class: "crumbs" }, h("a", { href: "/portal" }, "← " + t("portal.title"))),
    h("h1", null, h("span", { class: "tno" }, tk.display_number || ticketNo(tk.number)), " ", tk.subject),
    h("div", { class: "badges" },
      h("span", { class: "sev sev-" + tk.severity }, t("sev." + tk.severity)),
      tk.severity_confirmed === false ? h("span", { class: "prelim", title: t("sev.prelim.hint") }, t("sev.prelim")) : null,
      h("span", { class: "state", "data-state": tk.state }, tv("state.", tk.state)),
      tk.escalated ? escChip(tk) : null,
      slaBox),
    h("div", { class: "ticket-grid" },
      h("div", { class: "maincol" },
        acts.length ? h("section", { class: "actions", "aria-label": t("ticket.actions") }, acts) : null,
        h("section", { "aria-labelledby": "thread-h" }, h("h2", { id: "thread-h" }, t("ticket.thread")), thread(list(msgs)))),
      h("aside", { class: "side" },
        h("section", null, h("h2", null, t("ticket.timeline")), timeline(tk)),
        h("section", null, h("h2", null, t("ticket.details")), h("dl", { class: "kv" },
          h("dt", null, t("ticket.product")), h("dd", null, tk.product || "—"),
          h("dt", null, t("ticket.coverage")), h("dd", null, tv("cov.", tk.coverage)),
          h("dt", null, t("ticket.escalation")), h("dd", null, tv("esc.", tk.escalation_level)))))));
}

// The statements as documents: each month with time logged or a
// statement mailed, a PDF to download (the API checks the client).
function statementFiles(cid, months) {
  const items = list(months);
  if (!items.length) return h("p", { class: "muted" }, t("portal.pdf.none"));
  return h("ul", { class: "statement-files", id: "portal-statement-files" }, items.map((x) =>
    h("li", null,
      h("a", { href: `/api/clients/${cid}/statement.pdf` + qs({ month: x.month }), download: "" },
        t("portal.pdf.month", x.month.slice(5) + "/" + x.month.slice(0, 4))),
      x.sent ? h("span", { class: "muted" }, " · " + t("portal.pdf.sent", when(x, "last_sent_at"))) : null)));
}

async function balancePage(root) {
  const month = new URLSearchParams(location.search).get("month") || limaMonth();
  const cid = state.user && state.user.client_id;
  const [contracts, st, files] = await Promise.all([soft("/api/contracts", { items: [] }), soft("/api/statements" + qs({ month })),
    cid ? soft(`/api/clients/${cid}/statements`, { items: [] }) : { items: [] }]);
  const months = [];
  const [y, m] = limaMonth().split("-").map(Number);
  for (let i = 0; i < 12; i++) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  const pick = select("month", months.map((x) => [x, x.slice(5) + "/" + x.slice(0, 4)]), month);
  const form = h("form", { class: "filters" }, field(t("portal.month"), pick), h("button", { type: "submit" }, t("act.show")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    import("./app.js").then((a) => a.navigate("/portal/balance?month=" + pick.value));
  });
  pick.addEventListener("change", () => form.requestSubmit());
  root.append(h("h1", null, t("portal.balance")),
    h("section", { class: "card", id: "portal-contract" }, h("h2", null, t("ticket.contract")), contractView(currentContract(list(contracts)))),
    h("section", { class: "card", id: "portal-statement" }, h("h2", null, t("portal.statements")), form, statementView(st)),
    cid ? h("section", { class: "card", id: "portal-pdf" }, h("h2", null, t("portal.pdf")), statementFiles(cid, files)) : null);
}

export async function render(root, arg) {
  if (arg.page === "ticket") return ticketPage(root, arg.number);
  if (arg.page === "balance") return balancePage(root);
  return ticketsList(root);
}
