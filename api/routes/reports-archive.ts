/**
 * The archive of issued statutory reports (supervisor, admin): the list of versions, each version in every format
 * (`{id}.csv`, `.xlsx`, `.html` as rendered when it was issued; `.json` its content), and the supervisors' notices of
 * newly issued reports for the console.
 */
import { Router } from "express";
import { z } from "zod";
import { REPORT_FORMATS, type ReportFormat } from "../../activities/reports";
import { formatShanghai } from "../../calendar";
import { TASK_QUEUE } from "../../workflows/contract";
import { reportWorkflow, reportWorkflowId } from "../../workflows/report.workflow";
import { parseMonth, parseQuarter } from "../stats/period";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { HttpError } from "../errors";
import { register } from "../openapi";

const INT4_MAX = 2_147_483_647;

const listQuery = z
  .object({
    kind: z.enum(["monthly", "quarterly"]).optional(),
    period: z
      .string()
      .regex(/^\d{4}-(\d{2}|Q[1-4])$/, "YYYY-MM or YYYY-Qn")
      .optional(),
  })
  .strict();

const archivedReport = z.object({
  id: z.number().int(),
  kind: z.enum(["monthly", "quarterly"]),
  period: z.string(),
  version: z.number().int(),
  /** Asia/Shanghai ISO-8601. */
  issuedAt: z.string(),
  /** Newer versions of the same period exist: late data changed the figures after this one was issued. */
  superseded: z.boolean(),
  formats: z.array(z.string()),
  links: z.record(z.string(), z.string()),
  delivered: z.object({ notice: z.boolean(), webhook: z.string().nullable() }),
});
const archiveList = z.object({ reports: z.array(archivedReport) });
const noticeList = z.object({
  notices: z.array(
    z.object({ reportId: z.number().int(), kind: z.string(), period: z.string(), version: z.number().int(), issuedAt: z.string(), read: z.boolean() }),
  ),
});

const reissueBody = z
  .object({
    kind: z.enum(["monthly", "quarterly"]),
    period: z.string().regex(/^\d{4}-(\d{2}|Q[1-4])$/, "YYYY-MM (monthly) or YYYY-Qn (quarterly)"),
  })
  .strict();
const reissued = z.object({
  workflowId: z.string(),
  /** False when the run had not finished within 20 s (e.g. the webhook endpoint is down and it keeps retrying): 202. */
  done: z.boolean(),
  reportId: z.number().int().optional(),
  kind: z.string(),
  period: z.string(),
  version: z.number().int().optional(),
  /** True when late data made a new version; false when the latest version already had these figures. */
  isNew: z.boolean().optional(),
});

/** `{id}.{format}` → id and format, or a 404 (an unknown file is simply not in the archive). */
function parseFile(file: string): { id: number; format: ReportFormat | "json" } {
  const m = /^(\d{1,10})\.(csv|xlsx|html|json)$/.exec(file);
  if (!m || Number(m[1]) > INT4_MAX || Number(m[1]) < 1)
    throw new HttpError(404, "report_not_found", `no report file ${JSON.stringify(file)}: expected {id}.csv|xlsx|html|json`);
  return { id: Number(m[1]), format: m[2] as ReportFormat | "json" };
}

