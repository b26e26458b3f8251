/**
 * The storm (issue 12): on each case, rounds of ≥ 20 concurrent messages of mixed kinds through the
 * API across the stages, then the checks — no 5xx, every history replays, every case answers after a
 * worker restart, 0 drift between workflow state and read model. Used by test/integration/storm.test.ts
 * (small) and `npm run drill -- storm` (large).
 */
import type { Client } from "@temporalio/client";
import type { PayloadCodec } from "@temporalio/common";
import type { PrismaClient } from "../../db/client";
import { caseWorkflowId } from "../../workflows/contract";
import { benchOrder, pool } from "../bench/load";
import { reconcile } from "./reconcile";
import { keepBroken, replayCases, type ReplayFailure } from "./replay-cases";
import { rowDrift } from "./row-drift";
import { NO_ANSWER, caseApi, request, stormTokens, type CaseApi, type CaseStatus } from "./storm-api";
import { ROUNDS, driveTo, isPast } from "./storm-rounds";

/** Configuration the storm needs in the worker and the API: every closed case waits for a revisit; a second supervisor beside the development tokens. */
export const STORM_ENV = { REVISIT_SAMPLE_RATE: "1", API_TOKENS: `supervisor:storm-b:${stormTokens.supervisorB}`, DEV_TOKENS: "true" };
/** The storm with continue-as-new in the middle of it: every case continues as new several times. */
export const STORM_CAN_ENV = { ...STORM_ENV, CONTINUE_AS_NEW_AFTER_TRANSITIONS: "12" };

/** What the storm runs against: the API, the Temporal client and codec, the database, and a worker restart. */
export interface StormTarget {
  base: string;
  /** All API processes (the cluster): each case's concurrent messages take turns among them. */
  bases?: string[];
  client: Client;
  prisma: PrismaClient;
  codec: PayloadCodec;
  restartWorker(): Promise<void>;
}

/** Sizes and bounds of a storm. */
export interface StormOptions {
  cases: number;
  /** Cases stormed at the same time (each gets its rounds one after another). */
  concurrency?: number;
  /** Time limit of one request. */
  requestTimeoutMs?: number;
  /** Time limit of all rounds; rounds not started by then are skipped. */
  stormMs?: number;
  /** Where to write the history of the first case that fails replay with a nondeterminism error. */
  recordBrokenTo?: string;
}

