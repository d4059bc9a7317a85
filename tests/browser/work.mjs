// work.mjs - a working day's edges in a real browser (issue 19), against
// the real server and the demo desk (browser_work.sh sets it up: a canned
// reply, an SMTP sink; SOPORTE_BIN, SOPORTE_SMTP and SOPORTE_SINK say how
// to send the outbound queue to it and where the mail lands).
//
// The scenario: a consultant drops a file on the reply box of #000001,
// inserts a canned reply by typing "/" (its variables filled from the
// ticket), edits it and sends: the mail at the SMTP sink carries the
// file and the filled text, and the thread shows the file. A file over
// the policy's limit is refused with a sentence, not sent. Then an
// admin edits a user (a role change asks first), asks for the user's
// password reset, the user opens the mailed link, sets a new password
// and logs in with it.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { launch, baseURL, shot, check } from "./lib.mjs";

const PASSWORD = "soporte-demo";
let checks = 0;
function ok(cond, what) { check(cond, what); checks += 1; }

async function ready(page, p) {
  await page.waitForFunction((x) => document.body.dataset.ready === x, p, { timeout: 10000 });
}
async function arm(page) { await page.evaluate(() => { document.body.dataset.ready = ""; }); }

async function login(page, email, password, expectPath) {
  await page.goto(baseURL + "/login");
  await page.waitForSelector("#login-email");
  await page.fill("#login-email", email);
  await page.fill("#login-password", password);
  await arm(page);
  await page.click("form.login button[type=submit]");
  await ready(page, expectPath);
}

// The outbound queue sent to the sink; the mails there, parsed enough.
function flushMail() {
  execFileSync(process.env.SOPORTE_BIN, ["outbound", "send", "--smtp", `smtp://127.0.0.1:${process.env.SOPORTE_SMTP}`], { stdio: ["ignore", "ignore", "inherit"] });
  const dir = process.env.SOPORTE_SINK;
  return fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort().map((f) => fs.readFileSync(path.join(dir, f), "latin1"));
}

// Drops files on the reply box as a person's drag and drop does.
async function dropFiles(page, selector, files) {
  const dt = await page.evaluateHandle((fs_) => {
    const d = new DataTransfer();
    for (const f of fs_) d.items.add(new File([Uint8Array.from(f.bytes)], f.name, { type: f.type }));
    return d;
  }, files);
  await page.dispatchEvent(selector, "dragover", { dataTransfer: dt });
  await page.dispatchEvent(selector, "drop", { dataTransfer: dt });
}

async function replyWithFileAndCanned(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await login(page, "dparedes@prodequa.example", PASSWORD, "/queue");
  await arm(page);
  await page.goto(baseURL + "/tickets/1");
  await ready(page, "/tickets/1");
  const d = page.locator('details[data-action="reply"]');
  await d.locator("summary").click();
  const box = 'details[data-action="reply"] textarea[name=body]';

  // Over the policy's limit (64 KiB in browser_work.sh): a sentence, no upload.
  await dropFiles(page, box, [{ name: "enorme.bin", type: "application/octet-stream", bytes: Array(70000).fill(7) }]);
  const refused = await d.locator(".filebox p.error").textContent();
  ok(/enorme\.bin/.test(refused) && /límite/.test(refused), `a file over the limit is refused in words: "${refused}"`);
  ok(await d.locator("ul.files li").count() === 0, "the refused file is not listed");

  // A file dropped on the reply box is uploaded at once.
  const pdf = [...Buffer.from("%PDF-1.4\nacta-de-visita-5e1f\n")];
  await dropFiles(page, box, [{ name: "acta de visita.pdf", type: "application/pdf", bytes: pdf }]);
  await d.locator("ul.files li[data-id]").waitFor({ timeout: 8000 });
  ok(await d.locator(".filebox").getAttribute("data-files") === "1", "the dropped file is uploaded");

  // "/" at the start of the box opens the canned replies; Enter inserts.
  await page.click(box);
  await page.keyboard.type("/");
  await page.locator(".canned-pop:not([hidden]) .canned-filter").waitFor({ timeout: 8000 });
  await page.keyboard.type("acuse");
  await page.keyboard.press("Enter");
  const text = await page.inputValue(box);
  ok(text.startsWith("Estimado(a) Rosa Quispe Mamani: su ticket #000001 de Inversiones Andinas del Sur S.A.C. lo atiende Diego Paredes"),
    `the canned reply is inserted with its variables filled: "${text}"`);
  ok(!text.includes("{{") && !text.startsWith("/"), "no variable or slash left");
  ok(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/.test(text), "the deadline as dd/mm/aaaa HH:MM");
  // The reply stays editable.
  await page.keyboard.type(" Quedo atento.");
  await shot(page, "work-reply-canned-file");
  await d.locator("button[type=submit]").click();
  await page.waitForSelector(".toast.show:not(.error)", { timeout: 8000 });
  await page.waitForSelector('.thread a[download="acta de visita.pdf"]', { timeout: 8000 });
  ok(true, "the thread shows the reply's file with a download link");

  // A screenshot pasted into the internal note is uploaded as a file.
  const note = page.locator('details[data-action="note"]');
  await note.locator("summary").click();
  await page.evaluate(() => {
    const d = new DataTransfer();
    d.items.add(new File([Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3])], "image.png", { type: "image/png" }));
    const box = document.querySelector('details[data-action="note"] textarea[name=body]');
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: d, bubbles: true, cancelable: true }));
  });
  await note.locator("ul.files li[data-id]").waitFor({ timeout: 8000 });
  ok(/^captura-\d{8}-\d{6}\.png$/.test(await note.locator("ul.files li").getAttribute("data-name")), "a pasted screenshot gets a name and is uploaded");

  const mails = flushMail();
  const mail = mails.find((m) => m.includes("acta de visita.pdf") || m.includes("acta%20de%20visita.pdf"));
  ok(mail, "the reply's mail reached the SMTP sink with the file");
  ok(/Content-Disposition: attachment/i.test(mail), "as a MIME attachment");
  ok(mail.includes(Buffer.from("%PDF-1.4\nacta-de-visita-5e1f\n").toString("base64").slice(0, 24)), "with the file's bytes");
  ok(/Quedo atento\./.test(mail), "and the edited text");
  ok(errors.length === 0, "no page errors: " + errors.join(" | "));
  await page.close();
}

