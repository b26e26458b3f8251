/** Workflow tests on the time-skipping server: the case's paths, with activities faked in memory. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { temporal } from "@temporalio/proto";
import { WorkflowUpdateFailedError } from "@temporalio/client";
import { loadDefaultCalendar } from "../../calendar";
import { HANDLING_DAYS, KINDS } from "../../workflows/contract";
import * as m from "../../workflows/messages";
import { caseInput, keepHistory, order, startHarness } from "./harness";

type Harness = Awaited<ReturnType<typeof startHarness>>;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const unit = (unitId = "branch-jiefang"): m.Actor => ({ role: "unit", name: "张科员", unitId });
const supervisor: m.Actor = { role: "supervisor", name: "李科长" };
const record: m.InvestigationRecord = {
  subjectName: "某化工厂",
  address: "民主路1号",
  facts: "夜间排放",
  productionStatus: "生产中",
  controlFacilities: "未运行",
  discharges: "废气超标",
  cause: "设施故障",
  violationFound: true,
  enterpriseEntered: true,
  enforcementPlatformRef: "HN-2026-1",
};
const feedback = { by: unit(), findings: "属实", handlingOpinion: "责令整改", evidence: ["photo-1"], result: "已整改", handler: "张科员" };

async function start(input = caseInput(), waitFor: string | null = "transferred") {
  const handle = await h.start(input);
  if (waitFor) await untilStage(handle, waitFor);
  return { handle, input };
}

type Handle = Awaited<ReturnType<Harness["start"]>>;
async function untilStage(handle: Handle, stage: string) {
  for (let i = 0; i < 200; i++) {
    if ((await handle.query(m.stateQuery)).stage === stage) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`case never reached ${stage}`);
}

async function toFeedbackStage(handle: Handle) {
  await handle.executeUpdate(m.signUpdate, { args: [{ by: unit() }] });
  await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit(), record }] });
  await handle.executeUpdate(m.rectificationUpdate, { args: [{ by: unit(), immediate: true, note: "当场整改" }] });
}

/** Polls `f` until `ok` holds (the read model and effects follow the workflow a moment later). */
async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await f();
    if (ok(v) || i >= 200) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function failureType(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((e as WorkflowUpdateFailedError).cause as { type?: string }).type;
  }
}

