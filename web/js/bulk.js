// bulk.js - a consultant's housekeeping: many tickets of the queue at
// once (assign, close: POST /api/tickets/bulk, one result per ticket), and
// on one ticket: merge with another of the same client, related tickets
// (links), the contact's phone. The server decides each ticket as it
// would alone; what it refused is said in the user's words.
import { h, field, select, toast } from "./dom.js";
import { t, tv } from "./i18n.js";
import { get, post } from "./api.js";
import { errorSentence } from "./errors.js";
import { ticketNo } from "./fmt.js";
import { fail } from "./app.js";

// A checkbox for a queue row, labelled for screen readers.
export function pickBox(tk) {
  return h("input", { type: "checkbox", class: "pick", value: String(tk.number),
    "aria-label": t("bulk.pick", tk.display_number || ticketNo(tk.number)) });
}

// The bar over the queue: select all, assign to, close as; shown once a
// row is picked. after() reloads the queue.
export async function bulkBar(root, after) {
  let users = [];
  try { users = ((await get("/api/users?limit=200")).items || []).filter((u) => u.role === "consultant" && u.active !== false); } catch (_) { /* a consultant may not list users */ }
  const picked = () => [...root.querySelectorAll("input.pick:checked")].map((x) => Number(x.value));
  const count = h("span", { id: "bulk-count" });
  const out = h("ul", { class: "bulk-results", "aria-live": "polite" });
  const who = select("assignee", users.map((u) => [u.id, u.name]), users.length ? users[0].id : "");
  const why = select("reason", [["duplicate", tv("reason.", "duplicate")], ["excluded", tv("reason.", "excluded")]], "duplicate");
  const words = h("input", { type: "text", name: "body", maxlength: 2000, placeholder: t("bulk.close.words"), "aria-label": t("bulk.close.words") });
  const run = async (body) => {
    const numbers = picked();
    if (!numbers.length) return;
    out.replaceChildren();
    try {
      const res = await post("/api/tickets/bulk", { numbers, ...body });
      const bad = (res.results || []).filter((r) => !r.ok);
      out.append(...bad.map((r) => h("li", { class: "error" }, `${ticketNo(r.number)}: `,
        errorSentence(r.error.code, null, r.error.reason))));
      toast(t("bulk.done", numbers.length - bad.length, numbers.length));
      if (!bad.length) await after();
    } catch (e) { fail(e); }
  };
  const bar = h("div", { class: "bulk", id: "bulk-bar", hidden: true, role: "region", "aria-label": t("bulk.title") },
    count,
    users.length ? h("form", { class: "inline", onsubmit: (ev) => { ev.preventDefault(); run({ action: "assign", assignee_id: Number(who.value) }); } },
      field(t("bulk.assign"), who), h("button", { type: "submit", id: "bulk-assign" }, t("bulk.assign.go"))) : null,
    h("form", { class: "inline", onsubmit: (ev) => {
      ev.preventDefault();
      if (!words.value.trim()) { words.focus(); return; }
      run({ action: "close", reason: why.value, body: words.value.trim() });
    } }, field(t("bulk.close"), why), words, h("button", { type: "submit", class: "danger", id: "bulk-close" }, t("bulk.close.go"))),
    out);
  const sync = () => {
    const n = picked().length;
    bar.hidden = n === 0;
    count.textContent = t("bulk.count", n);
  };
  root.addEventListener("change", (ev) => {
    if (ev.target.id === "pick-all")
      for (const x of root.querySelectorAll("input.pick")) x.checked = ev.target.checked;
    if (ev.target.classList.contains("pick") || ev.target.id === "pick-all") sync();
  });
  return bar;
}

export function pickAll() {
  return h("input", { type: "checkbox", id: "pick-all", "aria-label": t("bulk.all") });
}

// The ticket page: the contact's phone as a link to call.
export function phoneLink(tk) {
  return tk.contact_phone ? h("a", { href: "tel:" + tk.contact_phone.replace(/[^0-9+]/g, ""), id: "ticket-phone" }, tk.contact_phone) : null;
}

// The ticket page: merged away, or related tickets with a way to add and
// remove them (staff).
export function relations(tk, base, reload, staff) {
  const items = [];
  if (tk.merged_into)
    items.push(h("p", { class: "notice", id: "ticket-merged" }, t("ticket.merged_into"), " ",
      h("a", { href: "/tickets/" + tk.merged_into }, ticketNo(tk.merged_into))));
  const links = tk.links || [];
  const unlink = (n) => h("button", { type: "button", class: "small", "aria-label": t("act.unlink.label", ticketNo(n)), onclick: async () => {
    try { await post(base + "/unlink", { number: n }); await reload(); } catch (e) { fail(e); }
  } }, t("act.unlink"));
  items.push(links.length
    ? h("ul", { class: "links", id: "ticket-links" }, links.map((l) => h("li", null,
      h("a", { href: "/tickets/" + l.number }, ticketNo(l.number)), " ", l.subject, " · ", tv("state.", l.state),
      staff ? [" ", unlink(l.number)] : null)))
    : h("p", { class: "muted" }, t("ticket.no_links")));
  return h("section", { id: "ticket-related" }, h("h2", null, t("ticket.related")), items);
}

// The number typed in a merge or link form ("240", "#000240").
export function typedNumber(s) {
  const n = Number(String(s).replace(/[^0-9]/g, ""));
  return Number.isInteger(n) && n > 0 ? n : 0;
}
