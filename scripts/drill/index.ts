/**
 * Fault drills: `npm run drill -- <worker-kill|intake-kill|api-kill|db-restart|server-restart|duplicate-intake|reconcile|storm|all> [--quick] [--n N] [--every S] [--target dev|cluster]`.
 * Each drives real cases through the API while the fault happens, then checks that nothing was
 * lost, duplicated or left inconsistent (reconcile: workflow state vs read model). Exits 1 on any loss.
 * storm: rounds of concurrent messages on each case (scripts/drill/storm.ts); --n is its number of cases.
 * --target dev (default): the dev server stack of scripts/bench/stack.ts (one worker, one API).
 * --target cluster: the production topology of scripts/cluster/ (Temporal server on PostgreSQL, two
 * workers, two APIs; cases driven through both APIs with fail-over): worker-kill SIGKILLs one worker at
 * a time and leaves it down while the other carries on, api-kill SIGKILLs one API, server-restart
 * stops the Temporal server gracefully then with SIGKILL.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, benchOrder, devTokens, pool } from "../bench/load";
import { driveCase, driveStats } from "../bench/drive";
import { startStack, type Stack } from "../bench/stack";
import { startCluster, type Cluster } from "../cluster/topology";
import { reconcile } from "./reconcile";
import { keepBroken, replayCases } from "./replay-cases";
import { STORM_ENV, runStorm, stormPassed } from "./storm";

type Result = Record<string, unknown> & { ok: boolean };
const usage =
  "usage: npm run drill -- <worker-kill|intake-kill|api-kill|db-restart|server-restart|duplicate-intake|reconcile|storm|all> [--quick] [--n N] [--every S] [--target dev|cluster]\n";
const args = process.argv.slice(2);
const name = args[0] ?? "";
const quick = args.includes("--quick");
const numArg = (flag: string) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : undefined);
const nArg = numArg("--n");
const targetName = args.includes("--target") ? args[args.indexOf("--target") + 1] : "dev";
if (targetName !== "dev" && targetName !== "cluster") {
  process.stderr.write(usage);
  process.exit(2);
}
/** What a drill runs against: the dev stack or the cluster. */
type Target = Stack | Cluster;
const isCluster = (s: Target): s is Cluster => "killApi" in s;
/** How long a killed worker or API stays down on the cluster (the others carry on meanwhile). */
const downMs = quick ? 3000 : 10_000;
// Seconds between faults: short in the quick runs; in full runs spread so the faults hit every stage.
const faultEveryMs = (numArg("--every") ?? (quick ? 1.5 : 20)) * 1000;
const drills: Record<string, (s: Target) => Promise<Result>> = {
  "worker-kill": (s) => {
    let k = 0;
    return underFault(s, "WK", nArg ?? (quick ? 30 : 1000), quick ? 3 : 6, async () => {
      if (isCluster(s)) await s.killWorker(k++ % s.workers.length, downMs);
      else await s.killAndRestartWorker();
    });
  },
  // Rounds of fresh cases with a worker SIGKILLed in their first seconds, while routing results and the
  // units' first actions cross: the window in which the cluster drill found histories that did not replay.
  "intake-kill": async (s) => {
    if (!isCluster(s)) throw new Error("intake-kill needs --target cluster (two workers)");
    const rounds = nArg ?? (quick ? 4 : 20);
    const each: Result[] = [];
    let k = 0;
    for (let r = 0; r < rounds; r++) each.push(await underFault(s, `IK${r}x`, 24, 2, () => s.killWorker(k++ % s.workers.length, downMs), 1500));
    const total = (key: string) => each.reduce((t, r) => t + Number(r[key] ?? 0), 0);
    return {
      ok: each.every((r) => r.ok),
      rounds,
      cases: total("cases"),
      faults: total("faults"),
      failures: total("failures"),
      completed: total("completed"),
      drift: total("drift"),
      replayed: total("replayed"),
      replayFailures: total("replayFailures"),
      recordedBroken: each.flatMap((r) => (r.recordedBroken as string[]) ?? []),
    };
  },
  "api-kill": (s) => {
    if (!isCluster(s)) throw new Error("api-kill needs --target cluster (two API processes)");
    let k = 0;
    const failovers0 = driveStats.failovers;
    return underFault(s, "AK", nArg ?? (quick ? 30 : 500), quick ? 2 : 6, async () => {
      await s.killApi(k++ % s.apis.length, downMs);
    }).then((r) => {
      // The kills must have met requests: some calls had to move to the other API.
      const failovers = driveStats.failovers - failovers0;
      return { ...r, ok: r.ok && failovers > 0, failovers };
    });
  },
  "db-restart": (s) =>
    underFault(s, "DB", nArg ?? (quick ? 20 : 300), 2, async () => {
      await s.pg.pause();
      await sleep(3000);
      await s.pg.resume();
    }),
  "server-restart": (s) => {
    let k = 0;
    return underFault(s, "SR", nArg ?? (quick ? 20 : 300), isCluster(s) ? 2 : 1, async () => {
      if (isCluster(s)) await s.restartTemporal(1000, k++ % 2 === 0 ? "SIGTERM" : "SIGKILL");
      else await s.restartTemporal(1000);
    });
  },
  "duplicate-intake": (s) => duplicateIntake(s, nArg ?? (quick ? 200 : 1000)),
  reconcile: async (s) => {
    const r = await reconcile(s.prisma, s.client);
    return { ok: r.drift.length === 0, checked: r.checked, drift: r.drift.length };
  },
  storm: (s) => storm(s, nArg ?? (quick ? 6 : 30)),
};
if (!(name in drills) && name !== "all") {
  process.stderr.write(usage);
  process.exit(2);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Set on SIGINT/SIGTERM: no further fault is injected while the drill stops. */
let interrupted = false;

/** Drives n cases (every 10th with a reward) while `fault` happens `times` times, then checks everything. */
async function underFault(s: Target, prefix: string, n: number, times: number, fault: () => Promise<void>, everyMs = faultEveryMs): Promise<Result> {
  const tag = `${prefix}${Date.now().toString(36)}`;
  const t0 = performance.now();
  let failures = 0;
  let done = false;
  const driving = pool(n, 24, async (i) => {
    await driveCase(isCluster(s) ? s.bases : s.base, `${tag}-${i}`, i % 10 === 0, i).catch((e: Error) => {
      failures++;
      console.error(`[drill] case ${i}: ${e.message}`);
    });
  }).then(() => {
    done = true;
  });
  let faults = 0;
  const faultAt: number[] = [];
  while (faults < times && !done && !interrupted) {
    await sleep(everyMs);
    if (done || interrupted) break;
    await fault();
    faults++;
    faultAt.push(+((performance.now() - t0) / 1000).toFixed(1));
    console.error(`[drill] fault ${faults}/${times} injected at ${faultAt[faultAt.length - 1]} s`);
  }
  await driving;
  const where = { firstOrderNo: { startsWith: tag } };
  let completed = 0;
  for (let i = 0; i < 240; i++) {
    completed = await s.prisma.case.count({ where: { ...where, stage: "completed" } });
    if (completed >= n) break;
    await sleep(500);
  }
  const cases = await s.prisma.case.count({ where });
  const orders = await s.prisma.hotlineOrder.count({ where: { orderNo: { startsWith: tag } } });
  const rewards = await s.prisma.reward.findMany({ where: { case: where } });
  const paid = rewards.filter((r) => r.status === "paid" && r.paymentRef).length;
  const expectedRewards = Math.ceil(n / 10);
  const rec = await reconcile(s.prisma, s.client, tag);
  const replay = await replayAndKeep(s, tag);
  const ok =
    failures === 0 &&
    completed === n &&
    cases === n &&
    orders === n &&
    rewards.length === expectedRewards &&
    paid === expectedRewards &&
    rec.drift.length === 0 &&
    replay.failures.length === 0;
  return {
    ok,
    cases: n,
    faults,
    faultAtSeconds: faultAt,
    failures,
    completed,
    caseRows: cases,
    orderRows: orders,
    rewardRows: rewards.length,
    rewardsPaid: paid,
    expectedRewards,
    reconciled: rec.checked,
    drift: rec.drift.length,
    driftSample: rec.drift.slice(0, 5),
    replayed: replay.replayed,
    replayFailures: replay.failures.length,
    replaySample: replay.failures.slice(0, 3),
    recordedBroken: replay.kept,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  };
}

/**
 * Replays every history of the drill's cases (as a worker without the run cached would, to answer a
 * read) and keeps each one that does not replay in bench-results/broken, for test/replay/broken.
 */
async function replayAndKeep(s: Target, tag: string) {
  const rows = await s.prisma.case.findMany({ where: { firstOrderNo: { startsWith: tag } }, select: { id: true } });
  const replay = await replayCases(
    s.client,
    s.deps.codec,
    rows.map((r) => r.id),
  );
  const kept = keepBroken(replay, "bench-results/broken");
  return { replayed: replay.histories.size, failures: replay.failures, kept };
}

/** The same order posted n times at once: exactly one workflow, one row, one case id in every answer. */
async function duplicateIntake(s: Target, n: number): Promise<Result> {
  const order = benchOrder("DUP");
  const bases = isCluster(s) ? s.bases : [s.base];
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      api(bases[i % bases.length]!, "POST", "/api/orders", devTokens.integration, order).catch(() => ({ status: 599, body: undefined })),
    ),
  );
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const caseIds = new Set(answers.filter((a) => a.status < 300).map((a) => a.body?.caseId));
  const created = answers.filter((a) => a.status === 201).length;
  const okAnswers = answers.filter((a) => a.status === 200 || a.status === 201).length;
  const caseId = [...caseIds][0] as string;
  const { count } = await s.client.workflow.count(`WorkflowId = '${caseId}'`);
  const rows = await s.prisma.hotlineOrder.count({ where: { orderNo: order.orderNo } });
  const caseRows = await s.prisma.case.count({ where: { firstOrderNo: order.orderNo } });
  const ok = caseIds.size === 1 && created === 1 && okAnswers === n && Number(count) === 1 && rows === 1 && caseRows === 1;
  return { ok, posts: n, statuses, distinctCaseIds: caseIds.size, created, okAnswers, workflows: Number(count), orderRows: rows, caseRows };
}

