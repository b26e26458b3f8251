/** Unit: the case rules and steps as pure functions over a state (no server, no mocks). */
import { describe, expect, it } from "vitest";
import { ACTIONS, ACTION_NAMES, allowedActions, checkAction } from "../../workflows/case-rules";
import { nextLedgerTick, setDeadline, type DeadlineInfo } from "../../workflows/case-state";
import { ledgerStep, rewardPaid, signOverdue } from "../../workflows/case-steps";
import { order } from "../workflows/harness";
import { at, caseIn, dispatcher, nowMs, otherUnit, refusal, supervisor, unit } from "./rule-fixtures";

const day = 86_400_000;

/** A deadline with its thresholds at the given offsets (days) from `at`. */
const deadline = (blue: number, yellow: number, due: number, days = 10): DeadlineInfo => ({
  startAt: at,
  days,
  provisional: false,
  blueAt: new Date(nowMs + blue * day).toISOString(),
  yellowAt: new Date(nowMs + yellow * day).toISOString(),
  dueAt: new Date(nowMs + due * day).toISOString(),
});

describe("case rules", () => {
  it("refuses the wrong role, the wrong stage and another unit, each with its failure type", () => {
    const s = caseIn("transferred");
    expect(refusal(() => checkAction("sign", s, { by: unit }, nowMs))).toBeUndefined();
    expect(refusal(() => checkAction("sign", s, { by: supervisor }, nowMs))).toBe("Forbidden");
    expect(refusal(() => checkAction("sign", s, { by: otherUnit }, nowMs))).toBe("Forbidden");
    expect(refusal(() => checkAction("sign", caseIn("investigating"), { by: unit }, nowMs))).toBe("InvalidState");
    // A decision's validator checks the actor's role too: a unit cannot decide its own extension.
    const pending = caseIn("investigating", { extensions: [{ id: "ext-1", days: 2, reason: "r", status: "pending", requestedAt: at, requestedBy: "x" }] });
    expect(refusal(() => checkAction("decideExtension", pending, { by: unit, extensionId: "ext-1", approve: true }, nowMs))).toBe("Forbidden");
    expect(refusal(() => checkAction("decideExtension", pending, { by: supervisor, extensionId: "ext-9", approve: true }, nowMs))).toBe("NotFound");
    expect(refusal(() => checkAction("urge", { ...s, outcome: "completed", stage: "completed" }, { by: supervisor, note: "n" }, nowMs))).toBe("InvalidState");
  });

  it("offers each role only what it may do now (the console's buttons)", () => {
    expect(allowedActions(caseIn("transferred"), unit, nowMs)).toEqual(["sign", "sendBack"]);
    expect(allowedActions(caseIn("transferred"), otherUnit, nowMs)).toEqual([]);
    expect(allowedActions(caseIn("sent_back"), dispatcher, nowMs)).toEqual(["route"]);
    const investigating = caseIn("investigating", { deadline: deadline(3, 9, 10) });
    expect(allowedActions(investigating, unit, nowMs)).toEqual(["submitInvestigation", "requestExtension", "attachEvidence"]);
    expect(allowedActions(investigating, supervisor, nowMs)).toEqual(["urge"]);
    // Past the deadline no extension can be requested (art. 7).
    expect(allowedActions(investigating, unit, nowMs + 11 * day)).toEqual(["submitInvestigation", "attachEvidence"]);
    expect(
      allowedActions(
        { ...investigating, extensions: [{ id: "ext-1", days: 2, reason: "r", status: "pending", requestedAt: at, requestedBy: "x" }] },
        supervisor,
        nowMs,
      ),
    ).toEqual(["decideExtension", "urge"]);
    // Every catalogue action has roles and stages.
    for (const name of ACTION_NAMES) expect(ACTIONS[name].roles.length * ACTIONS[name].stages.length).toBeGreaterThan(0);
  });

  it("adds an approved extension's days to the limit counted from the same start", () => {
    const s = caseIn("investigating", {
      deadline: deadline(5, 9, 10),
      extensions: [
        { id: "ext-1", days: 3, reason: "r", status: "approved", requestedAt: at, requestedBy: "x" },
        { id: "ext-2", days: 4, reason: "r", status: "pending", requestedAt: at, requestedBy: "x" },
      ],
    });
    expect(ACTIONS.decideExtension.deadline!(s, { by: supervisor, extensionId: "ext-2", approve: true }, at)).toEqual({ startAt: at, days: 10 + 3 + 4 });
    expect(ACTIONS.decideExtension.deadline!(s, { by: supervisor, extensionId: "ext-2", approve: false }, at)).toBeUndefined();
  });

  it("computes the approved deadline when the extension is requested, and the decision uses it unless it cannot stand", () => {
    const s = caseIn("investigating", { deadline: deadline(5, 9, 10) });
    const req = ACTIONS.requestExtension.deadline!(s, { by: unit, days: 4, reason: "r" }, at);
    expect(req).toEqual({ startAt: at, days: 10 + 4 });
    const ifApproved = { ...deadline(5, 9, 14, 14), provisional: false };
    ACTIONS.requestExtension.apply(s, { by: unit, days: 4, reason: "r" }, { at, nowMs, deadline: ifApproved });
    const decision = { by: supervisor, extensionId: "ext-1", approve: true };
    // Official calendar, same clock: nothing to compute, and the approval applies the request's deadline.
    expect(ACTIONS.decideExtension.deadline!(s, decision, at)).toBeUndefined();
    // A provisional one, or a clock restarted since (a reopened case), is computed again.
    s.extensions[0]!.ifApproved = { ...ifApproved, provisional: true };
    expect(ACTIONS.decideExtension.deadline!(s, decision, at)).toEqual({ startAt: at, days: 14 });
    s.extensions[0]!.ifApproved = { ...ifApproved, startAt: "2026-01-01T00:00:00.000Z" };
    expect(ACTIONS.decideExtension.deadline!(s, decision, at)).toEqual({ startAt: at, days: 14 });
    s.extensions[0]!.ifApproved = ifApproved;
    ACTIONS.decideExtension.apply(s, decision, { at, nowMs });
    expect(s.deadline).toEqual(ifApproved);
    expect(s.extensions[0]).toMatchObject({ status: "approved", decidedBy: supervisor.name });
  });

  it("escalates at the third repeat report once, with its supervision effects, and knows a repeat it has", () => {
    const s = caseIn("investigating");
    const repeat = () => order();
    ACTIONS.reportRepeat.apply(s, { order: repeat() }, { at, nowMs });
    ACTIONS.reportRepeat.apply(s, { order: repeat() }, { at, nowMs });
    const third = ACTIONS.reportRepeat.apply(s, { order: repeat() }, { at, nowMs });
    expect(third.result).toMatchObject({ repeatCount: 3, escalated: true, joined: true });
    expect(third.effects?.map((e) => e.kind === "supervision" && e.supervision)).toEqual(["escalated", "lead_branch_head"]);
    expect(s.lead).toBe("branch_head");
    const again = ACTIONS.reportRepeat.apply(s, { order: s.repeats[0]! }, { at, nowMs });
    expect(again).toMatchObject({ result: { repeatCount: 3, joined: false }, effects: [] });
    expect(s.timeline.map((t) => t.type)).toEqual(["repeat_report", "repeat_report", "repeat_report", "escalated"]);
  });
});

