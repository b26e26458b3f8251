/** Replays live cases' histories against the current workflow code, as the replay test does with recorded ones. */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Client } from "@temporalio/client";
import type { PayloadCodec } from "@temporalio/common";
import proto from "@temporalio/proto";
import { Worker } from "@temporalio/worker";
import { workflowsPath } from "../../workers/worker";

// @temporalio/proto is CommonJS: Node's ESM loader (the drill runs under tsx) sees only its default export.
const { temporal } = proto;
type History = proto.temporal.api.history.v1.IHistory;

/** A history that did not replay, with the replayer's message. */
export interface ReplayFailure {
  workflowId: string;
  error: string;
}

/**
 * Fetches each case's history (latest run), and those of its runs that continued as new, and replays
 * them all; the latest histories, the failures and how many continued runs were replayed.
 */
export async function replayCases(client: Client, codec: PayloadCodec, ids: string[]) {
  const histories: Array<{ workflowId: string; history: History }> = [];
  for (const workflowId of ids) histories.push({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() });
  let continued = 0;
  for (const workflowId of ids) {
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}' AND ExecutionStatus = 'ContinuedAsNew'` })) {
      histories.push({ workflowId: `${workflowId}@${run.runId}`, history: await client.workflow.getHandle(workflowId, run.runId).fetchHistory() });
      continued++;
    }
  }
  const failures: ReplayFailure[] = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath, dataConverter: { payloadCodecs: [codec] } }, histories)) {
    if (r.error) failures.push({ workflowId: r.workflowId, error: r.error.message });
  }
  return { histories: new Map(histories.map((h) => [h.workflowId, h.history])), failures, continued };
}

/** Whether a replay failure is a nondeterminism error (TMPRL1100). */
export const isNondeterminism = (f: ReplayFailure) => /TMPRL1100|nondetermin/i.test(f.error);

/** Writes a history as the replay fixtures are written (binary protobuf). */
export function writeHistory(path: string, history: History): void {
  writeFileSync(path, temporal.api.history.v1.History.encode(history).finish());
}

/** Writes the histories that failed replay with a nondeterminism error into `dir` (at most `max`); their paths. */
export function keepBroken(replay: Awaited<ReturnType<typeof replayCases>>, dir: string, max = Infinity): string[] {
  const broken = replay.failures.filter(isNondeterminism).slice(0, max);
  if (broken.length) mkdirSync(dir, { recursive: true });
  return broken.map((f) => {
    const path = `${dir}/${f.workflowId.replace(/[^\w.-]/g, "_")}.pb`;
    writeHistory(path, replay.histories.get(f.workflowId)!);
    return path;
  });
}
