/**
 * Repairs a stuck case (issue 12 part 4): a run whose history no longer replays against the
 * workflow code (the worker fails its workflow task with [TMPRL1100] for good). Resets the run to
 * its last good workflow task, re-applying signals but not updates, then moves a legacy (v3) run
 * onto the case machine with the migrateToCaseMachine signal. `npm run repair -- <caseId> [--dry-run]`.
 */
import { randomUUID } from "node:crypto";
import type { Client } from "@temporalio/client";
import proto from "@temporalio/proto";
import type { ReplayWorkerOptions } from "@temporalio/worker";
import { CASE_MACHINE_PATCH } from "../../workflows/case.workflow";
import type { PrismaClient } from "../../db/client";
import { migrateToCaseMachineSignal, stateQuery } from "../../workflows/messages";
import { eventId, lastGoodTask } from "./last-good-task";

// @temporalio/proto is CommonJS: Node's ESM loader sees only its default export.
const { temporal } = proto;
const { EventType, ResetReapplyExcludeType, ResetReapplyType } = temporal.api.enums.v1;
type History = proto.temporal.api.history.v1.IHistory;

/** An update the reset drops: accepted after the reset point; its caller already had an answer (or an error). */
export interface DroppedUpdate {
  updateId: string;
  name: string;
  answer: "completed" | "failed" | "none";
}

/** What the repair found and did. */
export interface RepairReport {
  caseId: string;
  /** The run examined (the case's current run). */
  runId: string;
  /** The history replays against the current code: nothing to do. */
  replays: boolean;
  /** The replay error of the stuck run. */
  error?: string;
  /** The WorkflowTaskCompleted event the run is (or would be) reset to. */
  resetTo?: number;
  /** Later WorkflowTaskCompleted events that do not replay. */
  rejected?: number[];
  /** Updates accepted after the reset point: not re-applied. */
  droppedUpdates: DroppedUpdate[];
  /** Signals received after the reset point (names, in order): re-applied by the reset. */
  reappliedSignals: string[];
  /** The run took the v3 code (no case-machine marker): it is moved onto the case machine. */
  legacy: boolean;
  /** The run the reset made. */
  resetRunId?: string;
  /** The run after continue-as-new onto the case machine. */
  newRunId?: string;
  /** Whether the case now runs the case machine (its current run has the case-machine patch marker). */
  migrated: boolean;
  /** Why it was not migrated, when it was not. */
  notMigrated?: string;
  dryRun: boolean;
}

/** What repairCase needs. */
export interface RepairDeps {
  /** A client with the payload codec (queries and signals); its workflowService resets. */
  client: Client;
  /** Replay options of the current workflow code: the worker's workflowsPath and the codec. */
  replay: ReplayWorkerOptions;
  /** The read model, rewound to the reset state (without it the read model is left as it was). */
  prisma?: PrismaClient;
}

