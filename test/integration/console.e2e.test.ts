/**
 * The supervisor console in a real headless browser (Debian's /usr/bin/chromium through playwright-core) against a
 * real stack: Temporal dev server, database, case worker and the API. A unit signs a case and asks for an
 * extension, a supervisor approves it from the approvals queue and sees the deadline move; the unit records a
 * violation and applies for a reward; the supervisor approves it and sees it paid. Screenshots go to test-artifacts/.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, hasChromium, launchChromium } from "./browser";
import { orderBody, startStack, tokens, until } from "./stack";
import { png } from "./evidence-fixtures";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let base: string;
let browser: Browser | undefined;

const unitId = "branch-jiefang";
const unitToken = tokens.unit(unitId);

beforeAll(async () => {
  stack = await startStack();
  base = stack.base;
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** fetch against the API (no redirects followed). */
async function call(method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    redirect: "manual",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

const caseState = (id: string) => call("GET", `/api/cases/${id}`, tokens.supervisor).then((r) => r.body);
const waitStage = (id: string, stage: string) =>
  until(
    () => caseState(id),
    (s) => s?.stage === stage,
    `stage ${stage}`,
  );

/** A new case from the platform, transferred to branch-jiefang; returns its id. */
async function transferredCase(): Promise<string> {
  const created = await call("POST", "/api/orders", tokens.integration, orderBody());
  expect(created.status).toBe(201);
  const id = created.body.caseId as string;
  await waitStage(id, "transferred");
  return id;
}

describe("console routes and the approvals queue", () => {
  it("serves the console with a strict CSP, redirects / and answers /api/me", async () => {
    const root = await call("GET", "/", null);
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/console/");
    const index = await call("GET", "/console/", null);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/text\/html/);
    expect(index.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(index.body).toContain('<script type="module" src="js/app.js">');
    const js = await call("GET", "/console/js/app.js", null);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect((await call("GET", "/console/../package.json", null)).status).not.toBe(200);

    expect((await call("GET", "/api/me", null)).status).toBe(401);
    expect((await call("GET", "/api/me", unitToken)).body).toEqual({ role: "unit", name: `dev unit ${unitId}`, unitId });
    expect((await call("GET", "/api/me", tokens.supervisor)).body).toEqual({ role: "supervisor", name: "dev supervisor" });
  });

  it("lists pending extensions and rewards with the workflow's item ids, for supervisors and admins only", async () => {
    const id = await transferredCase();
    expect((await call("POST", `/api/cases/${id}/sign`, unitToken, {})).status).toBe(200);
    const ext = await call("POST", `/api/cases/${id}/extensions`, unitToken, { days: 2, reason: "等待监测报告" });
    expect(ext.status).toBe(200);

    expect((await call("GET", "/api/approvals", null)).status).toBe(401);
    expect((await call("GET", "/api/approvals", unitToken)).status).toBe(403);
    expect((await call("GET", "/api/approvals", tokens.dispatcher)).status).toBe(403);
    // The queue reads the read model, which follows the workflow's committed state a moment later.
    const queues = await until(
      () => call("GET", "/api/approvals", tokens.supervisor),
      (q) => q.status !== 200 || q.body.extensions.some((e: { caseId: string }) => e.caseId === id),
      "the extension in the queue",
    );
    expect(queues.status).toBe(200);
    const item = queues.body.extensions.find((e: { caseId: string }) => e.caseId === id);
    expect(item).toMatchObject({
      id: `${id}:${ext.body.extensionId}`,
      itemId: ext.body.extensionId,
      days: 2,
      status: "pending",
      case: { unitId, stage: "investigating" },
    });
    expect(queues.body.rewards.every((r: { status: string }) => r.status === "pending")).toBe(true);
    expect((await call("GET", "/api/approvals", tokens.admin)).status).toBe(200);

    // The item id works with the decision route; decided items leave the queue.
    const decided = await call("POST", `/api/cases/${id}/extensions/${item.itemId}/decision`, tokens.supervisor, { approve: false, comment: "材料不足" });
    expect(decided.body.status).toBe("rejected");
    const after = await until(
      () => call("GET", "/api/approvals", tokens.supervisor),
      (q) => !q.body.extensions.some((e: { caseId: string }) => e.caseId === id),
      "the decided extension out of the queue",
    );
    expect(after.body.extensions.some((e: { caseId: string }) => e.caseId === id)).toBe(false);

    const doc = await call("GET", "/openapi.json", null);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/approvals", "/api/me"]));
  });
});

describe("supervisor console in headless Chromium", () => {
  it.skipIf(!hasChromium)(
    "signs, extends, approves, investigates and rewards a case through the browser",
    async () => {
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
      const page: Page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error" && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
      });
      const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/console-${name}.png`, fullPage: true });
      let loginShot = false;
      const idle = () => page.waitForSelector("main#main:not([aria-busy])");

      const signIn = async (token: string) => {
        await page.goto(`${base}/`);
        await page.waitForURL(/\/console\/#\/login$/);
        if (!loginShot) {
          loginShot = true;
          await shot("00-login");
        }
        await page.fill("#token", token);
        await page.click("#sign-in");
        await page.waitForSelector('main[data-view="cases"] .view-cases');
        await idle();
      };
      const signOut = async () => {
        await page.click("#sign-out");
        await page.waitForSelector("#token");
      };
      const openCase = async (id: string) => {
        await page.goto(`${base}/console/#/case/${id}`);
        await page.waitForSelector(`.view-case[data-case-id="${id}"]`);
        await idle();
      };
      const form = (action: string) => `form[data-action="${action}"]`;
      const submit = (action: string) => page.click(`${form(action)} button[type="submit"]`);

      const id = await transferredCase();
      const initial = await caseState(id);

      // --- the unit signs and asks for an extension -------------------------------------------------------------
      await signIn(unitToken);
      expect(await page.textContent(".who-role")).toBe("处置单位");
      await page.waitForSelector(`a.case-link[data-case-id="${id}"]`);
      expect(await page.textContent(`tr[data-case-id="${id}"] .badge`)).toBe("绿");
      await shot("01-unit-cases");
      await page.click(`a.case-link[data-case-id="${id}"]`);
      await page.waitForSelector(`.view-case[data-case-id="${id}"][data-stage="transferred"]`);
      await idle();
      expect(await page.textContent("#reporters")).toContain("138****5678");
      expect(await page.textContent("#reporters")).not.toContain("13812345678");
      expect(await page.getAttribute("#temporal-link", "href")).toBe(initial.temporalUiUrl);
      await shot("02-unit-case-transferred");

      await submit("sign");
      await page.waitForSelector(`.view-case[data-stage="investigating"]`);
      await idle();
      const signed = await caseState(id);
      expect(await page.getAttribute("#due-at", "data-due-at")).toBe(signed.deadline.dueAt);
      // Signed today: the whole limit is left (the day the clock starts is not counted).
      const left = Number(await page.getAttribute("#days-left", "data-days-left"));
      expect(left).toBeLessThanOrEqual(signed.deadline.days);
      expect(left).toBeGreaterThanOrEqual(signed.deadline.days - 1);

      // Client-side checks first, then the API's rejection (the policy allows at most 10 days), then a valid request.
      await submit("extension");
      expect(await page.textContent(`${form("extension")} [data-field="days"] .field-error`)).toBe("此项为必填项");
      expect(await page.textContent(`${form("extension")} [data-field="reason"] .field-error`)).toBe("此项为必填项");
      await page.fill(`${form("extension")} [name="days"]`, "30");
      await page.fill(`${form("extension")} [name="reason"]`, "需等待第三方监测报告");
      await submit("extension");
      await page.waitForSelector(`${form("extension")} .error-box[data-error-code="business_rule"]`);
      expect(await page.textContent(`${form("extension")} .error-box`)).toContain("business_rule");
      await shot("03-unit-extension-rejected-by-api");
      await page.fill(`${form("extension")} [name="days"]`, "3");
      await submit("extension");
      await page.waitForSelector(`[data-extension-id="ext-1"] [data-extension-status="pending"]`);
      await idle();
      const dueBefore = await page.getAttribute("#due-at", "data-due-at");
      await shot("04-unit-extension-pending");
      await signOut();

      // --- the supervisor approves the extension from the queue ------------------------------------------------
      await signIn(tokens.supervisor);
      await page.click('nav a[href="#/approvals"]');
      const extRow = `#queue-extensions tr[data-case-id="${id}"][data-item-id="ext-1"]`;
      await page.waitForSelector(extRow);
      await idle();
      await shot("05-supervisor-approvals-extension");
      await page.fill(`${extRow} input[name="comment"]`, "同意延期");
      await page.click(`${extRow} button[data-decision="approve"]`);
      await page.waitForSelector('#flash:has-text("延期申请已批准")');
      await idle();
      expect(await page.$(extRow)).toBeNull();
      await openCase(id);
      await page.waitForSelector(`[data-extension-id="ext-1"] [data-extension-status="approved"]`);
      const dueAfter = await page.getAttribute("#due-at", "data-due-at");
      expect(Date.parse(dueAfter!)).toBeGreaterThan(Date.parse(dueBefore!));
      const extended = await caseState(id);
      expect(dueAfter).toBe(extended.deadline.dueAt);
      expect(extended.deadline.days).toBe(signed.deadline.days + 3);
      expect(Number(await page.getAttribute("#days-left", "data-days-left"))).toBeGreaterThanOrEqual(extended.deadline.days - 1);
      await shot("06-supervisor-case-extended");
      await page.click('nav a[href="#/dashboard"]');
      await page.waitForSelector(".view-dashboard svg.chart");
      await page.waitForSelector("#stats, #stats-empty");
      // The statutory reports card (the archive may be empty in this run: it then says when reports are issued).
      await page.waitForSelector("#reports");
      expect(await page.textContent(".view-dashboard")).toContain("法定报表");
      await shot("07-supervisor-dashboard");
      await signOut();

      // --- the unit records a violation and applies for a reward (the reporter is real-name) -------------------
      await signIn(unitToken);
      await openCase(id);
      const inv = form("investigation");
      expect(await page.inputValue(`${inv} [name="subjectName"]`)).toBe(initial.order.subjectName);
      await page.fill(`${inv} [name="facts"]`, "夜间生产时废气处理设施未开启，现场有刺鼻气味");
      await page.fill(`${inv} [name="productionStatus"]`, "正常生产");
      await page.fill(`${inv} [name="controlFacilities"]`, "活性炭吸附装置未运行");
      await page.fill(`${inv} [name="discharges"]`, "有机废气无组织排放");
      await page.fill(`${inv} [name="cause"]`, "企业为节省成本停运治污设施");
      await page.selectOption(`${inv} [name="violationFound"]`, "true");
      await page.selectOption(`${inv} [name="enterpriseEntered"]`, "true");
      await submit("investigation");
      expect(await page.textContent(`${inv} [data-field="enforcementPlatformRef"] .field-error`)).toBe("此项为必填项");
      await page.fill(`${inv} [name="enforcementPlatformRef"]`, "HN-ZF-2026-0001");
      await submit("investigation");
      await page.waitForSelector(`.view-case[data-stage="rectifying"]`);
      await idle();
      // The one allowed extension is used: the form is gone. The plan fields wait for "not immediate".
      expect(await page.$(form("extension"))).toBeNull();
      expect(await page.isVisible(`${form("rectification")} [name="plan.goal"]`)).toBe(false);
      await page.selectOption(`${form("rectification")} [name="immediate"]`, "false");
      expect(await page.isVisible(`${form("rectification")} [name="plan.goal"]`)).toBe(true);
      // A photo attached from the rectification form appears as a thumbnail, without reloading the form.
      await page.setInputFiles(`${form("rectification")} input[type="file"]`, { name: "现场.png", mimeType: "image/png", buffer: await png() });
      await page.fill(`${form("rectification")} [name="evidence-note"]`, "整改前");
      await page.click(`${form("rectification")} .evidence-upload button`);
      await page.waitForSelector('#evidence .evidence-item[data-mime="image/png"] img[data-loaded="true"]');
      expect(await page.textContent("#evidence")).toContain("整改前");
      expect(await page.isVisible(`${form("rectification")} [name="plan.goal"]`)).toBe(true);
      await page.fill(`${form("reward")} [name="amountYuan"]`, "800");
      await page.fill(`${form("reward")} [name="reason"]`, "实名举报经查属实");
      await submit("reward");
      await page.waitForSelector(`[data-reward-id="reward-1"] [data-reward-status="pending"]`);
      await idle();
      expect(await page.textContent("#reporters")).toContain("138****5678");
      await shot("08-unit-reward-applied");
      await signOut();

      // --- the supervisor approves the reward and sees it paid --------------------------------------------------
      await signIn(tokens.supervisor);
      await page.click('nav a[href="#/approvals"]');
      const rewardRow = `#queue-rewards tr[data-case-id="${id}"][data-item-id="reward-1"]`;
      await page.waitForSelector(rewardRow);
      await idle();
      expect(await page.inputValue(`${rewardRow} input[name="amountYuan"]`)).toBe("800");
      await shot("09-supervisor-approvals-reward");
      await page.click(`${rewardRow} button[data-decision="approve"]`);
      await page.waitForSelector('#flash:has-text("已批准并发放")');
      await idle();
      await openCase(id);
      await page.waitForSelector(`[data-reward-id="reward-1"] [data-reward-status="paid"]`);
      expect(await page.textContent(`[data-reward-id="reward-1"] [data-reward-status]`)).toBe("已发放");
      await shot("10-supervisor-reward-paid");

      // --- the supervisor reads the audit log: a reveal, by the development supervisor, with its reason ----------
      const reason = `e2e-audit-${id}`;
      expect((await call("GET", `/api/cases/${id}?reveal=reporter&reason=${reason}`, tokens.supervisor)).status).toBe(200);
      await page.click('nav a[href="#/audit"]');
      await page.waitForSelector("#audit-log");
      await page.fill('#audit-filters input[name="caseId"]', id);
      await page.click('#audit-filters button[type="submit"]');
      await page.waitForSelector(`#audit-log td:has-text("${reason}")`);
      await idle();
      expect(await page.textContent("#audit-log tbody")).toContain("dev supervisor");
      await shot("11-supervisor-audit-log");

      const final = await caseState(id);
      expect(final.extensions[0]).toMatchObject({ id: "ext-1", status: "approved", comment: "同意延期" });
      expect(final.rewards[0]).toMatchObject({ id: "reward-1", status: "paid", amountYuan: 800 });
      expect(final.investigation).toMatchObject({ violationFound: true, enforcementPlatformRef: "HN-ZF-2026-0001" });
      expect(final.evidence).toEqual([expect.objectContaining({ mime: "image/png", stage: "rectification", note: "整改前" })]);
      expect(pageErrors).toEqual([]);
      await context.close();
    },
    240_000,
  );
});
