/**
 * Benchmark `approval`: a supervisor's extension decision (an Update round trip over HTTP:
 * POST /api/cases/{id}/extensions/{ext}/decision) while orders arrive in the background at a steady
 * rate (default 20/s): decision latency p50/p95/p99. Goal (issue 14): p99 ≤ 75 ms at 20 cases/s.
 */
import { cpus } from "node:os";
import type { BenchOptions } from "./index";
import { api, benchOrder, devTokens, openLoop, percentile, pool } from "./load";
import { startTarget, TARGET_LABEL } from "./target";

/** Calls until the answer is 200 (the case may not have reached the stage yet); returns the last answer. */
async function until200(base: string, path: string, token: string, body: unknown) {
  let res = { status: 0, body: undefined as unknown };
  for (let i = 0; i < 200; i++) {
    res = await api(base, "POST", path, token, body);
    if (res.status === 200 || res.status === 201) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Runs the benchmark: cases prepared with a pending extension, then decisions timed under background intake. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const seconds = opts.seconds ?? (opts.quick ? 3 : 60);
  const intakeRate = opts.rates?.[0] ?? 20;
  const decisionRate = 4; // decisions per second, spread over the run
  const n = Math.round(decisionRate * seconds);
  const stack = await startTarget(opts.target);
  const bases = stack.bases;
  try {
    // Cases signed by their unit with an extension requested: each waits for a supervisor's decision.
    const cases: string[] = [];
    await pool(n + 10, 16, async (i) => {
      const base = bases[i % bases.length]!;
      const { body } = await until200(base, "/api/orders", devTokens.integration, benchOrder(`AP${i}`));
      const id = (body as { caseId: string }).caseId;
      await until200(base, `/api/cases/${id}/sign`, devTokens.unit, {});
      await until200(base, `/api/cases/${id}/extensions`, devTokens.unit, { days: 3, reason: "等待检测报告" });
      cases.push(id);
    });
    // Warm-up, not measured: the first 10 decisions.
    for (const id of cases.splice(0, 10))
      await until200(bases[0]!, `/api/cases/${id}/extensions/ext-1/decision`, devTokens.supervisor, { approve: true, comment: "同意" });

    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const intakeStatuses: Record<string, number> = {};
    const cpu0 = stack.cpu();
    const [background] = await Promise.all([
      openLoop(intakeRate, seconds, async (i) => {
        const res = await api(bases[i % bases.length]!, "POST", "/api/orders", devTokens.integration, benchOrder("APBG"));
        intakeStatuses[res.status] = (intakeStatuses[res.status] ?? 0) + 1;
      }),
      openLoop(decisionRate, seconds, async (i) => {
        const id = cases[i]!;
        const t = performance.now();
        const res = await api(bases[(i + 1) % bases.length]!, "POST", `/api/cases/${id}/extensions/ext-1/decision`, devTokens.supervisor, {
          approve: true,
          comment: "同意",
        });
        latencies.push(performance.now() - t);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }),
    ]);
    // Cores busy per part while measuring: near 2 in all, the decisions queue behind the intake's work.
    const cpu1 = stack.cpu();
    const coresBusy = Object.fromEntries(
      (Object.keys(cpu1) as (keyof typeof cpu1)[]).map((k) => [k, +((cpu1[k] - cpu0[k]) / (background.wallMs / 1000)).toFixed(2)]),
    );
    return {
      target: opts.target ?? "dev",
      coresBusy,
      coresBusyTotal: +Object.values(coresBusy)
        .reduce((a, b) => a + b, 0)
        .toFixed(2),
      seconds,
      backgroundIntakePerSecond: intakeRate,
      backgroundAchievedPerSecond: +((intakeStatuses["201"] ?? 0) / (background.wallMs / 1000)).toFixed(1),
      backgroundStatuses: intakeStatuses,
      decisions: latencies.length,
      statuses,
      p50Ms: +percentile(latencies, 50).toFixed(1),
      p95Ms: +percentile(latencies, 95).toFixed(1),
      p99Ms: +percentile(latencies, 99).toFixed(1),
      maxMs: +Math.max(...latencies).toFixed(1),
    };
  } finally {
    await stack.stop();
  }
}

/** Human summary. */
export function summary(r: Record<string, unknown>): string {
  return [
    `approval (${TARGET_LABEL[(r.target as "dev" | "cluster") ?? "dev"]}): ${r.decisions} extension decisions (Update over HTTP) under ${r.backgroundIntakePerSecond} orders/s of background intake (achieved ${r.backgroundAchievedPerSecond}/s) for ${r.seconds} s`,
    `  decision p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; answers ${JSON.stringify(r.statuses)} (goal: p99 ≤ 75 ms)`,
    `  cores busy while measuring: ${r.coresBusyTotal} of ${cpus().length} (${Object.entries(r.coresBusy as Record<string, number>)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  ].join("\n");
}
