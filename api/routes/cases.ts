/** Case routes: the live view, the search, and every action of the case-rules catalogue (one generic handler). */
import { Router, type Request } from "express";
import type { z } from "zod";
import { WorkflowNotFoundError, type UpdateDefinition } from "@temporalio/client";
import { maskName, maskPhone } from "../../security/pii";
import { ACTIONS, allowedActions, type ActionName } from "../../workflows/case-rules";
import * as m from "../../workflows/messages";
import { actorOf, assertCaseScope, caseNotFound, requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { HttpError } from "../errors";
import { claimKey, idempotencyKeyOf, markKeyDone, requestHash } from "../idempotency";
import { register } from "../openapi";
import { rateLimit } from "../rate-limit";
import * as s from "../schemas";

// Up to 2 s for the routing to reach the read model before a unit is told the case is not theirs.
const ROUTING_WAIT_TRIES = 40;

/** How each catalogue action is reached over HTTP: its path, body and summary; roles come from the catalogue. */
interface ActionRoute<B extends z.ZodType> {
  path: string;
  body: B;
  summary: string;
  /** The update's input beyond the actor, from the body and the path's item id (default: the body). */
  input?: (body: z.infer<B>, itemId: string) => Record<string, unknown>;
}
const route = <B extends z.ZodType>(r: ActionRoute<B>) => r;

/** The Idempotency-Key header as the OpenAPI document declares it on every action. */
export const IDEMPOTENCY_HEADER_DOC = {
  name: "Idempotency-Key",
  description:
    "Optional. A retry with the same key, case, action and body is applied once and answered again; the key reused for anything else answers 422 idempotency_key_reused. Keys are per token holder.",
  schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,200}$" },
};

// attachEvidence takes a file (its multipart route is api/routes/evidence.ts); mergeInto is the review queue's (api/routes/repeats.ts).
const actionRoutes: Record<Exclude<ActionName, "reportRepeat" | "attachEvidence" | "mergeInto">, ActionRoute<z.ZodType>> = {
  sign: route({ path: "sign", body: s.emptySchema, summary: "Sign for the case (签收)" }),
  sendBack: route({ path: "send-back", body: s.sendBackSchema, summary: "Send the case back for re-dispatch" }),
  route: route({ path: "route", body: s.routeSchema, summary: "Route the case to a unit" }),
  submitInvestigation: route({ path: "investigation", body: s.investigationSchema, summary: "Submit the on-site record", input: (b) => ({ record: b }) }),
  submitRectification: route({ path: "rectification", body: s.rectificationSchema, summary: "Submit the rectification" }),
  completeRectification: route({ path: "rectification/complete", body: s.rectificationCompleteSchema, summary: "Report the rectification plan complete" }),
  submitFeedback: route({ path: "feedback", body: s.feedbackSchema, summary: "Submit feedback and close" }),
  requestExtension: route({ path: "extensions", body: s.extensionRequestSchema, summary: "Request an extension" }),
  decideExtension: route({
    path: "extensions/:itemId/decision",
    body: s.decisionSchema,
    summary: "Decide an extension",
    input: (b, id) => ({ extensionId: id, ...b }),
  }),
  submitRevisit: route({ path: "revisits", body: s.revisitSchema, summary: "Record a revisit" }),
  applyReward: route({ path: "rewards", body: s.rewardApplicationSchema, summary: "Apply for a reward" }),
  decideReward: route({
    path: "rewards/:itemId/decision",
    body: s.rewardDecisionSchema,
    summary: "Decide a reward",
    input: (b, id) => ({ rewardId: id, ...b }),
  }),
  urge: route({ path: "urge", body: s.urgeSchema, summary: "Urge the unit (催办)" }),
};

const pick = <T extends object, K extends keyof T>(o: T, keys: K[]) =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Pick<T, K>;

