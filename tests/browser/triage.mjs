// triage.mjs - issue 17 in the console (browser_triage.sh sets the desk
// up and runs `soporte triage train` between the two steps):
//
//   triage.mjs correct WANT Q:EMAIL N:EMAIL...
//     on ticket Q, the proposal is shown next to the severity with its
//     reasons and model, and one click confirms it; on each ticket N its
//     consultant sets severity WANT in the severity control;
//   triage.mjs see N WANT VERSION EMAIL
//     ticket N shows the proposal WANT from model VERSION.
//
// Each EMAIL is the ticket's assignee (a consultant confirms or changes
// only their own tickets, R6), logged in with the demo password.
import { launch, baseURL, shot, check } from "./lib.mjs";

const PASSWORD = "soporte-demo";
const SEV_ES = { 1: "Crítica", 2: "Alta", 3: "Media", 4: "Baja" };

async function login(page, email) {
  await page.goto(baseURL + "/login");
  await page.waitForSelector("#login-email");
  await page.fill("#login-email", email);
  await page.fill("#login-password", PASSWORD);
  await page.click("form.login button[type=submit]");
  await page.waitForFunction(() => document.body.dataset.ready === "/queue", null, { timeout: 10000 });
}

async function logout(page) {
  await page.click("text=Salir");
  await page.waitForSelector("#login-email");
}

async function ticket(page, n) {
  await page.goto(baseURL + "/tickets/" + n);
  await page.waitForFunction((p) => document.body.dataset.ready === p, "/tickets/" + n, { timeout: 10000 });
}

// The proposal box next to the severity: shown, with reasons and model.
async function proposal(page, n) {
  const box = page.locator("#ticket-severity #ticket-triage");
  await box.waitFor({ timeout: 10000 });
  check(await box.locator(".triage-reasons li").count() > 0, `#${n}: the proposal's reasons are shown`);
  check(/Modelo [0-9a-f]{12}/.test(await box.textContent()), `#${n}: the model's version is shown`);
  return box;
}

// The toast of a successful action (the caller then waits for what the
// reloaded page shows: the live queue's stream keeps the network busy).
async function saved(page, what) {
  await page.waitForSelector(".toast.show:not(.error)", { timeout: 8000 })
    .catch(() => { throw new Error(`FAIL: ${what}: no confirmation`); });
}

async function correct(page, want, q, fixes) {
  const [qn, qwho] = q.split(":");
  await login(page, qwho);
  await ticket(page, qn);
  const box = await proposal(page, qn);
  const sev = Number(await box.getAttribute("data-severity"));
  check(/Propuesta: /.test(await box.textContent()), `#${qn}: the proposal reads in Spanish`);
  await page.click("#triage-confirm");
  await saved(page, `#${qn} one-click confirm`);
  await page.waitForSelector("#ticket-severity >> text=Confirmada por el consultor");
  check(!(await page.isVisible("#triage-confirm")), `#${qn}: confirmed, the button is gone`);
  check(await page.isVisible(`.badges .sev >> text=${SEV_ES[sev]}`), `#${qn}: the proposed severity stands`);
  await shot(page, "triage-confirmed");
  await logout(page);
  for (const f of fixes) {
    const [n, who] = f.split(":");
    await login(page, who);
    await ticket(page, n);
    await proposal(page, n);
    // The severity control (R7): the deadline is recomputed, the client told.
    const d = page.locator('details[data-action="severity"]');
    await d.locator("summary").click();
    await d.locator("select[name=sev]").selectOption(String(want));
    await d.locator("button[type=submit]").click();
    await saved(page, `#${n} severity change`);
    await page.waitForSelector(`.badges .sev >> text=${SEV_ES[want]}`);
    await logout(page);
  }
}

async function see(page, n, want, version, who) {
  await login(page, who);
  await ticket(page, n);
  const box = await proposal(page, n);
  check(await box.getAttribute("data-model") === version, `#${n}: proposed by the new model ${version}`);
  check(Number(await box.getAttribute("data-severity")) === Number(want), `#${n}: the corrected proposal ${want}`);
  check((await box.textContent()).includes(SEV_ES[want]), `#${n}: the proposal reads ${SEV_ES[want]}`);
  await shot(page, "triage-learned");
}

const [step, ...args] = process.argv.slice(2);
const browser = await launch();
const errors = [];
try {
  const page = await (await browser.newContext({ locale: "es-PE" })).newPage();
  // The live event stream (live.mjs tests it) keeps a request open for
  // good, and this scenario waits for a quiet network: refused here, the
  // console falls back to polling.
  await page.route("**/api/events", (r) => r.abort());
  page.on("pageerror", (e) => errors.push(String(e)));
  if (step === "correct") await correct(page, Number(args[0]), args[1], args.slice(2));
  else if (step === "see") await see(page, ...args);
  else throw new Error("usage: triage.mjs correct|see ...");
  check(errors.length === 0, "no page errors: " + errors.join("; "));
} finally {
  await browser.close();
}
console.log(`triage ${step}: ok`);
