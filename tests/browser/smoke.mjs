// smoke.mjs - the server's start page opens in a real browser, in
// Spanish, and says how to open a ticket (by e-mail only, R1).
import { launch, baseURL, shot, check } from "./lib.mjs";

const browser = await launch();
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const resp = await page.goto(baseURL + "/", { waitUntil: "load" });
  check(resp.status() === 200, `start page status ${resp.status()}`);
  check((await page.getAttribute("html", "lang")) === "es", "page language is es");
  const text = await page.textContent("body");
  check(/escriba a la dirección de soporte/i.test(text), "says to write to the support address");
  await shot(page, "start");
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
console.log("smoke: ok");
