/**
 * `npm run repair` on the real dev server and database: a case made stuck deterministically (a
 * legacy run written by a worker whose sign handler starts one extra timer, then taken over by the
 * real worker, which fails its workflow task with a nondeterminism error for good) is reset to its
 * last good workflow task, moved onto the case machine, answers again, takes one more action, and
 * reconcile finds no drift. The case runs on a task queue of its own, so no other test's case is touched.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NativeConnection, type Worker } from "@temporalio/worker";
import proto from "@temporalio/proto";
import { CalendarStore } from "../../activities/calendar-store";
import { caseRow, matchKeys, orderRow, summarise } from "../../api/intake";
import { orderSchema } from "../../api/schemas";
import { reconcile } from "../../scripts/drill/reconcile";
import { repairCase, type RepairReport } from "../../scripts/repair/repair-case";
import { createCaseWorker, workflowsPath } from "../../workers/worker";
import { caseWorkflow } from "../../workflows/case.workflow";
import { caseWorkflowId } from "../../workflows/contract";
import { stateQuery } from "../../workflows/messages";
import { orderBody, startStack, tokens, until } from "./stack";

const { EventType, WorkflowTaskFailedCause } = proto.temporal.api.enums.v1;
const divergentPath = fileURLToPath(new URL("./repair/divergent.workflow.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

let stack: Awaited<ReturnType<typeof startStack>>;
let connection: NativeConnection;
beforeAll(async () => {
  stack = await startStack();
  connection = await NativeConnection.connect({ address: stack.deps.config.TEMPORAL_ADDRESS });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

/** A case worker on `taskQueue`, with the real activities; `workflowsPath` replaces the real workflow code. */
async function runWorker(taskQueue: string, divergent = false): Promise<{ worker: Worker; stop(): Promise<void> }> {
  const prisma = stack.prisma;
  const worker = await createCaseWorker({
    connection,
    namespace: stack.deps.config.TEMPORAL_NAMESPACE,
    codec: stack.deps.codec,
    taskQueue,
    deps: { prisma, calendars: new CalendarStore(prisma, 0), outbound: { platformHmacSecret: stack.deps.config.PLATFORM_HMAC_SECRET } },
    options: divergent ? { workflowsPath: divergentPath, interceptors: { workflowModules: [divergentPath] } } : {},
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

describe("npm run repair", () => {
  it("repairs a case stuck on a nondeterminism error: reset to the last good task, onto the case machine, answering, no drift", async () => {
    const tag = Date.now().toString(36);
    const taskQueue = `repair-${tag}`;
    const body = orderSchema.parse(orderBody({ orderNo: `RP-${tag}` }));
    const caseId = caseWorkflowId(body.orderNo);

    // 1. A legacy run on the divergent code: taken in (the rows intake writes, then the workflow), signed.
    const divergent = await runWorker(taskQueue, true);
    await stack.prisma.$transaction([
      stack.prisma.case.create({ data: caseRow(caseId, summarise(body), matchKeys(body, stack.deps.vault)) }),
      stack.prisma.hotlineOrder.create({ data: orderRow(caseId, false, body, stack.deps.vault) }),
    ]);
    const handle = await stack.client.workflow.start(caseWorkflow, {
      workflowId: caseId,
      taskQueue,
      args: [{ caseId, order: summarise(body), policy: stack.deps.policy }],
    });
    const { unitId } = await until(
      () => handle.query(stateQuery),
      (v) => v.stage === "transferred",
      "routing",
    );
    const signed = await stack.call("POST", `/api/cases/${caseId}/sign`, tokens.unit(unitId!), {});
    expect(signed.status).toBe(200);
    expect(signed.body.stage).toBe("investigating");
    await divergent.stop();
    expect((await stack.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).stage).toBe("investigating");

    // 2. The real worker takes the queue over: the case's history does not replay, every workflow task fails.
    const real = await runWorker(taskQueue);
    try {
      const stuck = await stack.call("GET", `/api/cases/${caseId}`, tokens.supervisor);
      expect(stuck.status).toBe(500);
      expect((await stack.call("POST", `/api/cases/${caseId}/urge`, tokens.supervisor, { note: "请尽快签收" })).status).toBe(202);
      const failed = await until(
        async () => (await handle.fetchHistory()).events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
        (f) => f.length > 0,
        "a failed workflow task",
      );
      expect(failed[0]!.workflowTaskFailedEventAttributes!.failure!.message).toContain("[TMPRL1100] Nondeterminism error");
      expect(failed[0]!.workflowTaskFailedEventAttributes!.cause).toBe(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR);

      // What an operator sees (docs/WORKFLOW.md "Repairing a stuck case"): the pending workflow task keeps being retried.
      await until(
        async () => (await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0,
        (n) => n >= 2,
        "a retried workflow task",
      );

      // 3. The command, as a dry run: it reports and changes nothing.
      const cli = await run(process.execPath, ["--import", "tsx", "scripts/repair.ts", caseId, "--dry-run"], {
        cwd: root,
        env: { ...process.env, NODE_ENV: "test", TEMPORAL_ADDRESS: stack.deps.config.TEMPORAL_ADDRESS, DATABASE_URL: stack.deps.config.DATABASE_URL },
      });
      const out = cli.stdout.trimEnd().split("\n");
      const dry = JSON.parse(out.at(-1)!) as RepairReport;
      expect(out.join("\n")).toContain(`last good workflow task: event ${dry.resetTo} `);
      expect(out).toContain("dry run: nothing reset");
      expect(dry).toMatchObject({ replays: false, legacy: true, dryRun: true, migrated: false, reappliedSignals: ["urge"] });
      expect(dry.droppedUpdates).toEqual([expect.objectContaining({ name: "sign", answer: "completed" })]);
      expect(dry.resetRunId).toBeUndefined();
      expect((await stack.client.workflow.getHandle(caseId).describe()).runId).toBe(dry.runId);

      // 4. The repair: reset to the last good task (the one that accepted the signing), onto the case machine.
      const replay = { workflowsPath, dataConverter: { payloadCodecs: [stack.deps.codec] } };
      const lines: string[] = [];
      const report = await repairCase({ client: stack.client, prisma: stack.prisma, replay }, caseId, { log: (l) => lines.push(l), migrateTimeoutMs: 30_000 });
      console.log(lines.map((l) => `[repair] ${l}`).join("\n"));
      expect(report).toMatchObject({ runId: dry.runId, replays: false, resetTo: dry.resetTo, legacy: true, migrated: true, reappliedSignals: ["urge"] });
      expect(report.error).toContain("Nondeterminism");
      expect(report.resetRunId).toBeDefined();
      expect(report.newRunId).toBeDefined();
      expect(new Set([report.runId, report.resetRunId, report.newRunId]).size).toBe(3);
      expect(lines.join("\n")).toContain(`reset to event ${report.resetTo}`);
      // The reset run re-applied the signal but not the update after the reset point.
      const resetEvents = (await stack.client.workflow.getHandle(caseId, report.resetRunId).fetchHistory()).events!;
      expect(
        resetEvents
          .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
          .map((e) => e.workflowExecutionSignaledEventAttributes!.signalName),
      ).toEqual(["urge", "migrateToCaseMachine"]);
      // (Server 1.29 re-applies updates unless excluded: the signing would come back as an admitted update.)
      const updateEvents = [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED];
      expect(resetEvents.filter((e) => updateEvents.includes(e.eventType!))).toEqual([]);
      expect(resetEvents.at(-1)!.eventType).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
      // The new run took the case machine: its history has the patch marker.
      const newEvents = (await stack.client.workflow.getHandle(caseId, report.newRunId).fetchHistory()).events!;
      const patches = newEvents
        .filter((e) => e.markerRecordedEventAttributes?.markerName === "core_patch")
        .map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes!.details!["patch-data"]!.payloads![0]!.data!).toString()).id);
      expect(patches).toContain("case-machine");

      // 5. The case answers again, from the state before the dropped signing (with the re-applied urge).
      const view = await until(
        () => stack.call("GET", `/api/cases/${caseId}`, tokens.supervisor),
        (r) => r.status === 200,
        "the case view",
      );
      expect(view.body).toMatchObject({ stage: "transferred", unitId, urgeCount: 1 });
      // The read model had the dropped signing; the repair rewound it, and the case machine wrote its state.
      expect(await reconcile(stack.prisma, stack.client, body.orderNo)).toEqual({ checked: 1, drift: [] });
      expect((await stack.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).stage).toBe("transferred");
      // One more action, on the case machine; then the read model agrees with the workflow.
      const again = await stack.call("POST", `/api/cases/${caseId}/sign`, tokens.unit(unitId!), {});
      expect(again.status).toBe(200);
      expect(again.body.stage).toBe("investigating");
      const rec = await reconcile(stack.prisma, stack.client, body.orderNo);
      expect(rec).toEqual({ checked: 1, drift: [] });
      expect((await stack.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).stage).toBe("investigating");

      // 6. Repaired: a second run finds nothing to do.
      expect(await repairCase({ client: stack.client, replay }, caseId)).toMatchObject({ replays: true, migrated: true, runId: report.newRunId });
    } finally {
      await real.stop();
    }
  });
});
