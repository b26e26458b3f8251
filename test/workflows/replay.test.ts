/**
 * Replay: recorded histories of finished cases must replay against the current workflow code.
 * A change to running logic needs patched(); record new histories (binary protobuf) with RECORD_HISTORIES=1.
 * v3-split-after-local-activity comes from `npm run up` (dev server, payloads under the development
 * codec key): its first workflow task ends right after the first local activity, the shape that once
 * broke replay of patch decisions (see the comment on "local-store" in the workflow).
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { temporal } from "@temporalio/proto";
import { Worker } from "@temporalio/worker";
import { workflowsPath } from "../../workers/worker";
import { codecFromEnv } from "../../security/codec-from-env";

const dir = "test/replay/histories";

it("replays every recorded history without nondeterminism", async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".pb"));
  expect(files.length).toBeGreaterThan(0);
  const histories = files.map((f) => ({ workflowId: f.replace(/\.pb$/, ""), history: temporal.api.history.v1.History.decode(readFileSync(`${dir}/${f}`)) }));
  const results = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath, dataConverter: { payloadCodecs: [codecFromEnv({ NODE_ENV: "test" })] } }, histories))
    results.push(r);
  expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(histories.map((h) => [h.workflowId, undefined]));
});