/** The /api/cases router. */
export function casesRouter(deps: AppDeps): Router {
  const r = Router();
  const all = requireRole(deps.tokens, "integration", "unit", "dispatcher", "supervisor", "admin");
  const actionLimit = rateLimit("case actions", deps.config.ACTION_RATE_PER_MINUTE);
  const revealLimit = rateLimit("reveals", deps.config.REVEAL_RATE_PER_MINUTE);

  /** The case's unit per the workflow (authoritative), for the scope check. */
  async function scopedHandle(req: Request) {
    const caseId = s.caseIdSchema.parse(req.params.caseId);
    const handle = deps.temporal.workflow.getHandle(caseId);
    const state = await handle.query(m.stateQuery);
    assertCaseScope(req.principal!, state.unitId);
    return { handle, state, caseId };
  }

  /**
   * The unit of a case whose row has none yet: the row trails the routing by one projection, so it is
   * read again for a moment. Not a query to the workflow: a worker that answers a query for a run it
   * does not have cached can wake the run ahead of its workflow task, and an Update in that task then
   * records an order replay does not give (docs/WORKFLOW.md "Concurrency", point 6).
   */
  async function routedUnit(caseId: string): Promise<string | null> {
    for (let i = 0; i < ROUTING_WAIT_TRIES; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const row = await deps.prisma.case.findUnique({ where: { id: caseId }, select: { unitId: true } });
      if (row?.unitId) return row.unitId;
    }
    return null;
  }

  /**
   * Scope for an action, from the read model (a database row, not a workflow query, so an action
   * costs one workflow round trip). The workflow's validator checks the unit again, authoritatively.
   */
  async function actionHandle(req: Request) {
    const caseId = s.caseIdSchema.parse(req.params.caseId);
    const row = await deps.prisma.case.findUnique({ where: { id: caseId }, select: { stage: true, unitId: true } });
    if (!row) throw caseNotFound();
    const handle = deps.temporal.workflow.getHandle(caseId);
    if (req.principal!.role === "unit") {
      // A case not routed yet belongs to no unit: to a unit it is as unknown as another unit's case.
      assertCaseScope(req.principal!, row.unitId ?? (await routedUnit(caseId)));
    }
    return handle;
  }

  register({
    method: "get",
    path: "/api/cases/{caseId}",
    summary:
      "Live state of a case: in full for the unit and supervisors, without handling records and reporters for dispatcher and admin, status only for the integration",
    roles: ["all"],
    query: s.caseViewSchema,
    response: s.caseAnyViewResponseSchema,
  });
  r.get("/:caseId", all, async (req, res) => {
    const q = s.caseViewSchema.parse(req.query);
    const p = req.principal!;
    if (q.reveal && p.role !== "supervisor") throw new HttpError(403, "forbidden", "only supervisors may see reporter identity");
    if (q.reveal) await new Promise<void>((resolve, reject) => revealLimit(req, res, (e?: unknown) => (e ? reject(e) : resolve())));
    const { state, caseId } = await scopedHandle(req);
    if (p.role === "integration") {
      const status: z.infer<typeof s.caseStatusViewSchema> = {
        view: "status",
        caseId,
        orderNos: [state.order.orderNo, ...state.repeats.map((o) => o.orderNo)],
        stage: state.stage,
        ...pick(state, ["outcome", "acceptedAt", "signedAt", "closedAt", "returnedAt", "returnReason"]),
      };
      res.json(status);
      return;
    }
    const common = {
      allowedActions: allowedActions(state, p, Date.now()),
      temporalUiUrl: `${deps.config.TEMPORAL_UI_URL}/namespaces/${deps.config.TEMPORAL_NAMESPACE}/workflows/${caseId}`,
    };
    if (p.role === "dispatcher" || p.role === "admin") {
      const view: Record<string, unknown> = { ...state, ...common, view: "routing" };
      for (const f of s.HANDLING_FIELDS) delete view[f];
      res.json(view);
      return;
    }
    const orders = await deps.prisma.hotlineOrder.findMany({ where: { caseId }, orderBy: { createdAt: "asc" } });
    if (q.reveal) await deps.prisma.auditLog.create({ data: { actor: p.name, role: p.role, caseId, reason: q.reason! } });
    const reporters = orders.map((o) => {
      const name = o.reporterName ? deps.vault.decrypt(o.reporterName) : null;
      const phone = o.reporterPhone ? deps.vault.decrypt(o.reporterPhone) : null;
      return {
        orderNo: o.orderNo,
        anonymous: o.anonymous,
        realName: o.realName,
        name: name && (q.reveal ? name : maskName(name)),
        phone: phone && (q.reveal ? phone : maskPhone(phone)),
      };
    });
    res.json({ ...state, ...common, view: "full", reporters });
  });

  register({
    method: "get",
    path: "/api/cases",
    summary: "Search cases (read model)",
    roles: ["unit", "dispatcher", "supervisor", "admin"],
    query: s.caseSearchSchema,
  });
  r.get("/", requireRole(deps.tokens, "unit", "dispatcher", "supervisor", "admin"), async (req, res) => {
    const q = s.caseSearchSchema.parse(req.query);
    const p = req.principal!;
    // Unit scope in the query itself: a unit token only ever searches its own cases.
    const unitId = p.role === "unit" ? p.unitId : q.unitId;
    if (p.role === "unit" && q.unitId && q.unitId !== p.unitId) throw new HttpError(403, "out_of_scope", "a unit may only search its own cases");
    const where = {
      stage: q.stage,
      kind: q.kind,
      sourceLine: q.sourceLine,
      district: q.district,
      unitId,
      colour: q.colour,
      overdue: q.overdue,
      escalated: q.escalated,
      receivedAt:
        q.receivedFrom || q.receivedTo
          ? { gte: q.receivedFrom ? new Date(q.receivedFrom) : undefined, lt: q.receivedTo ? new Date(q.receivedTo) : undefined }
          : undefined,
    };
    const [total, items] = await Promise.all([
      deps.prisma.case.count({ where }),
      deps.prisma.case.findMany({
        where,
        orderBy: { receivedAt: "desc" },
        skip: (q.page - 1) * q.pageSize,
        take: q.pageSize,
        select: {
          id: true,
          firstOrderNo: true,
          sourceLine: true,
          channel: true,
          kind: true,
          receivedAt: true,
          district: true,
          subjectName: true,
          elements: true,
          stage: true,
          unitId: true,
          dueAt: true,
          dueProvisional: true,
          colour: true,
          overdue: true,
          escalated: true,
          repeatCount: true,
          closedAt: true,
        },
      }),
    ]);
    res.json({ total, page: q.page, pageSize: q.pageSize, items });
  });

  for (const [name, a] of Object.entries(actionRoutes) as [keyof typeof actionRoutes, ActionRoute<z.ZodType>][]) {
    const roles = [...ACTIONS[name].roles];
    const signal = name === "urge";
    register({
      method: "post",
      path: `/api/cases/{caseId}/${a.path.replace(":itemId", "{id}")}`,
      summary: a.summary,
      roles,
      body: a.body,
      headers: [IDEMPOTENCY_HEADER_DOC],
      ...(signal ? { statuses: ["202"] } : {}),
    });
    r.post(`/:caseId/${a.path}`, requireRole(deps.tokens, ...roles), actionLimit, async (req, res) => {
      const key = idempotencyKeyOf(req.get("idempotency-key"));
      // Scope before validation: another unit learns nothing about this case, not even its body rules.
      const handle = await actionHandle(req);
      const body = a.body.parse(req.body ?? {});
      const itemId = String(req.params.itemId);
      const p = req.principal!;
      const input = {
        by: actorOf(p),
        ...(a.input ? a.input(body, itemId) : (body as Record<string, unknown>)),
        seal: deps.seal(handle.workflowId),
      };
      // The key is bound to (person, case, action, request): reused for anything else it is refused (422).
      const claimed = key
        ? await claimKey(deps.prisma, {
            principal: p.name,
            key,
            caseId: handle.workflowId,
            action: name,
            bodyHash: requestHash({ itemId: req.params.itemId, body }),
          })
        : undefined;
      // The case exists (its row was found): an update or signal that finds no running workflow raced its completion.
      const finished = (e: unknown) => {
        throw e instanceof WorkflowNotFoundError ? new HttpError(409, "case_finished", "the case has finished; no further actions are possible") : e;
      };
      if (signal) {
        // A nudge needs no answer: fire-and-forget (a refused one is logged by the workflow); a retried key urges once.
        if (!claimed?.doneAt) {
          await handle.signal(m.urgeSignal, input as unknown as m.UrgeInput).catch(finished);
          if (key) await markKeyDone(deps.prisma, p.name, key);
        }
        res.status(202).json({ accepted: true });
        return;
      }
      // The key becomes the update id: Temporal applies a retried action once and answers it again.
      const update = m.actionUpdates[name as keyof typeof m.actionUpdates] as UpdateDefinition<unknown, [unknown]>;
      res.json(await handle.executeUpdate(update, { args: [input], ...(key ? { updateId: `${p.name}:${key}` } : {}) }).catch(finished));
    });
  }
  return r;
}
