/** Case routes: the live view, the search, and every action (one table of actions, one generic handler). */
import { Router, type Request } from "express";
import type { z } from "zod";
import type { UpdateDefinition } from "@temporalio/client";
import { maskName, maskPhone } from "../../security/pii";
import * as m from "../../workflows/messages";
import { actorOf, assertCaseScope, requireRole, type Role } from "../auth";
import type { AppDeps } from "../app";
import { HttpError } from "../errors";
import { register } from "../openapi";
import * as s from "../schemas";

/** One action route: who may call it, its body, and the update it becomes. */
interface Action<B extends z.ZodType> {
  path: string;
  roles: Role[];
  body: B;
  summary: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateDefinition<any, [any]>;
  args: (body: z.infer<B>, req: Request) => unknown;
}
const action = <B extends z.ZodType>(a: Action<B>) => a;

const unitRoles: Role[] = ["unit"];
const actions = [
  action({ path: "sign", roles: unitRoles, body: s.emptySchema, update: m.signUpdate, summary: "Sign for the case (签收)", args: (_b, req) => ({ by: actorOf(req.principal!) }) }),
  action({ path: "send-back", roles: unitRoles, body: s.sendBackSchema, update: m.sendBackUpdate, summary: "Send the case back for re-dispatch", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "route", roles: ["dispatcher"], body: s.routeSchema, update: m.routeUpdate, summary: "Route the case to a unit", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "investigation", roles: unitRoles, body: s.investigationSchema, update: m.investigationUpdate, summary: "Submit the on-site record", args: (b, req) => ({ by: actorOf(req.principal!), record: b }) }),
  action({ path: "rectification", roles: unitRoles, body: s.rectificationSchema, update: m.rectificationUpdate, summary: "Submit the rectification", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "rectification/complete", roles: unitRoles, body: s.rectificationCompleteSchema, update: m.rectificationCompleteUpdate, summary: "Report the rectification plan complete", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "feedback", roles: unitRoles, body: s.feedbackSchema, update: m.feedbackUpdate, summary: "Submit feedback and close", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "extensions", roles: unitRoles, body: s.extensionRequestSchema, update: m.requestExtensionUpdate, summary: "Request an extension", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "extensions/:itemId/decision", roles: ["supervisor"], body: s.decisionSchema, update: m.decideExtensionUpdate, summary: "Decide an extension", args: (b, req) => ({ by: actorOf(req.principal!), extensionId: req.params.itemId, ...b }) }),
  action({ path: "revisits", roles: ["unit", "supervisor"], body: s.revisitSchema, update: m.revisitUpdate, summary: "Record a revisit", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "rewards", roles: unitRoles, body: s.rewardApplicationSchema, update: m.applyRewardUpdate, summary: "Apply for a reward", args: (b, req) => ({ by: actorOf(req.principal!), ...b }) }),
  action({ path: "rewards/:itemId/decision", roles: ["supervisor"], body: s.rewardDecisionSchema, update: m.decideRewardUpdate, summary: "Decide a reward", args: (b, req) => ({ by: actorOf(req.principal!), rewardId: req.params.itemId, ...b }) }),
];

