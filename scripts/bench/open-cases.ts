/**
 * Benchmark `open-cases`: N cases left open (signed, handling deadline timer pending; with
 * `--unsigned`, left transferred, signing deadline timer pending); worker and server memory, and the
 * time to count them through visibility and to list them through the API.
 * A long run goes in parts: with `--dir` (a durable cluster) it counts the cases already open there
 * and opens the rest; `--checkpoint K` measures every K cases, appended to
 * bench-results/open-cases-<target>-checkpoints.jsonl; SIGINT or SIGTERM stops opening, measures
 * once more and stops the target (the cases stay in the durable cluster for the next part).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { parseEnv } from "../../config/env";
import type { BenchOptions } from "./index";
import { api, benchOrder, devTokens, pool } from "./load";
import { pssMiB, rssMiB } from "./stack";
import { startTarget, TARGET_LABEL, type BenchTarget } from "./target";

/** Every open case workflow (a returned or completed one is closed; a merged one too). */
const OPEN_CASES = `WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running'`;

/** Runs the benchmark. */
export async function run(opts: BenchOptions): Promise<Record<string, unknown>> {
  const n = opts.n ?? (opts.quick ? 20 : 100_000);
  // The worker's sticky cache as configured (WORKER_MAX_CACHED_WORKFLOWS): it, not the number of
  // open cases, bounds the worker's memory.
  const cachedWorkflows = parseEnv(process.env).WORKER_MAX_CACHED_WORKFLOWS;
  const target = opts.target ?? "dev";
  const stack = await startTarget(target, {}, opts.dir);
  const checkpoints = `bench-results/open-cases-${target}-checkpoints.jsonl`;
  mkdirSync("bench-results", { recursive: true });
  let stopping = false;
  const stop = () => {
    if (!stopping) console.error("[open-cases] stopping: no new cases; measuring what is open");
    stopping = true;
  };
  process.on("SIGINT", stop).on("SIGTERM", stop);
  try {
    const openBefore = Number((await stack.client.workflow.count(OPEN_CASES)).count);
    const toOpen = Math.max(0, n - openBefore);
    if (openBefore) console.error(`[open-cases] ${openBefore} cases already open in ${opts.dir}; opening ${toOpen} more`);
    const t0 = performance.now();
    let opened = 0;
    let failed = 0;
    let measuring = Promise.resolve();
    await pool(toOpen, 48, async (i) => {
      if (stopping) return;
      const base = stack.bases[i % stack.bases.length]!;
      // An order shed under load (503) or refused for a moment is posted again, as the platform would.
      const order = benchOrder(`O${i}`);
      let body: { caseId?: string } = {};
      for (let t = 0; t < 60 && !body.caseId; t++) {
        const res = await api(base, "POST", "/api/orders", devTokens.integration, order).catch(() => ({ status: 0, body: {} }));
        if (res.status === 200 || res.status === 201) body = res.body;
        else await new Promise((r) => setTimeout(r, 1000));
      }
      if (!body.caseId) {
        failed++;
        return;
      }
      // Unsigned, a case counts once taken in (its row shows the unit's signing wait): that bounds the
      // backlog to the cases in flight, as signing does.
      for (let t = 0; t < 600 && opts.unsigned; t++) {
        const row = await stack.prisma.case.findUnique({ where: { id: body.caseId }, select: { stage: true } });
        if (row?.stage === "transferred") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let t = 0; t < 200 && !opts.unsigned; t++) {
        const res = await api(base, "POST", `/api/cases/${body.caseId}/sign`, devTokens.unit, {});
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const openedNow = ++opened;
      if (opts.checkpoint && openedNow % opts.checkpoint === 0) {
        const seconds = (performance.now() - t0) / 1000;
        // One measurement at a time; the load goes on meanwhile, as it would in production.
        measuring = measuring
          .then(async () => {
            const m = await measure(stack, target, cachedWorkflows);
            const line = {
              at: new Date().toISOString(),
              unsigned: !!opts.unsigned,
              openedThisPart: openedNow,
              seconds: +seconds.toFixed(1),
              casesPerSecond: +(openedNow / seconds).toFixed(2),
              ...m,
            };
            appendFileSync(checkpoints, JSON.stringify(line) + "\n");
            console.error(`[open-cases] checkpoint: ${summary(line).split("\n").slice(2).join(";")}`);
          })
          .catch((e: unknown) => console.error(`[open-cases] checkpoint not measured: ${String(e)}`));
      }
    });
    await measuring;
    const createSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 3000));
    const final = await measure(stack, target, cachedWorkflows);
    if (opts.checkpoint)
      appendFileSync(
        checkpoints,
        JSON.stringify({ at: new Date().toISOString(), openedThisPart: opened, ordersNotTakenIn: failed, final: true, ...final }) + "\n",
      );
    return {
      ...final,
      openedBefore: openBefore,
      openedThisPart: opened,
      ordersNotTakenIn: failed,
      unsigned: !!opts.unsigned,
      stoppedEarly: stopping,
      createSeconds: +createSeconds.toFixed(1),
    };
  } finally {
    process.off("SIGINT", stop).off("SIGTERM", stop);
    await stack.stop();
  }
}

