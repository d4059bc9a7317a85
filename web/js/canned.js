// canned.js - canned replies: the picker of the reply box, and their
// management (admins and the Project Manager) on the admin page.
//
// The picker lists the ticket's replies already filled by the server
// (GET /api/tickets/{n}/canned-replies: {{ticket}}, {{client}},
// {{deadline}}, {{consultant}}, {{contact}} from the ticket, in the
// client's language). It opens from its button, or from the keyboard in
// the reply box: "/" at the start of a line, or Ctrl+Space. Typing
// filters it, arrows move, Enter inserts at the cursor, Escape closes.
// The inserted text stays editable before sending.
import { h, field, toast } from "./dom.js";
import { t } from "./i18n.js";
import { get, post, request } from "./api.js";
import { fail } from "./app.js";

export function cannedPicker(base, box) {
  let replies = null;
  let slashAt = -1;   // where the "/" that opened the list was typed
  const filter = h("input", { type: "search", class: "canned-filter", "aria-label": t("canned.filter"), autocomplete: "off" });
  const list = h("ul", { class: "canned-list", role: "listbox", "aria-label": t("canned.title") });
  const pop = h("div", { class: "canned-pop", hidden: true }, filter, list);
  const btn = h("button", { type: "button", class: "small", "aria-haspopup": "listbox", "aria-expanded": "false" }, t("canned.insert"));

  const shown = () => [...list.querySelectorAll("li")];
  function mark(i) {
    const items = shown();
    items.forEach((li, k) => li.setAttribute("aria-selected", k === i ? "true" : "false"));
  }
  function draw() {
    const q = filter.value.trim().toLowerCase();
    const hits = (replies || []).filter((r) => !q || r.title.toLowerCase().includes(q) || r.text.toLowerCase().includes(q));
    list.replaceChildren(...(hits.length ? hits.map((r) => {
      const li = h("li", { role: "option", "data-id": r.id }, h("strong", null, r.title), h("span", { class: "muted small" }, r.text.slice(0, 90)));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(r); });
      return li;
    }) : [h("li", { class: "muted", "aria-disabled": "true" }, t(replies && replies.length ? "canned.nomatch" : "canned.none"))]));
    mark(hits.length ? 0 : -1);
  }
  async function open(fromSlash) {
    slashAt = fromSlash ? box.selectionStart - 1 : -1;
    if (replies === null) {
      try { replies = (await get(base + "/canned-replies")).items || []; } catch (e) { fail(e); replies = null; return; }
    }
    filter.value = "";
    pop.hidden = false;
    btn.setAttribute("aria-expanded", "true");
    draw();
    filter.focus();
  }
  function close(back) {
    pop.hidden = true;
    btn.setAttribute("aria-expanded", "false");
    slashAt = -1;
    if (back) box.focus();
  }
  function pick(r) {
    const v = box.value;
    let at = box.selectionStart ?? v.length, end = box.selectionEnd ?? v.length;
    if (slashAt >= 0 && v[slashAt] === "/") { at = slashAt; end = Math.max(end, slashAt + 1); }
    box.value = v.slice(0, at) + r.text + v.slice(end);
    const caret = at + r.text.length;
    close(true);
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }
  btn.addEventListener("click", () => (pop.hidden ? open(false) : close(true)));
  filter.addEventListener("input", draw);
  filter.addEventListener("keydown", (ev) => {
    const items = shown().filter((li) => li.dataset.id);
    const cur = items.findIndex((li) => li.getAttribute("aria-selected") === "true");
    if (ev.key === "Escape") { ev.preventDefault(); ev.stopPropagation(); close(true); }
    else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (items.length) mark((cur + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length);
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      const li = items[Math.max(cur, 0)];
      const r = li && replies.find((x) => String(x.id) === li.dataset.id);
      if (r) pick(r);
    }
  });
  filter.addEventListener("blur", () => setTimeout(() => { if (!pop.contains(document.activeElement)) { pop.hidden = true; btn.setAttribute("aria-expanded", "false"); } }, 150));
  box.addEventListener("keydown", (ev) => {
    if (ev.key === " " && ev.ctrlKey) { ev.preventDefault(); open(false); }
  });
  box.addEventListener("input", (ev) => {
    if (ev.inputType !== "insertText" || ev.data !== "/") return;
    const p = box.selectionStart;
    if (p === 1 || box.value[p - 2] === "\n") open(true);
  });
  return h("div", { class: "canned" }, btn, h("span", { class: "muted small" }, t("canned.keys")), pop);
}

// The admin page's part: the replies of both languages, each editable in
// place, and a form for a new one.
export async function adminPart(root, after) {
  const items = (await get("/api/canned-replies")).items || [];
  const langSel = (v) => {
    const s = h("select", { name: "language" }, ["es", "en"].map((l) => h("option", { value: l }, t("canned.lang." + l))));
    s.value = v || "es";
    return s;
  };
  const form = (r) => {
    const f = h("form", { class: "action-form canned-edit", "data-id": r ? r.id : "" },
      field(t("canned.lang"), langSel(r && r.language)),
      field(t("canned.name"), h("input", { name: "title", required: true, maxlength: 120, value: r ? r.title : "" })),
      field(t("canned.body"), h("textarea", { name: "body", rows: 5, required: true, maxlength: 20000 }, r ? r.body : ""), t("canned.vars")),
      h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, t(r ? "canned.save" : "canned.add")),
        r ? h("button", { type: "button", class: "danger", "data-remove": r.id }, t("admin.remove")) : null));
    const msg = h("p", { class: "error", role: "alert" });
    f.append(msg);
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.textContent = "";
      const b = { language: f.language.value, title: f.title.value, body: f.body.value };
      try {
        if (r) await request("PATCH", "/api/canned-replies/" + r.id, b);
        else await post("/api/canned-replies", b);
        toast(t("saved"));
        after();
      } catch (e) { const { explain } = await import("./app.js"); msg.textContent = explain(e); }
    });
    const rm = f.querySelector("[data-remove]");
    if (rm) rm.addEventListener("click", async () => {
      if (!window.confirm(t("canned.remove.confirm", r.title))) return;
      try { await request("DELETE", "/api/canned-replies/" + r.id); toast(t("saved")); after(); } catch (e) { fail(e); }
    });
    return f;
  };
  root.append(h("p", { class: "muted" }, t("canned.about")),
    h("details", { class: "action", "data-action": "canned-new" }, h("summary", null, t("admin.new")), form(null)),
    items.length ? h("ul", { class: "canned-admin" }, items.map((r) => h("li", null,
      h("details", null, h("summary", null, `[${r.language}] ${r.title}`), form(r)))))
      : h("p", { class: "muted" }, t("canned.none")));
}
