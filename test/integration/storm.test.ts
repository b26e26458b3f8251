/**
 * Issue 12, small size: storms of concurrent messages on a few cases, on the real dev server and
 * database (scripts/drill/storm.ts). No 5xx, every history replays, every case answers after a
 * worker restart, and the read model agrees with the workflows. With RECORD_BROKEN=1 the first
 * history that fails replay with a nondeterminism error is kept in test/replay/broken/.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { STORM_ENV, runStorm, terminateStormCases, type StormResult } from "../../scripts/drill/storm";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let result: StormResult | undefined;

beforeAll(async () => {
  stack = await startStack(STORM_ENV);
});
afterAll(async () => {
  if (result) await terminateStormCases(stack, result.tag);
  await stack?.stop();
});

it("keeps every case replayable, answering and in step with its read model through storms of concurrent messages", async () => {
  result = await runStorm(
    { base: stack.base, client: stack.client, prisma: stack.prisma, codec: stack.deps.codec, restartWorker: stack.restartWorker },
    { cases: 3, requestTimeoutMs: 30_000, stormMs: 90_000, recordBrokenTo: process.env.RECORD_BROKEN === "1" ? "test/replay/broken" : undefined },
  );
  const r = result;
  console.log(
    `[storm] ${r.cases} cases, ${r.messages} messages in ${r.seconds} s; answers ${JSON.stringify(r.statuses)}; stages ${r.stagesCovered.join(", ")}`,
  );
  for (const [kind, h] of Object.entries(r.byKind)) console.log(`[storm]   ${kind}: ${JSON.stringify(h)}`);
  for (const line of [
    ...r.skipped.map((s) => `skipped ${s}`),
    ...r.replayFailures.map((f) => `replay ${f.workflowId}: ${f.error}`),
    ...r.restartFailures.map((f) => `restart ${f}`),
    ...r.drift.map((d) => `drift ${d}`),
  ])
    console.log(`[storm] ${line}`);
  if (r.recordedBroken) console.log(`[storm] recorded ${r.recordedBroken}`);

  expect(r.messages).toBeGreaterThanOrEqual(3 * 20);
  expect.soft(r.stagesCovered.sort()).toEqual(["feedback", "investigating", "rectifying", "revisit_pending", "sent_back", "transferred"]);
  expect.soft(r.serverErrors, "answers with 5xx or none in time").toBe(0);
  expect.soft(r.replayFailures, "histories that do not replay").toEqual([]);
  expect.soft(r.restartFailures, "cases that do not answer after a worker restart").toEqual([]);
  expect.soft(r.drift, "read model vs workflow").toEqual([]);
}, 180_000);
