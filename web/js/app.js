// app.js - the shell of the web UI: who is logged in, the top bar with
// navigation and the language toggle, and the client-side router (the
// server answers index.html for every path without a dot).
//
// Routes: /login; staff: /queue, /tickets/N, /review, /dashboard, /admin[/part];
// clients: /portal, /portal/tickets/N, /portal/balance.
import { h, clear, toast } from "./dom.js";
import { t, getLang, setLang } from "./i18n.js";
import { get, post, request, setCsrf, ApiError } from "./api.js";
import { errorSentence } from "./errors.js";
import { liveStart, liveStop, liveReset, titleChanged, soundOn, setSound } from "./live.js";

export const state = { user: null, view: null, timers: [] };

const main = () => document.getElementById("main");

export function isStaff() {
  return state.user && state.user.role !== "client";
}

// Every error a user can cause gets a clear sentence in the user's
// language, from the API's stable code, field and reason (errors.js);
// the server's own message goes to the browser's console, never to the
// page.
export function explain(e) {
  if (!(e instanceof ApiError)) {
    console.error(e);
    return errorSentence("unexpected");
  }
  if (e.message) console.warn("api:", e.status, e.code, e.message);
  if (e.status === 0) return t("error.network");
  if (e.status === 501 || (e.status === 404 && e.code === "not_found" && /route/i.test(e.message))) return t("error.missing", e.code);
  if (e.status === 412 || e.code === "stale" || e.code === "precondition_failed") return t("error.stale");
  if (e.status === 404) return t("error.notfound");
  return errorSentence(e.code, e.field, e.reason);
}

export function fail(e) {
  if (e instanceof ApiError && e.status === 401) { sessionLost(); return; }
  toast(explain(e), "error");
}

// The session ended (expired, or logged out elsewhere): back to the login,
// then here again.
export function sessionLost() {
  liveStop();
  state.user = null;
  setCsrf("");
  navigate("/login?next=" + encodeURIComponent(location.pathname + location.search), true);
}

// Timers that belong to the current page; cleared when the page changes.
export function every(ms, fn) {
  state.timers.push(setInterval(fn, ms));
}

export function navigate(path, replace) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  route();
}

// Same-origin links navigate in place (middle click and new tabs still
// work: only plain left clicks are taken).
document.addEventListener("click", (ev) => {
  const a = ev.target.closest && ev.target.closest("a[href]");
  if (!a || a.target || a.hasAttribute("download")) return;
  if ((a.getAttribute("href") || "").startsWith("#")) return;   // in-page (skip link)
  if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.includes(".")) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
});
// Back and forward; a change of the #fragment alone (the skip link) is not
// a new page.
window.addEventListener("popstate", () => {
  if (location.pathname + location.search !== lastRouted) route();
});

function topBar() {
  const top = document.getElementById("top");
  clear(top);
  top.hidden = false;
  const skip = document.querySelector(".skip");
  if (skip) skip.textContent = t("skip");
  const langBtn = h("button", {
    type: "button", class: "link lang", lang: getLang() === "es" ? "en" : "es",
    "aria-label": t("lang.toggle.label"),
    onclick: () => {
      setLang(getLang() === "es" ? "en" : "es");
      // Kept with the user too: the next login, on any device, opens in it.
      if (state.user) request("PATCH", "/api/session", { language: getLang() }).then((s) => { if (s && s.user) state.user = s.user; }).catch(() => { /* this browser keeps it */ });
      route();
    },
  }, t("lang.toggle"));
  const brand = h("a", { class: "brand", href: "/" }, t("app.name"));
  if (!state.user) {
    top.append(brand, h("div", { class: "spacer" }), langBtn);
    return;
  }
  const links = [];
  const here = location.pathname;
  const link = (href, key, prefix) => {
    const cur = here === href || (prefix && here.startsWith(prefix));
    return h("a", { href, "aria-current": cur ? "page" : null }, t(key));
  };
  if (isStaff()) {
    links.push(link("/queue", "nav.queue", "/tickets/"));
    if (["project_manager", "admin"].includes(state.user.role)) links.push(link("/dashboard", "nav.dashboard"), link("/reports", "nav.report"));
    if (state.user.role === "admin") links.push(link("/admin", "nav.admin", "/admin/"));
    if (state.user.role === "project_manager") links.push(link("/admin/canned", "admin.canned"));
  } else {
    links.push(link("/portal", "nav.portal", "/portal/tickets/"));
    links.push(link("/portal/balance", "nav.balance"));
  }
  const logout = h("button", {
    type: "button", class: "link",
    onclick: async () => {
      try { await request("DELETE", "/api/session"); } catch (_) { /* gone already */ }
      liveStop();
      state.user = null;
      setCsrf("");
      navigate("/login");
    },
  }, t("logout"));
  // The live queue's sound: off unless this browser turned it on.
  const sound = h("button", {
    type: "button", class: "link sound", "aria-pressed": soundOn() ? "true" : "false",
    title: t("live.sound.hint"),
    onclick: () => { setSound(!soundOn()); sound.setAttribute("aria-pressed", soundOn() ? "true" : "false"); sound.textContent = t(soundOn() ? "live.sound.on" : "live.sound.off"); },
  }, t(soundOn() ? "live.sound.on" : "live.sound.off"));
  top.append(
    brand,
    h("nav", { "aria-label": t("nav.label") }, links),
    h("div", { class: "spacer" }),
    h("span", { class: "who" }, state.user.name, " · ", t("role." + state.user.role)),
    ...(isStaff() ? [sound] : []), langBtn, logout,
  );
}

