/** Headless Chromium for the browser tests: playwright-core driving the system's Chromium (CI installs it with apt). */
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where the system's Chromium is. */
export const CHROMIUM = "/usr/bin/chromium";
/** Whether it is installed here (the browser tests are skipped without it). */
export const hasChromium = existsSync(CHROMIUM);
/** Where the browser tests leave their screenshots. */
export const ARTIFACTS = "test-artifacts";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium, with the screenshots' folder made. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
