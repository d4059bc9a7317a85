// search.mjs - the queue's search (issue 19, "Search that finds"): the
// words found are marked in the results (as text: a subject holding
// markup stays text), "#000003" and "3" find ticket 3, a client's name
// finds that client's tickets. SOPORTE_TOKEN: an admin's API token.
import { launch, baseURL, shot, check } from "./lib.mjs";

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => { errors.push("a dialog opened: " + d.message()); d.dismiss(); });
  // A subject with markup in it, and the word searched for.
  const r = await fetch(baseURL + "/api/tickets", {
    method: "POST",
    headers: { Authorization: "Bearer " + process.env.SOPORTE_TOKEN, "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: 1, subject: "<img src=x onerror=alert(1)> Facturación <b>bloqueada</b>", body: "Las facturas no salen.", severity: 3, channel: "other", channel_reason: "prueba de búsqueda" }),
  });
  check(r.status === 201, `the API opened the ticket: ${r.status}`);
  const number = (await r.json()).number;

  await page.goto(baseURL + "/login");
  await page.fill("#login-email", "dparedes@prodequa.example");
  await page.fill("#login-password", "soporte-demo");
  await page.click("form.login button[type=submit]");
  await page.waitForFunction(() => document.body.dataset.ready === "/queue");

  const search = async (q) => {
    await page.fill("#queue-q", q);
    await page.evaluate(() => { document.body.dataset.ready = ""; });   // the next page's mark
    await page.press("#queue-q", "Enter");
    await page.waitForFunction((x) => document.body.dataset.ready === "/queue" && new URLSearchParams(location.search).get("q") === x, q);
    return page.$$eval("table.queue tbody tr", (rows) => rows.map((tr) => ({
      number: Number(tr.dataset.number), marks: [...tr.querySelectorAll("mark")].map((m) => m.textContent),
      client: tr.querySelector("td.subject").nextElementSibling.textContent, text: tr.textContent })));
  };

  let rows = await search("facturas");
  const mine = rows.find((x) => x.number === number);
  check(mine, `"facturas" finds #${number}: ${JSON.stringify(rows.map((x) => x.number))}`);
  check(mine.marks.includes("Facturación"), `the word found is marked: ${JSON.stringify(mine.marks)}`);
  check(mine.text.includes("<img src=x onerror=alert(1)>") && mine.text.includes("<b>bloqueada</b>"), "the markup of a subject shows as text");
  check(await page.locator("table.queue img, table.queue b").count() === 0, "no markup of a subject became an element");
  await shot(page, "search-marked");

  rows = await search("#000003");
  check(rows.length === 1 && rows[0].number === 3, `"#000003" finds ticket 3: ${JSON.stringify(rows.map((x) => x.number))}`);
  check(rows[0].marks.includes("#000003"), "the number found is marked");
  rows = await search("3");
  check(rows.length === 1 && rows[0].number === 3, `"3" finds ticket 3: ${JSON.stringify(rows.map((x) => x.number))}`);

  rows = await search("andinas");
  check(rows.length >= 2, `"andinas" finds the client's tickets: ${rows.length}`);
  check(rows.every((x) => x.client.includes("Inversiones Andinas")), `only Inversiones Andinas' tickets: ${JSON.stringify(rows.map((x) => x.client))}`);
  check(rows.some((x) => x.number === number), "its newest ticket among them");
  check(rows[0].marks.includes("Andinas"), `the client's name marked: ${JSON.stringify(rows[0].marks)}`);
  rows = await search("santarosa.example");
  check(rows.length >= 1 && rows.every((x) => x.client.includes("Santa Rosa")), `a client's domain finds its tickets: ${JSON.stringify(rows.map((x) => x.client))}`);

  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  console.log("search: ok");
} finally {
  await browser.close();
}
