/**
 * The report workflow on the time-skipping server with the real activities on an embedded database: the monthly and
 * the quarterly report of seeded read-model rows (2025, a closed period), their figures, renderings and deliveries;
 * a second run with unchanged data issues no new version, a run after late data issues version 2 and leaves
 * version 1 as it was.
 *
 * Fixture (Asia/Shanghai):  case  received     district  accepted/signed   due          closed
 *                           A     01-10 09:00  解放区    01-10 / 01-13     01-25 00:00  01-20 (on time)
 *                           B     01-15 10:00  山阳区    01-15 / –         –            – (open)
 *                           C     02-12 09:00  解放区    02-12 / 02-13     02-26 00:00  03-01 (late)
 *                           D     03-05 09:00  中站区    –                 –            –
 */
import ExcelJS from "exceljs";
import { randomUUID } from "node:crypto";
import { WorkflowFailedError } from "@temporalio/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseInstant } from "../../calendar";
import type { MonthlyReport, QuarterlyReport } from "../../api/stats/reports";
import { reportWorkflow, reportWorkflowId, type ReportInput } from "../../workflows/report.workflow";
import { caseInput, order, seedCase, startHarness } from "./harness";

type Harness = Awaited<ReturnType<typeof startHarness>>;
let h: Harness;
const sh = (s: string) => parseInstant(s)!;

async function seed(n: string, receivedAt: string, district: string, over: Record<string, Date | null> = {}) {
  const input = caseInput(order({ orderNo: `R-${n}-${randomUUID().slice(0, 6)}`, receivedAt: sh(receivedAt).toISOString(), district }));
  await seedCase(h.prisma, input);
  if (Object.keys(over).length) await h.prisma.case.update({ where: { id: input.caseId }, data: over });
  return input.caseId;
}

beforeAll(async () => {
  h = await startHarness();
  await seed("A", "2025-01-10T09:00", "解放区", {
    acceptedAt: sh("2025-01-10T09:30"),
    signedAt: sh("2025-01-13T10:00"),
    dueAt: sh("2025-01-25T00:00"),
    closedAt: sh("2025-01-20T15:00"),
  });
  await seed("B", "2025-01-15T10:00", "山阳区", { acceptedAt: sh("2025-01-15T10:30") });
  await seed("C", "2025-02-12T09:00", "解放区", {
    acceptedAt: sh("2025-02-12T09:30"),
    signedAt: sh("2025-02-13T10:00"),
    dueAt: sh("2025-02-26T00:00"),
    closedAt: sh("2025-03-01T10:00"),
  });
  await seed("D", "2025-03-05T09:00", "中站区");
});
afterAll(async () => {
  await h?.stop();
});

const run = (input: ReportInput) =>
  h.env.client.workflow.execute(reportWorkflow, {
    args: [input],
    taskQueue: h.taskQueue,
    workflowId: reportWorkflowId(input.kind, input.period!, randomUUID()),
  });

const versions = (kind: string, period: string) =>
  h.prisma.report.findMany({ where: { kind, period }, orderBy: { version: "asc" }, include: { files: true, deliveries: true } });

