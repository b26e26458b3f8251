/**
 * Intake of a hotline work order: idempotent on the order number, repeat detection against open
 * cases (normalised polluter and place; a person as subject by keyed hash only), one transaction
 * for the rows, then the workflow start or the repeat update. Reporter identity is encrypted here and never enters Temporal.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from "@temporalio/client";
import { Prisma, type PrismaClient } from "../db/client";
import type { PiiVault } from "../security/pii";
import { caseWorkflow } from "../workflows/case.workflow";
import { SA, TASK_QUEUE, caseWorkflowId, type CaseInput, type CasePolicy, type OrderSummary } from "../workflows/contract";
import { repeatUpdate } from "../workflows/messages";
import { matchOpenCases, orderFeatures } from "./repeat-match";
import { orderMatchRow, suggestionRow } from "./repeat-review";
import type { OrderBody } from "./schemas";

/** Interactive-transaction waits (ms). */
export const TX_OPTIONS = { maxWait: 60_000, timeout: 60_000 };

/** What intake needs. */
export interface IntakeDeps {
  prisma: PrismaClient;
  temporal: Client;
  vault: PiiVault;
  policy: CasePolicy;
  repeatWindowDays: number;
  /** The case's seal (api/deps.ts); without it cases start unsealed. */
  seal?: (caseId: string) => string;
}

/** Intake's answer. */
export interface IntakeResult {
  created: boolean;
  caseId: string;
  orderNo: string;
  repeatOf?: string;
  repeatCount?: number;
  escalated?: boolean;
  possibleRepeatOf?: string;
}

/** A reporter who gave a real name and did not ask for anonymity (rewards and notices go to them). */
const realNameReporter = (o: OrderBody) => !o.reporter.anonymous && o.reporter.realName;

/** The non-personal summary the workflow carries. */
export function summarise(o: OrderBody): OrderSummary {
  return {
    orderNo: o.orderNo,
    sourceLine: o.sourceLine,
    channel: o.channel,
    kind: o.kind,
    receivedAt: new Date(o.receivedAt).toISOString(),
    district: o.district,
    address: o.address,
    subjectName: o.subject.name,
    subjectType: o.subject.type,
    elements: o.elements,
    industry: o.industry,
    description: o.description,
    attachments: o.attachments,
    anonymous: o.reporter.anonymous,
    realName: realNameReporter(o),
  };
}

/** Keyed hashes of the order's subject and address: how repeat reports are matched, never plaintext. */
export function matchKeys(body: OrderBody, vault: PiiVault): { subjectKey: string; addressKey: string } {
  return { subjectKey: vault.hash(body.subject.name), addressKey: vault.hash(body.address) };
}

/** The read-model row of a new case opened by this order (the one builder of a Case row; tests seed with it too). */
export function caseRow(caseId: string, o: OrderSummary, keys: { subjectKey: string; addressKey: string }): Prisma.CaseCreateManyInput {
  return {
    id: caseId,
    firstOrderNo: o.orderNo,
    sourceLine: o.sourceLine,
    channel: o.channel,
    kind: o.kind,
    receivedAt: new Date(o.receivedAt),
    district: o.district,
    address: o.address,
    subjectName: o.subjectName,
    subjectType: o.subjectType,
    elements: o.elements,
    industry: o.industry ?? null,
    ...keys,
    stage: "accepted",
  };
}

/** The order's row: the reporter encrypted, the phone also as a keyed hash (repeat lookups). */
export function orderRow(caseId: string, isRepeat: boolean, body: OrderBody, vault: PiiVault): Prisma.HotlineOrderCreateManyInput {
  const r = body.reporter;
  return {
    orderNo: body.orderNo,
    caseId,
    isRepeat,
    sourceLine: body.sourceLine,
    channel: body.channel,
    kind: body.kind,
    district: body.district,
    receivedAt: new Date(body.receivedAt),
    anonymous: r.anonymous,
    reporterName: r.name ? vault.encrypt(r.name) : null,
    reporterPhone: r.phone ? vault.encrypt(r.phone) : null,
    // An anonymous report's callback number is never matched against other reports (not reporter identity).
    phoneKey: r.phone && !r.anonymous ? vault.hash(r.phone) : null,
    realName: realNameReporter(body),
  };
}

const inFlight = new Map<string, Promise<IntakeResult>>();

/**
 * Takes in one order; safe to call any number of times with the same order number. Concurrent
 * calls for one order number in this process share one intake (the later ones answer "not created").
 */
export async function intakeOrder(deps: IntakeDeps, body: OrderBody): Promise<IntakeResult> {
  const running = inFlight.get(body.orderNo);
  if (running) return { ...(await running), created: false };
  const p = intakeOnce(deps, body);
  inFlight.set(body.orderNo, p);
  try {
    return await p;
  } finally {
    inFlight.delete(body.orderNo);
  }
}

