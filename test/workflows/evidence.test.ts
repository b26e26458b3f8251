/** Workflow test on the time-skipping server: evidence items, the closing rule behind the policy flag, and the feedback's evidence list. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { WorkflowUpdateFailedError } from "@temporalio/client";
import * as m from "../../workflows/messages";
import { caseInput, keepHistory, order, startHarness } from "./harness";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const unit: m.Actor = { role: "unit", name: "张科员", unitId: "branch-jiefang" };
const record: m.InvestigationRecord = {
  subjectName: "某化工厂",
  address: "民主路1号",
  facts: "夜间排放",
  productionStatus: "生产中",
  controlFacilities: "未运行",
  discharges: "废气超标",
  cause: "设施故障",
  violationFound: true,
  enterpriseEntered: false,
};
const feedback = { by: unit, findings: "属实", handlingOpinion: "责令整改", evidence: [], result: "已整改", handler: "张科员" };
const photo: m.EvidenceInput = {
  by: unit,
  evidenceId: "ev-0123456789abcdef0123456789abcdef",
  sha256: "c".repeat(64),
  mime: "image/jpeg",
  size: 1234,
  thumbnail: true,
};

it("closes a case with a violation only once it has evidence, answers an attached item once, and lists it in feedback", async () => {
  const input = caseInput(order(), { evidenceRequiredOnViolation: true, revisitSampleRate: 0 });
  const handle = await h.start(input);
  for (let i = 0; i < 200 && (await handle.query(m.stateQuery)).stage !== "transferred"; i++) await new Promise((r) => setTimeout(r, 50));
  await handle.executeUpdate(m.signUpdate, { args: [{ by: unit }] });
  await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit, record }] });
  await handle.executeUpdate(m.rectificationUpdate, { args: [{ by: unit, immediate: true, note: "当场整改" }] });
  const refused = await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause?.message).toBe("closing requires: evidence");

  const item = await handle.executeUpdate(m.attachEvidenceUpdate, { args: [{ ...photo, note: "整改后" }] });
  expect(item).toMatchObject({ id: photo.evidenceId, stage: "feedback", round: 0, by: unit.name, note: "整改后" });
  expect(await handle.executeUpdate(m.attachEvidenceUpdate, { args: [photo] })).toEqual(item);
  expect((await handle.query(m.stateQuery)).evidence).toEqual([item]);

  await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
  expect((await handle.result()).outcome).toBe("completed");
  expect(h.rec.feedback).toContain(`${input.order.orderNo}:closed:0`);
  // The platform feedback activity received the item's id and hash (the link is signed when it is sent).
  const history = await handle.fetchHistory();
  const scheduled = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === "sendPlatformFeedback");
  expect(scheduled).toHaveLength(1);
  const sent = JSON.parse(Buffer.from(scheduled[0]!.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString());
  expect(sent.body.evidenceFiles).toEqual([{ id: photo.evidenceId, sha256: photo.sha256, mime: "image/jpeg", size: 1234, stage: "feedback" }]);
  keepHistory(history, "evidence-closed");
});
