// admin.js - administration: clients, contacts, products (warranty),
// contracts, purchase orders, users and roles, the holiday calendar
// (.ics import) and the policy in force. Each part is one table read
// from the API and one labelled form that creates through it.
import { h, field, select, toast } from "./dom.js";
import { t, tv, getLang } from "./i18n.js";
import { all, get, post, request, qs } from "./api.js";
import { civil, hours, soles } from "./fmt.js";
import { action, list, soft } from "./ticket.js";
import { navigate, fail, state } from "./app.js";
import { adminPart as cannedPart } from "./canned.js";
import { editor, resetButton, checks, checked } from "./admin_edit.js";

const LANGS = () => [["es", t("canned.lang.es")], ["en", t("canned.lang.en")]];
const ROLES = ["consultant", "project_manager", "renewals", "admin", "client"];

const PARTS = ["clients", "contacts", "products", "contracts", "pos", "users", "canned", "holidays", "policy"];
const LABEL = { clients: "admin.clients", contacts: "admin.contacts", products: "admin.products", contracts: "admin.contracts",
  pos: "admin.pos", users: "admin.users", canned: "admin.canned", holidays: "admin.holidays", policy: "admin.policy" };

function addMonths(iso, n) {
  if (!iso) return null;
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCMonth(d.getUTCMonth() + Number(n || 0));
  return d.toISOString().slice(0, 10);
}

function input(name, type = "text", extra = {}) {
  return h("input", { name, type, ...extra });
}

function table(cols, rows) {
  return h("div", { class: "scroll" }, h("table", { class: "queue" },
    h("thead", null, h("tr", null, cols.map(([, label]) => h("th", { scope: "col" }, t(label))))),
    h("tbody", null, rows.map((r) => h("tr", null, cols.map(([k, , f]) => h("td", null, f ? f(r[k], r) : r[k] ?? "—")))))));
}

// An imported holiday goes (the policy's own live in the policy file);
// the open tickets' deadlines follow it on the server (R6).
function removeHoliday(date, name, after) {
  const b = h("button", { type: "button", class: "small", "aria-label": `${t("admin.remove")}: ${name} (${civil(date)})` }, t("admin.remove"));
  b.addEventListener("click", async () => {
    if (!window.confirm(t("admin.remove.confirm", `${name} (${civil(date)})`))) return;
    try {
      const r = await post("/api/holidays/remove", { date });
      toast(t("admin.remove.done", r.tickets_moved));
      after();
    } catch (e) { fail(e); }
  });
  return b;
}

