/**
 * Where a stuck case can be reset to: replays a history against the current workflow code and, when
 * it does not replay, finds the latest workflow task after which it still does. Pure apart from the
 * replay worker it starts (no server, no database), so tests call it on a recorded history.
 */
import proto from "@temporalio/proto";
import { Worker, type ReplayWorkerOptions } from "@temporalio/worker";
import { DeterminismViolationError } from "@temporalio/workflow";

// @temporalio/proto is CommonJS: Node's ESM loader sees only its default export.
type History = proto.temporal.api.history.v1.IHistory;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const { EventType } = proto.temporal.api.enums.v1;

/** How one history replayed: `ok`, or the error and whether it is a nondeterminism error. */
export interface ReplayVerdict {
  ok: boolean;
  nondeterminism: boolean;
  error?: string;
}

/** The verdict of one replay result. */
function verdict(error: Error | undefined): ReplayVerdict {
  return { ok: !error, nondeterminism: error instanceof DeterminismViolationError, error: error?.message };
}

/** Replays one history against the workflow code of `options` (its `workflowsPath` and data converter). */
export async function replayVerdict(options: ReplayWorkerOptions, history: History, workflowId = "replay"): Promise<ReplayVerdict> {
  for await (const r of Worker.runReplayHistories(options, [{ workflowId, history }])) return verdict(r.error);
  throw new Error("the replay worker returned no result");
}

/** The event id as a number (protobuf int64 arrives as a Long or a number). */
export function eventId(e: HistoryEvent): number {
  return Number(e.eventId);
}

/** The history up to and including event `lastEventId`. */
export function truncateHistory(history: History, lastEventId: number): History {
  return { ...history, events: (history.events ?? []).filter((e) => eventId(e) <= lastEventId) };
}

/** Ids of the history's WorkflowTaskCompleted events, latest first. */
export function completedTasks(history: History): number[] {
  return (history.events ?? [])
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    .map(eventId)
    .reverse();
}

/** The last good point of a history that does not replay. */
export interface LastGoodTask {
  /** The WorkflowTaskCompleted event: the history truncated right after it replays cleanly. */
  eventId: number;
  /** Later WorkflowTaskCompleted events that were tried and did not replay. */
  rejected: number[];
  /** The replay error of the whole history. */
  error: string;
}

/**
 * The latest WorkflowTaskCompleted event such that the history truncated right after it replays
 * without error (no nondeterminism, no failed workflow task); undefined when the whole history
 * replays (nothing to repair) — throws when no point replays (not even the first task).
 *
 * Candidates are replayed latest first on one replay worker (one bundle of the workflow code), and
 * the search stops at the first that replays. A reset to that event discards the task that completed
 * there and everything after it, and runs that task again on the current code.
 */
export async function lastGoodTask(options: ReplayWorkerOptions, history: History, workflowId = "replay"): Promise<LastGoodTask | undefined> {
  const candidates = completedTasks(history);
  const rejected: number[] = [];
  let whole: ReplayVerdict | undefined;
  let found: number | undefined;
  // A lazy source: runReplayHistories asks for the next history only once the previous one replayed.
  async function* histories() {
    yield { workflowId, history };
    for (const id of candidates) {
      if (found !== undefined) return;
      yield { workflowId: `${workflowId}@${id}`, history: truncateHistory(history, id) };
    }
  }
  let i = -1;
  for await (const r of Worker.runReplayHistories(options, histories())) {
    const v = verdict(r.error);
    if (i === -1) {
      whole = v;
      if (v.ok) return undefined;
    } else if (v.ok) {
      found = candidates[i];
      break;
    } else {
      rejected.push(candidates[i]!);
    }
    i++;
  }
  if (found === undefined) throw new Error(`no workflow task of the history replays: ${whole?.error}`);
  return { eventId: found, rejected, error: whole!.error! };
}
