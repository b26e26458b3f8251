/**
 * The state a case workflow holds, and pure helpers over it (colour, checks). Pure and
 * deterministic: unit tests use it directly, the workflow and its query return snapshots of it.
 */
import type { CaseInput, CasePolicy, Colour, OrderSummary, Stage } from "./contract";
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
  id: string; days: number; reason: string; status: "pending" | "approved" | "rejected";
  requestedAt: string; requestedBy: string; decidedAt?: string; decidedBy?: string; comment?: string;
}

/** A reward application and its fate. */
export interface RewardRecord {
  id: string; amountYuan: number; reason: string; status: "pending" | "approved" | "rejected" | "paid";
  appliedAt: string; decidedAt?: string; decidedBy?: string; paidAt?: string; paymentRef?: string;
}

/** A revisit result. */
export interface RevisitRecord { id: string; at: string; by: string; rebound: boolean; satisfied: boolean | null; note?: string }

/** One line of the stage timeline. */
export interface TimelineEntry { seq: number; at: string; type: string; by?: string; note?: string }

/** Everything a case workflow knows; `stateQuery` returns a copy. */
export interface CaseState {
  caseId: string;
  order: OrderSummary;
  policy: CasePolicy;
  stage: Stage;
  outcome?: "returned" | "completed";
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
  timeline: TimelineEntry[];
  seq: number;
}

/** A snapshot of the state as the query returns it. */
export type CaseSnapshot = CaseState;

/** The state of a case that has just been received. */
export function initialState(input: CaseInput): CaseState {
  return {
    caseId: input.caseId, order: input.order, policy: input.policy, stage: "accepted",
    signOverdue: false, colour: "green", overdue: false, extensions: [], repeats: [], escalated: false,
    revisitSampled: false, revisits: [], reopenCount: 0, rewards: [], urgeCount: 0, timeline: [], seq: 0,
  };
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

/** Fields that the closing rule requires (the 2017 bulletin criticised records missing them). */
export function missingForClosing(state: CaseState, feedback: Omit<FeedbackInput, "by">): string[] {
  const missing: string[] = [];
  if (!(state.investigation?.subjectName || state.order.subjectName)) missing.push("subject");
  if (!feedback.handlingOpinion?.trim()) missing.push("handlingOpinion");
  if (state.order.elements.length === 0) missing.push("pollutionElement");
  if (!(feedback.industry ?? state.order.industry)?.trim()) missing.push("industry");
  return missing;
}

/** Whether any order of the case was a real-name, non-anonymous report (rewards require one). */
export function hasRealNameReporter(state: CaseState): boolean {
  return [state.order, ...state.repeats].some((o) => o.realName && !o.anonymous);
}

/** Approved extension days so far. */
export function approvedExtensionDays(state: CaseState): number {
  return state.extensions.filter((e) => e.status === "approved").reduce((n, e) => n + e.days, 0);
}

/** The case's columns in the read model, derived from the state (no personal data). */
export function readModelRow(state: CaseState) {
  return {
    stage: state.stage, outcome: state.outcome ?? null, unitId: state.unitId ?? null,
    acceptedAt: state.acceptedAt ?? null, signedAt: state.signedAt ?? null,
    dueAt: state.deadline?.dueAt ?? null, dueProvisional: state.deadline?.provisional ?? false,
    colour: state.colour, overdue: state.overdue, escalated: state.escalated, repeatCount: state.repeats.length,
    extensionCount: state.extensions.filter((e) => e.status === "approved").length,
    violationFound: state.investigation?.violationFound ?? null, industry: state.feedback?.industry ?? state.order.industry ?? null,
    closedAt: state.closedAt ?? null, returnedAt: state.returnedAt ?? null, returnReason: state.returnReason ?? null,
  };
}

/** A row of the read model as the workflow sends it. */
export type ReadModelRow = ReturnType<typeof readModelRow>;
