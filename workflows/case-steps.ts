/**
 * The steps a case takes by itself (acceptance, the clocks, feedback, revisit, completion), as
 * pure functions over the state like the catalogue's actions: each re-checks that it still applies
 * (the state may have moved while it waited for the lock), records its events, returns its effects.
 */
import { HANDLING_STAGES } from "./contract";
import { supervision, type Effect } from "./case-effects";
import type { DeadlineRequest } from "./case-rules";
import { colourAt, recordEvent, setDeadline, type CaseState, type DeadlineInfo } from "./case-state";
import type { EvidenceRecord } from "./case-evidence";

/** The routing decision of acceptance (activities/routing.ts). */
export interface Acceptance {
  accepted: boolean;
  reason?: string;
  unitId?: string;
}

/** Acceptance (受理) or return (退回) to the platform with the reason (arts. 5–6). */
export function accept(s: CaseState, a: Acceptance, at: string): Effect[] {
  if (!a.accepted) {
    s.stage = "returned";
    s.outcome = "returned";
    s.returnedAt = at;
    s.returnReason = a.reason;
    recordEvent(s, at, "returned", undefined, a.reason);
    return [{ kind: "platformFeedback", orderNo: s.order.orderNo, feedback: "returned", round: 0, body: { reason: a.reason } }];
  }
  s.acceptedAt = at;
  recordEvent(s, at, "accepted", undefined, a.unitId);
  return [];
}

/** Signing is late: the unit did not sign by the due instant of this routing. */
export function signOverdue(s: CaseState, dueAt: string, at: string): Effect[] {
  if (s.stage !== "transferred" || s.signOverdue || s.signDueAt !== dueAt) return [];
  s.signOverdue = true;
  const key = String(recordEvent(s, at, "sign_overdue", undefined, s.unitId));
  return [supervision("sign_overdue", key, s.unitId, "not signed in time")];
}

/** Brings the four-colour ledger up to the instant; overdue raises a supervision task (督办). */
export function ledgerStep(s: CaseState, nowMs: number, at: string): Effect[] {
  if (!s.deadline || !HANDLING_STAGES.includes(s.stage)) return [];
  const colour = colourAt(s.deadline, nowMs);
  if (colour === "red" && !s.overdue) {
    s.colour = colour;
    s.overdue = true;
    const key = String(recordEvent(s, at, "overdue", undefined, s.deadline.dueAt));
    return [supervision("overdue", key, s.unitId, s.deadline.dueAt)];
  }
  if (colour !== s.colour) {
    s.colour = colour;
    recordEvent(s, at, `colour_${colour}`);
  }
  return [];
}

/** The ledger's state that the clock watches: it re-arms when any of it changes. */
export function ledgerKey(s: CaseState): string {
  return `${HANDLING_STAGES.includes(s.stage)}|${s.deadline?.dueAt}|${s.colour}|${s.overdue}`;
}

/** A provisional deadline recomputed after the official calendar was published (its days read now, extensions included). */
export function provisionalDeadline(s: CaseState): DeadlineRequest | undefined {
  return s.deadline?.provisional && HANDLING_STAGES.includes(s.stage) ? { startAt: s.deadline.startAt, days: s.deadline.days } : undefined;
}

/** Applies a recomputed provisional deadline. */
export function deadlineRecomputed(s: CaseState, deadline: DeadlineInfo, nowMs: number, at: string): void {
  setDeadline(s, deadline, nowMs);
  recordEvent(s, at, "deadline_recomputed", undefined, "official calendar published");
}

/** "双反馈、一录入": feedback on every order to the platform and its reporter (unless anonymous), and the enforcement entry. */
export function closingEffects(s: CaseState): Effect[] {
  const round = s.reopenCount;
  const feedback = s.feedback!;
  const orders = [s.order, ...s.repeats];
  return [
    ...orders.map((o): Effect => ({
      kind: "platformFeedback",
      orderNo: o.orderNo,
      feedback: "closed",
      round,
      // Evidence files go as their ids and hashes; the outbound port turns them into expiring signed links.
      body: { ...feedback, unitId: s.unitId, investigation: s.investigation, rectification: s.rectification, ...evidenceFiles(s) },
    })),
    ...orders
      .filter((o) => !o.anonymous)
      .map((o): Effect => ({
        kind: "notifyReporter",
        orderNo: o.orderNo,
        round,
        message: feedback.reporterMessage ?? feedback.result,
        notice: "feedback",
      })),
    ...(s.investigation?.enterpriseEntered ? [{ kind: "enforcementEntry", round, ref: s.investigation.enforcementPlatformRef! } as Effect] : []),
  ];
}

/** The body's evidence files (none for a case without any, so older cases' feedback stays as it was). */
function evidenceFiles(s: CaseState): { evidenceFiles?: Array<Pick<EvidenceRecord, "id" | "sha256" | "mime" | "size" | "stage">> } {
  if (!s.evidence?.length) return {};
  return { evidenceFiles: s.evidence.map(({ id, sha256, mime, size, stage }) => ({ id, sha256, mime, size, stage })) };
}

/** The revisit's due instant is counted in working days from closing. */
export function revisitDeadline(s: CaseState): DeadlineRequest {
  return { startAt: s.closedAt!, days: s.policy.revisitAfterDays };
}

/** Feedback went out; the revisit (回访) is scheduled, and a random sample must get one. */
export function scheduleRevisit(s: CaseState, sampled: boolean, due: DeadlineInfo, at: string): void {
  recordEvent(s, at, "feedback_sent", undefined, `${1 + s.repeats.length} order(s)`);
  s.revisitSampled = sampled;
  s.revisitDueAt = due.dueAt;
  s.stage = "revisit_pending";
  recordEvent(s, at, "revisit_scheduled", undefined, sampled ? "sampled" : "not sampled");
}

/** A sampled case's revisit is due and none arrived: a supervision task. */
export function revisitDue(s: CaseState): Effect[] {
  return [supervision("revisit_due", s.revisitDueAt!, s.unitId, s.revisitDueAt)];
}

/** A reward was paid: recorded, and its real-name reporters get a private notice. */
export function rewardPaid(s: CaseState, rewardId: string, paid: { paidAt: string; paymentRef: string }, at: string): Effect[] {
  const reward = s.rewards.find((r) => r.id === rewardId)!;
  Object.assign(reward, { status: "paid", paidAt: paid.paidAt, paymentRef: paid.paymentRef });
  recordEvent(s, at, "reward_paid");
  // The phone is read only inside the notice port.
  return [s.order, ...s.repeats]
    .filter((o) => o.realName && !o.anonymous)
    .map((o): Effect => ({
      kind: "notifyReporter",
      orderNo: o.orderNo,
      round: s.reopenCount,
      message: `reward ${reward.amountYuan} yuan paid`,
      notice: "reward",
    }));
}

/** Whether a reward still keeps the case open (pending, or approved and not yet paid). */
export function rewardOutstanding(s: CaseState): boolean {
  return s.rewards.some((r) => r.status === "pending" || r.status === "approved");
}

/** The case is done. */
export function complete(s: CaseState, at: string): void {
  s.stage = "completed";
  s.outcome = "completed";
  recordEvent(s, at, "completed");
}