export async function render(root, part) {
  if (!PARTS.includes(part)) part = "clients";
  // The Project Manager manages the canned replies, nothing else here.
  if (state.user.role === "project_manager") part = "canned";
  const tabs = h("nav", { class: "tabs", "aria-label": t("admin.title") },
    (state.user.role === "admin" ? PARTS : ["canned"]).map((p) => h("a", { href: "/admin/" + p, "aria-current": p === part ? "page" : null }, t(LABEL[p]))));
  root.append(h("h1", null, t("admin.title"), " · ", t(LABEL[part])), tabs);
  const after = () => navigate(location.pathname + location.search, true);
  const paths = { clients: "/api/clients", contacts: "/api/contacts", products: "/api/products", contracts: "/api/contracts", pos: "/api/purchase-orders", users: "/api/users" };
  const [clients, prefetched, contractProducts] = await Promise.all([
    ["contacts", "products", "contracts", "pos", "users"].includes(part) ? all("/api/clients?limit=200", 5).catch(() => []) : [],
    paths[part] ? all(paths[part] + "?limit=200", 5) : null,
    part === "contracts" ? all("/api/products?limit=200", 5).catch(() => []) : [],
  ]);
  const clientName = (id) => (clients.find((c) => c.id === id) || {}).name || id;
  // Pickers offer only what is active; tables show everything.
  const clientSel = () => select("client_id", clients.filter((c) => c.active !== false).map((c) => [c.id, c.name]));
  const B = (v) => (v ? t("yes") : t("no"));
  const A = (v) => (v === false ? h("span", { class: "badge inactive" }, t("edit.inactive")) : t("yes"));
  const edit = (base, specs, opts) => ["id", "edit.open", (id, row) => editor(`${base}/${id}`, specs, row, after, opts ? opts(row) : {})];

  if (part === "clients") {
    const rows = prefetched;
    root.append(action("admin.new", [field(t("f.name"), input("name", "text", { required: true })), field(t("f.domain"), input("domain", "text", { required: true })),
      field(t("f.monthly"), select("monthly", [["0", t("no")], ["1", t("yes")]]))],
    (f) => post("/api/clients", { name: f.name.value, domain: f.domain.value, monthly_service: f.monthly.value === "1" }), { after, name: "client-new" }),
    table([["name", "f.name"], ["domain", "f.domain"], ["monthly_service", "f.monthly", B], ["active", "f.active", A],
      edit("/api/clients", [["name", "f.name"], ["domain", "f.domain"], ["monthly_service", "f.monthly", "bool"],
        ["language", "canned.lang", "select", LANGS()], ["active", "f.active", "bool"]])], rows));
  } else if (part === "contacts") {
    const rows = prefetched;
    root.append(action("admin.new", [field(t("f.client"), clientSel()), field(t("f.name"), input("name", "text", { required: true })),
      field(t("f.email"), input("email", "email", { required: true })), field(t("f.phone"), input("phone", "tel")),
      field(t("f.billing"), select("billing", [["0", t("no")], ["1", t("yes")]]))],
    (f) => post("/api/contacts", { client_id: Number(f.client_id.value), name: f.name.value, email: f.email.value, phone: f.phone.value || null, billing: f.billing.value === "1" }), { after }),
    table([["client_id", "f.client", clientName], ["name", "f.name"], ["email", "f.email"], ["phone", "f.phone"], ["billing", "f.billing", B], ["active", "f.active", A],
      edit("/api/contacts", [["name", "f.name"], ["email", "f.email", "email"], ["phone", "f.phone", "tel"], ["billing", "f.billing", "bool"], ["active", "f.active", "bool"]])], rows));
  } else if (part === "products") {
    const rows = prefetched;
    root.append(action("admin.new", [field(t("f.client"), clientSel()), field(t("f.name"), input("name", "text", { required: true })),
      field(t("f.type"), input("type", "text", { required: true, pattern: "[a-z0-9_]+" })),
      field(t("admin.delivered"), input("delivered_on", "date", { required: true })),
      field(t("admin.warranty"), input("warranty_months", "number", { min: 0, max: 24, value: 1, required: true }))],
    (f) => post("/api/products", { client_id: Number(f.client_id.value), name: f.name.value, type: f.type.value, delivered_on: f.delivered_on.value, warranty_months: Number(f.warranty_months.value) }), { after }),
    table([["client_id", "f.client", clientName], ["name", "f.name"], ["type", "f.type"], ["delivered_on", "admin.delivered", civil],
      ["warranty_months", "admin.warranty"], ["id", "admin.warranty_until", (_, r) => civil(addMonths(r.delivered_on, r.warranty_months))],
      ["active", "f.active", A],
      edit("/api/products", [["name", "f.name"], ["type", "f.type"], ["delivered_on", "admin.delivered", "date"],
        ["warranty_months", "admin.warranty", "number", { min: 0, max: 24 }], ["active", "f.active", "bool"]])], rows));
  } else if (part === "contracts") {
    const rows = prefetched;
    // The products the contract covers (R12): the chosen client's.
    const products = contractProducts;
    const csel = clientSel();
    const psel = h("div", { class: "product-checks" });
    const ofClient = (cid) => products.filter((p) => String(p.client_id) === String(cid) && p.active !== false).map((p) => [p.id, p.name]);
    const fillProducts = () => { psel.replaceChildren(checks("product_ids", ofClient(csel.value), [])); };
    csel.addEventListener("change", fillProducts);
    fillProducts();
    const productName = (id) => (products.find((p) => p.id === id) || {}).name || "#" + id;
    root.append(action("admin.new", [field(t("f.client"), csel),
      field(t("f.plan"), select("plan", ["per_event", "basic", "enterprise"].map((p) => [p, t("plan." + p)]), "basic")),
      field(t("f.from"), input("valid_from", "date", { required: true })), field(t("f.to"), input("valid_to", "date", { required: true })),
      field(t("contract.rate") + " (S/)", input("rate", "number", { min: 0, step: "0.01", value: "120.00" })),
      h("div", { class: "field" }, h("span", { class: "label" }, t("f.products")), psel)],
    (f) => post("/api/contracts", { client_id: Number(f.client_id.value), plan: f.plan.value, valid_from: f.valid_from.value, valid_to: f.valid_to.value,
      hourly_rate_cents: Math.round(Number(f.rate.value) * 100), product_ids: checked(psel, "product_ids") }), { after }),
    table([["client_id", "f.client", clientName], ["plan", "f.plan", (v) => tv("plan.", v)], ["valid_from", "f.from", civil], ["valid_to", "f.to", civil],
      ["hourly_rate_cents", "contract.rate", soles], ["product_ids", "f.products", (v) => (v || []).map(productName).join(", ") || "—"],
      ["ended_on", "edit.ended", (v) => (v ? civil(v) : "—")],
      ["id", "contract.document", (id) => h("a", { class: "button small", href: `/api/contracts/${id}.pdf`, download: "", "data-export": "pdf" }, "PDF")],
      ["id", "edit.open", (id, row) => editor(`/api/contracts/${id}`, [["valid_from", "f.from", "date"], ["valid_to", "f.to", "date"],
        ["hourly_rate_cents", "contract.rate", "money"], ["ended_on", "edit.ended", "date"],
        ["product_ids", "f.products", "checks", products.filter((p) => p.client_id === row.client_id).map((p) => [p.id, p.name])]], row, after)]], rows));
  } else if (part === "pos") {
    const rows = prefetched;
    root.append(action("admin.new", [field(t("f.client"), clientSel()), field(t("f.number"), input("number", "text", { required: true })),
      field(t("f.date"), input("issued_on", "date", { required: true })), field(t("f.hours"), input("hours", "number", { min: 1, value: 1, step: "0.5" }))],
    (f) => post("/api/purchase-orders", { client_id: Number(f.client_id.value), number: f.number.value, issued_on: f.issued_on.value, hours_s: Math.round(Number(f.hours.value) * 3600) }), { after }),
    table([["client_id", "f.client", clientName], ["number", "f.number"], ["issued_on", "f.date", civil], ["hours_s", "f.hours", hours], ["note", "f.note"],
      ["active", "f.active", A], edit("/api/purchase-orders", [["note", "f.note"], ["active", "f.active", "bool"]])], rows));
  } else if (part === "users") {
    const rows = prefetched;
    const cl = clients;
    // A role change says what it does and asks first.
    const userOpts = (u) => ({
      extra: resetButton(u),
      confirm: (ch) => !ch.role || window.confirm(t("edit.role.confirm", u.name, t("role." + u.role), t("role." + ch.role))),
    });
    root.append(action("admin.new", [field(t("f.name"), input("name", "text", { required: true })), field(t("f.email"), input("email", "email", { required: true })),
      field(t("f.role"), select("role", ["consultant", "project_manager", "renewals", "admin", "client"].map((r) => [r, t("role." + r)]), "consultant")),
      field(t("f.client"), select("client_id", [["", "—"], ...cl.map((c) => [c.id, c.name])])),
      field(t("f.password"), input("password", "password", { minlength: 10, autocomplete: "new-password" }))],
    (f) => post("/api/users", { name: f.name.value, email: f.email.value, role: f.role.value, ...(f.client_id.value ? { client_id: Number(f.client_id.value) } : {}), ...(f.password.value ? { password: f.password.value } : {}) }), { after }),
    table([["name", "f.name"], ["email", "f.email"], ["role", "f.role", (v) => t("role." + v)], ["active", "f.active", A],
      // A client account keeps its role (it belongs to its organization).
      ["id", "edit.open", (id, u) => editor(`/api/users/${id}`, [["name", "f.name"],
        ...(u.role === "client" ? [] : [["role", "f.role", "select", ROLES.filter((r) => r !== "client").map((r) => [r, t("role." + r)])]]),
        ["on_duty", "edit.on_duty", "bool"], ["active", "f.active", "bool"]], u, after, userOpts(u))]], rows));
  } else if (part === "canned") {
    await cannedPart(root, after);
  } else if (part === "holidays") {
    const year = Number(new URLSearchParams(location.search).get("year")) || new Date().getUTCFullYear();
    const data = await soft("/api/holidays" + qs({ year }), { items: [] });
    const file = input("ics", "file", { accept: ".ics,text/calendar", required: true });
    root.append(action("admin.ics", field(t("admin.ics.file"), file), async () => {
      const text = await file.files[0].text();
      const r = await request("POST", "/api/holidays/import", text, { "Content-Type": "text/calendar" });
      return t("admin.ics.done", r && r.added != null ? r.added : "?") + (r && r.note ? ` (${r.note})` : "");
    }, { after }),
    h("p", null, h("a", { href: "/admin/holidays?year=" + (year - 1) }, "← " + (year - 1)), " · ", h("strong", null, String(year)), " · ",
      h("a", { href: "/admin/holidays?year=" + (year + 1) }, (year + 1) + " →")),
    table([["date", "f.date", civil], ["name", "f.name"], ["source", "f.type"],
      ["date", "admin.remove", (d, row) => (row.source !== "import" ? "—" : removeHoliday(d, row.name, after))]], list(data)));
  } else if (part === "policy") {
    const [p, versions] = await Promise.all([get("/api/policy"), get("/api/policy/versions")]);
    const L = getLang();
    const nm = (o, k) => o[k + "_" + L] || o[k + "_es"] || "";
    root.append(
      h("dl", { class: "kv" },
        h("dt", null, t("f.name")), h("dd", null, p.name),
        h("dt", null, t("f.version")), h("dd", { id: "policy-version" }, p.version),
        h("dt", null, t("f.from")), h("dd", null, civil(p.effective_from)),
        h("dt", null, "SHA-256"), h("dd", null, h("code", { class: "small" }, p.fingerprint))),
      h("h2", null, t("admin.versions")),
      h("div", { id: "policy-versions" }, table([["version", "f.version", (v, r) => (r.in_force ? [v, " ", h("span", { class: "badge in-force" }, t("admin.in_force"))] : v)],
        ["effective_from", "f.from", civil], ["loaded_at_local", "admin.loaded"], ["notified_at_local", "admin.notified", (v) => v || "—"],
        ["tickets", "admin.tickets"], ["fingerprint", "admin.fingerprint", (v) => h("code", { class: "small" }, v.slice(0, 12))]], list(versions))),
      h("h2", null, t("sla.response")),
      table([["level", "col.severity", (v) => `${v} · ${t("sev." + v)}`], ["response_hours", "f.hours", (v, r) => `${v}${r.response_or_more ? "+" : ""} ${t("sla.business")}`],
        ["description_es", "f.note", (_, r) => nm(r, "description")]], p.severities || []),
      h("h2", null, t("f.plan")),
      table([["key", "f.plan", (v) => tv("plan.", v)], ["included_hours", "f.hours"], ["purchase_order_required", "admin.po_required", B]], p.plans || []),
      h("h2", null, t("admin.exclusions")),
      table([["key", "f.type"], ["reason_es", "f.note", (_, r) => nm(r, "reason")]], p.exclusions || []),
      h("h2", null, t("admin.details")));
    const flat = [];
    const walk = (o, pre) => {
      for (const [k, v] of Object.entries(o || {})) {
        if (v && typeof v === "object" && !Array.isArray(v)) walk(v, pre + k + ".");
        else flat.push([pre + k, Array.isArray(v) ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : x)).join(", ") : String(v)]);
      }
    };
    walk({ contact: p.contact, schedule: p.schedule, hour_bank: p.hour_bank, warranty: p.warranty, closure: p.closure, limits: p.limits, at_risk_percent: p.at_risk_percent }, "");
    root.append(h("dl", { class: "kv policy" }, flat.map(([k, v]) => [h("dt", null, k), h("dd", null, v)])));
  }
}