async function intakeOnce(deps: IntakeDeps, body: OrderBody): Promise<IntakeResult> {
  const { prisma, vault } = deps;
  const summary = summarise(body);
  const existing = await prisma.hotlineOrder.findUnique({ where: { orderNo: body.orderNo } });
  if (existing) return { ...(await ensureStarted(deps, existing.caseId, existing.isRepeat, summary)), created: false };

  const keys = matchKeys(body, vault);
  // Repeat report (重复举报): the same problem in other words, scored on polluter and place against the open
  // cases nearby that share an element within the window (matching/). The read model only proposes the case:
  // the order is a repeat once that case's workflow has taken it in. A possible repeat opens a new case and
  // leaves the decision to a dispatcher (the review queue).
  const since = new Date(Date.now() - deps.repeatWindowDays * 86_400_000);
  const features = orderFeatures(body, vault);
  const match = await matchOpenCases(prisma, vault, body, features, since);
  const joined = match.outcome === "repeat" && match.best ? await joinRepeat(deps, match.best.caseId, summary) : undefined;
  const suggestion = match.outcome === "possible" && match.best ? match.best : undefined;
  const caseId = joined?.caseId ?? caseWorkflowId(body.orderNo);
  try {
    // Generous waits: a transaction Prisma gave up starting would still open later on its connection
    // and hold it; under overload the request waits instead (the caller's timeout still applies).
    await prisma.$transaction(async (tx) => {
      if (!joined) await tx.case.create({ data: caseRow(caseId, summary, keys) });
      await tx.hotlineOrder.create({ data: orderRow(caseId, !!joined, body, vault) });
      await tx.orderMatch.create({ data: orderMatchRow(caseId, body, features) });
      if (suggestion) await tx.repeatSuggestion.create({ data: suggestionRow(caseId, body.orderNo, suggestion, features, match.candidates) });
    }, TX_OPTIONS);
  } catch (e) {
    // A concurrent intake of the same order number won the race: answer as a repeat call.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      const row = await prisma.hotlineOrder.findUnique({ where: { orderNo: body.orderNo } });
      if (row) return { ...(await ensureStarted(deps, row.caseId, row.isRepeat, summary)), created: false };
    }
    throw e;
  }
  if (joined) return { ...joined, created: true };
  return { ...(await ensureStarted(deps, caseId, false, summary)), created: true, ...(suggestion ? { possibleRepeatOf: suggestion.caseId } : {}) };
}

/** Delivers the order to an open case as a repeat; undefined when the case refuses it (it closed or finished meanwhile). */
async function joinRepeat(deps: IntakeDeps, caseId: string, order: OrderSummary): Promise<Omit<IntakeResult, "created"> | undefined> {
  try {
    return await deliverRepeat(deps, caseId, order);
  } catch (e) {
    if (refused(e)) return undefined;
    throw e;
  }
}

/** The case refused the update or has finished. */
const refused = (e: unknown) =>
  e instanceof WorkflowUpdateFailedError || e instanceof WorkflowNotFoundError || /workflow execution already completed/i.test((e as Error)?.message ?? "");

/** The repeat update, with the order number as its id: Temporal applies it once however often intake is retried. */
async function deliverRepeat(deps: IntakeDeps, caseId: string, order: OrderSummary): Promise<Omit<IntakeResult, "created">> {
  const res = await deps.temporal.workflow.getHandle(caseId).executeUpdate(repeatUpdate, {
    args: [{ order, ...(deps.seal ? { seal: deps.seal(caseId) } : {}) }],
    updateId: `repeat-${order.orderNo}`,
  });
  return { caseId, orderNo: order.orderNo, repeatOf: caseId, repeatCount: res.repeatCount, escalated: res.escalated };
}

/** Starts the case workflow (or delivers the repeat update again) if an earlier attempt did not. */
async function ensureStarted(deps: IntakeDeps, caseId: string, isRepeat: boolean, order: OrderSummary): Promise<Omit<IntakeResult, "created">> {
  // Joined earlier (the row is written only after the case took the order in): a case that has finished since answers from the row.
  if (isRepeat)
    return deliverRepeat(deps, caseId, order).catch((e) => {
      if (refused(e)) return { caseId, orderNo: order.orderNo, repeatOf: caseId };
      throw e;
    });
  const input: CaseInput = { caseId, order, policy: deps.policy, ...(deps.seal ? { seal: deps.seal(caseId) } : {}) };
  // Id = case id; an open run with that id is reused, a finished one is never started again.
  await deps.temporal.workflow
    .start(caseWorkflow, {
      workflowId: caseId,
      taskQueue: TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: "USE_EXISTING",
      workflowIdReusePolicy: "REJECT_DUPLICATE",
      typedSearchAttributes: [
        { key: SA.stage, value: "accepted" },
        { key: SA.kind, value: order.kind },
        { key: SA.sourceLine, value: order.sourceLine },
        { key: SA.district, value: order.district },
      ],
    })
    .catch((e: Error) => {
      if (e.name !== "WorkflowExecutionAlreadyStartedError") throw e;
    });
  return { caseId, orderNo: order.orderNo };
}
