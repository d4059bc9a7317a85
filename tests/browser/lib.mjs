// lib.mjs - what every browser test shares: Debian's Chromium driven by
// playwright-core (no browser download), a fresh profile, screenshots
// kept under the build folder as test artifacts.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";

export const baseURL = process.env.SOPORTE_URL;
export const artifacts = process.env.ARTIFACTS || path.join(os.tmpdir(), "soporte-screenshots");

export async function launch() {
  fs.mkdirSync(artifacts, { recursive: true });
  // Playwright gives each launch a fresh temporary profile of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update",
      "--disable-sync",
    ],
  });
  return browser;
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// check(cond, what): a failed expectation ends the test with its reason.
export function check(cond, what) {
  if (!cond) throw new Error(`FAIL: ${what}`);
}