/** The storm's counts and findings. */
export interface StormResult {
  tag: string;
  cases: number;
  messages: number;
  /** Every answer by label (HTTP status, "no answer", signal fate): storm messages, drive steps, views. */
  statuses: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  /** Answers with a 5xx status or none in time. */
  serverErrors: number;
  stagesCovered: string[];
  /** Rounds not fired, per case, and why. */
  skipped: string[];
  replayFailures: ReplayFailure[];
  /** Runs that continued as new during the storm (their histories were replayed too). */
  continuedAsNew: number;
  recordedBroken?: string;
  restartFailures: string[];
  drift: string[];
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the storm and its checks; never throws on a finding, only reports it. */
export async function runStorm(target: StormTarget, opts: StormOptions): Promise<StormResult> {
  for (const b of [target.base, ...(target.bases ?? [])])
    if (new URL(b).hostname !== "127.0.0.1") throw new Error(`the storm only talks to 127.0.0.1, not ${b}`);
  const t0 = performance.now();
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;
  const stormEnd = Date.now() + (opts.stormMs ?? 10 * 60_000);
  const tag = `ST${Date.now().toString(36)}`;
  const statuses: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  const record = (kind: string, label: string) => {
    statuses[label] = (statuses[label] ?? 0) + 1;
    (byKind[kind] ??= {})[label] = (byKind[kind][label] ?? 0) + 1;
  };
  let messages = 0;
  const covered = new Set<string>();
  const skipped: string[] = [];

  /** One case: intake, then each round at its stage. */
  async function stormCase(c: CaseApi, first: ReturnType<typeof benchOrder>) {
    const intake = await request(target.base, "POST", "/api/orders", stormTokens.integration, first, timeoutMs);
    record("drive intake", intake.label);
    if (intake.label !== "201") return void skipped.push(`${c.id}: intake answered ${intake.label}`);
    for (const round of ROUNDS) {
      if (Date.now() > stormEnd) return void skipped.push(`${c.id} ${round.stage}: out of time`);
      let s: CaseStatus | string = await driveTo(c, round.stage);
      if (typeof s !== "string" && s.stage === round.stage && round.setup) {
        await round.setup(c, s);
        s = await c.view();
      }
      // A case that no longer answers gets no more rounds: the checks below report it.
      if (typeof s === "string") return void skipped.push(`${c.id} ${round.stage} and later: the case view answered ${s}`);
      if (s.stage !== round.stage && !isPast(s.stage, round.stage))
        return void skipped.push(`${c.id} ${round.stage} and later: the case is stuck in ${s.stage}`);
      if (s.stage !== round.stage) {
        skipped.push(`${c.id} ${round.stage}: the case is ${s.stage}`);
        continue;
      }
      const batch = round.messages(c, s);
      messages += batch.length;
      covered.add(round.stage);
      await Promise.all(batch.map((mg) => mg.send()));
    }
  }

  await pool(opts.cases, opts.concurrency ?? opts.cases, async (i) => {
    const first = benchOrder(`${tag}-${i}`);
    await stormCase(
      caseApi({ base: target.bases ?? target.base, client: target.client, id: caseWorkflowId(first.orderNo), first, tag, timeoutMs, record }),
      first,
    );
  });
  // Every case of the run, also those opened by repeat orders that no open case took.
  const ids = (await target.prisma.case.findMany({ where: { firstOrderNo: { startsWith: tag } }, select: { id: true }, orderBy: { id: "asc" } })).map(
    (r) => r.id,
  );

  const replay = await replayCases(target.client, target.codec, ids);
  const recordedBroken = opts.recordBrokenTo ? keepBroken(replay, opts.recordBrokenTo, 1)[0] : undefined;

  await target.restartWorker();
  const restartFailures = await afterRestart(target, ids, timeoutMs);

  const rec = await reconcile(target.prisma, target.client, tag, 5);
  const rows = await rowDrift(target.prisma, target.client, ids);
  const serverErrors = Object.entries(statuses)
    .filter(([l]) => l === NO_ANSWER || l.startsWith("5"))
    .reduce((n, [, v]) => n + v, 0);
  return {
    tag,
    cases: ids.length,
    messages,
    statuses,
    byKind,
    serverErrors,
    stagesCovered: [...covered],
    skipped,
    replayFailures: replay.failures,
    continuedAsNew: replay.continued,
    recordedBroken,
    restartFailures,
    drift: [...rec.drift, ...rows],
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  };
}

/** After a worker restart each case must answer its view (within 20 s) and one more action with 2xx or 4xx. */
async function afterRestart(target: StormTarget, ids: string[], timeoutMs: number): Promise<string[]> {
  const failures: string[] = [];
  await pool(ids.length, 10, async (i) => {
    const id = ids[i]!;
    const end = Date.now() + 20_000;
    let view = await request(target.base, "GET", `/api/cases/${id}`, stormTokens.supervisor, undefined, timeoutMs);
    while (view.label !== "200" && Date.now() < end) {
      await sleep(500);
      view = await request(target.base, "GET", `/api/cases/${id}`, stormTokens.supervisor, undefined, timeoutMs);
    }
    if (view.label !== "200") return void failures.push(`${id}: GET answered ${view.label} ${JSON.stringify(view.body).slice(0, 200)}`);
    // Signing is an update: its validator runs in the workflow, so the answer needs the replayed case.
    const s = view.body as CaseStatus;
    const action = s.unitId
      ? await request(target.base, "POST", `/api/cases/${id}/sign`, stormTokens.unit(s.unitId), {}, timeoutMs)
      : await request(target.base, "POST", `/api/cases/${id}/route`, stormTokens.dispatcher, { unitId: "branch-jiefang", reason: "改派" }, timeoutMs);
    if (action.label === NO_ANSWER || action.label.startsWith("5"))
      failures.push(`${id}: ${s.unitId ? "sign" : "route"} answered ${action.label} ${JSON.stringify(action.body).slice(0, 200)}`);
  });
  return failures;
}

/** Whether the storm found nothing wrong. */
export const stormPassed = (r: StormResult) => r.serverErrors === 0 && r.replayFailures.length === 0 && r.restartFailures.length === 0 && r.drift.length === 0;

/** Terminates every case a storm opened: no broken case stays behind on a shared dev server for later suites' workers to retry. */
export async function terminateStormCases(target: Pick<StormTarget, "client" | "prisma">, tag: string): Promise<void> {
  const cases = await target.prisma.case.findMany({ where: { firstOrderNo: { startsWith: tag } }, select: { id: true } });
  await Promise.allSettled(cases.map((c) => target.client.workflow.getHandle(c.id).terminate("storm test finished")));
}