/** Options of one repair. */
export interface RepairOptions {
  dryRun?: boolean;
  /** How long to wait for a legacy run to continue as new onto the case machine (a worker must be running). */
  migrateTimeoutMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Whether the history recorded the case-machine patch marker (the run takes the case machine). */
export function onCaseMachine(history: History): boolean {
  return (history.events ?? []).some((e) => {
    const a = e.markerRecordedEventAttributes;
    if (a?.markerName !== "core_patch") return false;
    return Object.values(a.details ?? {}).some((p) =>
      (p.payloads ?? []).some((x) => {
        try {
          return JSON.parse(Buffer.from(x.data ?? []).toString("utf8"))?.id === CASE_MACHINE_PATCH;
        } catch {
          return false;
        }
      }),
    );
  });
}

/**
 * Updates admitted or accepted after `resetTo` (dropped by the reset: an update admitted before it
 * stays in the reset run) and signals after it (re-applied).
 */
export function afterResetPoint(history: History, resetTo: number): { droppedUpdates: DroppedUpdate[]; reappliedSignals: string[] } {
  const all = history.events ?? [];
  const events = all.filter((e) => eventId(e) > resetTo);
  // An update admitted by the server (a re-applied one) is accepted without its request: its name is on the admission.
  const admitted = new Map<string, { name: string; at: number }>();
  for (const e of all) {
    const r = e.workflowExecutionUpdateAdmittedEventAttributes?.request;
    if (r?.meta?.updateId) admitted.set(r.meta.updateId, { name: r.input?.name ?? "?", at: eventId(e) });
  }
  const answers = new Map<string, DroppedUpdate["answer"]>();
  const dropped = new Map<string, string>();
  for (const e of events) {
    const c = e.workflowExecutionUpdateCompletedEventAttributes;
    if (c?.meta?.updateId) answers.set(c.meta.updateId, c.outcome?.failure ? "failed" : "completed");
    const a = e.workflowExecutionUpdateAcceptedEventAttributes;
    const id = e.workflowExecutionUpdateAdmittedEventAttributes?.request?.meta?.updateId ?? a?.acceptedRequest?.meta?.updateId ?? a?.protocolInstanceId;
    if (!id || dropped.has(id) || (admitted.get(id)?.at ?? Infinity) <= resetTo) continue;
    dropped.set(id, a?.acceptedRequest?.input?.name ?? admitted.get(id)?.name ?? "?");
  }
  const droppedUpdates = [...dropped].map(([updateId, name]) => ({ updateId, name, answer: answers.get(updateId) ?? "none" }));
  const reappliedSignals = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
    .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? "?");
  return { droppedUpdates, reappliedSignals };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Repairs case `caseId`: replays its current run; when that fails, resets the run to the last good
 * workflow task (signals after it re-applied, updates not) and, for a legacy run, sends
 * migrateToCaseMachine and waits until the case continued as new onto the case machine.
 */
export async function repairCase(deps: RepairDeps, caseId: string, opts: RepairOptions = {}): Promise<RepairReport> {
  const log = opts.log ?? (() => undefined);
  const { client } = deps;
  const runId = (await client.workflow.getHandle(caseId).describe()).runId;
  const history = await client.workflow.getHandle(caseId, runId).fetchHistory();
  const report: RepairReport = {
    caseId,
    runId,
    replays: false,
    droppedUpdates: [],
    reappliedSignals: [],
    legacy: !onCaseMachine(history),
    migrated: false,
    dryRun: !!opts.dryRun,
  };
  log(`case ${caseId}: run ${runId}, ${history.events?.length ?? 0} events, ${report.legacy ? "legacy (v3) code" : "case machine"}`);
  const found = await lastGoodTask(deps.replay, history, caseId);
  if (!found) {
    report.replays = true;
    report.migrated = !report.legacy;
    log("the history replays against the current code: nothing to repair");
    return report;
  }
  Object.assign(report, { error: found.error, resetTo: found.eventId, rejected: found.rejected }, afterResetPoint(history, found.eventId));
  log(`does not replay: ${found.error}`);
  log(`last good workflow task: event ${found.eventId} (later tasks that do not replay: ${found.rejected.join(", ") || "-"})`);
  log(`updates after it, dropped: ${report.droppedUpdates.map((u) => `${u.name} ${u.updateId} (${u.answer})`).join(", ") || "-"}`);
  log(`signals after it, re-applied: ${report.reappliedSignals.join(", ") || "-"}`);
  if (opts.dryRun) {
    log("dry run: nothing reset");
    return report;
  }

  // Signals are re-applied (urge, calendarChanged: nothing is lost), updates are not: their callers
  // were answered, and a re-applied update would run again on code that has moved on.
  // As `temporal workflow reset --reapply-exclude Update` (CLI 1.5.1) asks it: the exclusions on top of
  // ALL_ELIGIBLE, which server 1.29 honours (reset_reapply_type alone is deprecated).
  const reset = await client.workflowService.resetWorkflowExecution(
    temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest.fromObject({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: caseId, runId },
      workflowTaskFinishEventId: found.eventId,
      requestId: randomUUID(),
      reason: `npm run repair: history does not replay after event ${found.eventId}`,
      resetReapplyType: ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
      resetReapplyExcludeTypes: [ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE],
    }),
  );
  report.resetRunId = reset.runId;
  log(`reset to event ${found.eventId}: run ${reset.runId}`);
  if (deps.prisma) log(`read model rewound: ${await rewindReadModel(deps.prisma, client, caseId, reset.runId)}`);
  if (!report.legacy) {
    report.migrated = true;
    return report;
  }

  // The legacy run continues as new at its next wait; the new run takes the case machine.
  await client.workflow.getHandle(caseId, reset.runId).signal(migrateToCaseMachineSignal, {});
  log("migrateToCaseMachine sent");
  const deadline = Date.now() + (opts.migrateTimeoutMs ?? 60_000);
  for (;;) {
    const d = await client.workflow.getHandle(caseId).describe();
    if (d.runId !== reset.runId) {
      report.newRunId = d.runId;
      if (onCaseMachine(await client.workflow.getHandle(caseId, d.runId).fetchHistory())) {
        report.migrated = true;
        log(`continued as new: run ${d.runId} on the case machine`);
        return report;
      }
    } else if (d.status.name !== "RUNNING") {
      report.notMigrated = `the reset run closed (${d.status.name}) without continuing as new`;
      break;
    }
    if (Date.now() > deadline) {
      report.notMigrated =
        d.runId === reset.runId
          ? "the reset run did not continue as new in time (is a worker running? a case waiting only for a reward payment continues after it)"
          : `run ${d.runId} has not recorded the case-machine marker in time`;
      break;
    }
    await sleep(250);
  }
  log(`not migrated: ${report.notMigrated}`);
  return report;
}

/**
 * Brings the read model back to the reset state: timeline rows beyond it and extension or revisit
 * rows it no longer knows are removed, and the row's sequence is cleared so the next projection
 * (the case machine's first carries the whole timeline) writes it. Reward rows stay: a payment is
 * never undone by a reset. Returns what it removed.
 */
export async function rewindReadModel(prisma: PrismaClient, client: Client, caseId: string, runId: string): Promise<string> {
  const view = await client.workflow.getHandle(caseId, runId).query(stateQuery);
  const seq = Math.max(0, ...view.timeline.map((t) => t.seq));
  const keep = (ids: string[]) => ({ notIn: ids.map((id) => `${caseId}:${id}`) });
  const [events, extensions, revisits] = await prisma.$transaction([
    prisma.caseEvent.deleteMany({ where: { caseId, seq: { gt: seq } } }),
    prisma.extension.deleteMany({ where: { caseId, id: keep(view.extensions.map((e) => e.id)) } }),
    prisma.revisit.deleteMany({ where: { caseId, id: keep(view.revisits.map((r) => r.id)) } }),
    prisma.case.updateMany({ where: { id: caseId }, data: { seq: 0 } }),
  ]);
  return `${events.count} event(s) after ${seq}, ${extensions.count} extension(s), ${revisits.count} revisit(s)`;
}
