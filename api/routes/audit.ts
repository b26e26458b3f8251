/**
 * GET /api/audit: the audit log (every reveal of a reporter's identity: who, in which role, which
 * case, why), filtered and paged, newest first. Supervisors only: the log is how supervision holds
 * its own members to account, and it names the people who looked.
 */
import { Router } from "express";
import { z } from "zod";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { register } from "../openapi";
import { queryText } from "../schemas";

const isoInstant = z.iso.datetime({ offset: true });

/** Query of GET /api/audit. */
export const auditQuerySchema = z
  .object({
    actor: queryText(100).min(1).optional(),
    caseId: queryText(80).min(1).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** Response of GET /api/audit. */
export const auditResponseSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  items: z.array(z.object({ id: z.number().int(), at: z.string(), actor: z.string(), role: z.string(), caseId: z.string(), reason: z.string() })),
});

/** The audit router (mount at the app's root: it serves /api/audit). */
export function auditRouter(deps: AppDeps): Router {
  const r = Router();
  register({
    method: "get",
    path: "/api/audit",
    summary: "The audit log (reporter reveals), filtered by actor, case and time, paged, newest first",
    roles: ["supervisor"],
    query: auditQuerySchema,
    response: auditResponseSchema,
  });
  r.get("/api/audit", requireRole(deps.tokens, "supervisor"), async (req, res) => {
    const q = auditQuerySchema.parse(req.query);
    const where = {
      actor: q.actor,
      caseId: q.caseId,
      at: q.from || q.to ? { gte: q.from ? new Date(q.from) : undefined, lt: q.to ? new Date(q.to) : undefined } : undefined,
    };
    const [total, rows] = await Promise.all([
      deps.prisma.auditLog.count({ where }),
      deps.prisma.auditLog.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    ]);
    const body: z.infer<typeof auditResponseSchema> = { total, page: q.page, pageSize: q.pageSize, items: rows.map((a) => ({ ...a, at: a.at.toISOString() })) };
    res.json(body);
  });
  return r;
}
