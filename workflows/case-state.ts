/**
 * The state a case workflow holds, and pure helpers over it (colour, checks). Pure and
 * deterministic: unit tests use it directly; the query returns a CaseView derived from it.
 */
import { HANDLING_STAGES, type CaseInput, type CasePolicy, type Colour, type OrderSummary, type Stage } from "./contract";
import type { Effect } from "./case-effects";
import { roundEvidence, type EvidenceRecord } from "./case-evidence";
import type { FeedbackInput, InvestigationRecord, RectificationInput } from "./messages";

/** A handling deadline as instants computed by the calendar activity (holidays are data). */
export interface DeadlineInfo {
  /** The instant the clock started (signing or reopening); its civil day is not counted. */
  startAt: string;
  /** Working days allowed, base limit plus approved extensions. */
  days: number;
  /** 24:00 Asia/Shanghai of the last working day. */
  dueAt: string;
  /** Ledger turns blue when half of the working days are used. */
  blueAt: string;
  /** Ledger turns yellow (warning) at the start of the last working day. */
  yellowAt: string;
  /** True when a year consulted has no official schedule yet (weekends + statutory festivals only). */
  provisional: boolean;
}

/** An extension request and its decision. */
export interface ExtensionRecord {
  id: string;
  days: number;
  reason: string;
  status: "pending" | "approved" | "rejected";
  requestedAt: string;
  requestedBy: string;
  /** The handling deadline an approval gives, computed when the extension was requested (absent in older runs). */
  ifApproved?: DeadlineInfo;
  decidedAt?: string;
  decidedBy?: string;
  comment?: string;
}

/** A reward application and its fate. */
export interface RewardRecord {
  id: string;
  amountYuan: number;
  reason: string;
  status: "pending" | "approved" | "rejected" | "paid";
  appliedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  paidAt?: string;
  paymentRef?: string;
}

/** A revisit result. */
export interface RevisitRecord {
  id: string;
  at: string;
  by: string;
  rebound: boolean;
  satisfied: boolean | null;
  note?: string;
}

/** One line of the stage timeline. */
export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  by?: string;
  note?: string;
}

/** Everything a v3 (legacy) case workflow knew; the shape its runs carry over by continue-as-new. */
export interface LegacyCaseState {
  caseId: string;
  order: OrderSummary;
  policy: CasePolicy;
  stage: Stage;
  outcome?: "returned" | "completed" | "merged";
  /** The older case this one was merged into (a confirmed repeat). */
  mergedInto?: string;
  unitId?: string;
  acceptedAt?: string;
  signDueAt?: string;
  signOverdue: boolean;
  signedAt?: string;
  sendBackReason?: string;
  deadline?: DeadlineInfo;
  colour: Colour;
  overdue: boolean;
  extensions: ExtensionRecord[];
  repeats: OrderSummary[];
  escalated: boolean;
  /** Who leads the handling: the unit, or its branch head once escalated (提级办理). */
  lead?: "unit" | "branch_head";
  investigation?: InvestigationRecord;
  rectification?: Omit<RectificationInput, "by">;
  rectificationCompletedAt?: string;
  feedback?: Omit<FeedbackInput, "by">;
  closedAt?: string;
  returnedAt?: string;
  returnReason?: string;
  revisitDueAt?: string;
  revisitSampled: boolean;
  revisits: RevisitRecord[];
  reopenCount: number;
  rewards: RewardRecord[];
  urgeCount: number;
  /** Evidence files' hashes and metadata (佐证材料); absent in runs that never had any. */
  evidence?: EvidenceRecord[];
  timeline: TimelineEntry[];
  seq: number;
}

/** The state version a case run carries over by continue-as-new; a legacy state has none. */
export const STATE_VERSION = 4;

/** Everything a case workflow knows (carried over by continue-as-new); the query returns a CaseView of it. */
export interface CaseState extends LegacyCaseState {
  version: typeof STATE_VERSION;
  /** Outside effects decided but not yet done (the workflow's outbox), oldest first. */
  outbox: Effect[];
}

/** The state of a case that has just been received. */
export function initialState(input: CaseInput): CaseState {
  return {
    version: STATE_VERSION,
    caseId: input.caseId,
    order: input.order,
    policy: input.policy,
    stage: "accepted",
    signOverdue: false,
    colour: "green",
    overdue: false,
    extensions: [],
    repeats: [],
    escalated: false,
    revisitSampled: false,
    revisits: [],
    reopenCount: 0,
    rewards: [],
    urgeCount: 0,
    timeline: [],
    seq: 0,
    outbox: [],
  };
}