/** The /api/cases router. */
export function casesRouter(deps: AppDeps): Router {
  const r = Router();
  const all = requireRole(deps.tokens, "integration", "unit", "dispatcher", "supervisor", "admin");

  /** The case's unit per the workflow (authoritative), for the scope check. */
  async function scopedHandle(req: Request) {
    const caseId = s.caseIdSchema.parse(req.params.caseId);
    const handle = deps.temporal.workflow.getHandle(caseId);
    const state = await handle.query(m.stateQuery);
    assertCaseScope(req.principal!, state.unitId);
    return { handle, state, caseId };
  }

  /**
   * Scope for an action, from the read model (a database row, not a workflow query, so an action
   * costs one workflow round trip). The workflow's validator checks the unit again, authoritatively.
   */
  async function actionHandle(req: Request) {
    const caseId = s.caseIdSchema.parse(req.params.caseId);
    const row = await deps.prisma.case.findUnique({ where: { id: caseId }, select: { stage: true, unitId: true } });
    if (!row) throw new HttpError(404, "case_not_found", "no such case");
    const handle = deps.temporal.workflow.getHandle(caseId);
    if (req.principal!.role === "unit") {
      // The row may trail the workflow by a moment right after routing: then ask the workflow.
      const unitId = row.unitId ?? (await handle.query(m.stateQuery)).unitId;
      // A case not routed yet belongs to no unit: acting on it is a state conflict, not a scope violation.
      if (!unitId) throw new HttpError(409, "invalid_state", "the case has not been routed to a unit yet");
      assertCaseScope(req.principal!, unitId);
    }
    return handle;
  }

  register({ method: "get", path: "/api/cases/{caseId}", summary: "Live state of a case", roles: ["all"], query: s.caseViewSchema });
  r.get("/:caseId", all, async (req, res) => {
    const q = s.caseViewSchema.parse(req.query);
    const { state, caseId } = await scopedHandle(req);
    const p = req.principal!;
    if (q.reveal && !["supervisor", "admin"].includes(p.role)) throw new HttpError(403, "forbidden", "only supervisors and admins may see reporter identity");
    const orders = await deps.prisma.hotlineOrder.findMany({ where: { caseId }, orderBy: { createdAt: "asc" } });
    if (q.reveal) await deps.prisma.auditLog.create({ data: { actor: p.name, role: p.role, caseId, reason: q.reason! } });
    const reporters = orders.map((o) => {
      const name = o.reporterName ? deps.vault.decrypt(o.reporterName) : null;
      const phone = o.reporterPhone ? deps.vault.decrypt(o.reporterPhone) : null;
      return {
        orderNo: o.orderNo, anonymous: o.anonymous, realName: o.realName,
        name: name && (q.reveal ? name : maskName(name)), phone: phone && (q.reveal ? phone : maskPhone(phone)),
      };
    });
    res.json({ ...state, reporters, temporalUiUrl: `${deps.config.TEMPORAL_UI_URL}/namespaces/${deps.config.TEMPORAL_NAMESPACE}/workflows/${caseId}` });
  });

  register({ method: "get", path: "/api/cases", summary: "Search cases (read model)", roles: ["all"], query: s.caseSearchSchema });
  r.get("/", all, async (req, res) => {
    const q = s.caseSearchSchema.parse(req.query);
    const p = req.principal!;
    // Unit scope in the query itself: a unit token only ever searches its own cases.
    const unitId = p.role === "unit" ? p.unitId : q.unitId;
    if (p.role === "unit" && q.unitId && q.unitId !== p.unitId) throw new HttpError(403, "out_of_scope", "a unit may only search its own cases");
    const where = {
      stage: q.stage, kind: q.kind, sourceLine: q.sourceLine, district: q.district, unitId, colour: q.colour, overdue: q.overdue,
      escalated: q.escalated,
      receivedAt: q.receivedFrom || q.receivedTo ? { gte: q.receivedFrom ? new Date(q.receivedFrom) : undefined, lt: q.receivedTo ? new Date(q.receivedTo) : undefined } : undefined,
    };
    const [total, items] = await Promise.all([
      deps.prisma.case.count({ where }),
      deps.prisma.case.findMany({
        where, orderBy: { receivedAt: "desc" }, skip: (q.page - 1) * q.pageSize, take: q.pageSize,
        select: {
          id: true, firstOrderNo: true, sourceLine: true, channel: true, kind: true, receivedAt: true, district: true, subjectName: true,
          elements: true, stage: true, unitId: true, dueAt: true, dueProvisional: true, colour: true, overdue: true, escalated: true,
          repeatCount: true, closedAt: true,
        },
      }),
    ]);
    res.json({ total, page: q.page, pageSize: q.pageSize, items });
  });

  for (const a of actions) {
    register({ method: "post", path: `/api/cases/{caseId}/${a.path.replace(":itemId", "{id}")}`, summary: a.summary, roles: a.roles, body: a.body });
    r.post(`/:caseId/${a.path}`, requireRole(deps.tokens, ...a.roles), async (req, res) => {
      // Scope before validation: another unit learns nothing about this case, not even its body rules.
      const handle = await actionHandle(req);
      const body = a.body.parse(req.body ?? {});
      // An Idempotency-Key becomes the update id: Temporal applies a retried action once and answers it again.
      const key = req.get("idempotency-key");
      if (key !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(key)) throw new HttpError(400, "invalid_idempotency_key", "Idempotency-Key: 1–200 letters, digits, '.', '_', ':' or '-'");
      const result = await handle.executeUpdate(a.update, { args: [a.args(body, req)], ...(key ? { updateId: `${req.principal!.name}:${key}` } : {}) });
      res.json(result);
    });
  }

  register({ method: "post", path: "/api/cases/{caseId}/urge", summary: "Urge the unit (催办)", roles: ["supervisor"], body: s.urgeSchema, statuses: ["202"] });
  r.post("/:caseId/urge", requireRole(deps.tokens, "supervisor"), async (req, res) => {
    const handle = await actionHandle(req);
    const body = s.urgeSchema.parse(req.body ?? {});
    await handle.signal(m.urgeSignal, { by: actorOf(req.principal!), note: body.note });
    res.status(202).json({ accepted: true });
  });
  return r;
}
