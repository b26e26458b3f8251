/**
 * The business rules of a case, stated once: one catalogue entry per action with who may take it
 * (roles, the case's own unit), in which stages, what it checks, which deadline it needs, and
 * what it does to the state (timeline events and outside effects). Pure and deterministic: the
 * workflow applies it under its lock, the API builds its action routes from it, and the case
 * view's `allowedActions` (the console's buttons) come from `allowedActions` below.
 */
import { Failure, HANDLING_DAYS, HANDLING_STAGES, OPEN_STAGES, type Stage } from "./contract";
import { supervision, type Effect } from "./case-effects";
import {
  approvedExtensionDays,
  hasRealNameReporter,
  missingForClosing,
  recordEvent,
  setDeadline,
  type CaseState,
  type DeadlineInfo,
  type ExtensionRecord,
  type RewardRecord,
} from "./case-state";
import type { CaseView } from "./case-view";
import { defaultEvidenceStage, MAX_EVIDENCE_PER_ROUND, roundEvidence, type EvidenceRecord } from "./case-evidence";
import type * as m from "./messages";

/** A role that acts on cases. */
export type Role = m.Actor["role"];

/** A refusal: the failure type (mapped to HTTP in api/errors.ts) and why. */
export class RuleViolation extends Error {
  constructor(
    readonly type: (typeof Failure)[keyof typeof Failure],
    message: string,
  ) {
    super(message);
    this.name = "RuleViolation";
  }
}

/** Working days from an instant: the deadline an action needs computed before it applies. */
export interface DeadlineRequest {
  startAt: string;
  days: number;
}

/** What applying an action takes from outside: the instant, and the deadline it asked for. */
export interface ActContext {
  at: string;
  nowMs: number;
  deadline?: DeadlineInfo;
}

/** What an action did: the caller's answer and the outside effects it decided. */
export interface Outcome<R> {
  result: R;
  effects?: Effect[];
}

/** One action of the catalogue. */
export interface ActionRule<I, R> {
  roles: readonly Role[];
  /** Stages in which it may be taken. */
  stages: readonly Stage[];
  /** Whether a unit must be the case's unit (other roles act on any case). */
  unitScoped: boolean;
  /** Whether it can be taken now at all, beyond the stage (e.g. a pending extension exists); for allowedActions. */
  available?(s: CaseView, nowMs: number): boolean;
  /** Checks of the input against the state; throws RuleViolation. */
  validate?(s: CaseState, input: I, nowMs: number): void;
  /** The deadline to compute before applying, if any. */
  deadline?(s: CaseState, input: I, at: string): DeadlineRequest | undefined;
  /** The patch that introduced `deadline`: runs recorded before it replay without computing one. */
  deadlinePatch?: string;
  /** Changes the state (events included) and says what happens outside. */
  apply(s: CaseState, input: I, ctx: ActContext): Outcome<R>;
}

const rule = <I, R>(r: ActionRule<I, R>) => r;
const fail = (type: RuleViolation["type"], message: string) => new RuleViolation(type, message);
const rewardRange = (s: CaseState, amount: number) => {
  if (!Number.isInteger(amount) || amount < 1 || amount > s.policy.maxRewardYuan) throw fail(Failure.rule, `a reward is 1 to ${s.policy.maxRewardYuan} yuan`);
};
const pendingExtension = (s: CaseView) => s.extensions.some((e) => e.status === "pending");
// The approved working days are added to the limit, counted from the same start.
const extendedDeadline = (s: CaseState, days: number): DeadlineRequest => ({
  startAt: s.deadline!.startAt,
  days: HANDLING_DAYS[s.order.kind] + approvedExtensionDays(s) + days,
});
// The deadline computed at the request still holds: official calendar, and the same clock.
const precomputed = (s: CaseState, ext: ExtensionRecord) => !!ext.ifApproved && !ext.ifApproved.provisional && ext.ifApproved.startAt === s.deadline?.startAt;
const pendingReward = (s: CaseView) => s.rewards.some((r) => r.status === "pending");
// The system's own actor for repeat reports joined by intake.
const INTAKE: m.Actor = { role: "integration", name: "intake" };