/** Memory of every process and the query times (visibility count and list of every open case, the API's first page of all cases). */
async function measure(stack: BenchTarget, target: string, cachedWorkflows: number): Promise<Record<string, unknown>> {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  // Per process (the cluster has two workers and two APIs): each worker's cache bounds its own memory.
  const workerRss = stack.workerPids().map(rssMiB);
  const apiRss = sum(stack.apiPids().map(rssMiB));
  const harnessRss = rssMiB(process.pid);
  // Proportional set size: the server's shared buffers count once, not once per backend.
  const databaseMemory = sum(stack.databasePids().map(pssMiB));
  const serverRss = sum(stack.temporalPids().map(rssMiB));
  const q0 = performance.now();
  const open = Number((await stack.client.workflow.count(OPEN_CASES)).count);
  const countMs = performance.now() - q0;
  const count = Number((await stack.client.workflow.count(`CaseStage = 'investigating'`)).count);
  const l0 = performance.now();
  const page = await api(stack.base, "GET", "/api/cases?pageSize=200", devTokens.supervisor);
  const listMs = performance.now() - l0;
  const v0 = performance.now();
  let listed = 0;
  for await (const _wf of stack.client.workflow.list({ query: OPEN_CASES })) listed++;
  const visibilityListMs = performance.now() - v0;
  return {
    target,
    openCases: open,
    workerCachedWorkflows: cachedWorkflows,
    workerRssMiB: workerRss,
    temporalServerRssMiB: serverRss,
    apiRssMiB: apiRss,
    databasePssMiB: databaseMemory,
    harnessRssMiB: harnessRss,
    signedCases: count,
    visibilityCountMs: +countMs.toFixed(1),
    visibilityListed: listed,
    visibilityListMs: +visibilityListMs.toFixed(0),
    apiSearchTotal: page.body.total,
    apiSearchFirstPageMs: +listMs.toFixed(1),
  };
}

/** Human summary. */
export function summary(r: Record<string, unknown>): string {
  const created =
    r.createSeconds === undefined
      ? ""
      : ` (${r.openedThisPart} opened in ${r.createSeconds} s${r.ordersNotTakenIn ? `, ${r.ordersNotTakenIn} orders not taken in after 60 tries` : ""}${r.stoppedEarly ? ", stopped early" : ""})`;
  return [
    `open-cases: ${r.openCases} open cases with pending deadline timers${created}`,
    `  (${TARGET_LABEL[(r.target as "dev" | "cluster") ?? "dev"]})`,
    `  worker RSS ${(r.workerRssMiB as number[]).join(" + ")} MiB (sticky cache ${r.workerCachedWorkflows} workflows each), Temporal server RSS ${r.temporalServerRssMiB} MiB, API${(r.target ?? "dev") === "cluster" ? "s" : ""} ${r.apiRssMiB} MiB, PostgreSQL (PSS) ${r.databasePssMiB} MiB, harness ${r.harnessRssMiB} MiB`,
    `  visibility count of open cases ${r.openCases} in ${r.visibilityCountMs} ms (${r.signedCases} signed); list all ${r.visibilityListed} in ${r.visibilityListMs} ms; API search total ${r.apiSearchTotal}, first page ${r.apiSearchFirstPageMs} ms`,
  ].join("\n");
}
