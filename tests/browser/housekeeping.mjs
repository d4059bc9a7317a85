// housekeeping.mjs - a consultant's housekeeping in a real browser (issue
// 19), against the real server and the demo desk with three tickets of one
// client (browser_housekeeping.sh: OLDER, NEWER, THIRD; PHONE the
// contact's). The Project Manager opens the newer ticket, sees the
// contact's phone, merges it with the older one: the page moves to the
// older number, whose thread holds the words of both mails; the newer one
// says where it went. Then the third is related to the older one (shown on
// both), and two tickets are assigned at once from the queue.
import { launch, baseURL, shot, check } from "./lib.mjs";

const { OLDER, NEWER, THIRD, PHONE } = process.env;
let checks = 0;
function ok(cond, what) { check(cond, what); checks += 1; }

async function ready(page, p) {
  await page.waitForFunction((x) => document.body.dataset.ready === x, p, { timeout: 10000 });
}
async function arm(page) { await page.evaluate(() => { document.body.dataset.ready = ""; }); }
async function open(page, p) { await arm(page); await page.goto(baseURL + p); await ready(page, p); }

const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(baseURL + "/login");
  await page.fill("#login-email", "acastillo@prodequa.example");
  await page.fill("#login-password", "soporte-demo");
  await arm(page);
  await page.click("form.login button[type=submit]");
  await ready(page, "/queue");

  // The newer ticket: the phone at hand, then the merge.
  await open(page, `/tickets/${NEWER}`);
  ok((await page.locator("#ticket-phone").textContent()) === PHONE, "the contact's phone is on the ticket");
  ok((await page.locator("#ticket-phone").getAttribute("href")).startsWith("tel:"), "the phone can be called");
  const m = page.locator('details[data-action="merge"]');
  await m.locator("summary").click();
  await m.locator("input[name=other]").fill("#" + OLDER);
  await arm(page);
  await m.locator("button[type=submit]").click();
  await ready(page, `/tickets/${OLDER}`);
  const h1 = await page.locator("h1").textContent();
  ok(h1.includes(String(OLDER).padStart(6, "0")), `the merged ticket keeps the older number: "${h1}"`);
  const thread = await page.locator("ol.thread").textContent();
  ok(thread.includes("primer-hilo-7c2") && thread.includes("segundo-hilo-9d4"), "the merged ticket keeps both threads");
  await shot(page, "housekeeping-merged");

  await open(page, `/tickets/${NEWER}`);
  ok((await page.locator("#ticket-merged a").getAttribute("href")) === `/tickets/${OLDER}`, "the newer ticket says where it went");
  ok((await page.locator("ol.thread li.msg").count()) === 0 || !(await page.locator("ol.thread").textContent()).includes("segundo-hilo-9d4"), "its words moved");

  // Relate the third one to the older one: shown on both.
  await open(page, `/tickets/${OLDER}`);
  const l = page.locator('details[data-action="link"]');
  await l.locator("summary").click();
  await l.locator("input[name=other]").fill(String(THIRD));
  await l.locator("button[type=submit]").click();
  // The page reloads the ticket in place.
  await page.locator("#ticket-links").waitFor({ timeout: 8000 });
  ok((await page.locator("#ticket-links").textContent()).includes(String(THIRD).padStart(6, "0")), "the related ticket is listed");
  await open(page, `/tickets/${THIRD}`);
  ok((await page.locator("#ticket-links").textContent()).includes(String(OLDER).padStart(6, "0")), "and the relation shows on the other");

  // The queue: pick two rows, assign them at once.
  await open(page, "/queue");
  await page.locator(`tr[data-number="${OLDER}"] input.pick`).check();
  await page.locator(`tr[data-number="${THIRD}"] input.pick`).check();
  ok(await page.locator("#bulk-bar").isVisible(), "the bar appears once rows are picked");
  ok((await page.locator("#bulk-count").textContent()).includes("2"), "it counts the picked rows");
  const who = page.locator('#bulk-bar select[name=assignee]');
  const target = await who.locator("option").nth(1).getAttribute("value");
  const name = await who.locator("option").nth(1).textContent();
  await who.selectOption(target);
  await arm(page);
  await page.click("#bulk-assign");
  await ready(page, "/queue");
  for (const n of [OLDER, THIRD]) {
    const cell = await page.locator(`tr[data-number="${n}"] td`).nth(6).textContent();
    ok(cell.includes(name), `#${n} assigned to ${name} from the queue: "${cell}"`);
  }
  await shot(page, "housekeeping-queue");
  ok(errors.length === 0, "no script errors: " + errors.join("; "));
  console.log(`housekeeping: ${checks} checks passed`);
} finally {
  await browser.close();
}
