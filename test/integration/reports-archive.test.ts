/**
 * The statutory reports on the real stack: the report Schedules exist on the dev server (created idempotently, and a
 * triggered run issues last month's report), report runs deliver a signed webhook to a real HTTP server, and the
 * archive routes list the versions and serve every format with its content type; bad input answers 4xx.
 * Rows are seeded in 2023 (June) so no other suite's periods see them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../activities/feedback";
import { caseRow } from "../../api/intake";
import { parseInstant } from "../../calendar";
import { TASK_QUEUE } from "../../workflows/contract";
import { lastClosedPeriod, reportWorkflow, reportWorkflowId, type ReportInput } from "../../workflows/report.workflow";
import { ensureReportSchedules, REPORT_SCHEDULES } from "../../workers/schedules";
import { startStack, tokens, until } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let hook: Server;
const received: Array<{ body: string; signature?: string; key?: string }> = [];
const sh = (s: string) => parseInstant(s)!;

async function seed(receivedAt: string, district: string, closedAt?: string) {
  const orderNo = `RA-${randomUUID().slice(0, 8)}`;
  const caseId = `case-${orderNo}`;
  const o = {
    orderNo,
    sourceLine: "12369" as const,
    channel: "phone" as const,
    kind: "complaint" as const,
    receivedAt: sh(receivedAt).toISOString(),
    district,
    address: "塔南路1号",
    subjectName: "某砖厂",
    subjectType: "enterprise" as const,
    elements: ["air" as const],
    industry: "建材",
    description: "粉尘",
    attachments: [],
    anonymous: true,
    realName: false,
  };
  await stack.prisma.case.create({
    data: {
      ...caseRow(caseId, o, { subjectKey: `s-${orderNo}`, addressKey: `a-${orderNo}` }),
      acceptedAt: sh(receivedAt),
      ...(closedAt ? { signedAt: sh(receivedAt), closedAt: sh(closedAt), dueAt: sh("2023-07-31T00:00") } : {}),
    },
  });
  await stack.prisma.hotlineOrder.create({
    data: {
      orderNo,
      caseId,
      sourceLine: o.sourceLine,
      channel: o.channel,
      kind: o.kind,
      district,
      receivedAt: sh(receivedAt),
      anonymous: true,
      realName: false,
    },
  });
}

const run = (input: ReportInput) =>
  stack.client.workflow.execute(reportWorkflow, {
    args: [input],
    taskQueue: TASK_QUEUE,
    workflowId: reportWorkflowId(input.kind, input.period!, randomUUID()),
  });

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ body, signature: req.headers["x-signature"] as string, key: req.headers["idempotency-key"] as string });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  stack = await startStack({ REPORT_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/reports` });
  await seed("2023-06-05T09:00", "解放区", "2023-06-20T10:00");
  await seed("2023-06-12T09:00", "山阳区");
});
afterAll(async () => {
  for (const s of REPORT_SCHEDULES)
    await stack?.client.schedule
      .getHandle(s.id)
      .delete()
      .catch(() => undefined);
  await stack?.stop();
  hook?.close();
});

describe("report schedules", () => {
  it("are created once, in Asia/Shanghai, and a triggered run issues last month's report", async () => {
    await ensureReportSchedules(stack.client);
    expect(await ensureReportSchedules(stack.client)).toEqual([]); // already there: nothing created, no error
    for (const s of REPORT_SCHEDULES) {
      const d = await stack.client.schedule.getHandle(s.id).describe();
      expect(d.spec.timezone).toBe("Asia/Shanghai");
      expect(d.action).toMatchObject({ type: "startWorkflow", workflowType: "reportWorkflow", taskQueue: TASK_QUEUE });
    }
    const ids: string[] = [];
    for await (const s of stack.client.schedule.list()) ids.push(s.scheduleId);
    expect(ids).toEqual(expect.arrayContaining(["report-monthly", "report-quarterly"]));

    await stack.client.schedule.getHandle("report-monthly").trigger();
    const period = lastClosedPeriod("monthly", new Date());
    const row = await until(
      () => stack.prisma.report.findFirst({ where: { kind: "monthly", period }, include: { files: true } }),
      (r) => !!r && r.files.length === 3,
      `the scheduled monthly report of ${period}`,
    );
    expect(row!.version).toBeGreaterThanOrEqual(1);
  });
});

describe("report archive", () => {
  let monthlyId = 0;
  let quarterlyId = 0;

  it("issues reports and posts them to the webhook, signed like platform feedback", async () => {
    const m = await run({ kind: "monthly", period: "2023-06" });
    const q = await run({ kind: "quarterly", period: "2023-Q2" });
    monthlyId = m.reportId;
    quarterlyId = q.reportId;
    expect(m).toMatchObject({ version: 1, isNew: true });
    const hit = await until(
      async () => received.find((r) => r.key === "report:monthly:2023-06:v1"),
      (r) => !!r,
      "the monthly webhook",
    );
    expect(hit!.signature).toBe(signBody(hit!.body, "dev-platform-secret"));
    const body = JSON.parse(hit!.body);
    expect(body).toMatchObject({ kind: "monthly", period: "2023-06", version: 1, content: { totals: { received: 2, cases: 2, closed: 1 } } });
    expect(body.csv).toContain("2023-06,totals,all,2,2,");
    // A second run with the same data sends nothing again.
    expect(await run({ kind: "monthly", period: "2023-06" })).toMatchObject({ version: 1, isNew: false });
    expect(received.filter((r) => r.key === "report:monthly:2023-06:v1")).toHaveLength(1);
  });

  it("lists the issued versions for supervisors and admins only", async () => {
    const list = await stack.call("GET", "/api/reports/archive?period=2023-06", tokens.supervisor);
    expect(list.status).toBe(200);
    expect(list.body.reports).toHaveLength(1);
    expect(list.body.reports[0]).toMatchObject({
      id: monthlyId,
      kind: "monthly",
      period: "2023-06",
      version: 1,
      superseded: false,
      formats: ["csv", "html", "xlsx", "json"],
      links: { xlsx: `/api/reports/archive/${monthlyId}.xlsx` },
      delivered: { notice: true, webhook: "sent (202)" },
    });
    expect((await stack.call("GET", "/api/reports/archive?kind=quarterly", tokens.admin)).body.reports.map((r: { id: number }) => r.id)).toContain(quarterlyId);
    expect((await stack.call("GET", "/api/reports/archive", tokens.unit("branch-jiefang"))).status).toBe(403);
    expect((await stack.call("GET", "/api/reports/archive", null)).status).toBe(401);
  });

  it("serves every format with its content type", async () => {
    const csv = await stack.call("GET", `/api/reports/archive/${monthlyId}.csv`, tokens.supervisor);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain("monthly-2023-06-v1.csv");
    expect(csv.body).toContain("period,section,key");

    const res = await fetch(`${stack.base}/api/reports/archive/${monthlyId}.xlsx`, { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");

    const html = await stack.call("GET", `/api/reports/archive/${quarterlyId}.html`, tokens.admin);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.body).toContain("环境信访案件季度分析报告 2023-Q2");
    expect(html.body).toContain("<svg");

    const json = await stack.call("GET", `/api/reports/archive/${quarterlyId}.json`, tokens.supervisor);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ id: quarterlyId, kind: "quarterly", period: "2023-Q2", version: 1, content: { quarter: "2023-Q2" } });
  });

  it("answers bad input with 4xx and the error shape", async () => {
    for (const path of [
      "/api/reports/archive/abc.csv",
      "/api/reports/archive/99999999999.csv",
      `/api/reports/archive/${monthlyId}.pdf`,
      "/api/reports/archive/2147483647.json",
      "/api/reports/archive/0.csv",
    ]) {
      const r = await stack.call("GET", path, tokens.supervisor);
      expect(r.status, path).toBe(404);
      expect(r.body).toMatchObject({ code: "report_not_found", message: expect.any(String) });
    }
    for (const q of ["kind=weekly", "period=2023-6", "foo=1"]) {
      const r = await stack.call("GET", `/api/reports/archive?${q}`, tokens.supervisor);
      expect(r.status, q).toBe(400);
      expect(r.body.code).toBe("invalid_request");
    }
    expect((await stack.call("POST", "/api/reports/notices/abc/read", tokens.supervisor)).status).toBe(404);
  });

  it("shows supervisors a notice of each issued report until they mark it read", async () => {
    const notices = await stack.call("GET", "/api/reports/notices", tokens.supervisor);
    expect(notices.status).toBe(200);
    expect(notices.body.notices).toEqual(expect.arrayContaining([expect.objectContaining({ reportId: monthlyId, period: "2023-06", read: false })]));
    expect(await stack.call("POST", `/api/reports/notices/${monthlyId}/read`, tokens.supervisor)).toMatchObject({
      status: 200,
      body: { reportId: monthlyId, read: true },
    });
    const after = await stack.call("GET", "/api/reports/notices", tokens.supervisor);
    expect(after.body.notices.find((n: { reportId: number }) => n.reportId === monthlyId).read).toBe(true);
  });

  it("reissues a period on request: version 2 after late data, version 1 superseded but unchanged", async () => {
    const same = await stack.call("POST", "/api/reports/archive", tokens.supervisor, { kind: "monthly", period: "2023-06" });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ done: true, reportId: monthlyId, version: 1, isNew: false });
    await seed("2023-06-29T17:00", "中站区"); // late data: a June order reaches the read model after the report
    const late = await stack.call("POST", "/api/reports/archive", tokens.admin, { kind: "monthly", period: "2023-06" });
    expect(late.body).toMatchObject({ done: true, kind: "monthly", period: "2023-06", version: 2, isNew: true });
    const list = (await stack.call("GET", "/api/reports/archive?kind=monthly&period=2023-06", tokens.supervisor)).body.reports;
    expect(list.map((r: { version: number; superseded: boolean }) => [r.version, r.superseded])).toEqual([
      [2, false],
      [1, true],
    ]);
    const v1 = await stack.call("GET", `/api/reports/archive/${monthlyId}.json`, tokens.supervisor);
    expect(v1.body.content.totals.received).toBe(2);
    const v2 = await stack.call("GET", `/api/reports/archive/${late.body.reportId}.json`, tokens.supervisor);
    expect(v2.body.content.totals.received).toBe(3);
    await until(
      async () => received.find((r) => r.key === "report:monthly:2023-06:v2"),
      (r) => !!r,
      "the version 2 webhook",
    );

    for (const [body, status, code] of [
      [{ kind: "monthly", period: "2099-01" }, 422, "period_open"],
      [{ kind: "monthly", period: "2023-13" }, 400, "invalid_period"],
      [{ kind: "quarterly", period: "2023-06" }, 400, "invalid_period"],
      [{ kind: "weekly", period: "2023-06" }, 400, "invalid_request"],
      [{ kind: "monthly" }, 400, "invalid_request"],
    ] as const) {
      const r = await stack.call("POST", "/api/reports/archive", tokens.supervisor, body);
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect((await stack.call("POST", "/api/reports/archive", tokens.unit("branch-jiefang"), { kind: "monthly", period: "2023-06" })).status).toBe(403);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await stack.call("GET", "/openapi.json", null);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(["/api/reports/archive", "/api/reports/archive/{file}", "/api/reports/notices", "/api/reports/notices/{reportId}/read"]),
    );
  });
});
