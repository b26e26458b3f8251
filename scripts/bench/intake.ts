/**
 * Benchmark `intake`: work orders posted through the API at increasing rates — throughput (cases
 * started and persisted per second) and latency p50/p95/p99 — and, on the same server, the raw
 * Temporal client's workflow-start rate, and the ratio between the two.
 */
import { caseWorkflow } from "../../workflows/case.workflow";
import { caseWorkflowId, TASK_QUEUE } from "../../workflows/contract";
import { summarise } from "../../api/intake";
import { orderSchema } from "../../api/schemas";
import type { BenchOptions } from "./index";
import { api, benchOrder, devTokens, openLoop, percentile, pool } from "./load";
import { startStack } from "./stack";

/** Runs the benchmark. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const rates = opts.rates ?? (opts.quick ? [20] : [25, 50, 100, 200]);
  const seconds = opts.seconds ?? (opts.quick ? 2 : 60);
  const stack = await startStack();
  try {
    const steps = [];
    for (const rate of rates) {
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      const prefix = `B${rate}`;
      const before = await stack.prisma.case.count();
      const { issued, shed, wallMs } = await openLoop(rate, seconds, async () => {
        const t = performance.now();
        const res = await api(stack.base, "POST", "/api/orders", devTokens.integration, benchOrder(prefix));
        latencies.push(performance.now() - t);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      });
      const persisted = (await stack.prisma.case.count()) - before;
      const ok = (statuses["201"] ?? 0) + (statuses["200"] ?? 0);
      steps.push({
        offeredPerSecond: rate, seconds, issued, shed, ok, statuses, persisted, achievedPerSecond: +(ok / (wallMs / 1000)).toFixed(1),
        p50Ms: +percentile(latencies, 50).toFixed(1), p95Ms: +percentile(latencies, 95).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1),
      });
      console.error(`[intake] ${JSON.stringify(steps[steps.length - 1])}`);
    }

    // The raw client: starts of the same workflow on the same server, as fast as 64 in flight allow.
    const n = Math.max(50, Math.round((opts.quick ? 2 : 20) * 150));
    const t0 = performance.now();
    await pool(n, 64, async (i) => {
      const order = summarise(orderSchema.parse(benchOrder(`RAW${i}`)));
      await stack.client.workflow.start(caseWorkflow, {
        workflowId: caseWorkflowId(order.orderNo), taskQueue: TASK_QUEUE,
        args: [{ caseId: caseWorkflowId(order.orderNo), order, policy: stack.deps.policy }],
      });
    });
    const rawPerSecond = +(n / ((performance.now() - t0) / 1000)).toFixed(1);
    const best = Math.max(...steps.map((s) => s.achievedPerSecond));
    return { steps, rawStartsPerSecond: rawPerSecond, rawStarts: n, bestApiPerSecond: best, apiToRawRatio: +(best / rawPerSecond).toFixed(2) };
  } finally {
    await stack.stop();
  }
}

/** One line per rate plus the raw comparison. */
export function summary(r: Record<string, unknown>): string {
  const steps = r.steps as Array<Record<string, number>>;
  return [
    "intake (API → workflow start + read model), Temporal dev server + embedded PGlite:",
    ...steps.map((s) => `  offered ${s.offeredPerSecond}/s for ${s.seconds}s: achieved ${s.achievedPerSecond}/s, shed ${s.shed}, persisted ${s.persisted}, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, p99 ${s.p99Ms} ms`),
    `  raw client workflow starts: ${r.rawStartsPerSecond}/s over ${r.rawStarts}; best API/raw = ${r.apiToRawRatio}`,
  ].join("\n");
}
