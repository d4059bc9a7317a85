// queue.js - the staff queue: open tickets sorted by response deadline,
// each with a live countdown, filters kept in the URL (so a view can be
// bookmarked or shared) and full-text search. Keys: "/" search, j/k move,
// Enter opens.
import { exportButtons } from "./exports.js";
import { h, field, select, marked } from "./dom.js";
import { t, tv } from "./i18n.js";
import { get, post, request, qs, all } from "./api.js";
import { action, textarea, list, escChip } from "./ticket.js";
import { ticketNo, when } from "./fmt.js";
import { slaBadge, stamp, tickBadges, setRiskPercent } from "./sla.js";
import { state, every, navigate, fail } from "./app.js";
import { bulkBar, pickBox, pickAll } from "./bulk.js";
import { onLive } from "./live.js";

let clientsCache = null;
let policyRead = false;

async function clients() {
  if (clientsCache) return clientsCache;
  try { clientsCache = await all("/api/clients?limit=200", 5); } catch (_) { clientsCache = []; }
  return clientsCache;
}

export async function readPolicyRisk() {
  if (policyRead) return;
  policyRead = true;
  try {
    const p = await get("/api/policy");
    const v = p && (p.at_risk_percent ?? (p.sla && p.sla.at_risk_percent));
    setRiskPercent(v);
  } catch (_) { /* the default 75 % stands */ }
}

const FILTERS = ["who", "severity", "client_id", "state", "sla", "escalated", "q"];

// R1's one exception: the client's own e-mail is what fails, so a
// consultant opens the ticket for them, saying by which channel and why.
function openForm(cl) {
  const client = select("client_id", [["", "—"], ...cl.map((c) => [String(c.id), c.name])], "");
  client.required = true;
  const contact = select("contact_id", [["", "—"]], "");
  const product = select("product_id", [["", "—"]], "");
  client.addEventListener("change", async () => {
    const id = client.value;
    contact.replaceChildren(h("option", { value: "" }, "—"));
    product.replaceChildren(h("option", { value: "" }, "—"));
    if (!id) return;
    const [cs, ps] = await Promise.all([get("/api/contacts" + qs({ client_id: id, limit: 200 })), get("/api/products" + qs({ client_id: id, limit: 200 }))]);
    for (const c of list(cs)) contact.append(h("option", { value: c.id }, `${c.name} <${c.email}>`));
    for (const p of list(ps)) product.append(h("option", { value: p.id }, p.name));
  });
  return action("open.title", [
    h("p", { class: "muted" }, t("open.why")),
    field(t("f.client"), client), field(t("ticket.contact"), contact), field(t("ticket.product"), product),
    field(t("col.subject"), h("input", { type: "text", name: "subject", required: true, maxlength: 300 })),
    field(t("open.body"), textarea("body")),
    field(t("col.severity"), select("severity", [1, 2, 3, 4].map((n) => [n, `${n} · ${t("sev." + n)}`]), 3)),
    field(t("ticket.channel"), select("channel", [["phone", t("channel.phone")], ["other", t("channel.other")]], "phone")),
    field(t("open.reason"), h("input", { type: "text", name: "channel_reason", required: true, maxlength: 500 }))],
  async (f) => {
    const body = {
      client_id: Number(f.client_id.value), subject: f.subject.value, body: f.body.value,
      severity: Number(f.severity.value), channel: f.channel.value, channel_reason: f.channel_reason.value,
    };
    if (f.contact_id.value) body.contact_id = Number(f.contact_id.value);
    if (f.product_id.value) body.product_id = Number(f.product_id.value);
    const tk = await post("/api/tickets", body);
    navigate("/tickets/" + tk.number);
    return t("open.done", tk.display_number || ticketNo(tk.number));
  }, { name: "open", submit: t("open.submit") });
}