describe("caseWorkflow", () => {
  it("runs accept → transfer → investigate → rectify → feedback → revisit to completion", async () => {
    const { handle, input } = await start();
    const signed = await handle.executeUpdate(m.signUpdate, { args: [{ by: unit() }] });
    expect(signed.stage).toBe("investigating");
    await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit(), record }] });
    await handle.executeUpdate(m.rectificationUpdate, {
      args: [
        { by: unit(), immediate: false, note: "限期整改", plan: { goal: "达标", measures: "更换设备", deadline: "2026-12-31", responsibleUnit: "某化工厂" } },
      ],
    });
    expect((await handle.query(m.stateQuery)).stage).toBe("rectifying");
    await handle.executeUpdate(m.rectificationCompleteUpdate, { args: [{ by: unit(), note: "已完成" }] });
    await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
    await untilStage(handle, "revisit_pending");
    // revisit sample rate 1: the case waits in revisit_pending for the revisit
    const revisit = await handle.executeUpdate(m.revisitUpdate, { args: [{ by: supervisor, rebound: false, satisfied: true }] });
    expect(revisit.reopened).toBe(false);
    const result = await handle.result();
    expect(result.outcome).toBe("completed");
    keepHistory(await handle.fetchHistory(), "completed-with-plan");
    expect(h.rec.feedback).toContain(`${input.order.orderNo}:closed:0`);
    expect(h.rec.notices).toContain(`${input.order.orderNo}:feedback:0`);
    expect(h.rec.supervision).toContain("enforcement:HN-2026-1");
  });

  it("takes an order in with one activity: acceptance and the signing deadline together (patch intake-one-activity)", async () => {
    const { handle, input } = await start();
    const events = (await handle.fetchHistory()).events!;
    const timer = events.findIndex((e) => e.timerStartedEventAttributes);
    const scheduled = events.slice(0, timer).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(["routeOrder", "projectCase"]);
    // The signing time limit counts from acceptance, on the official calendar.
    const view = await handle.query(m.stateQuery);
    const cal = loadDefaultCalendar();
    expect(view.signDueAt).toBe(cal.deadlineAfter(new Date(view.acceptedAt!), input.policy.signDays).dueAt.toISOString());
    expect(view.timeline.find((e) => e.type === "accepted")?.at).toBe(view.acceptedAt);
  });

  it("returns an order outside the jurisdiction with its own feedback", async () => {
    const { handle, input } = await start(caseInput(order({ district: "郑州市金水区" })), null);
    const result = await handle.result();
    expect(result.outcome).toBe("returned");
    keepHistory(await handle.fetchHistory(), "returned");
    expect((await handle.query(m.stateQuery)).returnReason).toMatch(/jurisdiction/);
    expect(h.rec.feedback).toContain(`${input.order.orderNo}:returned:0`);
  });

  it("rejects an early sign, a wrong unit, and a close without the required fields", async () => {
    const { handle } = await start(caseInput(order({ industry: undefined })));
    expect(await failureType(handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit(), record }] }))).toBe("InvalidState");
    expect(await failureType(handle.executeUpdate(m.signUpdate, { args: [{ by: unit("branch-macun") }] }))).toBe("Forbidden");
    await toFeedbackStage(handle);
    const err = handle.executeUpdate(m.feedbackUpdate, { args: [{ ...feedback, industry: undefined }] });
    await expect(err).rejects.toThrow();
    expect(await failureType(handle.executeUpdate(m.feedbackUpdate, { args: [{ ...feedback, industry: undefined }] }))).toBe("BusinessRule");
    expect((await handle.query(m.stateQuery)).stage).toBe("feedback");
    await h.finish(handle);
  });

  it("sends back, re-routes, and alerts a supervisor when signing is late", async () => {
    const { handle } = await start();
    await handle.executeUpdate(m.sendBackUpdate, { args: [{ by: unit(), reason: "不属本辖区" }] });
    const routed = await handle.executeUpdate(m.routeUpdate, {
      args: [{ by: { role: "dispatcher", name: "调度员" }, unitId: "branch-macun", reason: "改派" }],
    });
    expect(routed.unitId).toBe("branch-macun");
    await h.env.sleep("5 days");
    const s = await handle.query(m.stateQuery);
    expect(s.signOverdue).toBe(true);
    expect(
      await eventually(
        async () => h.rec.supervision,
        (t) => t.includes("sign_overdue"),
      ),
    ).toContain("sign_overdue");
    await handle.executeUpdate(m.signUpdate, { args: [{ by: unit("branch-macun") }] });
    await h.finish(handle);
  });

  it("approves an extension that moves the deadline, rejects one beyond the limit, and turns red when overdue", async () => {
    const { handle } = await start();
    const signed = await handle.executeUpdate(m.signUpdate, { args: [{ by: unit() }] });
    // The approval's deadline on an official calendar, whatever year the test server's clock has reached
    // (a provisional one is computed again at the decision).
    const year = new Date(signed.dueAt).getUTCFullYear();
    for (const y of [year, year + 1])
      if (!h.calendars.cal.hasOfficialSchedule(y)) h.calendars.cal = h.calendars.cal.withSchedule(y, { off: [`${y}-01-01/${y}-01-03`], work: [] });
    expect(await failureType(handle.executeUpdate(m.requestExtensionUpdate, { args: [{ by: unit(), days: 30, reason: "复杂" }] }))).toBe("BusinessRule");
    const req = await handle.executeUpdate(m.requestExtensionUpdate, { args: [{ by: unit(), days: 5, reason: "需要检测报告" }] });
    expect(req.status).toBe("pending");
    expect(await failureType(handle.executeUpdate(m.requestExtensionUpdate, { args: [{ by: unit(), days: 2, reason: "再次" }] }))).toBe("InvalidState");
    const decided = await handle.executeUpdate(m.decideExtensionUpdate, { args: [{ by: supervisor, extensionId: req.extensionId, approve: true }] });
    expect(decided.status).toBe("approved");
    expect(Date.parse(decided.dueAt!)).toBeGreaterThan(Date.parse(signed.dueAt));
    // The approved deadline was computed with the request: the decision schedules no calendar activity.
    const events = (await handle.fetchHistory()).events!;
    const T = temporal.api.enums.v1.EventType;
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === m.decideExtensionUpdate.name);
    const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes?.acceptedEventId?.equals(events[accepted]!.eventId!));
    const scheduled = events.slice(accepted, completed).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
    expect(accepted).toBeGreaterThan(0);
    expect(scheduled).not.toContain("computeDeadline");
    expect(events.slice(accepted, completed).filter((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toEqual([]);
    expect(await failureType(handle.executeUpdate(m.decideExtensionUpdate, { args: [{ by: supervisor, extensionId: req.extensionId, approve: true }] }))).toBe(
      "InvalidState",
    );
    expect(await failureType(handle.executeUpdate(m.requestExtensionUpdate, { args: [{ by: unit(), days: 2, reason: "再次" }] }))).toBe("BusinessRule");
    // 15 working days plus weekends and any holiday fit in 40 calendar days
    await h.env.sleep("40 days");
    const s = await handle.query(m.stateQuery);
    expect(s.colour).toBe("red");
    expect(s.overdue).toBe(true);
    expect(
      await eventually(
        async () => h.rec.supervision,
        (t) => t.includes("overdue"),
      ),
    ).toContain("overdue");
    await h.finish(handle);
    keepHistory(await handle.fetchHistory(), "extension-approved");
  });

  it("joins repeat reports and escalates at the third", async () => {
    const { handle } = await start();
    let last: m.RepeatResult | undefined;
    for (let i = 0; i < 3; i++) last = await handle.executeUpdate(m.repeatUpdate, { args: [{ order: order() }] });
    expect(last).toMatchObject({ repeatCount: 3, escalated: true, joined: true });
    const again = await handle.executeUpdate(m.repeatUpdate, { args: [{ order: (await handle.query(m.stateQuery)).repeats[0]! }] });
    expect(again).toMatchObject({ repeatCount: 3, joined: false });
    expect(
      await eventually(
        async () => h.rec.supervision,
        (t) => t.includes("escalated"),
      ),
    ).toContain("escalated");
    await h.finish(handle);
  });

  it("pays an approved reward once and refuses one for an anonymous report", async () => {
    const { handle } = await start();
    await toFeedbackStage(handle);
    const applied = await handle.executeUpdate(m.applyRewardUpdate, { args: [{ by: unit(), amountYuan: 500, reason: "举报属实" }] });
    const paid = await handle.executeUpdate(m.decideRewardUpdate, { args: [{ by: supervisor, rewardId: applied.rewardId, approve: true }] });
    expect(paid.status).toBe("paid");
    expect(h.rec.payments.filter((p) => p === applied.rewardId)).toHaveLength(1);
    expect(await failureType(handle.executeUpdate(m.applyRewardUpdate, { args: [{ by: unit(), amountYuan: 500, reason: "again" }] }))).toBe("BusinessRule");
    await h.finish(handle);

    const anon = await start(caseInput(order({ anonymous: true, realName: false })));
    await toFeedbackStage(anon.handle);
    expect(await failureType(anon.handle.executeUpdate(m.applyRewardUpdate, { args: [{ by: unit(), amountYuan: 500, reason: "x" }] }))).toBe("BusinessRule");
    await h.finish(anon.handle);
  });

  it("reopens on dissatisfaction with a new deadline and feeds back again", async () => {
    const { handle, input } = await start();
    await toFeedbackStage(handle);
    await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
    await untilStage(handle, "revisit_pending");
    const r = await handle.executeUpdate(m.revisitUpdate, { args: [{ by: supervisor, rebound: false, satisfied: false, note: "不满意" }] });
    expect(r).toMatchObject({ reopened: true, stage: "investigating" });
    await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit(), record }] });
    await handle.executeUpdate(m.rectificationUpdate, { args: [{ by: unit(), immediate: true, note: "再次整改" }] });
    await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
    await untilStage(handle, "revisit_pending");
    await handle.executeUpdate(m.revisitUpdate, { args: [{ by: supervisor, rebound: false, satisfied: true }] });
    expect((await handle.result()).reopenCount).toBe(1);
    keepHistory(await handle.fetchHistory(), "reopened-once");
    expect(h.rec.feedback).toContain(`${input.order.orderNo}:closed:1`);
  });

  it("completes an unsampled case by itself after the revisit window", async () => {
    const { handle } = await start(caseInput(order({ kind: "consultation", anonymous: true, realName: false }), { revisitSampleRate: 0 }));
    await toFeedbackStage(handle);
    await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
    expect((await handle.result()).outcome).toBe("completed");
  });

  it.each(KINDS)("gives a %s the handling limit of its kind and runs it to completion", async (kind) => {
    const { handle } = await start(caseInput(order({ kind })));
    const signed = await handle.executeUpdate(m.signUpdate, { args: [{ by: unit() }] });
    const state = await handle.query(m.stateQuery);
    expect(state.deadline!.days).toBe(HANDLING_DAYS[kind]);
    expect(signed.dueAt).toBe(loadDefaultCalendar().deadlineAfter(new Date(state.signedAt!), HANDLING_DAYS[kind]).dueAt.toISOString());
    await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit(), record }] });
    await handle.executeUpdate(m.rectificationUpdate, { args: [{ by: unit(), immediate: true, note: "当场整改" }] });
    await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
    await untilStage(handle, "revisit_pending");
    await handle.executeUpdate(m.revisitUpdate, { args: [{ by: supervisor, rebound: false, satisfied: true }] });
    expect((await handle.result()).outcome).toBe("completed");
    const row = await h.prisma.case.findUnique({ where: { id: state.caseId } });
    expect(row).toMatchObject({ stage: "completed", kind });
  });

  it("rejects an extension without moving the deadline", async () => {
    const { handle } = await start();
    const signed = await handle.executeUpdate(m.signUpdate, { args: [{ by: unit() }] });
    const req = await handle.executeUpdate(m.requestExtensionUpdate, { args: [{ by: unit(), days: 3, reason: "等待监测" }] });
    const decided = await handle.executeUpdate(m.decideExtensionUpdate, {
      args: [{ by: supervisor, extensionId: req.extensionId, approve: false, comment: "理由不足" }],
    });
    expect(decided).toMatchObject({ status: "rejected", dueAt: signed.dueAt });
    // The read model follows the workflow's committed state a moment later.
    const row = await eventually(
      () => h.prisma.extension.findUnique({ where: { id: `${handle.workflowId}:${req.extensionId}` } }),
      (r) => !!r && r.status !== "pending",
    );
    expect(row).toMatchObject({ status: "rejected", comment: "理由不足" });
    await h.finish(handle);
  });

  it("rejects a reward, and pays an approved one exactly once although the first payout attempt crashed", async () => {
    const { handle, input } = await start();
    await toFeedbackStage(handle);
    const first = await handle.executeUpdate(m.applyRewardUpdate, { args: [{ by: unit(), amountYuan: 800, reason: "举报属实" }] });
    expect(
      await failureType(
        handle.executeUpdate(m.decideRewardUpdate, { args: [{ by: supervisor, rewardId: first.rewardId, approve: true, amountYuan: 10_000_000 }] }),
      ),
    ).toBe("BusinessRule");
    const rejected = await handle.executeUpdate(m.decideRewardUpdate, { args: [{ by: supervisor, rewardId: first.rewardId, approve: false }] });
    expect(rejected.status).toBe("rejected");
    const second = await handle.executeUpdate(m.applyRewardUpdate, { args: [{ by: unit(), amountYuan: 600, reason: "补充证据" }] });
    h.failFirstPayout.add(`${input.caseId}:${second.rewardId}`);
    const paid = await handle.executeUpdate(m.decideRewardUpdate, { args: [{ by: supervisor, rewardId: second.rewardId, approve: true }] });
    expect(paid).toMatchObject({ status: "paid", amountYuan: 600 });
    expect(h.rec.payments.filter((p) => p === second.rewardId)).toHaveLength(2); // the crashed attempt and its retry
    const rows = await eventually(
      () => h.prisma.reward.findMany({ where: { caseId: input.caseId }, orderBy: { id: "asc" } }),
      (r) => r.length === 2 && r[0]?.status === "rejected" && r[1]?.status === "paid",
    );
    expect(rows.map((r) => [r.status, r.amount, !!r.paymentRef])).toEqual([
      ["rejected", 800, false],
      ["paid", 600, true],
    ]);
    // The reporter's notice follows the payment as its own effect.
    await eventually(
      async () => h.rec.notices,
      (n) => n.includes(`${input.order.orderNo}:reward:0`),
    );
    await h.finish(handle);
  });

  it("continues as new under hundreds of messages without losing state or a message", async () => {
    const { handle } = await start(caseInput(order(), { continueAsNewAfterTransitions: 50 }));
    const firstRun = (await handle.describe()).runId;
    await handle.executeUpdate(m.signUpdate, { args: [{ by: unit() }] });
    for (let i = 0; i < 200; i++) await handle.signal(m.urgeSignal, { by: supervisor, note: `催办 ${i + 1}` });
    await handle.executeUpdate(m.investigationUpdate, { args: [{ by: unit(), record }] });
    let state = await handle.query(m.stateQuery);
    for (let i = 0; i < 100 && state.urgeCount < 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await handle.query(m.stateQuery);
    }
    expect(state.urgeCount).toBe(200);
    expect(state.stage).toBe("rectifying");
    const latestRun = async () => (await h.env.client.workflow.getHandle(handle.workflowId).describe()).runId;
    for (let i = 0; i < 100 && (await latestRun()) === firstRun; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await latestRun()).not.toBe(firstRun);
    expect(state.timeline.filter((t) => t.type === "urged")).toHaveLength(200);
    expect(await h.prisma.supervisionTask.count({ where: { caseId: handle.workflowId, kind: "urged" } })).toBe(200);
    const row = await h.prisma.case.findUnique({ where: { id: handle.workflowId } });
    expect(row?.stage).toBe("rectifying");
    await handle.executeUpdate(m.rectificationUpdate, { args: [{ by: unit(), immediate: true, note: "当场整改" }] });
    await handle.executeUpdate(m.feedbackUpdate, { args: [feedback] });
    await untilStage(handle, "revisit_pending");
    await handle.executeUpdate(m.revisitUpdate, { args: [{ by: supervisor, rebound: false, satisfied: true }] });
    expect((await h.env.client.workflow.getHandle(handle.workflowId).result()).outcome).toBe("completed");
  });
});
