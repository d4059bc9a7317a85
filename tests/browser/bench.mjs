// bench.mjs - how long each page takes to be usable, in Chromium against
// a running server with the demo desk: the median of N in-app navigations
// per page (router start to the page in place, API calls included, as
// measured in the page), and of N full loads (navigation to rendered).
// Not a test (speed goals live in benchmarks): prints a table.
//   SOPORTE_URL=http://127.0.0.1:8080 node tests/browser/bench.mjs [N]
import { launch, baseURL } from "./lib.mjs";

const N = Number(process.argv[2] || 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const plan = [
  ["dparedes@prodequa.example", ["/queue", "/queue?severity=1", "/queue?q=facturas", "/tickets/1", "/tickets/3"]],
  ["acastillo@prodequa.example", ["/dashboard"]],
  ["admin@prodequa.example", ["/admin/clients", "/admin/contracts", "/admin/users", "/admin/holidays", "/admin/policy"]],
  ["rquispe@andinas.example.pe", ["/portal", "/portal/tickets/1", "/portal/balance"]],
];

const browser = await launch();
const rows = [];
try {
  for (const [email, paths] of plan) {
    const page = await browser.newPage();
    await page.goto(baseURL + "/login");
    await page.fill("#login-email", email);
    await page.fill("#login-password", "soporte-demo");
    await page.click("form.login button[type=submit]");
    await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== "/login");
    for (const p of paths) {
      const bare = p.split("?")[0];
      const inApp = [], full = [];
      for (let i = 0; i < N; i++) {
        // A fresh query each time: the router skips a popstate that
        // changes nothing but the fragment.
        const u = p + (p.includes("?") ? "&" : "?") + "bench=" + i;
        await page.evaluate((x) => {
          document.body.dataset.ready = "";
          history.pushState(null, "", x);
          dispatchEvent(new PopStateEvent("popstate"));
        }, u);
        await page.waitForFunction((b) => document.body.dataset.ready === b, bare);
        inApp.push(Number(await page.evaluate(() => document.body.dataset.ms)));
        const t0 = Date.now();
        await page.goto(baseURL + p);
        await page.waitForFunction((b) => document.body.dataset.ready === b, bare);
        full.push(Date.now() - t0);
      }
      rows.push([p, median(inApp), median(full)]);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log("| page | in-app (median ms) | full load (median ms) |");
console.log("|---|---:|---:|");
for (const [p, a, f] of rows) console.log(`| ${p} | ${a} | ${f} |`);
