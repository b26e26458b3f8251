/**
 * The review queue of possible repeats (查重): the rows intake writes, and a dispatcher's decision.
 * Confirming delivers every order of the newer case to the older one through the repeat update (so
 * its repeat count and escalation follow), ends the newer case as merged (catalogue action
 * `mergeInto`), moves the orders' rows, and records the decision in the audit log. Rejecting
 * leaves both cases as they are. Decided suggestions stay as labelled examples.
 */
import type { Prisma, PrismaClient } from "../db/client";
import type { Client } from "@temporalio/client";
import type { MatchFeatures } from "../matching/normalise";
import type { Candidate, CandidateScore } from "../matching/score";
import { OPEN_STAGES, type OrderSummary } from "../workflows/contract";
import * as m from "../workflows/messages";
import type { Principal } from "./auth";
import { actorOf } from "./auth";
import { HttpError } from "./errors";
import type { OrderBody } from "./schemas";
import { TX_OPTIONS } from "./intake";

/** The order's match-features row. */
export function orderMatchRow(caseId: string, body: OrderBody, features: MatchFeatures): Prisma.OrderMatchCreateManyInput {
  return {
    orderNo: body.orderNo,
    caseId,
    district: body.district,
    elements: body.elements,
    receivedAt: new Date(body.receivedAt),
    features: features as unknown as Prisma.InputJsonValue,
  };
}

/** The suggestion row of a possible repeat: the score, its reasons, and both sides' features (the labelled example once decided). */
export function suggestionRow(
  caseId: string,
  orderNo: string,
  best: CandidateScore,
  features: MatchFeatures,
  candidates: Candidate[],
): Prisma.RepeatSuggestionCreateManyInput {
  const candidate = candidates.find((c) => c.caseId === best.caseId);
  return {
    orderNo,
    caseId,
    candidateId: best.caseId,
    score: best.score,
    reasons: best.reasons,
    features: {
      order: features,
      candidate: candidate?.orders ?? [],
      evidence: { name: best.name, place: best.place, trade: best.trade },
    } as unknown as Prisma.InputJsonValue,
  };
}

/** What the review needs. */
export interface ReviewDeps {
  prisma: PrismaClient;
  temporal: Client;
  seal(caseId: string): string;
}

/** The decision's answer. */
export interface ReviewResult {
  id: number;
  status: "confirmed" | "rejected";
  caseId: string;
  candidateId: string;
  repeatCount?: number;
  escalated?: boolean;
}

const isOpen = (stage: string) => (OPEN_STAGES as readonly string[]).includes(stage);

/** A pending suggestion, or the HTTP error why not (a decided one answers the same decision again: a retried request is applied once). */
async function pending(deps: ReviewDeps, id: number, decision: ReviewResult["status"]) {
  const s = await deps.prisma.repeatSuggestion.findUnique({ where: { id } });
  if (!s) throw new HttpError(404, "suggestion_not_found", `no repeat suggestion ${id}`);
  if (s.status === decision) return { s, done: true };
  if (s.status !== "pending") throw new HttpError(409, "suggestion_decided", `repeat suggestion ${id} is already ${s.status}`);
  return { s, done: false };
}

/** Rejects a suggestion: both cases stay; the decision is audited and kept as a labelled example. */
export async function rejectSuggestion(deps: ReviewDeps, id: number, by: Principal, comment?: string): Promise<ReviewResult> {
  const { s, done } = await pending(deps, id, "rejected");
  if (!done)
    await deps.prisma.$transaction(async (tx) => {
      const n = await tx.repeatSuggestion.updateMany({
        where: { id, status: "pending" },
        data: { status: "rejected", decidedAt: new Date(), decidedBy: by.name, decidedRole: by.role, comment: comment ?? null },
      });
      if (n.count !== 1) throw new HttpError(409, "suggestion_decided", `repeat suggestion ${id} was decided meanwhile`);
      await tx.auditLog.create({
        data: { actor: by.name, role: by.role, caseId: s.caseId, reason: `repeat suggestion ${id} rejected: not a repeat of ${s.candidateId}` },
      });
    }, TX_OPTIONS);
  return { id, status: "rejected", caseId: s.caseId, candidateId: s.candidateId };
}

