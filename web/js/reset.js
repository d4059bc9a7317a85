// reset.js - the password reset pages, open without a session: "Forgot
// your password?" (the address; the answer is the same whether or not
// it is an account's) and the mailed link's page, which sets the new
// password (its token comes after '#', so it never reaches the server's
// logs; POST /api/password-reset/confirm).
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { post } from "./api.js";
import { explain } from "./app.js";

function card(title, ...children) {
  return h("form", { class: "card login" }, h("h1", { tabindex: "-1" }, title), ...children);
}

export function forgotView(root) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, id: "forgot-email" });
  const msg = h("p", { class: "error", role: "alert" });
  const done = h("p", { class: "ok", role: "status", id: "forgot-done" });
  const form = card(t("reset.forgot.title"),
    h("p", null, t("reset.forgot.intro")),
    h("div", { class: "field" }, h("label", { for: "forgot-email" }, t("login.email")), email),
    msg, done,
    h("button", { type: "submit", class: "primary" }, t("reset.forgot.send")),
    h("p", null, h("a", { href: "/login" }, t("reset.back"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    try {
      await post("/api/password-reset", { email: email.value.trim() });
      done.textContent = t("reset.forgot.done");
    } catch (e) { msg.textContent = explain(e); }
  });
  root.append(form);
  email.focus();
}

export function resetView(root) {
  const token = location.hash.replace(/^#/, "");
  const pass = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 10, maxlength: 256, id: "reset-password" });
  const again = h("input", { type: "password", name: "again", autocomplete: "new-password", required: true, id: "reset-again" });
  const msg = h("p", { class: "error", role: "alert" });
  const done = h("p", { class: "ok", role: "status", id: "reset-done" });
  const form = card(t("reset.title"),
    h("p", null, t("reset.intro")),
    h("div", { class: "field" }, h("label", { for: "reset-password" }, t("reset.new")), pass),
    h("div", { class: "field" }, h("label", { for: "reset-again" }, t("reset.again")), again),
    msg, done,
    h("button", { type: "submit", class: "primary" }, t("reset.save")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    if (pass.value !== again.value) { msg.textContent = t("reset.mismatch"); return; }
    try {
      await post("/api/password-reset/confirm", { token, password: pass.value });
      pass.value = again.value = "";
      history.replaceState(null, "", "/reset");   // the spent token leaves the address bar
      done.replaceChildren(t("reset.done"), " ", h("a", { href: "/login", id: "reset-login" }, t("login.submit")));
    } catch (e) { msg.textContent = explain(e); }
  });
  if (!token) msg.textContent = t("reset.nolink");
  root.append(form);
  pass.focus();
}
