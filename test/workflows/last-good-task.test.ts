/**
 * The repair tool's search on a recorded broken history (test/replay/broken): the history does not
 * replay against the current workflow code, lastGoodTask finds the latest workflow task after which
 * it still does, and the history truncated there replays.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import proto from "@temporalio/proto";
import { workflowsPath } from "../../workers/worker";
import { codecFromEnv } from "../../security/codec-from-env";
import { completedTasks, lastGoodTask, replayVerdict, truncateHistory } from "../../scripts/repair/last-good-task";
import { afterResetPoint, onCaseMachine } from "../../scripts/repair/repair-case";

const { temporal } = proto;
const options = { workflowsPath, dataConverter: { payloadCodecs: [codecFromEnv({ NODE_ENV: "test" })] } };
const load = (file: string) => temporal.api.history.v1.History.decode(readFileSync(file));

describe("lastGoodTask", () => {
  const broken = load("test/replay/broken/concurrent-routes-and-repeats.pb");

  it("the recorded broken history fails replay with the recorded nondeterminism error", async () => {
    const v = await replayVerdict(options, broken);
    expect(v.ok).toBe(false);
    expect(v.nondeterminism).toBe(true);
    expect(v.error).toContain(
      "[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 92, WorkflowExecutionUpdateCompleted)",
    );
  });

  it("finds the latest workflow task after which the history replays, and the truncated history replays", async () => {
    const found = await lastGoodTask(options, broken);
    expect(found).toBeDefined();
    // The task that completed at 74 accepted the concurrent updates whose handlers interleaved; every later task replays its events.
    expect(found!.eventId).toBe(74);
    expect(found!.rejected).toEqual(completedTasks(broken).filter((id) => id > 74));
    expect(found!.error).toContain("HistoryEvent(id: 92");
    const truncated = truncateHistory(broken, found!.eventId);
    expect(truncated.events!.at(-1)!.eventType).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    expect(await replayVerdict(options, truncated)).toEqual({ ok: true, nondeterminism: false, error: undefined });
  });

  it("names what a reset to that point drops (updates, answered in the original run) and re-applies (signals)", () => {
    const { droppedUpdates, reappliedSignals } = afterResetPoint(broken, 74);
    expect(reappliedSignals).toEqual(["calendarChanged", "calendarChanged", "urge", "urge"]);
    const count = (name: string) => droppedUpdates.filter((u) => u.name === name).length;
    expect([droppedUpdates.length, count("route"), count("reportRepeat"), count("sign")]).toEqual([13, 6, 6, 1]);
    // Their callers had been answered: the storm's concurrent requests got their 200s before the case broke.
    expect(droppedUpdates.every((u) => u.answer === "completed")).toBe(true);
    expect(onCaseMachine(broken)).toBe(false);
    expect(onCaseMachine(load("test/replay/histories/v4-returned.pb"))).toBe(true);
  });

  it("finds the reset point of the cluster's broken histories (a query answered ahead of the workflow task)", async () => {
    for (const [file, event, goodTask] of [
      // The window task's completion (20, 21) still replays: a reset there runs that task again (the Updates it accepted are dropped, and named).
      ["query-ahead-sticky-timeout", 21, 20],
      ["query-ahead-task-timeout", 22, 21],
    ] as const) {
      const history = load(`test/replay/broken/${file}.pb`);
      const v = await replayVerdict(options, history);
      expect(v.error, file).toContain(`Update machine does not handle this event: HistoryEvent(id: ${event}, UpsertWorkflowSearchAttributes)`);
      const found = await lastGoodTask(options, history);
      expect(found?.eventId, file).toBe(goodTask);
      expect(await replayVerdict(options, truncateHistory(history, goodTask)), file).toEqual({ ok: true, nondeterminism: false, error: undefined });
    }
  });

  it("finds nothing to repair in a history that replays", async () => {
    expect(await lastGoodTask(options, load("test/replay/histories/v3-reopened-once.pb"))).toBeUndefined();
  });
});