// The link of the newest password reset mail to `to` (quoted-printable
// undone): its path and token, on this server.
function resetLink(mails, to) {
  const mine = mails.filter((m) => m.includes(`X-Envelope-To: ${to}`) && /reset#/.test(m.replace(/=\r?\n/g, "")));
  const m = mine.length ? mine[mine.length - 1].replace(/=\r?\n/g, "").match(/\/reset#([0-9a-f]{64})/) : null;
  return m ? "/reset#" + m[1] : null;
}

async function adminEditsUser(browser) {
  const page = await browser.newPage();
  const dialogs = [];
  let answer = false;
  page.on("dialog", (d) => { dialogs.push(d.message()); (answer ? d.accept() : d.dismiss()); });
  await login(page, "admin@prodequa.example", PASSWORD, "/queue");
  await arm(page);
  await page.goto(baseURL + "/admin/users");
  await ready(page, "/admin/users");
  const ed = page.locator('details[data-edit="/api/users/3"]');
  await ed.locator("summary").click();
  await ed.locator("input[name=name]").fill("Lucía Fernández Soto");
  await ed.locator("select[name=role]").selectOption("project_manager");
  // A role change asks first; "Cancel" saves nothing.
  await ed.locator("button[type=submit]").click();
  ok(dialogs.length === 1 && /Lucía Fernández/.test(dialogs[0]) && /Project Manager/.test(dialogs[0]), `the role change asks: ${dialogs[0]}`);
  ok(await page.locator("td", { hasText: "Lucía Fernández Soto" }).count() === 0, "cancelled: nothing saved");
  answer = true;
  await arm(page);
  await ed.locator("button[type=submit]").click();
  await ready(page, "/admin/users");
  const row = page.locator("tr", { hasText: "Lucía Fernández Soto" });
  ok(await row.count() === 1, "the edited name shows");
  ok(/Project Manager/.test(await row.textContent()), "with the new role");
  // The admin mails her a reset link.
  const ed2 = page.locator('details[data-edit="/api/users/3"]');
  await ed2.locator("summary").click();
  // The mail is queued once the request is answered (the edit's toast
  // may still be showing: wait for the answer itself).
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/users/3/password-reset") && r.request().method() === "POST", { timeout: 8000 });
  await ed2.locator("button[data-reset]").click();
  ok((await answered).ok(), "the reset request is accepted");
  ok(resetLink(flushMail(), "lfernandez@prodequa.example"), "the admin's reset link reaches the user's mailbox");
  await shot(page, "work-admin-user-edit");
  await page.close();
}

async function resetThroughMailedLink(browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(baseURL + "/login");
  await page.click("#login-forgot");
  await page.waitForSelector("#forgot-email");
  await page.fill("#forgot-email", "rquispe@andinas.example.pe");
  await page.click("form.login button[type=submit]");
  await page.locator("#forgot-done:not(:empty)").waitFor({ timeout: 8000 });
  const link = resetLink(flushMail(), "rquispe@andinas.example.pe");
  ok(link, "the reset mail with its link reached the SMTP sink");
  await page.goto(baseURL + link);
  await page.waitForSelector("#reset-password");
  await page.fill("#reset-password", "Cordillera-Blanca-77");
  await page.fill("#reset-again", "Cordillera-Blanca-77");
  await shot(page, "work-reset-password");
  await page.click("form.login button[type=submit]");
  await page.locator("#reset-done:not(:empty)").waitFor({ timeout: 8000 });
  ok(!page.url().includes("#"), "the spent token left the address bar");
  // The link is spent: using it again says so.
  await page.goto(baseURL + "/login");
  await page.goto(baseURL + link);
  await page.waitForSelector("#reset-password");
  await page.fill("#reset-password", "Otra-Clave-Segura-88");
  await page.fill("#reset-again", "Otra-Clave-Segura-88");
  await page.click("form.login button[type=submit]");
  await page.locator("form.login p.error:not(:empty)").waitFor({ timeout: 8000 });
  const err = await page.locator("form.login p.error").textContent();
  ok(/no es válido|no longer valid/.test(err), `a used link is refused in words: "${err}"`);
  await login(page, "rquispe@andinas.example.pe", "Cordillera-Blanca-77", "/portal");
  ok(true, "the new password logs in");
  await ctx.close();
}

const browser = await launch();
try {
  await replyWithFileAndCanned(browser);
  await adminEditsUser(browser);
  await resetThroughMailedLink(browser);
  console.log(`work: ${checks} checks passed`);
} finally {
  await browser.close();
}
