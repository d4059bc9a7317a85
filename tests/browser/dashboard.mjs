// dashboard.mjs - the manager's dashboard (issue 19): a period selector
// kept in the URL; client names that fit (whole words from the start,
// never "nversiones Andi…": each label inside its chart); the time to
// first response in minutes when under an hour (a ticket answered at
// once is in the data); nothing overlaps or runs off a phone's screen.
// browser_desk.sh opens and answers that ticket through the API first.
import { launch, baseURL, shot, check } from "./lib.mjs";

const browser = await launch();
try {
  for (const [w, hgt, name] of [[1366, 900, "desk"], [390, 844, "phone"]]) {
    const page = await browser.newPage({ viewport: { width: w, height: hgt } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(baseURL + "/login");
    await page.fill("#login-email", "acastillo@prodequa.example");
    await page.fill("#login-password", "soporte-demo");
    await page.click("form.login button[type=submit]");
    await page.waitForFunction(() => document.body.dataset.ready);
    await page.evaluate(() => { document.body.dataset.ready = ""; });
    await page.goto(baseURL + "/dashboard");
    await page.waitForFunction(() => document.body.dataset.ready === "/dashboard");
    // Every label starts with the name's first word and lies inside its chart.
    const labels = await page.$$eval("svg.bars text.lbl", (els) => els.map((el) => {
      const svg = el.ownerSVGElement.getBoundingClientRect(), b = el.getBoundingClientRect();
      return { text: [...el.querySelectorAll("tspan")].map((x) => x.textContent).join(" "), full: el.querySelector("title").textContent, inside: b.left >= svg.left - 1 && b.right <= svg.right + 1 };
    }));
    const andinas = labels.find((l) => l.full.startsWith("Inversiones Andinas"));
    check(andinas, `a chart names Inversiones Andinas: ${JSON.stringify(labels.map((l) => l.full))}`);
    check(andinas.text.startsWith("Inversiones Andinas"), `the name fits from its start: ${andinas.text}`);
    for (const l of labels) check(l.inside, `${name}: the label "${l.text}" lies inside its chart`);
    // Under an hour: minutes.
    const first = await page.$$eval("figure.chart", (figs) => {
      const f = figs.find((x) => /primera respuesta/i.test(x.querySelector("figcaption").textContent));
      return f ? [...f.querySelectorAll("text.val")].map((x) => x.textContent) : null;
    });
    check(first && first.some((v) => / min$/.test(v)), `the first response under an hour in minutes: ${JSON.stringify(first)}`);
    check(first.every((v) => v === "—" || / min$/.test(v) || !/^0(\.\d)? h$/.test(v)), `no "0.x h": ${JSON.stringify(first)}`);
    // Nothing runs off the screen or overlaps its neighbour in a chart.
    const layout = await page.evaluate(() => {
      const over = [];
      for (const fig of document.querySelectorAll(".dash > *")) {
        const parts = [...fig.querySelectorAll(":scope > figcaption, :scope > h2, :scope > .toggle, :scope > .chartbox")].filter((x) => !x.hidden).map((x) => [x, x.getBoundingClientRect()]);
        for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
          const a = parts[i][1], b = parts[j][1];
          if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) over.push(parts[i][0].textContent.slice(0, 30) + " / " + parts[j][0].textContent.slice(0, 30));
        }
      }
      return { over, wide: document.documentElement.scrollWidth - innerWidth };
    });
    check(layout.over.length === 0, `${name}: overlaps: ${layout.over.join("; ")}`);
    check(layout.wide <= 0, `${name}: the page is ${layout.wide}px wider than the screen`);
    await shot(page, "dashboard-" + name);
    // The period: this month only.
    await page.evaluate(() => { document.body.dataset.ready = ""; });
    await page.selectOption("#dash-period", "month");
    await page.waitForFunction(() => document.body.dataset.ready === "/dashboard" && location.search === "?period=month");
    const months = await page.$$eval("figure.chart", (figs) => {
      const f = figs.find((x) => /por mes/i.test(x.querySelector("figcaption").textContent));
      return f ? f.querySelectorAll("text.lbl").length : -1;
    });
    check(months <= 1, `this month's period shows one month at most: ${months}`);
    check(errors.length === 0, `page errors: ${errors.join("; ")}`);
    await page.close();
  }
  console.log("dashboard: ok");
} finally {
  await browser.close();
}
