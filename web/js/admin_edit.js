// admin_edit.js - editing a row of the admin page in place: a disclosure
// "Edit" with the row's editable fields filled in; saving sends only what
// changed (PATCH; the server audits the values before and after). Rows
// that are referenced are deactivated, never deleted ("active"). A role
// change asks for confirmation first. Several choices are a list of
// checkboxes (no Ctrl-click).
import { h, field, select, toast } from "./dom.js";
import { t } from "./i18n.js";
import { request } from "./api.js";
import { explain, fail } from "./app.js";

// checks(name, options, chosen): a labelled checkbox per option.
export function checks(name, options, chosen) {
  const have = new Set((chosen || []).map(String));
  return h("fieldset", { class: "checks", "data-name": name },
    options.length ? options.map(([v, label]) => h("label", null,
      h("input", { type: "checkbox", name, value: v, checked: have.has(String(v)) }), " ", label))
      : h("span", { class: "muted small" }, "—"));
}
export const checked = (root, name) => [...root.querySelectorAll(`input[type=checkbox][name="${name}"]:checked`)].map((b) => Number(b.value));

// A control for one field spec: [key, labelKey, kind, extra].
function control(spec, v) {
  const [key, , kind, extra] = spec;
  if (kind === "bool") {
    const b = h("input", { type: "checkbox", name: key });
    b.checked = v !== false && v !== 0 && v !== null && v !== undefined ? Boolean(v) : false;
    return b;
  }
  if (kind === "select") return select(key, extra, v);
  if (kind === "checks") return checks(key, extra, v);
  if (kind === "money") return h("input", { type: "number", name: key, min: 0, step: "0.01", value: v == null ? "" : (v / 100).toFixed(2) });
  const attrs = { name: key, type: kind || "text", value: v ?? "" };
  if (kind === "number") Object.assign(attrs, extra || {});
  return h("input", attrs);
}

function valueOf(form, spec) {
  const [key, , kind] = spec;
  if (kind === "checks") return checked(form, key);
  const el = form.elements[key];
  if (kind === "bool") return el.checked;
  if (kind === "number") return Number(el.value);
  if (kind === "money") return Math.round(Number(el.value) * 100);
  if (kind === "date" || key === "phone" || key === "note") return el.value || null;
  return el.value;
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// editor(path, specs, row, after, opts): the row's "Edit" disclosure.
// opts.confirm(changes) may ask before saving (false: not saved);
// opts.extra: more buttons (the user's password reset).
export function editor(path, specs, row, after, opts = {}) {
  const msg = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "action-form edit-form" },
    specs.map((sp) => {
      const c = control(sp, row[sp[0]]);
      return sp[2] === "checks" ? h("div", { class: "field" }, h("span", { class: "label" }, t(sp[1])), c) : field(t(sp[1]), c);
    }),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, t("edit.save")), opts.extra || null), msg);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    const changes = {};
    for (const sp of specs) {
      const v = valueOf(form, sp);
      if (!same(v, row[sp[0]] ?? (sp[2] === "bool" ? true : null))) changes[sp[0]] = v;
    }
    if (!Object.keys(changes).length) { msg.textContent = t("edit.nothing"); return; }
    if (opts.confirm && !opts.confirm(changes)) return;
    try {
      await request("PATCH", path, changes);
      toast(t("saved"));
      after();
    } catch (e) { msg.textContent = explain(e); }
  });
  const label = row.name || row.number || row.title || "#" + row.id;
  return h("details", { class: "action edit", "data-edit": path },
    h("summary", { "aria-label": `${t("edit.open")}: ${label}` }, t("edit.open")), form);
}

// The user's password reset: the server mails a one-time link.
export function resetButton(user) {
  const b = h("button", { type: "button", class: "small", "data-reset": user.id }, t("edit.reset"));
  b.addEventListener("click", async () => {
    if (!window.confirm(t("edit.reset.confirm", user.name, user.email))) return;
    try { await request("POST", `/api/users/${user.id}/password-reset`); toast(t("edit.reset.sent", user.email)); } catch (e) { fail(e); }
  });
  return b;
}
