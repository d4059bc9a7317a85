// bench.mjs - how long each page takes to be usable, in Chromium against
// a running server with the demo desk: the median of N in-app navigations
// per page (router start to the page in place, API calls included, as
// measured in the page), and of N full loads (navigation start to the
// page in place, by the page's own clock: performance.now() when the
// router marks it ready), with the requests a full load makes and when
// the session and the view's module were in hand (medians; "best" is the
// fastest full load, the one least disturbed by other work on the host).
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
      const inApp = [], full = [], reqs = [], session = [], view = [];
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
        await page.goto(baseURL + p);
        await page.waitForFunction((b) => document.body.dataset.ready === b, bare);
        const m = await page.evaluate(() => {
          const mark = (n) => Math.round((performance.getEntriesByName(n)[0] || { startTime: NaN }).startTime);
          return { load: Number(document.body.dataset.loadMs), n: performance.getEntriesByType("resource").length, s: mark("session"), v: mark("view") };
        });
        full.push(m.load);
        reqs.push(m.n);
        session.push(m.s);
        view.push(m.v);
      }
      rows.push([p, median(inApp), median(full), Math.min(...full), median(reqs), median(session), median(view)]);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log("| page | in-app (median ms) | full load (median ms) | full load (best) | requests | session at | view module at |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