export async function render(root) {
  const params = new URLSearchParams(location.search);
  const f = {};
  for (const k of FILTERS) f[k] = params.get(k) || "";
  // A search looks in every state unless a filter says otherwise (a
  // closed ticket is often what one searches for).
  if (!f.state) f.state = f.q ? "all" : "open";

  const apiParams = {
    state: f.state === "all" ? "" : f.state,
    severity: f.severity, client_id: f.client_id, sla: f.sla, q: f.q, escalated: f.escalated,
    assignee: f.who === "mine" ? "me" : f.who === "unassigned" ? "none" : "",
    // The queue by deadline; a search newest first, as the API lists
    // found tickets (docs/api.md: ranking every match by deadline costs
    // ten times more for a common word).
    sort: f.q ? "" : "deadline", limit: 100,
  };
  const [page, cl] = await Promise.all([get("/api/tickets" + qs(apiParams)), clients(), readPolicyRisk()]);
  const tickets = (page.items || []).map(stamp);
  const byNo = new Map(tickets.map((x) => [x.number, x]));

  const apply = (changes) => {
    const next = { ...f, ...changes };
    const u = new URLSearchParams();
    for (const k of FILTERS) if (next[k] && !(k === "state" && next[k] === "open")) u.set(k, next[k]);
    const s = u.toString();
    navigate("/queue" + (s ? "?" + s : ""));
  };

  // Quick views: one click each.
  const chip = (key, label, changes, on) => h("button", {
    type: "button", class: "chip", "aria-pressed": on ? "true" : "false",
    onclick: () => apply(on ? Object.fromEntries(Object.keys(changes).map((k) => [k, ""])) : changes),
  }, label);
  const chips = h("div", { class: "chips", role: "group", "aria-label": t("queue.filters") },
    chip("mine", t("queue.mine"), { who: "mine" }, f.who === "mine"),
    chip("unassigned", t("queue.unassigned"), { who: "unassigned" }, f.who === "unassigned"),
    chip("sev1", t("sev.1"), { severity: "1" }, f.severity === "1"),
    chip("waiting", t("queue.waiting"), { state: "waiting_on_client" }, f.state === "waiting_on_client"),
    chip("renewal", t("queue.renewal"), { state: "renewal_required" }, f.state === "renewal_required"),
    chip("breached", t("sla.breached"), { sla: "breached" }, f.sla === "breached"),
    chip("escalated", t("queue.escalated"), { escalated: "true" }, f.escalated === "true"),
    state.user.role !== "renewals" ? h("a", { href: "/review", class: "chip" }, t("queue.review")) : null);

  const search = h("input", { type: "search", name: "q", value: f.q, placeholder: t("queue.search.ph"), id: "queue-q" });
  const who = select("who", [["", t("queue.all")], ["mine", t("queue.mine")], ["unassigned", t("queue.unassigned")]], f.who);
  const sev = select("severity", [["", t("queue.any")], ...[1, 2, 3, 4].map((n) => [String(n), `${n} · ${t("sev." + n)}`])], f.severity);
  const cli = select("client_id", [["", t("queue.any")], ...cl.map((c) => [String(c.id), c.name])], f.client_id);
  const st = select("state", [["open", t("queue.open")], ["all", t("queue.all")],
    ...["new", "assigned", "in_progress", "waiting_on_client", "solved", "closed", "renewal_required"].map((s) => [s, t("state." + s)])], f.state);
  const sla = select("sla", [["", t("queue.any")], ["pending", t("sla.ok")], ["at_risk", t("sla.at_risk")], ["breached", t("sla.breached")], ["met", t("sla.met")]], f.sla);
  const form = h("form", { class: "filters", role: "search" },
    field(t("queue.search"), search),
    field(t("queue.who"), who), field(t("queue.severity"), sev), field(t("queue.client"), cli),
    field(t("queue.state"), st), field(t("queue.sla"), sla),
    h("button", { type: "submit" }, t("queue.search")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    apply({ q: search.value.trim(), who: who.value, severity: sev.value, client_id: cli.value, state: st.value, sla: sla.value });
  });
  for (const sel of [who, sev, cli, st, sla]) sel.addEventListener("change", () => form.requestSubmit());

  // A search for a number ("240", "#000240") finds that ticket (docs/web.md).
  const byNumber = /^\s*#?\d{1,12}\s*$/.test(f.q) ? Number(f.q.replace(/[#\s]/g, "")) : 0;
  // A client's name filters the queue to that client.
  const clientLink = (tk) => {
    const name = tk.client_name || tk.client_domain || "—";
    const cid = tk.client_id;
    return cid && String(cid) !== f.client_id
      ? h("a", { href: "/queue?client_id=" + cid, class: "plain", title: t("queue.client") + ": " + name }, marked(name, f.q)) : marked(name, f.q);
  };
  // Many tickets at once (assign, close): staff who work the queue.
  const bulk = ["consultant", "project_manager", "admin"].includes(state.user.role);
  const rowOf = (tk) => {
    const take = !tk.assignee_id && tk.state !== "closed"
      ? h("button", { type: "button", class: "small", "aria-label": `${t("act.take")} ${tk.display_number || ticketNo(tk.number)}`, onclick: () => takeTicket(tk) }, t("act.take")) : null;
    return h("tr", { "data-number": tk.number, class: "sev-row sev-" + tk.severity },
      bulk ? h("td", { class: "pick" }, pickBox(tk)) : null,
      h("td", null, h("a", { href: "/tickets/" + tk.number, class: "tno" }, byNumber === tk.number ? h("mark", null, tk.display_number || ticketNo(tk.number)) : tk.display_number || ticketNo(tk.number))),
      h("td", { class: "subject" }, h("a", { href: "/tickets/" + tk.number, tabindex: "-1" }, marked(tk.subject, f.q))),
      h("td", null, clientLink(tk)),
      h("td", null, h("span", { class: "sev sev-" + tk.severity }, t("sev." + tk.severity)),
        tk.severity_confirmed === false ? [" ", h("span", { class: "prelim", title: t("sev.prelim.hint") }, t("sev.prelim.short"))] : null,
        // Issue 17: the model was unsure (the higher severity was taken).
        tk.severity_confirmed === false && tk.triage && tk.triage.flagged
          ? [" ", h("span", { class: "badge triage-flag", title: t("triage.flagged") }, t("triage.flag.short"))] : null),
      h("td", null, tv("state.", tk.state), tk.escalated ? [" ", escChip(tk)] : null,
        tk.client_replied_at ? h("span", { class: "badge", title: t("queue.client_replied_hint") }, " " + t("queue.client_replied")) : null),
      h("td", null, tk.assignee || h("span", { class: "muted" }, t("unassigned")), take ? " " : null, take),
      h("td", { class: "nowrap" }, when(tk, "response_due_at")),
      h("td", { "data-sla-for": tk.number }, slaBadge(tk)));
  };
  const table = h("table", { class: "queue" },
    h("caption", { class: "sr-only" }, t("queue.title")),
    h("thead", null, h("tr", null, bulk ? h("th", { scope: "col", class: "pick" }, pickAll()) : null,
      ...["number", "subject", "client", "severity", "state", "assignee", "due", "sla"].map((c) => h("th", { scope: "col" }, t("col." + c))))),
    h("tbody", null, tickets.map(rowOf)));
  const empty = h("p", { class: "empty" }, t("queue.empty"));
  const count = h("span", { class: "muted", id: "queue-count" }, t("queue.count", tickets.length));
  const scroll = h("div", { class: "scroll" }, table);
  scroll.hidden = !tickets.length;
  empty.hidden = !!tickets.length;

  root.append(
    h("div", { class: "head" }, h("h1", null, t("queue.title")), count,
      exportButtons("/api/exports/tickets", { ...apiParams, limit: "" })),
    chips,
    // On a phone the filters fold away (open when one is in use).
    h("details", { class: "filters-box", open: !matchMedia("(max-width: 800px)").matches || FILTERS.some((k) => k !== "state" && f[k]) || f.state !== "open" },
      h("summary", null, t("queue.filters")), form),
    ["consultant", "project_manager", "admin"].includes(state.user.role) ? openForm(cl) : null,
    bulk ? await bulkBar(root, () => navigate(location.pathname + location.search, true)) : null,
    scroll, empty);

  // Countdown: re-render every 15 s; fresh data from the API every 60 s.
  every(15000, () => tickBadges(root, byNo));
  every(60000, () => refresh());

  // Live (live.js): a change to a ticket redraws the rows from the API,
  // with the same filters; the rows that were not there before are
  // marked new. Changes that come together are fetched once.
  let pending = null;
  async function refresh(fresh) {
    try {
      const page2 = await get("/api/tickets" + qs(apiParams));
      if (!root.isConnected) return;
      const list2 = (page2.items || []).map(stamp);
      const known = new Set(byNo.keys());
      byNo.clear();
      for (const x of list2) byNo.set(x.number, x);
      const tbody = table.tBodies[0];
      // What the user was at stays: the focused row, the picked ones.
      const focused = tbody.contains(document.activeElement) ? document.activeElement.closest("tr").dataset.number : null;
      const picked = new Set([...tbody.querySelectorAll("input.pick:checked")].map((x) => x.value));
      tbody.replaceChildren(...list2.map((x) => {
        const row = rowOf(x);
        if (fresh && !known.has(x.number)) row.classList.add("fresh");
        return row;
      }));
      if (focused) { const a = tbody.querySelector(`tr[data-number="${focused}"] a.tno`); if (a) a.focus(); }
      const boxes = [...tbody.querySelectorAll("input.pick")].filter((x) => picked.has(x.value));
      for (const x of boxes) x.checked = true;
      if (boxes.length) boxes[0].dispatchEvent(new Event("change", { bubbles: true }));   // the bulk bar's count
      count.textContent = t("queue.count", list2.length);
      scroll.hidden = !list2.length;
      empty.hidden = !!list2.length;
    } catch (_) { /* keep the last good view */ }
  }
  onLive(() => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh(true); }, 200);
  });

  const onKey = (ev) => {
    if (!root.isConnected) { document.removeEventListener("keydown", onKey); return; }
    const tag = (ev.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const links = [...root.querySelectorAll("a.tno")];
    const i = links.indexOf(document.activeElement);
    if (ev.key === "/") { ev.preventDefault(); search.focus(); }
    else if (ev.key === "j" && links.length) { ev.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus(); }
    else if (ev.key === "k" && links.length) { ev.preventDefault(); links[Math.max(i - 1, 0)].focus(); }
  };
  document.addEventListener("keydown", onKey);

  async function takeTicket(tk) {
    try {
      const cur = await get("/api/tickets/" + tk.number);
      await request("POST", "/api/tickets/" + tk.number + "/assign", { assignee_id: state.user.id },
        { "If-Match": cur._etag || `"${cur.version}"` });
      navigate("/tickets/" + tk.number);
    } catch (e) { fail(e); }
  }
}
