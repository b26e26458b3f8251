/**
 * The contract every process shares: task queue, workflow ids, search attributes, failure types,
 * and the shapes of a case's input. Workflows import only this, `messages.ts` and types.
 */
import { defineSearchAttributeKey } from "@temporalio/common";

/** The one task queue the case worker polls. */
export const TASK_QUEUE = "hotline-cases";

/** A case's workflow id (= its case id), derived from the order number that opened it. */
export function caseWorkflowId(orderNo: string): string {
  return `case-${orderNo}`;
}

/** Custom search attributes (no personal data: stage, kind, line, district, unit, colour, flags). */
export const SA = {
  stage: defineSearchAttributeKey("CaseStage", "KEYWORD"),
  kind: defineSearchAttributeKey("CaseKind", "KEYWORD"),
  sourceLine: defineSearchAttributeKey("CaseSourceLine", "KEYWORD"),
  district: defineSearchAttributeKey("CaseDistrict", "KEYWORD"),
  unit: defineSearchAttributeKey("CaseUnit", "KEYWORD"),
  colour: defineSearchAttributeKey("CaseColour", "KEYWORD"),
  escalated: defineSearchAttributeKey("CaseEscalated", "BOOL"),
  dueAt: defineSearchAttributeKey("CaseDueAt", "DATETIME"),
  repeatCount: defineSearchAttributeKey("CaseRepeatCount", "INT"),
  orderNo: defineSearchAttributeKey("CaseOrderNo", "KEYWORD"),
} as const;

/** Every search attribute key, for registration with a server. */
export const SEARCH_ATTRIBUTES = Object.values(SA);

/** ApplicationFailure types; the API maps them to HTTP statuses in one place. */
export const Failure = {
  /** The case's stage does not allow the action (HTTP 409). */
  invalidState: "InvalidState",
  /** A business rule forbids it, e.g. an extension beyond the limit (HTTP 422). */
  rule: "BusinessRule",
  /** The referenced request (extension, reward) does not exist (HTTP 404). */
  notFound: "NotFound",
  /** The acting unit is not the case's unit (HTTP 403). */
  forbidden: "Forbidden",
} as const;

/** Order kinds (Jiaozuo rules, art. 7). */
export const KINDS = ["consultation", "help", "opinion", "suggestion", "complaint", "report"] as const;
export type Kind = (typeof KINDS)[number];
/** Hotline source lines. */
export const SOURCE_LINES = ["12345", "12369", "12314"] as const;
/** Channels a report arrives through. */
export const CHANNELS = ["phone", "wechat", "web", "platform"] as const;
/** Pollution elements. */
export const ELEMENTS = ["water", "air", "noise", "solid_waste", "construction", "radiation", "other"] as const;
export type Element = (typeof ELEMENTS)[number];

/** Handling time limits in working days by kind (Jiaozuo rules, art. 7: 3 / 5 / 10). */
export const HANDLING_DAYS: Record<Kind, number> = {
  consultation: 3,
  help: 5,
  opinion: 5,
  suggestion: 5,
  complaint: 10,
  report: 10,
};

/** Stages of a case, in order; `returned` and `completed` are terminal. */
export const STAGES = [
  "accepted",
  "returned",
  "transferred",
  "sent_back",
  "investigating",
  "rectifying",
  "feedback",
  "closed",
  "revisit_pending",
  "completed",
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages in which a case is open (repeat reports join it; its handling clock may run). */
export const OPEN_STAGES: readonly Stage[] = ["accepted", "transferred", "sent_back", "investigating", "rectifying", "feedback"];
/** Stages in which the handling deadline runs and extensions may be requested. */
export const HANDLING_STAGES: readonly Stage[] = ["investigating", "rectifying", "feedback"];

/** Four-colour ledger (Qufu practice); thresholds in docs/WORKFLOW.md. */
export type Colour = "green" | "blue" | "yellow" | "red";

/** The non-personal part of a hotline work order that the workflow carries. */
export interface OrderSummary {
  orderNo: string;
  sourceLine: (typeof SOURCE_LINES)[number];
  channel: (typeof CHANNELS)[number];
  kind: Kind;
  receivedAt: string;
  district: string;
  address: string;
  subjectName: string;
  subjectType: "enterprise" | "person";
  elements: Element[];
  industry?: string;
  description: string;
  attachments: string[];
  /** Reporter flags only: identity stays encrypted in the database, never in Temporal. */
  anonymous: boolean;
  realName: boolean;
}

/** Business settings snapshotted into each case at start, so running cases stay deterministic. */
export interface CasePolicy {
  signDays: number;
  maxExtensions: number;
  maxExtensionDays: number;
  escalateAtRepeats: number;
  revisitAfterDays: number;
  revisitSampleRate: number;
  maxRewardYuan: number;
  /** Closing a case whose investigation found a violation needs at least one evidence item (absent: not required, as before). */
  evidenceRequiredOnViolation?: boolean;
  /** Continue-as-new once the history is this long, even before Temporal suggests it (tests use small values). */
  continueAsNewAfterEvents?: number;
  /** The case machine continues as new after this many transitions in a run (counted in its own state, so replay decides alike). */
  continueAsNewAfterTransitions?: number;
}

/** Input of caseWorkflow; `resume` carries the state across continue-as-new (a legacy run's has no version). */
export interface CaseInput {
  caseId: string;
  order: OrderSummary;
  policy: CasePolicy;
  resume?: import("./case-state").CaseState | import("./case-state").LegacyCaseState;
  /**
   * The case's seal: a secret the API derives from its key and the case id, sent with every update
   * and signal. Temporal keeps it only encrypted (payload codec), so a client without the service's
   * keys cannot learn it: a message without it is refused (updates) or ignored (signals). Cases
   * started without a seal accept messages as before.
   */
  seal?: string;
}

/** How a case ended. */
export interface CaseResult {
  caseId: string;
  outcome: "returned" | "completed" | "merged";
  reopenCount: number;
}
