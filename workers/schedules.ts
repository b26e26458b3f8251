/**
 * The Temporal Schedules that issue the statutory reports by themselves (visible on the Temporal UI's Schedules page):
 * `report-monthly` at 02:00 Asia/Shanghai on the 1st of every month (last month's statistics, due by the 10th), and
 * `report-quarterly` at 02:30 on 1 January, April, July and October (last quarter's analysis). Created at worker
 * start; a schedule that exists already is left as it is (an operator may have paused it).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from "@temporalio/client";
import { log } from "../observability/log";
import { TASK_QUEUE } from "../workflows/contract";
import type { ReportInput } from "../workflows/report.workflow";

/** The report schedules: id, report kind and cron expression (minute hour day-of-month month day-of-week). */
export const REPORT_SCHEDULES = [
  { id: "report-monthly", kind: "monthly", cron: "0 2 1 * *", note: "月报：每月1日02:00（北京时间）统计上月，10日前报送市执法支队（第十八条）" },
  { id: "report-quarterly", kind: "quarterly", cron: "30 2 1 1,4,7,10 *", note: "季度分析报告：每季度首日02:30（北京时间）统计上季度（第十五条）" },
] as const satisfies ReadonlyArray<{ id: string; kind: ReportInput["kind"]; cron: string; note: string }>;

/** Creates the report schedules that do not exist yet; returns the ids it created. */
export async function ensureReportSchedules(client: Client, opts: { taskQueue?: string } = {}): Promise<string[]> {
  const created: string[] = [];
  for (const s of REPORT_SCHEDULES) {
    try {
      await client.schedule.create({
        scheduleId: s.id,
        spec: { cronExpressions: [s.cron], timezone: "Asia/Shanghai" },
        action: {
          type: "startWorkflow",
          workflowType: "reportWorkflow",
          args: [{ kind: s.kind } satisfies ReportInput],
          taskQueue: opts.taskQueue ?? TASK_QUEUE,
          workflowId: s.id,
        },
        // A worker or server outage over the 1st: the missed run still happens when it is back, until the 10th.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: "9 days" },
        state: { note: s.note },
      });
      created.push(s.id);
      log.info("report schedule created", { scheduleId: s.id, cron: s.cron, timezone: "Asia/Shanghai" });
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    }
  }
  return created;
}
