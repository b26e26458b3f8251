/**
 * Every signal, update and query of a case, defined once with its payload type. The API and
 * the tests import these objects; nothing refers to a message by its string name.
 */
import { defineQuery, defineSignal, defineUpdate } from "@temporalio/workflow";
import type { CaseView } from "./case-view";
import type { OrderSummary } from "./contract";
import type { EvidenceMime, EvidenceRecord, EvidenceStage } from "./case-evidence";

/** Who acts: role and, for a handling unit, which one. Names are staff, never reporters. */
export interface Actor {
  role: "integration" | "unit" | "dispatcher" | "supervisor" | "admin";
  name: string;
  unitId?: string;
}

/** Payload of sign (签收). */
export interface SignInput {
  by: Actor;
}
/** Payload of send-back: the unit returns the case to the dispatcher with a reason. */
export interface SendBackInput {
  by: Actor;
  reason: string;
}
/** Payload of re-routing by a dispatcher. */
export interface RouteInput {
  by: Actor;
  unitId: string;
  reason: string;
}

/** The on-site investigation record (art. 8: item by item). */
export interface InvestigationRecord {
  subjectName: string;
  address: string;
  facts: string;
  productionStatus: string;
  controlFacilities: string;
  discharges: string;
  cause: string;
  violationFound: boolean;
  /** Entering an enterprise requires its entry in the provincial enforcement platform. */
  enterpriseEntered: boolean;
  enforcementPlatformRef?: string;
}
/** Payload of the investigation update. */
export interface InvestigationInput {
  by: Actor;
  record: InvestigationRecord;
}

/** A rectification plan (整改方案). */
export interface RectificationPlan {
  goal: string;
  measures: string;
  deadline: string;
  responsibleUnit: string;
}
/** Payload of the rectification update: an immediate fix or a plan, with enforcement flags. */
export interface RectificationInput {
  by: Actor;
  immediate: boolean;
  note: string;
  plan?: RectificationPlan;
  penaltyCase?: { filed: boolean; ref?: string };
  policeTransfer?: { transferred: boolean; ref?: string };
}
/** Payload of the unit's report that a rectification plan is complete (闭环销号). */
export interface RectificationCompleteInput {
  by: Actor;
  note: string;
}

/** Payload of the feedback update ("双反馈、一录入"). */
export interface FeedbackInput {
  by: Actor;
  findings: string;
  handlingOpinion: string;
  evidence: string[];
  result: string;
  handler: string;
  industry?: string;
  reporterMessage?: string;
}

/** Payload of an extension request (申请延期). */
export interface ExtensionRequestInput {
  by: Actor;
  days: number;
  reason: string;
}
/** Payload of a supervisor's decision on an extension. */
export interface ExtensionDecisionInput {
  by: Actor;
  extensionId: string;
  approve: boolean;
  comment?: string;
}
/** Result of an extension request or decision. */
export interface ExtensionResult {
  extensionId: string;
  status: "pending" | "approved" | "rejected";
  dueAt?: string;
}

/** Payload of a repeat report joining the case. */
export interface RepeatInput {
  order: OrderSummary;
  /** The case's seal (see CaseInput.seal). */
  seal?: string;
}
/** Result of a repeat report. */
export interface RepeatResult {
  caseId: string;
  repeatCount: number;
  escalated: boolean;
  joined: boolean;
}

/** Payload of a merge: a dispatcher confirmed that this case repeats an older one (查重), whose case now carries its orders. */
export interface MergeInput {
  by: Actor;
  /** The older case that took this case's orders in as repeat reports. */
  into: string;
  /** The review-queue suggestion confirmed. */
  suggestionId: number;
}
/** Result of a merge. */
export interface MergeResult {
  stage: string;
  mergedInto: string;
}

/** Payload of a revisit result (回访). */
export interface RevisitInput {
  by: Actor;
  rebound: boolean;
  satisfied: boolean | null;
  note?: string;
}
/** Result of a revisit: whether it reopened the case. */
export interface RevisitResult {
  revisitId: string;
  reopened: boolean;
  stage: string;
}

/** Payload of a reward application (有奖举报). */
export interface RewardApplicationInput {
  by: Actor;
  amountYuan: number;
  reason: string;
}
/** Payload of a supervisor's reward decision. */
export interface RewardDecisionInput {
  by: Actor;
  rewardId: string;
  approve: boolean;
  amountYuan?: number;
  comment?: string;
}
/** Result of a reward application or decision. */
export interface RewardResult {
  rewardId: string;
  status: "pending" | "approved" | "rejected" | "paid";
  amountYuan: number;
}