describe("case steps", () => {
  it("moves the ledger green → blue → yellow → red and raises overdue once", () => {
    const s = caseIn("investigating");
    setDeadline(s, deadline(5, 9, 10), nowMs);
    expect(s.colour).toBe("green");
    expect(nextLedgerTick(s, nowMs)).toBe(nowMs + 5 * day);
    expect(ledgerStep(s, nowMs + 5 * day, at)).toEqual([]);
    expect(s.colour).toBe("blue");
    ledgerStep(s, nowMs + 9 * day, at);
    expect(s.colour).toBe("yellow");
    const overdue = ledgerStep(s, nowMs + 10 * day, at);
    expect(overdue).toMatchObject([{ kind: "supervision", supervision: "overdue" }]);
    expect(s).toMatchObject({ colour: "red", overdue: true });
    expect(ledgerStep(s, nowMs + 11 * day, at)).toEqual([]);
    expect(nextLedgerTick(s, nowMs + 11 * day)).toBeUndefined();
    // An extension turns a red case back; the ledger does not run outside handling.
    setDeadline(s, deadline(5, 14, 15), nowMs + 11 * day);
    expect(s).toMatchObject({ colour: "blue", overdue: false });
    expect(nextLedgerTick({ ...s, stage: "closed" }, nowMs)).toBeUndefined();
    expect(s.timeline.map((t) => t.type)).toEqual(["colour_blue", "colour_yellow", "overdue"]);
  });

  it("raises a late signing only for the routing it was timed for", () => {
    const s = caseIn("transferred", { signDueAt: at });
    expect(signOverdue(s, "2026-01-01T00:00:00.000Z", at)).toEqual([]);
    expect(signOverdue(s, at, at)).toMatchObject([{ kind: "supervision", supervision: "sign_overdue" }]);
    expect(signOverdue(s, at, at)).toEqual([]);
  });

  it("notifies only real-name, non-anonymous reporters of a paid reward", () => {
    const s = caseIn("closed", {
      repeats: [order({ orderNo: "R-1", anonymous: true, realName: false })],
      rewards: [{ id: "reward-1", amountYuan: 500, reason: "r", status: "approved", appliedAt: at }],
    });
    const effects = rewardPaid(s, "reward-1", { paidAt: at, paymentRef: "pay-1" }, at);
    expect(effects.map((e) => e.kind === "notifyReporter" && e.orderNo)).toEqual([s.order.orderNo]);
    expect(s.rewards[0]).toMatchObject({ status: "paid", paymentRef: "pay-1" });
  });
});
