// exports.mjs - the console's export buttons (issue 18) download files
// that open: the queue's CSV and Excel with its filters, the SLA report's
// page (its period selector, charts, print button) and its files, a
// client's hours, the contract document from the admin page; the XLSX
// files are unzipped and their sheet XML read (tests/lib/xlsx_cells.py),
// the PDFs read by pdftotext. A ticket page printed hides the console.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { launch, baseURL, artifacts, shot, check } from "./lib.mjs";

const PASSWORD = "soporte-demo";
const SRC = process.env.SOPORTE_SRC;
const dir = fs.mkdtempSync(path.join(process.env.TEST_TMPDIR || "/tmp", "downloads-"));

async function ready(page, p) {
  await page.waitForFunction((x) => document.body.dataset.ready === x, p, { timeout: 15000 });
}

async function login(page, email, home) {
  await page.goto(baseURL + "/login");
  await page.waitForSelector("#login-email");
  await page.fill("#login-email", email);
  await page.fill("#login-password", PASSWORD);
  await page.click("form.login button[type=submit]");
  await ready(page, home);
}

// Forgets the page rendered last, so that ready() waits for the next one.
async function arm(page) {
  await page.evaluate(() => { document.body.dataset.ready = ""; });
}

// Clicks the link and returns the saved file's path and suggested name.
async function download(page, selector, name) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const file = path.join(dir, name);
  await dl.saveAs(file);
  return { file, suggested: dl.suggestedFilename() };
}

function cells(file) {
  return execFileSync("python3", [path.join(SRC, "tests/lib/xlsx_cells.py"), file], { encoding: "utf8" });
}

const browser = await launch();
try {
  const page = await (await browser.newContext({ acceptDownloads: true })).newPage();

  // The queue as the Project Manager sees it, severity 1 only.
  await login(page, "acastillo@prodequa.example", "/queue");
  await page.goto(baseURL + "/queue?severity=1");
  await ready(page, "/queue");
  const shown = await page.$$eval("[data-sla-for]", (els) => els.map((e) => e.dataset.slaFor).sort());
  const csv = await download(page, ".exports a[data-export=csv]", "queue.csv");
  check(csv.suggested === "tickets.csv", "the queue's CSV is named tickets.csv");
  const lines = fs.readFileSync(csv.file, "utf8").trim().split(/\r\n/);
  check(lines[0].startsWith("number,subject,client_domain"), "the CSV has its columns: " + lines[0]);
  const numbers = lines.slice(1).map((l) => l.split(",")[0]).sort();
  check(JSON.stringify(numbers) === JSON.stringify(shown), `the CSV holds the queue's tickets: ${numbers} vs ${shown}`);
  check(lines.slice(1).every((l) => l.split(",")[5] === "1"), "the CSV keeps the severity filter");
  const xlsx = await download(page, ".exports a[data-export=xlsx]", "queue.xlsx");
  check(xlsx.suggested === "tickets.xlsx", "the queue's Excel file is named tickets.xlsx");
  const q = cells(xlsx.file).trim().split("\n");
  check(q[0] === "tickets" && q[1].startsWith("number,subject"), "the Excel file opens: " + q.slice(0, 2));
  check(q.length - 2 === shown.length, "the Excel file holds the queue's tickets");

  // The SLA report page: period selector, charts, print, files.
  await page.click("a[href='/reports']");
  await ready(page, "/reports");
  await page.fill("input[name=month]", "2026-10");
  await arm(page);
  await page.click("form.filters button[type=submit]");
  await page.waitForFunction(() => location.search.includes("month=2026-10") && document.body.dataset.ready === "/reports");
  check(await page.isVisible("figure.chart svg"), "the report draws its charts");
  check(await page.isVisible("button:has-text('Imprimir')"), "a print button");
  const tickets = await page.textContent("dd[data-key='report.tickets']");
  await shot(page, "sla-report");
  const rx = await download(page, ".report-files a[data-export=xlsx]", "report.xlsx");
  check(rx.suggested === "sla-2026-10.xlsx", "the report's Excel file: " + rx.suggested);
  const rc = cells(rx.file).split("\n");
  check(rc[0] === "summary breaches hours_by_client hours_by_consultant escalations", "the report's workbook opens");
  check(rc.some((l) => l.startsWith("all,,") && l.split(",")[2] === tickets.trim()), "the workbook's total is the page's " + tickets);
  const rp = await download(page, ".report-files a[data-export=pdf]", "report.pdf");
  const text = execFileSync("pdftotext", [rp.file, "-"], { encoding: "utf8" });
  check(text.includes("octubre de 2026") && text.includes("Página 1 de"), "the report's PDF opens");
  // One client: its hours as a file too.
  const andinas = await page.$eval("select[name=client_id]", (s) => [...s.options].find((o) => /Andinas/.test(o.text)).value);
  await page.selectOption("select[name=client_id]", andinas);
  await arm(page);
  await page.click("form.filters button[type=submit]");
  await page.waitForFunction(() => location.search.includes("client_id=") && document.body.dataset.ready === "/reports");
  const hx = await download(page, "[aria-label='Horas registradas'] a[data-export=xlsx]", "hours.xlsx");
  check(cells(hx.file).startsWith("time_entries\nid,ticket_number,user_email,work_date,hours"), "the client's hours open");

  // A ticket page on paper: the console's bars and forms are not printed.
  await page.goto(baseURL + "/tickets/1");
  await ready(page, "/tickets/1");
  await page.emulateMedia({ media: "print" });
  const hidden = await page.evaluate(() => ["#top", "form", "button"].every((s) =>
    [...document.querySelectorAll(s)].every((e) => getComputedStyle(e).display === "none")));
  check(hidden, "printing a ticket hides the navigation, forms and buttons");
  check(await page.evaluate(() => getComputedStyle(document.querySelector("h1")).display !== "none"), "the ticket is printed");
  await page.pdf({ path: path.join(artifacts, "ticket-print.pdf") }).catch(() => {});
  await page.emulateMedia({ media: "screen" });

  // The contract document from the admin page.
  const page2 = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await login(page2, "admin@prodequa.example", "/queue");
  await page2.goto(baseURL + "/admin/contracts");
  await ready(page2, "/admin/contracts");
  await shot(page2, "admin-contracts");
  const kd = await download(page2, "a[data-export=pdf]", "contract.pdf");
  check(/^contract-\d+\.pdf$/.test(kd.suggested), "the contract's file name: " + kd.suggested);
  const kt = execFileSync("pdftotext", [kd.file, "-"], { encoding: "utf8" });
  check(kt.includes("Contrato de soporte") && kt.includes("Tarifa por hora"), "the contract document opens");
  console.log("exports: queue CSV/XLSX, report XLSX/PDF, hours XLSX, contract PDF downloaded and opened; ticket print hides the console");
} finally {
  await browser.close();
}
