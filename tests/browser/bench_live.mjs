// bench_live.mjs - how soon a consultant's open queue shows a ticket
// another user opens through the API (issue 19's goal: within 2 s), over
// N tickets: from the API call to the row in place, as the browser sees
// it. Not a test (speed goals live in benchmarks): prints a table.
//   SOPORTE_URL=http://127.0.0.1:8080 SOPORTE_TOKEN=sop_... \
//     node tests/browser/bench_live.mjs [N]
// SOPORTE_TOKEN: an API token that may open tickets (admin, PM).
import { launch, baseURL } from "./lib.mjs";

const N = Number(process.argv[2] || 10);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(baseURL + "/login");
  await page.fill("#login-email", "dparedes@prodequa.example");
  await page.fill("#login-password", "soporte-demo");
  await page.click("form.login button[type=submit]");
  await page.waitForFunction(() => document.body.dataset.ready === "/queue");
  await page.waitForFunction(() => document.body.dataset.live === "stream");
  const ms = [];
  for (let i = 0; i < N; i++) {
    const t0 = Date.now();
    const r = await fetch(baseURL + "/api/tickets", {
      method: "POST",
      headers: { Authorization: "Bearer " + process.env.SOPORTE_TOKEN, "Content-Type": "application/json" },
      body: JSON.stringify({ client_id: 1 + (i % 5), subject: `Medición en vivo ${i + 1}`, body: "Prueba.", severity: 1 + (i % 4), channel: "other", channel_reason: "bench" }),
    });
    if (r.status !== 201) throw new Error(`the API refused the ticket: ${r.status}`);
    const n = (await r.json()).number;
    await page.waitForSelector(`table.queue tr[data-number="${n}"]`, { timeout: 60000 });
    ms.push(Date.now() - t0);
    await page.waitForTimeout(300);   // one event at a time
  }
  const s = [...ms].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  console.log("| tickets | median ms | p90 ms | max ms |");
  console.log("|---:|---:|---:|---:|");
  console.log(`| ${N} | ${at(0.5)} | ${at(0.9)} | ${s[s.length - 1]} |`);
} finally {
  await browser.close();
}
