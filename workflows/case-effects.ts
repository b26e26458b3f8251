/**
 * Outside effects a case decides on (its outbox): feedback to the hotline platform and reporters,
 * enforcement-platform entries, supervision tasks, reward payments. Each is idempotent by a key
 * derived from the case, so running one again never repeats it. Pure data: the rules produce
 * them, the workflow's outbox loop runs them as activities.
 */

/** One outside effect. */
export type Effect =
  | { kind: "supervision"; supervision: string; key: string; unitId?: string; note?: string }
  | { kind: "platformFeedback"; orderNo: string; feedback: "returned" | "closed"; round: number; body: Record<string, unknown> }
  | { kind: "notifyReporter"; orderNo: string; round: number; message: string; notice: "feedback" | "reward" }
  | { kind: "enforcementEntry"; round: number; ref: string }
  | { kind: "payReward"; rewardId: string; amountYuan: number };

/** A supervision task for the city detachment (督办), once per case, kind and key. */
export const supervision = (kind: string, key: string, unitId: string | undefined, note?: string): Effect => ({
  kind: "supervision",
  supervision: kind,
  key,
  unitId,
  note,
});