/** Payload of an urge (催办). */
export interface UrgeInput {
  by: Actor;
  note: string;
}

/** Payload of attaching an evidence file already stored by the API (only its hash and metadata). */
export interface EvidenceInput {
  by: Actor;
  evidenceId: string;
  sha256: string;
  mime: EvidenceMime;
  size: number;
  thumbnail: boolean;
  stage?: EvidenceStage;
  note?: string;
}

/** The unit signs for the case. */
export const signUpdate = defineUpdate<{ stage: string; dueAt: string }, [SignInput]>("sign");
/** The unit sends the case back for re-dispatch. */
export const sendBackUpdate = defineUpdate<{ stage: string }, [SendBackInput]>("sendBack");
/** A dispatcher routes the case to a (new) unit. */
export const routeUpdate = defineUpdate<{ stage: string; unitId: string }, [RouteInput]>("route");
/** The unit submits the on-site record. */
export const investigationUpdate = defineUpdate<{ stage: string }, [InvestigationInput]>("submitInvestigation");
/** The unit submits the rectification (immediate or plan). */
export const rectificationUpdate = defineUpdate<{ stage: string }, [RectificationInput]>("submitRectification");
/** The unit reports the rectification plan complete. */
export const rectificationCompleteUpdate = defineUpdate<{ stage: string }, [RectificationCompleteInput]>("completeRectification");
/** The unit submits feedback; closing the case. */
export const feedbackUpdate = defineUpdate<{ stage: string }, [FeedbackInput]>("submitFeedback");
/** The unit requests an extension. */
export const requestExtensionUpdate = defineUpdate<ExtensionResult, [ExtensionRequestInput]>("requestExtension");
/** A supervisor decides an extension. */
export const decideExtensionUpdate = defineUpdate<ExtensionResult, [ExtensionDecisionInput]>("decideExtension");
/** A repeat report joins the case; 3 or more escalate it (提级办理). */
export const repeatUpdate = defineUpdate<RepeatResult, [RepeatInput]>("reportRepeat");
/** A confirmed repeat ends this case as merged into an older one (its orders were delivered there first). */
export const mergeIntoUpdate = defineUpdate<MergeResult, [MergeInput]>("mergeInto");
/** A revisit result; rebound or dissatisfaction reopens the case. */
export const revisitUpdate = defineUpdate<RevisitResult, [RevisitInput]>("submitRevisit");
/** The unit applies for a reward for a real-name reporter. */
export const applyRewardUpdate = defineUpdate<RewardResult, [RewardApplicationInput]>("applyReward");
/** A supervisor decides a reward; approval pays it. */
export const decideRewardUpdate = defineUpdate<RewardResult, [RewardDecisionInput]>("decideReward");

/** The unit attaches an evidence file (佐证材料) by its content hash; attaching the same file again answers the same item. */
export const attachEvidenceUpdate = defineUpdate<EvidenceRecord, [EvidenceInput]>("attachEvidence");

/** A supervisor urges the unit (催办): fire-and-forget. */
export const urgeSignal = defineSignal<[UrgeInput]>("urge");
/** The official calendar changed: recompute a provisional deadline. */
export const calendarChangedSignal = defineSignal<[{ year: number; seal?: string }]>("calendarChanged");
/**
 * An operator moves a legacy (v3) run onto the case machine (`npm run repair`): the run continues
 * as new at its next wait, and the new run takes the current code. A no-op on the case machine.
 */
export const migrateToCaseMachineSignal = defineSignal<[Record<string, never>]>("migrateToCaseMachine");

/** The case's live status (a CaseView). */
export const stateQuery = defineQuery<CaseView>("state");

/** Each catalogue action's update (urge is a signal: a supervisor's nudge needs no answer). */
export const actionUpdates = {
  sign: signUpdate,
  sendBack: sendBackUpdate,
  route: routeUpdate,
  submitInvestigation: investigationUpdate,
  submitRectification: rectificationUpdate,
  completeRectification: rectificationCompleteUpdate,
  submitFeedback: feedbackUpdate,
  requestExtension: requestExtensionUpdate,
  decideExtension: decideExtensionUpdate,
  reportRepeat: repeatUpdate,
  mergeInto: mergeIntoUpdate,
  submitRevisit: revisitUpdate,
  applyReward: applyRewardUpdate,
  decideReward: decideRewardUpdate,
  attachEvidence: attachEvidenceUpdate,
} as const;