/** n cases stormed 5 at a time, then checked; the long lists shortened to samples, a broken history kept in bench-results. */
async function storm(s: Target, n: number): Promise<Result> {
  mkdirSync("bench-results", { recursive: true });
  const r = await runStorm(
    {
      base: s.base,
      bases: isCluster(s) ? s.bases : undefined,
      client: s.client,
      prisma: s.prisma,
      codec: s.deps.codec,
      restartWorker: () => s.killAndRestartWorker(),
    },
    { cases: n, concurrency: 5, requestTimeoutMs: 60_000, stormMs: 20 * 60_000, recordBrokenTo: "bench-results" },
  );
  return {
    ok: stormPassed(r),
    cases: r.cases,
    messages: r.messages,
    statuses: r.statuses,
    byKind: r.byKind,
    serverErrors: r.serverErrors,
    stagesCovered: r.stagesCovered,
    skipped: r.skipped.length,
    replayFailures: r.replayFailures.length,
    replaySample: r.replayFailures.slice(0, 3),
    recordedBroken: r.recordedBroken,
    restartFailures: r.restartFailures.length,
    restartSample: r.restartFailures.slice(0, 3),
    drift: r.drift.length,
    driftSample: r.drift.slice(0, 10),
    seconds: r.seconds,
  };
}