/** Every action a person or system takes on a case, by its update name. */
export const ACTIONS = {
  sign: rule<m.SignInput, { stage: Stage; dueAt: string }>({
    roles: ["unit"],
    stages: ["transferred"],
    unitScoped: true,
    // The handling limit counts from signing (art. 7): 3 / 5 / 10 working days by kind.
    deadline: (s, _i, at) => ({ startAt: at, days: HANDLING_DAYS[s.order.kind] }),
    apply(s, { by }, ctx) {
      s.signedAt = ctx.at;
      s.stage = "investigating";
      setDeadline(s, ctx.deadline, ctx.nowMs);
      recordEvent(s, ctx.at, "signed", by.name);
      return { result: { stage: s.stage, dueAt: s.deadline!.dueAt } };
    },
  }),

  sendBack: rule<m.SendBackInput, { stage: Stage }>({
    roles: ["unit"],
    stages: ["transferred"],
    unitScoped: true,
    apply(s, { by, reason }, ctx) {
      s.stage = "sent_back";
      s.sendBackReason = reason;
      recordEvent(s, ctx.at, "sent_back", by.name, reason);
      return { result: { stage: s.stage } };
    },
  }),

  route: rule<m.RouteInput, { stage: Stage; unitId: string }>({
    roles: ["dispatcher"],
    stages: ["transferred", "sent_back"],
    unitScoped: false,
    deadline: (s, _i, at) => ({ startAt: at, days: s.policy.signDays }),
    apply(s, { by, unitId, reason }, ctx) {
      assign(s, unitId, by.name, reason, ctx);
      return { result: { stage: s.stage, unitId } };
    },
  }),

  submitInvestigation: rule<m.InvestigationInput, { stage: Stage }>({
    roles: ["unit"],
    stages: ["investigating"],
    unitScoped: true,
    validate(_s, { record }) {
      // Entering an enterprise must be recorded in the provincial enforcement platform (扫码入企).
      if (record.enterpriseEntered && !record.enforcementPlatformRef?.trim())
        throw fail(Failure.rule, "an enterprise was entered: enforcementPlatformRef is required");
    },
    apply(s, { by, record }, ctx) {
      s.investigation = record;
      s.stage = "rectifying";
      recordEvent(s, ctx.at, "investigated", by.name, record.violationFound ? "violation found" : "no violation found");
      return { result: { stage: s.stage } };
    },
  }),

  submitRectification: rule<m.RectificationInput, { stage: Stage }>({
    roles: ["unit"],
    stages: ["rectifying"],
    unitScoped: true,
    available: (s) => !s.rectification,
    validate(s, { immediate, plan }) {
      if (s.rectification) throw fail(Failure.invalidState, "a rectification was already submitted");
      if (!immediate && !plan) throw fail(Failure.rule, "a rectification that is not immediate needs a plan");
    },
    apply(s, { by, ...rect }, ctx) {
      s.rectification = rect;
      if (rect.immediate) s.stage = "feedback";
      recordEvent(s, ctx.at, rect.immediate ? "rectified" : "rectification_planned", by.name, rect.note);
      return { result: { stage: s.stage } };
    },
  }),

  completeRectification: rule<m.RectificationCompleteInput, { stage: Stage }>({
    roles: ["unit"],
    stages: ["rectifying"],
    unitScoped: true,
    available: (s) => !!s.rectification && !s.rectification.immediate,
    validate(s) {
      if (!s.rectification || s.rectification.immediate) throw fail(Failure.invalidState, "there is no rectification plan to complete");
    },
    apply(s, { by, note }, ctx) {
      s.rectificationCompletedAt = ctx.at;
      s.stage = "feedback";
      recordEvent(s, ctx.at, "rectified", by.name, note);
      return { result: { stage: s.stage } };
    },
  }),

  submitFeedback: rule<m.FeedbackInput, { stage: Stage }>({
    roles: ["unit"],
    stages: ["feedback"],
    unitScoped: true,
    validate(s, { by: _by, ...feedback }) {
      const missing = missingForClosing(s, feedback);
      if (missing.length) throw fail(Failure.rule, `closing requires: ${missing.join(", ")}`);
    },
    apply(s, { by, ...feedback }, ctx) {
      s.feedback = feedback;
      s.stage = "closed";
      s.closedAt = ctx.at;
      recordEvent(s, ctx.at, "closed", by.name);
      return { result: { stage: s.stage } };
    },
  }),

  requestExtension: rule<m.ExtensionRequestInput, m.ExtensionResult>({
    roles: ["unit"],
    stages: HANDLING_STAGES,
    unitScoped: true,
    available: (s, nowMs) =>
      !pendingExtension(s) &&
      s.extensions.filter((e) => e.status === "approved").length < s.policy.maxExtensions &&
      !!s.deadline &&
      Date.parse(s.deadline.dueAt) > nowMs,
    validate(s, { days }, nowMs) {
      // The unit must apply before the deadline (art. 7).
      if (s.deadline && nowMs >= Date.parse(s.deadline.dueAt)) throw fail(Failure.rule, "the deadline has passed; an extension must be requested before it");
      if (pendingExtension(s)) throw fail(Failure.invalidState, "an extension request is already pending");
      if (s.extensions.filter((e) => e.status === "approved").length >= s.policy.maxExtensions)
        throw fail(Failure.rule, `at most ${s.policy.maxExtensions} extension(s) per case`);
      if (!Number.isInteger(days) || days < 1 || days > s.policy.maxExtensionDays)
        throw fail(Failure.rule, `an extension is 1 to ${s.policy.maxExtensionDays} working days`);
    },
    // The deadline an approval would give is computed now, so that the supervisor's decision applies
    // at once (one workflow task, no calendar activity while the supervisor waits).
    deadline: (s, { days }) => s.deadline && extendedDeadline(s, days),
    deadlinePatch: "extension-deadline-at-request",
    apply(s, { by, days, reason }, ctx) {
      const ext: ExtensionRecord = { id: `ext-${s.extensions.length + 1}`, days, reason, status: "pending", requestedAt: ctx.at, requestedBy: by.name };
      if (ctx.deadline) ext.ifApproved = ctx.deadline;
      s.extensions.push(ext);
      recordEvent(s, ctx.at, "extension_requested", by.name, reason);
      return { result: { extensionId: ext.id, status: ext.status } };
    },
  }),

  decideExtension: rule<m.ExtensionDecisionInput, m.ExtensionResult>({
    roles: ["supervisor"],
    stages: HANDLING_STAGES,
    unitScoped: false,
    available: pendingExtension,
    validate(s, { extensionId }) {
      const ext = s.extensions.find((e) => e.id === extensionId);
      if (!ext) throw fail(Failure.notFound, `no extension request ${extensionId}`);
      if (ext.status !== "pending") throw fail(Failure.invalidState, `extension ${extensionId} is already ${ext.status}`);
    },
    // Computed again only when the one from the request cannot stand: none (an older run), or only
    // provisional (a year without the official schedule then), or the clock restarted since.
    deadline: (s, { extensionId, approve }) => {
      if (!approve || !s.deadline) return undefined;
      const ext = s.extensions.find((e) => e.id === extensionId)!;
      return precomputed(s, ext) ? undefined : extendedDeadline(s, ext.days);
    },
    apply(s, { by, extensionId, approve, comment }, ctx) {
      const ext = s.extensions.find((e) => e.id === extensionId)!;
      const deadline = ctx.deadline ?? (approve && precomputed(s, ext) ? ext.ifApproved : undefined);
      Object.assign(ext, { status: approve ? "approved" : "rejected", decidedAt: ctx.at, decidedBy: by.name, comment });
      if (deadline) setDeadline(s, deadline, ctx.nowMs);
      recordEvent(s, ctx.at, approve ? "extension_approved" : "extension_rejected", by.name, comment);
      return { result: { extensionId, status: ext.status, dueAt: s.deadline?.dueAt } };
    },
  }),

  reportRepeat: rule<m.RepeatInput, m.RepeatResult>({
    roles: ["integration"],
    stages: OPEN_STAGES,
    unitScoped: false,
    apply(s, { order }, ctx) {
      const known = order.orderNo === s.order.orderNo || s.repeats.some((r) => r.orderNo === order.orderNo);
      const effects: Effect[] = [];
      if (!known) {
        s.repeats.push(order);
        recordEvent(s, ctx.at, "repeat_report", undefined, order.orderNo);
        // 3 or more repeat reports escalate the case (提级办理): the branch head leads, the city supervises.
        if (!s.escalated && s.repeats.length >= s.policy.escalateAtRepeats) {
          s.escalated = true;
          s.lead = "branch_head";
          const note = `${s.repeats.length} repeat reports`;
          const key = String(recordEvent(s, ctx.at, "escalated", undefined, note));
          effects.push(supervision("escalated", key, s.unitId, note), supervision("lead_branch_head", key, s.unitId, "escalated: branch head leads"));
        }
      }
      return { result: { caseId: s.caseId, repeatCount: s.repeats.length, escalated: s.escalated, joined: !known }, effects };
    },
  }),

  mergeInto: rule<m.MergeInput, m.MergeResult>({
    roles: ["dispatcher", "supervisor"],
    stages: OPEN_STAGES,
    unitScoped: false,
    // Only through the review queue, which delivers the orders to the older case first (api/repeat-review.ts).
    available: () => false,
    validate(s, { into }) {
      if (!into || into === s.caseId) throw fail(Failure.rule, "a case is merged into another, older case");
    },
    apply(s, { by, into, suggestionId }, ctx) {
      // The problem is handled once, in the older case (Jiaozuo art. 11): this one ends, its deadline with it.
      s.stage = "completed";
      s.outcome = "merged";
      s.mergedInto = into;
      s.deadline = undefined;
      recordEvent(s, ctx.at, "merged", by.name, `并入 ${into}（查重建议 ${suggestionId}）`);
      return { result: { stage: s.stage, mergedInto: into } };
    },
  }),

  submitRevisit: rule<m.RevisitInput, m.RevisitResult>({
    roles: ["unit", "supervisor"],
    stages: ["revisit_pending"],
    unitScoped: true,
    // A rebound or dissatisfaction is handled again and fed back again (art. 13): a new handling limit.
    deadline: (s, { rebound, satisfied }, at) => (rebound || satisfied === false ? { startAt: at, days: HANDLING_DAYS[s.order.kind] } : undefined),
    apply(s, { by, rebound, satisfied, note }, ctx) {
      const revisit = { id: `rev-${s.revisits.length + 1}`, at: ctx.at, by: by.name, rebound, satisfied, note };
      s.revisits.push(revisit);
      recordEvent(s, ctx.at, "revisited", by.name, note);
      const reopen = rebound || satisfied === false;
      if (reopen) {
        s.reopenCount++;
        s.stage = "investigating";
        s.investigation = s.rectification = s.rectificationCompletedAt = s.feedback = s.closedAt = undefined;
        s.extensions = s.extensions.map((e) => (e.status === "pending" ? { ...e, status: "rejected" } : e));
        setDeadline(s, ctx.deadline, ctx.nowMs);
        recordEvent(s, ctx.at, "reopened", by.name, rebound ? "problem came back" : "reporter dissatisfied");
      }
      return { result: { revisitId: revisit.id, reopened: reopen, stage: s.stage } };
    },
  }),

  applyReward: rule<m.RewardApplicationInput, m.RewardResult>({
    roles: ["unit"],
    stages: ["rectifying", "feedback", "closed", "revisit_pending"],
    unitScoped: true,
    available: (s) => !!s.investigation?.violationFound && hasRealNameReporter(s) && !s.rewards.some((r) => r.status !== "rejected"),
    validate(s, { amountYuan }) {
      if (!s.investigation) throw fail(Failure.invalidState, "a reward needs the investigation record first");
      // Only real-name reports that prove true qualify (Zhengzhou 12369 reward rules).
      if (!hasRealNameReporter(s)) throw fail(Failure.rule, "rewards are only for real-name, non-anonymous reports");
      if (!s.investigation.violationFound) throw fail(Failure.rule, "the report did not prove true: no violation was found");
      if (s.rewards.some((r) => r.status !== "rejected")) throw fail(Failure.rule, "the case already has a reward application");
      rewardRange(s, amountYuan);
    },
    apply(s, { by, amountYuan, reason }, ctx) {
      const reward: RewardRecord = { id: `reward-${s.rewards.length + 1}`, amountYuan, reason, status: "pending", appliedAt: ctx.at };
      s.rewards.push(reward);
      recordEvent(s, ctx.at, "reward_applied", by.name, reason);
      return { result: { rewardId: reward.id, status: reward.status, amountYuan } };
    },
  }),

  decideReward: rule<m.RewardDecisionInput, m.RewardResult>({
    roles: ["supervisor"],
    stages: ["rectifying", "feedback", "closed", "revisit_pending", "investigating"],
    unitScoped: false,
    available: pendingReward,
    validate(s, { rewardId, amountYuan }) {
      const reward = s.rewards.find((r) => r.id === rewardId);
      if (!reward) throw fail(Failure.notFound, `no reward application ${rewardId}`);
      if (reward.status !== "pending") throw fail(Failure.invalidState, `reward ${rewardId} is already ${reward.status}`);
      if (amountYuan !== undefined) rewardRange(s, amountYuan);
    },
    apply(s, { by, rewardId, approve, amountYuan, comment }, ctx) {
      const reward = s.rewards.find((r) => r.id === rewardId)!;
      Object.assign(reward, { status: approve ? "approved" : "rejected", decidedAt: ctx.at, decidedBy: by.name, amountYuan: amountYuan ?? reward.amountYuan });
      recordEvent(s, ctx.at, approve ? "reward_approved" : "reward_rejected", by.name, comment);
      // Paid online in one step without exposing the reporter; the payment port is idempotent by reward id.
      const effects: Effect[] = approve ? [{ kind: "payReward", rewardId, amountYuan: reward.amountYuan }] : [];
      return { result: { rewardId, status: reward.status, amountYuan: reward.amountYuan }, effects };
    },
  }),

  attachEvidence: rule<m.EvidenceInput, EvidenceRecord>({
    roles: ["unit"],
    stages: HANDLING_STAGES,
    unitScoped: true,
    validate(s, { evidenceId }) {
      // Attaching the same file again is answered with the item it already is.
      if (s.evidence?.some((e) => e.id === evidenceId)) return;
      if (roundEvidence(s).length >= MAX_EVIDENCE_PER_ROUND) throw fail(Failure.rule, `at most ${MAX_EVIDENCE_PER_ROUND} evidence items per handling round`);
    },
    apply(s, { by, evidenceId, sha256, mime, size, thumbnail, stage, note }, ctx) {
      const known = s.evidence?.find((e) => e.id === evidenceId);
      if (known) return { result: known };
      const item: EvidenceRecord = {
        id: evidenceId,
        sha256,
        mime,
        size,
        stage: stage ?? defaultEvidenceStage(s.stage),
        thumbnail,
        ...(note ? { note } : {}),
        uploadedAt: ctx.at,
        by: by.name,
        round: s.reopenCount,
      };
      (s.evidence ??= []).push(item);
      recordEvent(s, ctx.at, "evidence_attached", by.name, `${item.stage}: ${mime}`);
      return { result: item };
    },
  }),

  urge: rule<m.UrgeInput, void>({
    roles: ["supervisor"],
    stages: [...OPEN_STAGES, "closed", "revisit_pending"],
    unitScoped: false,
    apply(s, { by, note }, ctx) {
      s.urgeCount++;
      const key = String(recordEvent(s, ctx.at, "urged", by.name, note));
      return { result: undefined, effects: [supervision("urged", key, s.unitId, note)] };
    },
  }),
} as const;