/** The archive router (mounted under /api/reports). */
export function reportsArchiveRouter(deps: AppDeps): Router {
  const r = Router();
  const who = requireRole(deps.tokens, "supervisor", "admin");
  const roles = ["supervisor", "admin"];

  register({
    method: "get",
    path: "/api/reports/archive",
    summary: "Issued statutory reports (every version), newest first",
    roles,
    query: listQuery,
    response: archiveList,
  });
  r.get("/archive", who, async (req, res) => {
    const q = listQuery.parse(req.query);
    const rows = await deps.prisma.report.findMany({
      where: { kind: q.kind, period: q.period },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 500,
      select: {
        id: true,
        kind: true,
        period: true,
        version: true,
        createdAt: true,
        files: { select: { format: true } },
        deliveries: { select: { channel: true, status: true } },
      },
    });
    const latest = new Map<string, number>();
    for (const row of rows) latest.set(`${row.kind}:${row.period}`, Math.max(latest.get(`${row.kind}:${row.period}`) ?? 0, row.version));
    const body = {
      reports: rows.map((row) => {
        const formats = [...row.files.map((f) => f.format).sort(), "json"];
        const webhook = row.deliveries.find((d) => d.channel === "webhook");
        return {
          id: row.id,
          kind: row.kind as "monthly" | "quarterly",
          period: row.period,
          version: row.version,
          issuedAt: formatShanghai(row.createdAt),
          superseded: (latest.get(`${row.kind}:${row.period}`) ?? 0) > row.version,
          formats,
          links: Object.fromEntries(formats.map((f) => [f, `/api/reports/archive/${row.id}.${f}`])),
          delivered: {
            notice: row.deliveries.some((d) => d.channel === "notice"),
            webhook: webhook ? (webhook.status === 0 ? "recorded" : `sent (${webhook.status})`) : null,
          },
        };
      }),
    };
    res.json(body);
  });

  register({ method: "get", path: "/api/reports/notices", summary: "Notices of issued reports for supervisors (newest first)", roles, response: noticeList });
  r.get("/notices", who, async (_req, res) => {
    const rows = await deps.prisma.reportDelivery.findMany({
      where: { channel: "notice" },
      orderBy: { at: "desc" },
      take: 50,
      select: { readAt: true, report: { select: { id: true, kind: true, period: true, version: true, createdAt: true } } },
    });
    res.json({
      notices: rows.map((n) => ({
        reportId: n.report.id,
        kind: n.report.kind,
        period: n.report.period,
        version: n.report.version,
        issuedAt: formatShanghai(n.report.createdAt),
        read: n.readAt !== null,
      })),
    });
  });

  register({
    method: "post",
    path: "/api/reports/notices/{reportId}/read",
    summary: "Marks a report notice read",
    roles,
    response: z.object({ reportId: z.number().int(), read: z.literal(true) }),
  });
  r.post("/notices/:reportId/read", who, async (req, res) => {
    const id = /^\d{1,10}$/.test(String(req.params.reportId)) ? Number(req.params.reportId) : 0;
    if (id < 1 || id > INT4_MAX) throw new HttpError(404, "report_not_found", "no such report notice");
    const done = await deps.prisma.reportDelivery.updateMany({ where: { id: `${id}:notice`, readAt: null }, data: { readAt: new Date() } });
    if (done.count === 0 && !(await deps.prisma.reportDelivery.findUnique({ where: { id: `${id}:notice` } })))
      throw new HttpError(404, "report_not_found", "no such report notice");
    res.json({ reportId: id, read: true });
  });

  register({
    method: "post",
    path: "/api/reports/archive",
    summary: "Runs the report workflow again for a closed period: a new version when late data changed the figures, else the latest one",
    roles,
    body: reissueBody,
    response: reissued,
    statuses: ["200", "202"],
  });
  r.post("/archive", who, async (req, res) => {
    const { kind, period } = reissueBody.parse(req.body);
    const p = kind === "monthly" ? parseMonth(period) : parseQuarter(period); // PeriodError → 400 invalid_period
    if (p.to.getTime() > Date.now()) throw new HttpError(422, "period_open", `period ${p.label} has not ended yet (ends ${formatShanghai(p.to)})`);
    // One run per period at a time: a second request while one runs waits for the same run.
    const handle = await deps.temporal.workflow.start(reportWorkflow, {
      args: [{ kind, period: p.label }],
      taskQueue: TASK_QUEUE,
      workflowId: reportWorkflowId(kind, p.label, "reissue"),
      workflowIdConflictPolicy: "USE_EXISTING",
      workflowIdReusePolicy: "ALLOW_DUPLICATE",
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([handle.result(), new Promise<null>((r) => (timer = setTimeout(() => r(null), 20_000)))]).finally(() =>
      clearTimeout(timer),
    );
    if (outcome) res.json({ workflowId: handle.workflowId, done: true, ...outcome });
    else res.status(202).json({ workflowId: handle.workflowId, done: false, kind, period: p.label });
  });

  register({
    method: "get",
    path: "/api/reports/archive/{file}",
    summary: "One issued report version as {id}.csv, {id}.xlsx, {id}.html (as issued) or {id}.json (its content)",
    roles,
  });
  r.get("/archive/:file", who, async (req, res) => {
    const { id, format } = parseFile(String(req.params.file));
    const report = await deps.prisma.report.findUnique({
      where: { id },
      select: { id: true, kind: true, period: true, version: true, content: true, createdAt: true },
    });
    if (!report) throw new HttpError(404, "report_not_found", `no report ${id}`);
    const name = `${report.kind}-${report.period}-v${report.version}`;
    if (format === "json") {
      res.json({
        id: report.id,
        kind: report.kind,
        period: report.period,
        version: report.version,
        issuedAt: formatShanghai(report.createdAt),
        content: report.content,
      });
      return;
    }
    const file = await deps.prisma.reportFile.findUnique({ where: { reportId_format: { reportId: id, format } } });
    if (!file) throw new HttpError(404, "report_not_found", `report ${id} has no ${format} rendering yet`);
    res.type(REPORT_FORMATS[format]);
    if (format !== "html") res.attachment(`${name}.${format}`);
    res.set("etag", `"${file.sha256}"`).send(Buffer.from(file.body));
  });
  return r;
}