/**
 * Confirms a suggestion: the newer case's orders join the older case as repeat reports (one update
 * per order, its id the order's, so a retry delivers each once), then the newer case ends as merged.
 */
export async function confirmSuggestion(deps: ReviewDeps, id: number, by: Principal, comment?: string): Promise<ReviewResult> {
  const { s, done } = await pending(deps, id, "confirmed");
  const [newer, older] = await Promise.all([
    deps.prisma.case.findUnique({ where: { id: s.caseId }, select: { stage: true, repeatCount: true, escalated: true } }),
    deps.prisma.case.findUnique({ where: { id: s.candidateId }, select: { stage: true, repeatCount: true, escalated: true } }),
  ]);
  if (done) return { id, status: "confirmed", caseId: s.caseId, candidateId: s.candidateId, repeatCount: older?.repeatCount, escalated: older?.escalated };
  if (!newer) throw new HttpError(404, "case_not_found", `no case ${s.caseId}`);
  const newerHandle = deps.temporal.workflow.getHandle(s.caseId);
  const state = await newerHandle.query(m.stateQuery);
  const orders: OrderSummary[] = [state.order, ...state.repeats];
  // Merged by an earlier attempt that stopped before its rows were written: finish that attempt.
  const resumed = state.outcome === "merged" && state.mergedInto === s.candidateId;
  let last: m.RepeatResult | undefined;
  if (!resumed) {
    if (!older || !isOpen(older.stage))
      throw new HttpError(409, "candidate_not_open", `case ${s.candidateId} is no longer open: it cannot take repeat reports`);
    if (state.outcome || !isOpen(state.stage)) throw new HttpError(409, "case_not_open", `case ${s.caseId} is no longer open: it cannot be merged`);
    const olderHandle = deps.temporal.workflow.getHandle(s.candidateId);
    for (const order of orders)
      last = await olderHandle.executeUpdate(m.repeatUpdate, { args: [{ order, seal: deps.seal(s.candidateId) }], updateId: `repeat-${order.orderNo}` });
    await newerHandle.executeUpdate(m.mergeIntoUpdate, {
      args: [{ by: actorOf(by), into: s.candidateId, suggestionId: id, seal: deps.seal(s.caseId) } as m.MergeInput],
      updateId: `merge-${id}`,
    });
  }
  await deps.prisma.$transaction(async (tx) => {
    const moved = orders.map((o) => o.orderNo);
    await tx.hotlineOrder.updateMany({ where: { orderNo: { in: moved } }, data: { caseId: s.candidateId, isRepeat: true } });
    await tx.orderMatch.updateMany({ where: { orderNo: { in: moved } }, data: { caseId: s.candidateId } });
    await tx.repeatSuggestion.update({
      where: { id },
      data: { status: "confirmed", decidedAt: new Date(), decidedBy: by.name, decidedRole: by.role, comment: comment ?? null },
    });
    // Other open suggestions about the merged case are moot: it has ended.
    await tx.repeatSuggestion.updateMany({
      where: { id: { not: id }, status: "pending", OR: [{ caseId: s.caseId }, { candidateId: s.caseId }] },
      data: { status: "obsolete" },
    });
    await tx.auditLog.create({
      data: {
        actor: by.name,
        role: by.role,
        caseId: s.caseId,
        reason: `repeat suggestion ${id} confirmed: ${moved.length} order(s) merged into ${s.candidateId}`,
      },
    });
  }, TX_OPTIONS);
  const counts = last ?? older;
  return { id, status: "confirmed", caseId: s.caseId, candidateId: s.candidateId, repeatCount: counts?.repeatCount, escalated: counts?.escalated };
}