// The language the user chose on any device wins over this browser's.
function userLanguage() {
  const l = state.user && state.user.language;
  if (l && l !== getLang()) setLang(l);
}

async function loadSession() {
  try {
    const s = await get("/api/session");
    state.user = s.user;
    userLanguage();
    setCsrf(s.csrf_token);
  } catch (e) {
    state.user = null;
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 404)) throw e;
  }
}

function loginView(root, next) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true, id: "login-email" });
  const pass = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, id: "login-password" });
  const msg = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "card login", novalidate: false },
    h("h1", { tabindex: "-1" }, t("login.title")),
    h("div", { class: "field" }, h("label", { for: "login-email" }, t("login.email")), email),
    h("div", { class: "field" }, h("label", { for: "login-password" }, t("login.password")), pass),
    msg,
    h("button", { type: "submit", class: "primary" }, t("login.submit")),
    h("p", null, h("a", { href: "/forgot", id: "login-forgot" }, t("reset.forgot.link"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.textContent = "";
    try {
      const r = await post("/api/session", { email: email.value.trim(), password: pass.value });
      state.user = r.user;
      setCsrf(r.csrf_token);
      userLanguage();
      pass.value = "";
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : home(), true);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) msg.textContent = t("login.bad");
      else if (e instanceof ApiError && e.status === 429) msg.textContent = t("login.throttled");
      else msg.textContent = explain(e);
    }
  });
  root.append(
    form,
    h("section", { class: "card intake", "aria-labelledby": "intake-h" },
      h("h2", { id: "intake-h" }, t("intake.address")),
      h("p", null, t("intake")),
      h("p", null, t("intake.nocreate"))));
  email.focus();
}

function home() {
  if (!state.user) return "/login";
  return isStaff() ? "/queue" : "/portal";
}

const views = {
  queue: () => import("./queue.js"),
  ticket: () => import("./ticket.js"),
  dashboard: () => import("./dashboard.js"),
  report: () => import("./report.js"),
  admin: () => import("./admin.js"),
  portal: () => import("./portal.js"),
  review: () => import("./review.js"),
};

// The page's module guessed from the path alone, so that it loads while
// the session is asked for (the role decides the page afterwards; a wrong
// guess costs one cached request).
const VIEW_OF_PATH = { queue: "queue", tickets: "ticket", dashboard: "dashboard", reports: "report", admin: "admin", portal: "portal", review: "review" };
function preloadView(path) {
  const v = VIEW_OF_PATH[path.split("/")[1]];
  if (v) views[v]().catch(() => { /* the router reports it when it needs it */ });
}

let routing = 0;
let lastRouted = "";
let firstLoad = true;

