/**
 * Workflow (time-skipping server): a case confirmed as a repeat of an older one ends as merged from
 * any open stage, its read-model row follows, and further actions are refused. With RECORD_HISTORIES=1
 * the finished history is kept for the replay test (test/replay/histories/<RECORDING>-merged.pb).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowUpdateFailedError } from "@temporalio/client";
import * as m from "../../workflows/messages";
import { caseInput, keepHistory, startHarness } from "./harness";

type Harness = Awaited<ReturnType<typeof startHarness>>;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const unit: m.Actor = { role: "unit", name: "张科员", unitId: "branch-jiefang" };
const dispatcher: m.Actor = { role: "dispatcher", name: "调度员" };
type Handle = Awaited<ReturnType<Harness["start"]>>;
async function untilStage(handle: Handle, stage: string) {
  for (let i = 0; i < 200; i++) {
    if ((await handle.query(m.stateQuery)).stage === stage) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`case never reached ${stage}`);
}

describe("mergeInto", () => {
  it("ends a signed case as merged into the older case; the row follows and nothing more is accepted", async () => {
    const handle = await h.start(caseInput());
    await untilStage(handle, "transferred");
    await handle.executeUpdate(m.signUpdate, { args: [{ by: unit }] });
    const merged = await handle.executeUpdate(m.mergeIntoUpdate, { args: [{ by: dispatcher, into: "case-OLDER-0001", suggestionId: 3 }] });
    expect(merged).toEqual({ stage: "completed", mergedInto: "case-OLDER-0001" });
    expect(await handle.result()).toMatchObject({ outcome: "merged" });
    let row = await h.prisma.case.findUnique({ where: { id: handle.workflowId } });
    for (let i = 0; i < 100 && row?.outcome !== "merged"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      row = await h.prisma.case.findUnique({ where: { id: handle.workflowId } });
    }
    expect(row).toMatchObject({ stage: "completed", outcome: "merged", dueAt: null });
    const late = await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit, record: {} as m.InvestigationRecord }] }).catch((e) => e);
    // The workflow has completed: an update to it is refused by the server.
    expect(late).toBeInstanceOf(Error);
    keepHistory(await handle.fetchHistory(), "merged");
  });

  it("refuses a merge from a unit before anything changes", async () => {
    const handle = await h.start(caseInput());
    await untilStage(handle, "transferred");
    const refused = await handle.executeUpdate(m.mergeIntoUpdate, { args: [{ by: unit, into: "case-OLDER-0001", suggestionId: 1 }] }).catch((e) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await handle.query(m.stateQuery)).stage).toBe("transferred");
    await h.finish(handle);
  });
});
