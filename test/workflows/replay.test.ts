/**
 * Replay: recorded histories of finished cases must replay against the current workflow code.
 * A change to running logic needs patched(); record new histories (binary protobuf) with RECORD_HISTORIES=1.
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { temporal } from "@temporalio/proto";
import { Worker } from "@temporalio/worker";
import { workflowsPath } from "../../workers/worker";

const dir = "test/replay/histories";

it("replays every recorded history without nondeterminism", async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".pb"));
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((f) => ({ workflowId: f.replace(/\.pb$/, ""), history: temporal.api.history.v1.History.decode(readFileSync(`${dir}/${f}`)) }));
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath }, histories)) results.push(r);
  expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(histories.map((h) => [h.workflowId, undefined]));
});
