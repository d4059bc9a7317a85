// review.js - the review queue (R3): mail from unknown senders, held and
// never auto-answered. Staff read each one (text; its HTML only in the
// sandboxed frame of the thread) and either make it a client's new ticket
// (the mail becomes the ticket's first message; its clock started when it
// arrived) or dismiss it. The server audits both.
import { h, field, select } from "./dom.js";
import { t } from "./i18n.js";
import { all, get, post, qs } from "./api.js";
import { action, list, thread } from "./ticket.js";
import { ticketNo } from "./fmt.js";
import { navigate } from "./app.js";

export async function render(root) {
  const [held, clients] = await Promise.all([all("/api/review?limit=200", 5), all("/api/clients?limit=200", 5)]);
  const after = () => navigate(location.pathname, true);
  root.append(
    h("div", { class: "head" }, h("h1", null, t("review.title")), h("span", { class: "muted", id: "review-count" }, t("review.count", held.length))),
    h("p", { class: "crumbs" }, h("a", { href: "/queue" }, "← " + t("ticket.back"))),
    h("p", { class: "muted" }, t("review.why")));
  if (!held.length) {
    root.append(h("p", { class: "empty" }, t("review.empty")));
    return;
  }
  for (const m of held) {
    const client = select("client_id", [["", "—"], ...clients.map((c) => [String(c.id), c.name])], "");
    client.required = true;
    const contact = select("contact_id", [["", t("review.no_contact")]], "");
    client.addEventListener("change", async () => {
      contact.replaceChildren(h("option", { value: "" }, t("review.no_contact")));
      if (!client.value) return;
      for (const c of list(await get("/api/contacts" + qs({ client_id: client.value, limit: 200 })))) {
        contact.append(h("option", { value: c.id }, `${c.name} <${c.email}>`));
      }
    });
    const make = action("review.ticket", [
      field(t("f.client"), client), field(t("ticket.contact"), contact, t("review.contact_hint")),
      field(t("col.severity"), select("severity", [1, 2, 3, 4].map((n) => [n, `${n} · ${t("sev." + n)}`]), 3))],
    async (f) => {
      const body = { client_id: Number(f.client_id.value), severity: Number(f.severity.value) };
      if (f.contact_id.value) body.contact_id = Number(f.contact_id.value);
      const r = await post(`/api/review/${m.id}/ticket`, body);
      navigate("/tickets/" + r.number);
      return t("open.done", ticketNo(r.number));
    }, { name: "review-ticket", submit: t("review.ticket.submit") });
    const dismiss = action("review.dismiss", field(t("f.note"), h("input", { type: "text", name: "note", maxlength: 2000 })),
      (f) => post(`/api/review/${m.id}/dismiss`, f.note.value ? { note: f.note.value } : {}),
      { after, name: "review-dismiss", danger: true, submit: t("review.dismiss") });
    root.append(h("section", { class: "card review", "data-review": m.id, "aria-label": m.subject || m.from },
      h("p", { class: "reason" }, h("strong", null, t("review.reason")), " ", m.review_reason),
      thread([{ ...m, kind: "in", attachments: [] }]),
      m.attachments ? h("p", { class: "muted small" }, t("review.attachments", m.attachments)) : null,
      h("div", { class: "actions" }, make, dismiss)));
  }
}