// Last in "all": the reconcile drill checks every case, and the storm's findings are its own to report.
const names =
  name !== "all"
    ? [name]
    : [
        "duplicate-intake",
        "worker-kill",
        ...(targetName === "cluster" ? ["intake-kill", "api-kill"] : []),
        "db-restart",
        "server-restart",
        "reconcile",
        "storm",
      ];
const clusterDir = targetName === "cluster" ? mkdtempSync(join(tmpdir(), "hotline-cluster-")) : "";
const stack: Target =
  targetName === "cluster"
    ? await startCluster({
        dir: clusterDir,
        say: (m) => console.error(`[cluster] ${m}`),
        // As the dev stack's: test tokens, every closed case revisited, no rate limit in the way of the load.
        env: { NODE_ENV: "test", INTAKE_RATE_PER_MINUTE: "1000000", ACTION_RATE_PER_MINUTE: "1000000", ...STORM_ENV },
      })
    : await startStack(STORM_ENV);
// Interrupted (Ctrl-C, a CI timeout): stop what the drill started, so no server outlives it.
for (const sig of ["SIGINT", "SIGTERM"] as const)
  process.once(sig, () => {
    console.error(`[drill] ${sig}: stopping`);
    interrupted = true;
    setTimeout(() => process.exit(130), 30_000).unref();
    void stack.stop().finally(() => process.exit(130));
  });
const results: Record<string, Result> = {};
try {
  for (const d of names) {
    // On the dev stack a crashed worker or API fails the drill at once (the cluster's drills kill and restart them).
    results[d] = await Promise.race([drills[d]!(stack), ...("crashed" in stack ? [stack.crashed] : [])]);
    console.log(`drill ${d}${targetName === "cluster" ? " (cluster)" : ""}: ${results[d]!.ok ? "OK" : "FAILED"} ${JSON.stringify(results[d])}`);
  }
} finally {
  await stack.stop();
}
const passed = Object.values(results).every((r) => r.ok);
// A failed cluster drill keeps its processes' logs for a look.
if (clusterDir && passed) rmSync(clusterDir, { recursive: true, force: true });
else if (clusterDir) console.error(`[drill] logs kept in ${clusterDir}`);
mkdirSync("bench-results", { recursive: true });
const suffix = targetName === "cluster" ? "-cluster" : "";
writeFileSync(
  `bench-results/drill-${name}${suffix}.json`,
  JSON.stringify({ at: new Date().toISOString(), target: targetName, quick, results }, null, 2) + "\n",
);
process.exit(passed ? 0 : 1);
