/**
 * The review queue of possible repeats (查重复核) in a real headless browser (Debian's /usr/bin/chromium through
 * playwright-core) against a real stack: a dispatcher confirms one suggestion and rejects another, and the API
 * shows the merge and the two cases kept apart. Screenshots go to test-artifacts/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, hasChromium, launchChromium } from "./browser";
import { orderBody, startStack, tokens, until } from "./stack";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let browser: Browser | undefined;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const CHARS = "淇沁丹济漳卫洹汤滏涧湍澧";
let n = 0;
const fresh = () => {
  n++;
  return [0, 1, 2].map((i) => CHARS[(Date.now() + n * 5 + i * 7) % CHARS.length]).join("");
};
/** Two orders about one kiln in one village, told so that intake can only suggest the repeat. */
async function possibleRepeat(district: string): Promise<{ older: string; newer: string }> {
  const village = `${fresh()}村`;
  const post = (name: string, address: string) =>
    stack.call("POST", "/api/orders", tokens.integration, orderBody({ district, elements: ["air"], subject: { name, type: "enterprise" }, address }));
  const older = (await post(`${fresh()}砖厂`, `${district}${village}北`)).body;
  const newer = (await post("那家砖瓦厂", `${village}北`)).body;
  expect(newer.possibleRepeatOf).toBe(older.caseId);
  return { older: older.caseId, newer: newer.caseId };
}

describe("the repeat review queue in headless Chromium", () => {
  it.skipIf(!hasChromium)(
    "a dispatcher confirms one possible repeat and rejects another",
    async () => {
      const merge = await possibleRepeat("武陟县");
      const keep = await possibleRepeat("孟州市");
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
      const page: Page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      const idle = () => page.waitForSelector("main#main:not([aria-busy])");

      await page.goto(`${stack.base}/`);
      await page.waitForURL(/\/console\/#\/login$/);
      await page.fill("#token", tokens.dispatcher);
      await page.click("#sign-in");
      await page.waitForSelector('main[data-view="cases"] .view-cases');
      await page.click('nav a[href="#/repeats"]');
      await page.waitForSelector("#queue-repeats");
      await idle();

      const rowOf = async (newer: string) => {
        const id = (await stack.prisma.repeatSuggestion.findFirstOrThrow({ where: { caseId: newer } })).id;
        return `#queue-repeats tr[data-suggestion-id="${id}"]`;
      };
      const mergeRow = await rowOf(merge.newer);
      await page.waitForSelector(mergeRow);
      expect(await page.textContent(mergeRow)).toContain("行业相同");
      await page.screenshot({ path: `${ARTIFACTS}/console-repeats-queue.png`, fullPage: true });
      await page.fill(`${mergeRow} input[name="comment"]`, "同一砖厂");
      await page.click(`${mergeRow} button[data-decision="confirm"]`);
      await page.waitForSelector('#flash:has-text("已确认重复")');
      await idle();

      const keepRow = await rowOf(keep.newer);
      await page.waitForSelector(keepRow);
      await page.click(`${keepRow} button[data-decision="reject"]`);
      await page.waitForSelector('#flash:has-text("已否定")');
      await idle();
      await page.click('a[href="#/repeats?status=confirmed"]');
      await page.waitForSelector(`${mergeRow}:has-text("同一砖厂")`);
      await page.screenshot({ path: `${ARTIFACTS}/console-repeats-decided.png`, fullPage: true });
      // The merged case's page links to the case it joined.
      await page.click(`${mergeRow} a[data-case-id="${merge.newer}"]`);
      await page.waitForSelector(`#merged-into a[href="#/case/${encodeURIComponent(merge.older)}"]`);

      expect(await stack.client.workflow.getHandle(merge.newer).result()).toMatchObject({ outcome: "merged" });
      await until(
        () => stack.prisma.case.findUniqueOrThrow({ where: { id: merge.older } }),
        (c) => c.repeatCount === 1,
        "the older case's repeat count",
      );
      expect((await stack.client.workflow.getHandle(keep.newer).describe()).status.name).toBe("RUNNING");
      expect(await stack.prisma.repeatSuggestion.findFirstOrThrow({ where: { caseId: keep.newer } })).toMatchObject({
        status: "rejected",
        decidedBy: "dev dispatcher",
      });
      expect(pageErrors).toEqual([]);
      await context.close();
    },
    180_000,
  );
});
