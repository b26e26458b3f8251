/**
 * Benchmark `open-cases`: N cases left open (signed, handling deadline timer pending); worker and
 * server memory, and the time to count them through visibility and to list them through the API.
 */
import { parseEnv } from "../../config/env";
import type { BenchOptions } from "./index";
import { api, benchOrder, devTokens, pool } from "./load";
import { pssMiB, rssMiB } from "./stack";
import { startTarget, TARGET_LABEL } from "./target";

/** Runs the benchmark. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const n = opts.n ?? (opts.quick ? 20 : 100_000);
  // The worker's sticky cache as configured (WORKER_MAX_CACHED_WORKFLOWS): it, not the number of
  // open cases, bounds the worker's memory.
  const cachedWorkflows = parseEnv(process.env).WORKER_MAX_CACHED_WORKFLOWS;
  const stack = await startTarget(opts.target);
  const bases = stack.bases;
  const sumRss = (pids: number[]) => pids.map(rssMiB).reduce((a, b) => a + b, 0);
  try {
    const t0 = performance.now();
    await pool(n, 48, async (i) => {
      const base = bases[i % bases.length]!;
      const { body } = await api(base, "POST", "/api/orders", devTokens.integration, benchOrder(`O${i}`));
      for (let t = 0; t < 200; t++) {
        const res = await api(base, "POST", `/api/cases/${body.caseId}/sign`, devTokens.unit, {});
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      if ((i + 1) % 5000 === 0) console.error(`[open-cases] ${i + 1}/${n} open, worker RSS ${stack.workerPids().map(rssMiB).join(" + ")} MiB`);
    });
    const createSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    // Per process (the cluster has two workers and two APIs): each worker's cache bounds its own memory.
    const workerRss = stack.workerPids().map(rssMiB);
    const apiRss = sumRss(stack.apiPids());
    const harnessRss = rssMiB(process.pid);
    // Proportional set size: the server's shared buffers count once, not once per backend.
    const databaseMemory = stack
      .databasePids()
      .map(pssMiB)
      .reduce((a, b) => a + b, 0);
    const serverRss = stack
      .temporalPids()
      .map(rssMiB)
      .reduce((a, b) => a + b, 0);
    const q0 = performance.now();
    const { count } = await stack.client.workflow.count(`CaseStage = 'investigating'`);
    const countMs = performance.now() - q0;
    const l0 = performance.now();
    const page = await api(stack.base, "GET", "/api/cases?stage=investigating&pageSize=200", devTokens.supervisor);
    const listMs = performance.now() - l0;
    const v0 = performance.now();
    let listed = 0;
    for await (const _wf of stack.client.workflow.list({ query: `CaseStage = 'investigating'` })) listed++;
    const visibilityListMs = performance.now() - v0;
    return {
      target: opts.target ?? "dev",
      openCases: n,
      workerCachedWorkflows: cachedWorkflows,
      createSeconds: +createSeconds.toFixed(1),
      workerRssMiB: workerRss,
      temporalServerRssMiB: serverRss,
      apiRssMiB: apiRss,
      databasePssMiB: databaseMemory,
      harnessRssMiB: harnessRss,
      visibilityCount: Number(count),
      visibilityCountMs: +countMs.toFixed(1),
      visibilityListed: listed,
      visibilityListMs: +visibilityListMs.toFixed(0),
      apiSearchTotal: page.body.total,
      apiSearchFirstPageMs: +listMs.toFixed(1),
    };
  } finally {
    await stack.stop();
  }
}

/** Human summary. */
export function summary(r: Record<string, unknown>): string {
  return [
    `open-cases: ${r.openCases} open cases with pending deadline timers (created in ${r.createSeconds} s)`,
    `  (${TARGET_LABEL[(r.target as "dev" | "cluster") ?? "dev"]})`,
    `  worker RSS ${(r.workerRssMiB as number[]).join(" + ")} MiB (sticky cache ${r.workerCachedWorkflows} workflows each), Temporal server RSS ${r.temporalServerRssMiB} MiB, API${(r.target ?? "dev") === "cluster" ? "s" : ""} ${r.apiRssMiB} MiB, PostgreSQL (PSS) ${r.databasePssMiB} MiB, harness ${r.harnessRssMiB} MiB`,
    `  visibility count ${r.visibilityCount} in ${r.visibilityCountMs} ms; list all ${r.visibilityListed} in ${r.visibilityListMs} ms; API search total ${r.apiSearchTotal}, first page ${r.apiSearchFirstPageMs} ms`,
  ].join("\n");
}
