// screens.mjs - a screenshot of every page as each role sees it, in
// Spanish and English, on a desk (1366x900) and a phone (390x844), light
// and dark (issue 19). Test artifacts, not committed: it prints the
// folder. Fails when a page does not come up or shows an error.
import { launch, baseURL, artifacts, check } from "./lib.mjs";
import path from "node:path";

const ROLES = [
  ["consultant", "dparedes@prodequa.example", ["/queue", "/queue?q=facturas", "/tickets/1", "/review"]],
  ["pm", "acastillo@prodequa.example", ["/dashboard"]],
  ["admin", "admin@prodequa.example", ["/admin/clients", "/admin/contacts", "/admin/products", "/admin/contracts", "/admin/pos", "/admin/users", "/admin/holidays", "/admin/policy"]],
  ["client", "rquispe@andinas.example.pe", ["/portal", "/portal/tickets/1", "/portal/balance"]],
];
const SIZES = [["desk", 1366, 900], ["phone", 390, 844]];

const browser = await launch();
let n = 0;
try {
  for (const lang of ["es", "en"]) {
    for (const [size, width, height] of SIZES) {
      for (const scheme of ["light", "dark"]) {
        const tag = `${lang}-${size}-${scheme}`;
        const ctx = await browser.newContext({ viewport: { width, height }, colorScheme: scheme, locale: lang === "es" ? "es-PE" : "en-US", timezoneId: "America/Lima" });
        await ctx.addInitScript((l) => { if (!sessionStorage.getItem("lang-set")) { localStorage.setItem("soporte.lang", l); sessionStorage.setItem("lang-set", "1"); } }, lang);
        const page = await ctx.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(baseURL + "/login");
        await page.waitForSelector("#login-email");
        await page.screenshot({ path: path.join(artifacts, `${tag}-login.png`), fullPage: true });
        n++;
        for (const [role, email, paths] of ROLES) {
          await ctx.clearCookies();
          await page.goto(baseURL + "/login");
          await page.fill("#login-email", email);
          await page.fill("#login-password", "soporte-demo");
          await page.click("form.login button[type=submit]");
          await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== "/login");
          for (const p of paths) {
            await page.goto(baseURL + p);
            await page.waitForFunction((x) => document.body.dataset.ready === x, p.split("?")[0]);
            check(await page.getAttribute("html", "lang") === lang, `${tag} ${p}: the page is in ${lang}`);
            const err = await page.locator("main p.error[role=alert]:not(:empty)").count();
            check(err === 0, `${tag} ${role} ${p}: the page shows an error`);
            const name = `${tag}-${role}-${p.replace(/^\//, "").replace(/[/?=]/g, "-")}.png`;
            await page.screenshot({ path: path.join(artifacts, name), fullPage: true });
            n++;
          }
        }
        check(errors.length === 0, `${tag}: page errors: ${errors.join("; ")}`);
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
}
console.log(`screens: ${n} screenshots in ${artifacts}`);
