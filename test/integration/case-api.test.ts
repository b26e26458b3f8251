/** Integration: the API and a worker with real activities, on the Temporal dev server and a real database. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../activities/feedback";
import { SA } from "../../workflows/contract";
import { orderBody, startStack, tokens, until } from "./stack";
import { investigationBody } from "../../scripts/bench/load";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let platform: Server;
const received: Array<{ body: string; signature: string | undefined }> = [];
let failNext = 2;

beforeAll(async () => {
  // A real HTTP server standing in for the hotline platform; it fails twice to prove the retry.
  platform = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (failNext-- > 0) {
        res.statusCode = 503;
        res.end();
        return;
      }
      received.push({ body, signature: req.headers["x-signature"] as string | undefined });
      res.statusCode = 200;
      res.end("{}");
    });
  });
  await new Promise<void>((r) => platform.listen(0, "127.0.0.1", r));
  stack = await startStack({ PLATFORM_FEEDBACK_URL: `http://127.0.0.1:${(platform.address() as AddressInfo).port}/feedback`, REVISIT_SAMPLE_RATE: "1" });
});
afterAll(async () => {
  await stack?.stop();
  platform?.close();
});

const stageOf = (caseId: string, token = tokens.supervisor) =>
  until(
    () => stack.call("GET", `/api/cases/${caseId}`, token),
    (r) => r.status === 200,
    "case",
  ).then((r) => r.body.stage as string);
const waitStage = (caseId: string, stage: string) =>
  until(
    () => stageOf(caseId),
    (s) => s === stage,
    `stage ${stage}`,
  );

const unitToken = tokens.unit("branch-jiefang");
const wenxianToken = tokens.unit("branch-wenxian");
const record = investigationBody;

describe("case API on a real Temporal server and database", () => {
  it("takes in an order idempotently and finds it through a visibility query on a search attribute", async () => {
    const body = orderBody();
    const first = await stack.call("POST", "/api/orders", tokens.integration, body);
    expect(first.status).toBe(201);
    const again = await stack.call("POST", "/api/orders", tokens.integration, body);
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(first.body.caseId);
    await waitStage(first.body.caseId, "transferred");
    const query = `WorkflowId = '${first.body.caseId}' AND ${SA.unit.name} = 'branch-jiefang' AND ${SA.district.name} = '解放区'`;
    const found = await until(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.client.workflow.list({ query })) ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.length === 1,
      "visibility",
    );
    expect(found).toEqual([first.body.caseId]);
  });

  it("runs a case over HTTP from intake to completion, with signed platform feedback and an encrypted reporter", async () => {
    // Its own district, so the monthly report's figures for it are exactly this case's.
    const body = orderBody({ district: "温县" });
    const { body: created } = await stack.call("POST", "/api/orders", tokens.integration, body);
    const id = created.caseId as string;
    await waitStage(id, "transferred");
    const signed = await stack.call("POST", `/api/cases/${id}/sign`, wenxianToken, {});
    expect(signed.status).toBe(200);
    expect(signed.body.dueAt).toMatch(/T16:00:00.000Z$/); // 24:00 Asia/Shanghai
    expect((await stack.call("POST", `/api/cases/${id}/investigation`, wenxianToken, record)).status).toBe(200);
    expect((await stack.call("POST", `/api/cases/${id}/rectification`, wenxianToken, { immediate: true, note: "当场整改" })).status).toBe(200);
    const fb = await stack.call("POST", `/api/cases/${id}/feedback`, wenxianToken, {
      findings: "属实",
      handlingOpinion: "责令整改",
      evidence: ["p1"],
      result: "已整改",
      handler: "张三",
    });
    expect(fb.status).toBe(200);
    await waitStage(id, "revisit_pending");
    const rv = await stack.call("POST", `/api/cases/${id}/revisits`, tokens.supervisor, { rebound: false, satisfied: true });
    expect(rv.status).toBe(200);
    await waitStage(id, "completed");

    const row = await until(
      () => stack.prisma.case.findUnique({ where: { id } }),
      (c) => c?.stage === "completed",
      "read model",
    );
    expect(row!.closedAt).not.toBeNull();
    expect(await stack.prisma.caseEvent.count({ where: { caseId: id } })).toBeGreaterThan(8);
    const order = await stack.prisma.hotlineOrder.findUnique({ where: { orderNo: body.orderNo } });
    expect(order!.reporterPhone).not.toContain("13812345678");
    expect(order!.reporterName).not.toContain("王小明");

    // The platform failed the first two deliveries; exactly one was accepted.
    const accepted = received.filter((r) => JSON.parse(r.body).orderNo === body.orderNo && JSON.parse(r.body).kind === "closed");
    expect(accepted).toHaveLength(1);
    const sent = accepted[0];
    expect(sent!.signature).toBe(signBody(sent!.body, "dev-platform-secret"));

    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const report = await stack.call("GET", `/api/reports/monthly?month=${month}`, tokens.supervisor);
    const wenxian = report.body.byDistrict.find((g: { key: string }) => g.key === "温县");
    expect(wenxian.figures).toMatchObject({
      received: 1,
      cases: 1,
      accepted: 1,
      returned: 0,
      closed: 1,
      onTimeClosed: 1,
      onTimeCompletionRate: 1,
      overdue: 0,
      revisits: 1,
      satisfied: 1,
      satisfactionRate: 1,
      avgCompletionWorkingDays: 0,
    });

    const view = await stack.call("GET", `/api/cases/${id}`, wenxianToken);
    expect(view.body.reporters[0].phone).toBe("138****5678");
    const revealed = await stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=${encodeURIComponent("奖励核实")}`, tokens.supervisor);
    expect(revealed.body.reporters[0].phone).toBe("13812345678");
    expect(await stack.prisma.auditLog.count({ where: { caseId: id } })).toBe(1);
  });

  it("joins a repeat report to the open case", async () => {
    const first = orderBody();
    const { body: a } = await stack.call("POST", "/api/orders", tokens.integration, first);
    const repeat = orderBody({ subject: first.subject, address: "另一个地址" });
    const b = await stack.call("POST", "/api/orders", tokens.integration, repeat);
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ caseId: a.caseId, repeatOf: a.caseId, repeatCount: 1 });
  });

  it("starts a new case for a repeat that the matched case refuses, although the read model still shows it open", async () => {
    // An order outside the jurisdiction is returned: its workflow finishes. Its row is then made to
    // look open, as a read model that has not caught up would.
    const first = orderBody({ district: "外省某区" });
    const { body: a } = await stack.call("POST", "/api/orders", tokens.integration, first);
    await until(
      () => stack.client.workflow.getHandle(a.caseId).describe(),
      (d) => d.status.name === "COMPLETED",
      "the returned case to finish",
    );
    await stack.prisma.case.update({ where: { id: a.caseId }, data: { stage: "transferred" } });
    const repeat = orderBody({ district: "外省某区", subject: first.subject, address: first.address });
    const b = await stack.call("POST", "/api/orders", tokens.integration, repeat);
    expect(b.status).toBe(201);
    expect(b.body.caseId).not.toBe(a.caseId);
    expect(b.body.repeatOf).toBeUndefined();
    expect(await stack.prisma.hotlineOrder.findUnique({ where: { orderNo: repeat.orderNo } })).toMatchObject({ caseId: b.body.caseId, isRepeat: false });
    // A retry of the same order answers from its row: the same new case.
    expect((await stack.call("POST", "/api/orders", tokens.integration, repeat)).body).toMatchObject({ caseId: b.body.caseId, created: false });
  });

  it("answers client mistakes with 4xx and the error shape", async () => {
    const bad = await stack.call("POST", "/api/orders", tokens.integration, { ...orderBody(), kind: "gossip", orderNo: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("invalid_request");
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(["kind", "orderNo"]));
    expect((await stack.call("POST", "/api/orders", tokens.integration, "{not json")).status).toBe(400);
    // NUL cannot be stored by PostgreSQL: a 400, not a failed insert (found by fuzzing).
    expect((await stack.call("POST", "/api/orders", tokens.integration, { ...orderBody(), description: "a\u0000b" })).status).toBe(400);
    expect((await stack.call("POST", "/api/orders", null, orderBody())).status).toBe(401);
    expect((await stack.call("POST", "/api/orders", "wrong-token-123", orderBody())).status).toBe(401);
    expect((await stack.call("POST", "/api/orders", unitToken, orderBody())).status).toBe(403);
    expect((await stack.call("GET", "/api/cases/case-DOES-NOT-EXIST", tokens.supervisor)).status).toBe(404);
    expect((await stack.call("GET", "/api/cases/not-a-case", tokens.supervisor)).status).toBe(400);
    const huge = await stack.call("POST", "/api/orders", tokens.integration, { ...orderBody(), description: "x".repeat(400_000) });
    expect(huge.status).toBe(413);

    const { body: c } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
    await waitStage(c.caseId, "transferred");
    expect((await stack.call("GET", `/api/cases/${c.caseId}`, tokens.unit("branch-macun"))).status).toBe(404);
    const other = await stack.call("GET", `/api/cases?unitId=branch-jiefang`, tokens.unit("branch-macun"));
    expect(other.status).toBe(403);
    const own = await stack.call("GET", `/api/cases?pageSize=200`, tokens.unit("branch-macun"));
    expect(own.body.items.every((i: { unitId: string }) => i.unitId === "branch-macun")).toBe(true);
    expect((await stack.call("POST", `/api/cases/${c.caseId}/sign`, unitToken, {})).status).toBe(200);
    const twice = await stack.call("POST", `/api/cases/${c.caseId}/sign`, unitToken, {});
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("invalid_state");
    const tooLong = await stack.call("POST", `/api/cases/${c.caseId}/extensions`, unitToken, { days: 30, reason: "复杂" });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.code).toBe("business_rule");
    const req = await stack.call("POST", `/api/cases/${c.caseId}/extensions`, unitToken, { days: 3, reason: "等待检测" });
    expect(req.status).toBe(200);
    expect((await stack.call("POST", `/api/cases/${c.caseId}/extensions/ext-9/decision`, tokens.supervisor, { approve: true })).status).toBe(404);
    expect((await stack.call("POST", `/api/cases/${c.caseId}/extensions/${req.body.extensionId}/decision`, unitToken, { approve: true })).status).toBe(403);
    const ok = await stack.call("POST", `/api/cases/${c.caseId}/extensions/${req.body.extensionId}/decision`, tokens.supervisor, { approve: true });
    expect(ok.body.status).toBe("approved");
  });

  it("serves the calendar, validates an upload, health and the OpenAPI document", async () => {
    const year = await stack.call("GET", "/api/calendar/2026", tokens.unit("branch-jiefang"));
    expect(year.body.days).toHaveLength(365);
    expect(year.body.days.find((d: { date: string }) => d.date === "2026-10-10").working).toBe(true);
    const bad = await stack.call("PUT", "/api/calendar/2027", tokens.admin, { off: ["2026-01-01"], work: [] });
    expect(bad.status).toBe(400);
    expect((await stack.call("PUT", "/api/calendar/2027", tokens.supervisor, { off: ["2027-01-01"], work: [] })).status).toBe(403);
    expect((await stack.call("GET", "/health", null)).status).toBe(200);
    expect((await stack.call("GET", "/ready", null)).body).toMatchObject({ temporal: "ok", database: "ok" });
    const doc = await stack.call("GET", "/openapi.json", null);
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/orders", "/api/cases/{caseId}/sign", "/api/calendar/{year}"]));
  });
});

describe("statistics routes", () => {
  it("serve figures, reports as JSON and CSV, and reject bad periods", async () => {
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const stats = await stack.call("GET", `/api/stats?month=${month}&groupBy=district`, tokens.supervisor);
    expect(stats.status).toBe(200);
    expect(stats.body.totals.cases).toBeGreaterThan(0);
    expect(stats.body.groups.some((g: { key: string }) => g.key === "解放区")).toBe(true);
    const csv = await stack.call("GET", `/api/reports/monthly?month=${month}`, tokens.admin, undefined, { accept: "text/csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(String(csv.body)).toMatch(/period,section,key/);
    const q = await stack.call("GET", `/api/reports/quarterly?quarter=2026-Q4`, tokens.supervisor);
    expect(q.body.monthly).toHaveLength(3);
    expect((await stack.call("GET", `/api/stats?month=2026-13`, tokens.supervisor)).body.code).toBe("invalid_period");
    expect((await stack.call("GET", `/api/stats?month=${month}`, tokens.unit("branch-jiefang"))).status).toBe(403);
  });
});
