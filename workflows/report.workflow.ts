/**
 * reportWorkflow: issues the statutory report of a closed period (Jiaozuo art. 18: the month's handling statistics,
 * due to the city detachment before the 10th of the next month; art. 15: the quarterly analysis). Started by the
 * Schedules `report-monthly` and `report-quarterly` (workers/schedules.ts) without a period, it reports the period
 * that ended last before its start; started by hand with a period, it reports that one (late data → a new version).
 *
 * Steps, each an ordinary, idempotent activity: compute from the read model → archive (a new version only when the
 * content changed) → render CSV, .xlsx, HTML → deliver (console notice, signed webhook). A single straight line:
 * no messages, no local activities, nothing but activity results decides anything.
 */
import { proxyActivities, workflowInfo } from "@temporalio/workflow";
import type { Activities } from "../activities";

export type ReportKind = "monthly" | "quarterly";

/** Input of reportWorkflow: the kind, and the period ('YYYY-MM' / 'YYYY-Qn'); without one, the last closed period. */
export interface ReportInput {
  kind: ReportKind;
  period?: string;
}

/** What a run issued. */
export interface ReportOutcome {
  reportId: number;
  kind: ReportKind;
  period: string;
  version: number;
  /** True when the run archived a new version; false when the latest version already had this content. */
  isNew: boolean;
}

/** Workflow id of a report run started by hand (the schedules' runs get the schedule id plus their time). */
export function reportWorkflowId(kind: ReportKind, period: string, suffix = ""): string {
  return `report-${kind}-${period}${suffix ? `-${suffix}` : ""}`;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The month or quarter that ended last before `at` (Asia/Shanghai, no daylight saving): 'YYYY-MM' or 'YYYY-Qn'. */
export function lastClosedPeriod(kind: ReportKind, at: Date): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  let year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1; // 1–12, the month `at` falls in
  if (kind === "monthly") {
    let m = month - 1;
    if (m === 0) {
      m = 12;
      year--;
    }
    return `${year}-${String(m).padStart(2, "0")}`;
  }
  let q = Math.floor((month - 1) / 3); // the current quarter's index 0–3; the previous one ends before it
  if (q === 0) {
    q = 4;
    year--;
  }
  return `${year}-Q${q}`;
}

const db = proxyActivities<Activities>({
  startToCloseTimeout: "2 minutes",
  retry: { initialInterval: "2 seconds", backoffCoefficient: 2, maximumInterval: "5 minutes" },
});
// The city detachment's endpoint: patient retries, an outage there never loses the report.
const outbound = proxyActivities<Activities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "5 seconds", backoffCoefficient: 2, maximumInterval: "30 minutes" },
});

/** Issues one report. */
export async function reportWorkflow(input: ReportInput): Promise<ReportOutcome> {
  // A scheduled run: the period that ended before the time it was scheduled for (its start time, deterministic).
  const period = input.period ?? lastClosedPeriod(input.kind, workflowInfo().runStartTime);
  const content = await db.computeReport({ kind: input.kind, period });
  const issued = await db.storeReport({ content });
  await db.renderReport({ reportId: issued.id });
  // Deliveries are idempotent per version: a run that found the version already archived completes a delivery a
  // crashed run left undone, and otherwise sends nothing again.
  await Promise.all([db.noticeReport({ reportId: issued.id }), outbound.sendReportWebhook({ reportId: issued.id })]);
  return { reportId: issued.id, kind: input.kind, period: issued.period, version: issued.version, isNew: issued.isNew };
}