describe("reportWorkflow", () => {
  it("issues the monthly report of a closed month with its figures, renderings and deliveries", async () => {
    const out = await run({ kind: "monthly", period: "2025-01" });
    expect(out).toMatchObject({ kind: "monthly", period: "2025-01", version: 1, isNew: true });
    const [v1, ...more] = await versions("monthly", "2025-01");
    expect(more).toHaveLength(0);
    const c = v1!.content as unknown as MonthlyReport;
    expect(c.month).toBe("2025-01");
    expect(c.dueBy).toBe("2025-02-10");
    expect(c.totals).toMatchObject({ received: 2, cases: 2, accepted: 2, closed: 1, onTimeClosed: 1, onTimeCompletionRate: 1 });
    expect(c.byDistrict.map((g) => [g.key, g.figures.cases]).sort()).toEqual([
      ["山阳区", 1],
      ["解放区", 1],
    ]);
    // No reporter identity anywhere in the report.
    expect(JSON.stringify(c)).not.toMatch(/reporter|phone|13812345678/);

    expect(v1!.files.map((f) => f.format).sort()).toEqual(["csv", "html", "xlsx"]);
    const csv = Buffer.from(v1!.files.find((f) => f.format === "csv")!.body).toString("utf8");
    expect(csv.startsWith("\uFEFFperiod,section,key,received,cases")).toBe(true);
    expect(csv).toContain("2025-01,totals,all,2,2,2,");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(v1!.files.find((f) => f.format === "xlsx")!.body) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet("报表")!;
    expect(String(sheet.getCell("A1").value)).toContain("环境信访案件办理情况月报 2025-01");
    expect(sheet.getRow(3).getCell(4).value).toBe("受理工单数");
    expect(sheet.getRow(4).getCell(2).value).toBe("合计");
    expect(sheet.getRow(4).getCell(4).value).toBe(2);
    expect(v1!.deliveries.map((d) => `${d.channel}:${d.status}`).sort()).toEqual(["notice:0", "webhook:0"]);
  });

  it("issues no new version when the data did not change, and version 2 after late data; version 1 stays as issued", async () => {
    const again = await run({ kind: "monthly", period: "2025-01" });
    expect(again).toMatchObject({ version: 1, isNew: false });
    expect(await versions("monthly", "2025-01")).toHaveLength(1);

    // Late data: an order received in January reaches the read model after the report was issued.
    await seed("E", "2025-01-28T16:00", "马村区");
    const late = await run({ kind: "monthly", period: "2025-01" });
    expect(late).toMatchObject({ version: 2, isNew: true });
    const [v1, v2] = await versions("monthly", "2025-01");
    expect((v1!.content as unknown as MonthlyReport).totals.received).toBe(2);
    expect((v2!.content as unknown as MonthlyReport).totals.received).toBe(3);
    expect(v2!.files).toHaveLength(3);
    expect(v2!.deliveries).toHaveLength(2);
  });

  it("issues the quarterly analysis with the months, groups and an HTML document with charts", async () => {
    const out = await run({ kind: "quarterly", period: "2025-Q1" });
    expect(out).toMatchObject({ kind: "quarterly", period: "2025-Q1", version: 1, isNew: true });
    const [v1] = await versions("quarterly", "2025-Q1");
    const c = v1!.content as unknown as QuarterlyReport;
    expect(c.totals).toMatchObject({ received: 5, cases: 5, closed: 2, onTimeClosed: 1, onTimeCompletionRate: 0.5 });
    expect(c.monthly.map((m) => [m.month, m.totals.cases])).toEqual([
      ["2025-01", 3],
      ["2025-02", 1],
      ["2025-03", 1],
    ]);
    expect(c.byDistrict[0]).toMatchObject({ key: "解放区", figures: { cases: 2, closed: 2 } });
    const html = Buffer.from(v1!.files.find((f) => f.format === "html")!.body).toString("utf8");
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain("环境信访案件季度分析报告 2025-Q1");
    expect(html).toContain("<svg");
    expect(html).toContain("解放区");
    expect(html).toContain("按时办结率 50.0%");
    expect(html).toContain('<th scope="row">大气</th>'); // group keys in Chinese in the document
    expect(await run({ kind: "quarterly", period: "2025-Q1" })).toMatchObject({ version: 1, isNew: false });
  });

  it("refuses a period that has not ended or is malformed, without retrying", async () => {
    for (const period of ["2099-01", "2025-13"]) {
      const err = await run({ kind: "monthly", period }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const type = ((err as WorkflowFailedError).cause?.cause as { type?: string } | undefined)?.type;
      expect(type).toBe(period === "2099-01" ? "period_open" : "invalid_period");
    }
    expect(await h.prisma.report.count({ where: { period: { in: ["2099-01", "2025-13"] } } })).toBe(0);
  });
});
