/** Benchmark `lifecycle`: N cases driven over HTTP from intake to closed and revisited (completed). */
import type { BenchOptions } from "./index";
import { pool } from "./load";
import { driveCase } from "./drive";
import { startTarget, TARGET_LABEL } from "./target";

/** Runs the benchmark. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const n = opts.n ?? (opts.quick ? 10 : 10_000);
  const stack = await startTarget(opts.target);
  try {
    const t0 = performance.now();
    let failed = 0;
    await pool(n, 64, async (i) => {
      await driveCase(stack.bases, `L${i}`, false, i).catch((e: Error) => {
        failed++;
        if (failed < 5) console.error(`[lifecycle] ${e.message}`);
      });
      if ((i + 1) % 500 === 0) console.error(`[lifecycle] ${i + 1}/${n} driven after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    });
    const drivenMs = performance.now() - t0;
    // The workflow completes after the revisit; wait for the read model to show every case completed.
    let completed = 0;
    for (let i = 0; i < 600; i++) {
      completed = await stack.prisma.case.count({ where: { stage: "completed" } });
      if (completed >= n - failed) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const totalMs = performance.now() - t0;
    return {
      target: opts.target ?? "dev",
      cases: n,
      failed,
      completed,
      drivenSeconds: +(drivenMs / 1000).toFixed(1),
      totalSeconds: +(totalMs / 1000).toFixed(1),
      casesPerSecond: +(completed / (totalMs / 1000)).toFixed(2),
    };
  } finally {
    await stack.stop();
  }
}

/** Human summary. */
export function summary(r: Record<string, unknown>): string {
  return `lifecycle (${TARGET_LABEL[(r.target as "dev" | "cluster") ?? "dev"]}): ${r.completed}/${r.cases} cases intake → completed (7 HTTP calls each) in ${r.totalSeconds} s = ${r.casesPerSecond} cases/s; failed ${r.failed}`;
}