/** An action's name: its update's (or, for urge, its signal's) name. */
export type ActionName = keyof typeof ACTIONS;
/** Every action name, in the catalogue's order. */
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** The actor an action input carries (repeat reports come from intake). */
export function actorOf(input: unknown): m.Actor {
  return (input as { by?: m.Actor }).by ?? INTAKE;
}

/** Checks who acts, the stage and the action's own rules; throws RuleViolation. */
export function checkAction<I>(name: ActionName, s: CaseState, input: I, nowMs: number): void {
  const r = ACTIONS[name] as unknown as ActionRule<I, unknown>;
  const by = actorOf(input);
  if (!r.roles.includes(by.role)) throw fail(Failure.forbidden, `${name} is not for the ${by.role} role`);
  if (s.outcome || !r.stages.includes(s.stage)) throw fail(Failure.invalidState, `${name} is not allowed in stage ${s.stage}`);
  if (r.unitScoped && by.role === "unit" && by.unitId !== s.unitId) throw fail(Failure.forbidden, "the case is not assigned to this unit");
  r.validate?.(s, input, nowMs);
}

/** The actions an actor can take on the case now (the console's buttons). */
export function allowedActions(s: CaseView, by: Pick<m.Actor, "role" | "unitId">, nowMs: number): ActionName[] {
  return ACTION_NAMES.filter((name) => {
    const r = ACTIONS[name] as unknown as ActionRule<unknown, unknown>;
    return (
      r.roles.includes(by.role) &&
      !s.outcome &&
      r.stages.includes(s.stage) &&
      !(r.unitScoped && by.role === "unit" && by.unitId !== s.unitId) &&
      (r.available?.(s, nowMs) ?? true)
    );
  });
}

/** Routes the case to a unit, which must sign within the policy's working days. */
export function assign(s: CaseState, unitId: string, by: string | undefined, reason: string, ctx: ActContext): void {
  s.unitId = unitId;
  s.stage = "transferred";
  s.signOverdue = false;
  s.signDueAt = ctx.deadline!.dueAt;
  recordEvent(s, ctx.at, "transferred", by, reason);
}
