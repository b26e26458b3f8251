/**
 * The statutory reports' activities (Jiaozuo arts. 15, 18): compute a closed period's report from the read model
 * (api/stats, the same code as the on-demand reports), archive it as a new version only when its content changed,
 * render the archived version (CSV, .xlsx, HTML) and deliver it (a console notice for supervisors and a signed
 * webhook). Every step is idempotent: a retry finds what the first attempt wrote.
 */
import { createHash } from "node:crypto";
import { ApplicationFailure } from "@temporalio/activity";
import type { PrismaClient } from "../db/client";
import { Prisma } from "../db/client";
import { formatShanghai } from "../calendar";
import { log } from "../observability/log";
import { PeriodError, parseMonth, parseQuarter } from "../api/stats/period";
import { monthlyReport, quarterlyReport, toCsv } from "../api/stats/reports";
import { describeContent, toHtml, toXlsx, type ReportContent } from "../api/stats/render";
import type { CalendarStore } from "./calendar-store";
import { postSigned } from "./feedback";

/** Settings of the report activities. */
export interface ReportConfig {
  /** Where issued reports are posted (signed with the platform secret); unset: the delivery is recorded, not sent. */
  webhookUrl?: string;
  signDays?: number;
  threshold?: number;
  windowDays?: number;
}

export type ReportKind = "monthly" | "quarterly";

/** A report version in the archive. */
export interface IssuedReport {
  id: number;
  kind: ReportKind;
  period: string;
  version: number;
  /** True when this call archived the version (the content differed from the latest version, or there was none). */
  isNew: boolean;
}

/** The formats the archive renders, with their content types. */
export const REPORT_FORMATS = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  html: "text/html; charset=utf-8",
} as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** JSON with object keys sorted, so content read back from jsonb (which reorders keys) compares equal. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** What a version's content is compared on: everything but the instant it was computed. */
export function contentKey(c: ReportContent): string {
  const { asOf: _asOf, ...rest } = c;
  return canonicalJson(rest);
}

let warnedNoWebhook = false;

/** The report activities. */
export function createReportActivities(deps: { prisma: PrismaClient; calendars: CalendarStore; secret: string; config?: ReportConfig; fetch?: typeof fetch }) {
  const { prisma } = deps;
  const config = deps.config ?? {};
  const doFetch = deps.fetch ?? fetch;

  async function load(reportId: number) {
    const r = await prisma.report.findUnique({ where: { id: reportId } });
    if (!r) throw ApplicationFailure.nonRetryable(`no report ${reportId}`, "not_found");
    return { ...r, content: r.content as unknown as ReportContent };
  }

  return {
    /**
     * The report of a closed period from the read model: 'YYYY-MM' (monthly) or 'YYYY-Qn' (quarterly). A malformed
     * period, or one that has not ended yet, fails for good (no retry).
     */
    async computeReport(input: { kind: ReportKind; period: string }): Promise<ReportContent> {
      let p;
      try {
        p = input.kind === "monthly" ? parseMonth(input.period) : parseQuarter(input.period);
      } catch (e) {
        if (e instanceof PeriodError) throw ApplicationFailure.nonRetryable(e.message, "invalid_period");
        throw e;
      }
      const now = new Date();
      if (p.to.getTime() > now.getTime())
        throw ApplicationFailure.nonRetryable(`period ${p.label} has not ended (ends ${formatShanghai(p.to)})`, "period_open");
      const calendar = await deps.calendars.current();
      const opts = { signDays: config.signDays, threshold: config.threshold, windowDays: config.windowDays, now };
      return input.kind === "monthly" ? monthlyReport(prisma, calendar, p.label, opts) : quarterlyReport(prisma, calendar, p.label.toUpperCase(), opts);
    },

    /**
     * Archives the content as the period's next version unless the latest version has the same content (the
     * computation instant aside); returns the version that holds it. Two runs racing for one period: the unique
     * (kind, period, version) refuses the second insert, and its retry finds the first one's content.
     */
    async storeReport(input: { content: ReportContent }): Promise<IssuedReport> {
      const { kind, period } = describeContent(input.content);
      const latest = await prisma.report.findFirst({ where: { kind, period }, orderBy: { version: "desc" } });
      if (latest && contentKey(latest.content as unknown as ReportContent) === contentKey(input.content))
        return { id: latest.id, kind, period, version: latest.version, isNew: false };
      const version = (latest?.version ?? 0) + 1;
      const row = await prisma.report.create({ data: { kind, period, version, content: input.content as unknown as Prisma.InputJsonValue } });
      log.info("report issued", { kind, period, version, reportId: row.id });
      return { id: row.id, kind, period, version, isNew: true };
    },

    /** Renders an archived version as CSV, .xlsx and HTML into the archive (once per format). */
    async renderReport(input: { reportId: number }): Promise<ReportFormat[]> {
      const r = await load(input.reportId);
      const have = new Set((await prisma.reportFile.findMany({ where: { reportId: r.id }, select: { format: true } })).map((f) => f.format));
      const issuedAt = formatShanghai(r.createdAt);
      const render: Record<ReportFormat, () => Promise<Buffer>> = {
        csv: async () => Buffer.from(toCsv(r.content), "utf8"),
        xlsx: () => toXlsx(r.content, { version: r.version, issuedAt: r.createdAt }),
        html: async () => Buffer.from(toHtml(r.content, { version: r.version, issuedAt }), "utf8"),
      };
      const formats = Object.keys(REPORT_FORMATS) as ReportFormat[];
      for (const format of formats) {
        if (have.has(format)) continue;
        const body = await render[format]();
        await prisma.reportFile.createMany({
          data: [
            {
              id: `${r.id}:${format}`,
              reportId: r.id,
              format,
              contentType: REPORT_FORMATS[format],
              body: new Uint8Array(body),
              sha256: createHash("sha256").update(body).digest("hex"),
            },
          ],
          skipDuplicates: true,
        });
      }
      return formats;
    },

    /** The supervisors' console notice of a version, once. */
    async noticeReport(input: { reportId: number }): Promise<void> {
      const r = await load(input.reportId);
      await prisma.reportDelivery.createMany({ data: [{ id: `${r.id}:notice`, reportId: r.id, channel: "notice", status: 0 }], skipDuplicates: true });
    },

    /**
     * Posts a version to REPORT_WEBHOOK_URL, signed like platform feedback (`x-signature: sha256=<HMAC>` of the body,
     * `idempotency-key: report:<kind>:<period>:v<version>`): JSON with the content and the CSV. A 2xx is recorded
     * once; anything else retries. Without a URL the delivery is recorded with status 0.
     */
    async sendReportWebhook(input: { reportId: number }): Promise<void> {
      const id = `${input.reportId}:webhook`;
      if (await prisma.reportDelivery.findUnique({ where: { id } })) return;
      const r = await load(input.reportId);
      const key = `report:${r.kind}:${r.period}:v${r.version}`;
      let status = 0;
      if (config.webhookUrl) {
        const body = JSON.stringify({
          kind: r.kind,
          period: r.period,
          version: r.version,
          reportId: r.id,
          issuedAt: formatShanghai(r.createdAt),
          content: r.content,
          csv: toCsv(r.content),
        });
        status = await postSigned(doFetch, config.webhookUrl, body, deps.secret, key, "report webhook");
      } else if (!warnedNoWebhook) {
        warnedNoWebhook = true;
        log.warn("REPORT_WEBHOOK_URL is not set: reports are recorded, not sent (warned once)");
      }
      await prisma.reportDelivery.createMany({ data: [{ id, reportId: r.id, channel: "webhook", status }], skipDuplicates: true });
    },
  };
}
