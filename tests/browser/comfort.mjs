// comfort.mjs - comfort at the desk (issue 19): the language a user picks
// follows them to another device (a fresh browser: nothing in its
// storage); dark mode follows the system's setting with readable text;
// dates and amounts read as DESIGN.md says in both languages
// (dd/mm/aaaa HH:MM in Lima time, S/ 1,234.50).
import { launch, baseURL, shot, check } from "./lib.mjs";

async function login(ctx, email) {
  const page = await ctx.newPage();
  await page.goto(baseURL + "/login");
  await page.fill("#login-email", email);
  await page.fill("#login-password", "soporte-demo");
  await page.click("form.login button[type=submit]");
  await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== "/login");
  return page;
}
const lum = (rgb) => {
  const [r, g, b] = rgb.match(/\d+/g).slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

const browser = await launch();
try {
  // Device 1: the consultant switches to English.
  const one = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  let page = await login(one, "dparedes@prodequa.example");
  check(await page.getAttribute("html", "lang") === "es", "Spanish first");
  await page.evaluate(() => { document.body.dataset.ready = ""; });
  await page.click("button.lang");
  await page.waitForFunction(() => document.body.dataset.ready === "/queue" && document.documentElement.lang === "en");
  await page.waitForResponse((r) => r.url().endsWith("/api/session") && r.request().method() === "PATCH").catch(() => null);
  await one.close();
  // Device 2: nothing in its storage; the login opens in English.
  const two = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await login(two, "dparedes@prodequa.example");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  check(/Ticket queue/.test(await page.textContent("h1")), "another device opens in the user's language");
  // Dates as DESIGN.md says, in English too.
  const due = await page.$$eval("table.queue tbody tr td.nowrap", (tds) => tds.map((td) => td.textContent));
  check(due.length && due.every((d) => d === "—" || /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/.test(d)), `dates dd/mm/aaaa HH:MM: ${JSON.stringify(due)}`);
  // Back to Spanish for the other tests of this desk.
  await page.evaluate(() => { document.body.dataset.ready = ""; });
  await page.click("button.lang");
  await page.waitForFunction(() => document.body.dataset.ready === "/queue" && document.documentElement.lang === "es");
  await page.waitForResponse((r) => r.url().endsWith("/api/session") && r.request().method() === "PATCH").catch(() => null);
  await two.close();

  // Dark mode, as the system says; text readable (WCAG AA 4.5:1).
  for (const scheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: scheme });
    page = await login(ctx, "rquispe@andinas.example.pe");
    await page.goto(baseURL + "/portal/balance");
    await page.waitForFunction(() => document.body.dataset.ready === "/portal/balance");
    const c = await page.evaluate(() => {
      const st = (sel) => { const el = document.querySelector(sel); if (!el) return null; const s = getComputedStyle(el); return { fg: s.color, bg: s.backgroundColor }; };
      return { body: st("body"), muted: st(".muted"), text: document.body.innerText };
    });
    const bgLum = lum(c.body.bg);
    check(scheme === "dark" ? bgLum < 0.05 : bgLum > 0.9, `${scheme}: the page's background (${c.body.bg})`);
    check(ratio(c.body.fg, c.body.bg) >= 4.5, `${scheme}: body text contrast ${ratio(c.body.fg, c.body.bg).toFixed(2)}`);
    if (c.muted) check(ratio(c.muted.fg, c.body.bg) >= 4.5, `${scheme}: muted text contrast ${ratio(c.muted.fg, c.body.bg).toFixed(2)}`);
    check(/S\/ \d{1,3}(,\d{3})*\.\d{2}/.test(c.text) || !/S\//.test(c.text), "amounts as S/ 1,234.50");
    await shot(page, "balance-" + scheme);
    await ctx.close();
  }
  console.log("comfort: ok");
} finally {
  await browser.close();
}
