/**
 * Operators read decoded histories in the Temporal UI (issue 16 part 1), in a real headless
 * Chromium against a real stack: a Temporal dev server of its own with its UI under /temporal/,
 * served through the API's origin, and the console. A supervisor who signed in to the console opens
 * the case in the UI and reads its decoded input, with no token pasted anywhere; a unit's session
 * sees ciphertext only.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { freePort } from "../../db/embedded-postgres";
import { cliExecutable } from "../../scripts/temporal-executables";
import { SEARCH_ATTRIBUTES } from "../../workflows/contract";
import { ARTIFACTS, hasChromium, launchChromium } from "./browser";
import { orderBody, startStack, tokens, until } from "./stack";

let server: TestWorkflowEnvironment | undefined;
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  const uiPort = await freePort();
  // The UI's codec endpoint is relative: the UI, served under the API's origin, calls that origin's /codec.
  server = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cliExecutable(),
      ui: true,
      uiPort,
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: "pretty", level: "error" },
      extraArgs: ["--ui-public-path", "/temporal", "--ui-codec-endpoint", "/codec"],
    },
  });
  stack = await startStack({ TEMPORAL_ADDRESS: server.address, TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${uiPort}` });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await server?.teardown();
});

it.skipIf(!hasChromium)(
  "shows a signed-in supervisor the case's decoded history in the Temporal UI, and a unit ciphertext",
  async () => {
    const s = stack!;
    const order = orderBody();
    const created = await s.call("POST", "/api/orders", tokens.integration, order);
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;
    await until(
      () => s.call("GET", `/api/cases/${caseId}`, tokens.supervisor),
      (r) => r.body?.stage === "transferred",
      "routing",
    );
    // The address is in the workflow's input only (never in ids or search attributes): readable only when decoded.
    const secretInInput = order.address as string;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const codecCalls: number[] = [];
    page.on("response", (r) => {
      if (new URL(r.url()).pathname === "/codec/decode") codecCalls.push(r.status());
    });

    const signIn = async (p: Page, token: string) => {
      await p.goto(`${s.base}/`);
      await p.waitForURL(/\/console\/#\/login$/);
      await p.fill("#token", token);
      await p.click("#sign-in");
      await p.waitForSelector('main[data-view="cases"] .view-cases');
    };
    const openInUi = async (p: Page) => {
      await p.goto(`${s.base}/temporal/namespaces/default/workflows/${caseId}`);
      await p.waitForSelector(`text=${caseId}`, { timeout: 30_000 });
    };

    // 1. The supervisor: signed in to the console, then the UI under the same origin decodes.
    await signIn(page, tokens.supervisor);
    await openInUi(page);
    await page.waitForSelector(`text=${secretInInput}`, { timeout: 30_000 });
    expect(await page.content()).not.toContain("Codec Server could not connect");
    expect(codecCalls.length).toBeGreaterThan(0);
    expect(codecCalls.every((status) => status === 200)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/temporal-ui-supervisor-decoded.png`, fullPage: true });

    // 2. Signing out ends the codec session as well: a unit signed in on a fresh page sees ciphertext.
    await page.goto(`${s.base}/console/#/cases`);
    await page.click("#sign-out");
    await page.waitForSelector("#token");
    codecCalls.length = 0;
    await signIn(page, tokens.unit("branch-jiefang"));
    await openInUi(page);
    await until(
      async () => codecCalls.length,
      (n) => n > 0,
      "the UI's codec call",
    );
    expect(codecCalls.every((status) => status === 403)).toBe(true);
    expect(await page.content()).not.toContain(secretInInput);
    await page.screenshot({ path: `${ARTIFACTS}/temporal-ui-unit-ciphertext.png`, fullPage: true });
  },
  120_000,
);
