/**
 * Benchmark `intake`: work orders posted through the API at increasing rates — throughput (cases
 * started and persisted per second) and latency p50/p95/p99 — and, on the same server, the raw
 * Temporal client's workflow-start rate, and the ratio between the two.
 */
import { cpus } from "node:os";
import { caseWorkflow } from "../../workflows/case.workflow";
import { caseWorkflowId, TASK_QUEUE } from "../../workflows/contract";
import { caseRow, matchKeys, orderRow, summarise } from "../../api/intake";
import { orderSchema } from "../../api/schemas";
import type { BenchOptions } from "./index";
import { api, benchOrder, devTokens, openLoop, percentile, pool } from "./load";
import type { CpuReading } from "./stack";
import { startTarget, TARGET_LABEL, type BenchTarget } from "./target";

/** Seconds until `n` cases whose order number starts with `prefix` have left stage "accepted" (at most 10 minutes). */
async function drain(stack: BenchTarget, prefix: string, n: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < 600_000) {
    const moved = await stack.prisma.case.count({ where: { firstOrderNo: { startsWith: prefix }, stage: { not: "accepted" } } });
    if (moved >= n) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return +((performance.now() - t0) / 1000).toFixed(1);
}

/** CPU milliseconds per case of each process between two `stack.cpu()` readings. */
function cpuMsPerCase(before: CpuReading, after: CpuReading, cases: number): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, +(((v - before[k as keyof CpuReading]) * 1000) / Math.max(1, cases)).toFixed(1)]));
}

/** Runs the benchmark. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const rates = opts.rates ?? (opts.quick ? [20] : [25, 50, 100, 200]);
  const seconds = opts.seconds ?? (opts.quick ? 2 : 60);
  const stack = await startTarget(opts.target);
  const bases = stack.bases;
  try {
    // Warm-up, not measured: the worker bundles its workflows and every path runs once.
    await pool(20, 4, async () => {
      for (const base of bases) await api(base, "POST", "/api/orders", devTokens.integration, benchOrder("WARM"));
    });
    await drain(stack, "WARM-", 20 * bases.length);
    const steps = [];
    for (const rate of rates) {
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      const prefix = `B${rate}`;
      const before = await stack.prisma.case.count();
      const cpu0 = stack.cpu();
      // Spread over the API processes, as a load balancer would.
      const { issued, shed, wallMs } = await openLoop(rate, seconds, async (i) => {
        const t = performance.now();
        const res = await api(bases[i % bases.length]!, "POST", "/api/orders", devTokens.integration, benchOrder(prefix));
        latencies.push(performance.now() - t);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      });
      const persisted = (await stack.prisma.case.count()) - before;
      const ok = (statuses["201"] ?? 0) + (statuses["200"] ?? 0);
      // Then until the worker has caught up: every case of this step accepted and transferred to its
      // unit in the read model. Sustained = cases / (sending + catching up).
      const drainSeconds = await drain(stack, `${prefix}-`, ok);
      // Where the two cores went: CPU milliseconds per case taken in, per process.
      const cpu1 = stack.cpu();
      const perCase = cpuMsPerCase(cpu0, cpu1, ok);
      steps.push({
        offeredPerSecond: rate,
        seconds,
        issued,
        shed,
        ok,
        statuses,
        persisted,
        achievedPerSecond: +(ok / (wallMs / 1000)).toFixed(1),
        drainSeconds,
        sustainedPerSecond: +(ok / (wallMs / 1000 + drainSeconds)).toFixed(1),
        p50Ms: +percentile(latencies, 50).toFixed(1),
        p95Ms: +percentile(latencies, 95).toFixed(1),
        p99Ms: +percentile(latencies, 99).toFixed(1),
        cpuMsPerCase: perCase,
        cpuBusyPercent: +(
          (Object.entries(cpu1).reduce((t, [k, v]) => t + v - cpu0[k as keyof CpuReading], 0) / (wallMs / 1000 + drainSeconds) / cpus().length) *
          100
        ).toFixed(0),
      });
      console.error(`[intake] ${JSON.stringify(steps[steps.length - 1])}`);
    }

    // The raw client: starts of the same workflow on the same server, as fast as 64 in flight allow.
    // The cases' rows are written first, untimed, so the started cases run as the API's do; like the
    // API's steps, the sustained rate counts until the worker has caught up with them.
    const n = opts.quick ? 50 : 3000;
    const bodies = Array.from({ length: n }, () => orderSchema.parse(benchOrder("RAW")));
    await stack.prisma.case.createMany({ data: bodies.map((b) => caseRow(caseWorkflowId(b.orderNo), summarise(b), matchKeys(b, stack.deps.vault))) });
    await stack.prisma.hotlineOrder.createMany({ data: bodies.map((b) => orderRow(caseWorkflowId(b.orderNo), false, b, stack.deps.vault)) });
    const t0 = performance.now();
    const rawCpu0 = stack.cpu();
    await pool(n, 64, async (i) => {
      const order = summarise(bodies[i]!);
      await stack.client.workflow.start(caseWorkflow, {
        workflowId: caseWorkflowId(order.orderNo),
        taskQueue: TASK_QUEUE,
        args: [{ caseId: caseWorkflowId(order.orderNo), order, policy: stack.deps.policy }],
      });
    });
    const startSeconds = (performance.now() - t0) / 1000;
    const rawDrainSeconds = await drain(stack, "RAW-", n);
    const rawCpu1 = stack.cpu();
    const raw = {
      starts: n,
      startsPerSecond: +(n / startSeconds).toFixed(1),
      drainSeconds: rawDrainSeconds,
      sustainedPerSecond: +(n / (startSeconds + rawDrainSeconds)).toFixed(1),
      cpuMsPerCase: cpuMsPerCase(rawCpu0, rawCpu1, n),
    };
    const best = Math.max(...steps.map((s) => s.sustainedPerSecond));
    return { target: opts.target ?? "dev", steps, raw, bestApiSustainedPerSecond: best, apiToRawRatio: +(best / raw.sustainedPerSecond).toFixed(2) };
  } finally {
    await stack.stop();
  }
}

/** One line per rate plus the raw comparison. */
export function summary(r: Record<string, unknown>): string {
  const steps = r.steps as Array<Record<string, number>>;
  const raw = r.raw as Record<string, number>;
  return [
    `intake (API → workflow start + read model), ${TARGET_LABEL[(r.target as "dev" | "cluster") ?? "dev"]}:`,
    ...steps.map(
      (s) =>
        `  offered ${s.offeredPerSecond}/s for ${s.seconds}s: achieved ${s.achievedPerSecond}/s (caught up ${s.drainSeconds} s later: sustained ${s.sustainedPerSecond}/s), shed ${s.shed}, persisted ${s.persisted}, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, p99 ${s.p99Ms} ms\n` +
        `    CPU ms per case ${JSON.stringify(s.cpuMsPerCase)}, both cores ${s.cpuBusyPercent}% busy`,
    ),
    `  raw client (same workflow, same server, 64 starts in flight): ${raw.starts} started at ${raw.startsPerSecond}/s, caught up ${raw.drainSeconds} s later: sustained ${raw.sustainedPerSecond}/s`,
    `    CPU ms per case ${JSON.stringify(raw.cpuMsPerCase)}`,
    `  best API sustained / raw sustained = ${r.apiToRawRatio}`,
  ].join("\n");
}