/** The state a run resumes from: a carried-over state, upgraded when a legacy (v3) run carried it. */
export function resumedState(resume: LegacyCaseState | CaseState): CaseState {
  return "version" in resume ? resume : { ...resume, version: STATE_VERSION, outbox: [] };
}

/** Appends one timeline event and returns its sequence number (the read model's key). */
export function recordEvent(state: LegacyCaseState, at: string, type: string, by?: string, note?: string): number {
  const seq = ++state.seq;
  state.timeline.push({ seq, at, type, by, note });
  return seq;
}

/**
 * Sets the handling deadline and brings the ledger colour to it: an extension can turn a red case
 * back to yellow or blue. Red with no overdue recorded yet is left for the clock, which raises it.
 */
export function setDeadline(state: LegacyCaseState, deadline: DeadlineInfo | undefined, nowMs: number): void {
  state.deadline = deadline;
  state.colour = colourAt(deadline, nowMs);
  if (state.colour !== "red") state.overdue = false;
}

/** Ledger colour at an instant: green, blue after half the time, yellow on the last day, red when overdue. */
export function colourAt(deadline: DeadlineInfo | undefined, nowMs: number): Colour {
  if (!deadline) return "green";
  if (nowMs >= Date.parse(deadline.dueAt)) return "red";
  if (nowMs >= Date.parse(deadline.yellowAt)) return "yellow";
  if (nowMs >= Date.parse(deadline.blueAt)) return "blue";
  return "green";
}

/** The next instant at which the colour changes, or undefined once red. */
export function nextColourChange(deadline: DeadlineInfo, nowMs: number): number | undefined {
  return [deadline.blueAt, deadline.yellowAt, deadline.dueAt].map(Date.parse).find((t) => t > nowMs);
}

/**
 * When the ledger next needs the clock: now if its colour is behind or an overdue is not yet
 * raised, else the next colour change; undefined outside handling, without a deadline, or once overdue.
 */
export function nextLedgerTick(state: LegacyCaseState, nowMs: number): number | undefined {
  if (!state.deadline || !HANDLING_STAGES.includes(state.stage)) return undefined;
  const colour = colourAt(state.deadline, nowMs);
  if (colour !== state.colour || (colour === "red" && !state.overdue)) return nowMs;
  return nextColourChange(state.deadline, nowMs);
}

/** Fields that the closing rule requires (the 2017 bulletin criticised records missing them). */
export function missingForClosing(state: LegacyCaseState, feedback: Omit<FeedbackInput, "by">): string[] {
  const missing: string[] = [];
  if (!(state.investigation?.subjectName || state.order.subjectName)) missing.push("subject");
  if (!feedback.handlingOpinion?.trim()) missing.push("handlingOpinion");
  if (state.order.elements.length === 0) missing.push("pollutionElement");
  if (!(feedback.industry ?? state.order.industry)?.trim()) missing.push("industry");
  // A violation found on site must be documented (Jiaozuo art. 7: feedback carries 佐证材料); the
  // flag is snapshotted into the case's policy, so cases started without it close as they always did.
  if (state.policy.evidenceRequiredOnViolation && state.investigation?.violationFound && roundEvidence(state).length === 0) missing.push("evidence");
  return missing;
}

/** Whether any order of the case was a real-name, non-anonymous report (rewards require one). */
export function hasRealNameReporter(state: Pick<LegacyCaseState, "order" | "repeats">): boolean {
  return [state.order, ...state.repeats].some((o) => o.realName && !o.anonymous);
}

/** Approved extension days so far. */
export function approvedExtensionDays(state: LegacyCaseState): number {
  return state.extensions.filter((e) => e.status === "approved").reduce((n, e) => n + e.days, 0);
}

/** The case's columns in the read model, derived from the state (no personal data). */
export function readModelRow(state: LegacyCaseState) {
  return {
    stage: state.stage,
    outcome: state.outcome ?? null,
    unitId: state.unitId ?? null,
    acceptedAt: state.acceptedAt ?? null,
    signedAt: state.signedAt ?? null,
    dueAt: state.deadline?.dueAt ?? null,
    dueProvisional: state.deadline?.provisional ?? false,
    colour: state.colour,
    overdue: state.overdue,
    escalated: state.escalated,
    repeatCount: state.repeats.length,
    extensionCount: state.extensions.filter((e) => e.status === "approved").length,
    violationFound: state.investigation?.violationFound ?? null,
    industry: state.feedback?.industry ?? state.order.industry ?? null,
    closedAt: state.closedAt ?? null,
    returnedAt: state.returnedAt ?? null,
    returnReason: state.returnReason ?? null,
  };
}

/** A row of the read model as the workflow sends it. */
export type ReadModelRow = ReturnType<typeof readModelRow>;
