/**
 * Issue 12, small size, with continue-as-new in the middle of the storms: every case continues as
 * new after 150 history events, so runs roll over while concurrent messages arrive. The same checks
 * as the storm test, and the continued runs' histories replay too.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { STORM_CAN_ENV, runStorm, terminateStormCases, type StormResult } from "../../scripts/drill/storm";
import { startStack } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
let result: StormResult | undefined;

beforeAll(async () => {
  stack = await startStack(STORM_CAN_ENV);
});
afterAll(async () => {
  if (result) await terminateStormCases(stack, result.tag);
  await stack?.stop();
});

it("keeps cases replayable, answering and in step with the read model when they continue as new during storms", async () => {
  result = await runStorm(
    { base: stack.base, client: stack.client, prisma: stack.prisma, codec: stack.deps.codec, restartWorker: stack.restartWorker },
    { cases: 2, requestTimeoutMs: 30_000, stormMs: 90_000, recordBrokenTo: process.env.RECORD_BROKEN === "1" ? "/tmp" : undefined },
  );
  const r = result;
  console.log(
    `[storm+can] ${r.cases} cases, ${r.messages} messages, ${r.continuedAsNew} runs continued as new, ${r.seconds} s; answers ${JSON.stringify(r.statuses)}`,
  );
  for (const line of [
    ...r.replayFailures.map((f) => `replay ${f.workflowId}: ${f.error}`),
    ...r.restartFailures.map((f) => `restart ${f}`),
    ...r.drift.map((d) => `drift ${d}`),
  ])
    console.log(`[storm+can] ${line}`);
  expect(r.continuedAsNew, "runs that continued as new").toBeGreaterThanOrEqual(2);
  expect.soft(r.serverErrors, "answers with 5xx or none in time").toBe(0);
  expect.soft(r.replayFailures, "histories that do not replay").toEqual([]);
  expect.soft(r.restartFailures, "cases that do not answer after a worker restart").toEqual([]);
  expect.soft(r.drift, "read model vs workflow").toEqual([]);
}, 180_000);