export async function route() {
  const seq = ++routing;
  lastRouted = location.pathname + location.search;
  const started = performance.now();
  for (const id of state.timers) clearInterval(id);
  state.timers = [];
  liveReset();
  document.documentElement.lang = getLang();
  const path = location.pathname;
  const root = main();
  if (state.user === null && !["/login", "/forgot", "/reset"].includes(path)) {
    preloadView(path);
    try { await loadSession(); } catch (e) { clear(root); root.append(h("p", { class: "error" }, explain(e))); return; }
    performance.mark("session");
  }
  if (seq !== routing) return;
  topBar();
  clear(root);
  const busy = h("p", { class: "muted", "aria-busy": "true" }, t("loading"));
  root.append(busy);
  let m;
  try {
    // The password reset pages need no session.
    if (path === "/forgot" || path === "/reset") {
      const { forgotView, resetView } = await import("./reset.js");
      clear(root);
      (path === "/forgot" ? forgotView : resetView)(root);
      document.title = root.querySelector("h1").textContent + " · soporte";
      document.body.dataset.ready = path;
      firstLoad = false;
      return;
    }
    if (path === "/login" || !state.user) {
      clear(root);
      loginView(root, path === "/login" ? new URLSearchParams(location.search).get("next") : path + location.search);
      if (path !== "/login") history.replaceState(null, "", "/login?next=" + encodeURIComponent(path + location.search));
      document.title = t("login.title") + " · soporte";
      firstLoad = false;   // the login form has the focus; later pages move it
      return;
    }
    if (path === "/" || path === "") { navigate(home(), true); return; }
    let render = null, arg = null;
    if (isStaff()) {
      if (path === "/queue") render = "queue";
      else if ((m = path.match(/^\/tickets\/(\d{1,12})$/))) { render = "ticket"; arg = Number(m[1]); }
      else if (path === "/dashboard") render = "dashboard";
      else if (path === "/reports" && ["project_manager", "admin"].includes(state.user.role)) render = "report";
      else if (path === "/review" && state.user.role !== "renewals") render = "review";
      else if ((m = path.match(/^\/admin(?:\/([a-z_]+))?$/))) { render = "admin"; arg = m[1] || "clients"; }
      else if (path.startsWith("/portal")) { navigate("/queue", true); return; }
    } else {
      if (path === "/portal") { render = "portal"; arg = { page: "list" }; }
      else if ((m = path.match(/^\/portal\/tickets\/(\d{1,12})$/))) { render = "portal"; arg = { page: "ticket", number: Number(m[1]) }; }
      else if (path === "/portal/balance") { render = "portal"; arg = { page: "balance" }; }
      else if ((m = path.match(/^\/tickets\/(\d{1,12})$/))) { navigate("/portal/tickets/" + m[1], true); return; }
      else if (path === "/queue") { navigate("/portal", true); return; }
    }
    if (!render) {
      clear(root);
      root.append(h("h1", { tabindex: "-1" }, t("notfound.title")), h("p", null, h("a", { href: home() }, t("ticket.back"))));
      return;
    }
    const mod = await views[render]();
    if (seq !== routing) return;
    if (firstLoad) performance.mark("view");
    const page = h("div", { class: "page" });
    await mod.render(page, arg, { seq: () => seq === routing });
    if (seq !== routing) return;
    clear(root);
    root.append(page);
    const h1 = root.querySelector("h1");
    if (h1) {
      h1.setAttribute("tabindex", "-1");
      document.title = h1.textContent + " · soporte";
      titleChanged();
      // After an in-app navigation the heading takes the focus (screen
      // readers announce the new page); on the first load focus stays at
      // the top, so the first Tab reaches the skip link.
      if (!firstLoad && (!root.contains(document.activeElement) || document.activeElement === root)) h1.focus({ preventScroll: true });
    }
    // The bench reads these: the render alone, and on the first load the
    // time from navigation start (the page's time origin) to usable.
    if (firstLoad) document.body.dataset.loadMs = String(Math.round(performance.now()));
    firstLoad = false;
    document.body.dataset.ms = String(Math.round(performance.now() - started));
    document.body.dataset.ready = path;
    // The live stream once the page is in place: it holds one of the
    // browser's few connections to the server for good.
    liveStart(isStaff());
  } catch (e) {
    if (seq !== routing) return;
    if (e instanceof ApiError && e.status === 401) { state.user = null; navigate("/login?next=" + encodeURIComponent(path), true); return; }
    clear(root);
    root.append(h("h1", { tabindex: "-1" }, e instanceof ApiError && e.status === 404 ? t("error.notfound") : t("notfound.title")),
      h("p", { class: "error", role: "alert" }, explain(e)),
      h("p", null, h("a", { href: home() }, t("ticket.back"))));
    document.body.dataset.ready = path;
  }
}

route();
