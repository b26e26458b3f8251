/**
 * The review queue of possible repeats (查重): GET /api/repeat-suggestions lists them with both
 * cases side by side; POST …/{id}/confirm merges the newer case into the older one; POST …/{id}/reject
 * keeps both. Dispatchers and supervisors. A person as subject (a neighbour's noise) is never shown:
 * its name and address are confidential and were matched by keyed hash only.
 */
import { Router } from "express";
import { z } from "zod";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { register } from "../openapi";
import { confirmSuggestion, rejectSuggestion } from "../repeat-review";
import { queryText } from "../schemas";

/** Query of GET /api/repeat-suggestions. */
export const suggestionQuerySchema = z
  .object({
    status: z.enum(["pending", "confirmed", "rejected", "obsolete"]).default("pending"),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
/** Body of a decision on a suggestion. */
export const suggestionDecisionSchema = z.object({ comment: queryText(1000).trim().min(1).optional() }).strict();
const idSchema = z.coerce.number().int().min(1).max(2_147_483_647);

const sideSchema = z.object({
  caseId: z.string(),
  district: z.string(),
  elements: z.array(z.string()),
  receivedAt: z.string(),
  stage: z.string(),
  outcome: z.string().nullable(),
  repeatCount: z.number().int(),
  subjectType: z.string(),
  /** Null for a person as subject (confidential). */
  subjectName: z.string().nullable(),
  address: z.string().nullable(),
});
const suggestionSchema = z.object({
  id: z.number().int(),
  orderNo: z.string(),
  status: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  comment: z.string().nullable(),
  newer: sideSchema.nullable(),
  older: sideSchema.nullable(),
});
/** Response of GET /api/repeat-suggestions. */
export const suggestionListSchema = z.object({ total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), items: z.array(suggestionSchema) });
/** Response of a decision. */
export const suggestionDecisionResponseSchema = z.object({
  id: z.number().int(),
  status: z.enum(["confirmed", "rejected"]),
  caseId: z.string(),
  candidateId: z.string(),
  repeatCount: z.number().int().optional(),
  escalated: z.boolean().optional(),
});

type CaseSide = {
  id: string;
  district: string;
  elements: string[];
  receivedAt: Date;
  stage: string;
  outcome: string | null;
  repeatCount: number;
  subjectType: string;
  subjectName: string;
  address: string;
};
// A person as subject is confidential: neither name nor address leaves the database in a suggestion.
const side = (c: CaseSide | undefined): z.infer<typeof sideSchema> | null =>
  c
    ? {
        caseId: c.id,
        district: c.district,
        elements: c.elements,
        receivedAt: c.receivedAt.toISOString(),
        stage: c.stage,
        outcome: c.outcome,
        repeatCount: c.repeatCount,
        subjectType: c.subjectType,
        subjectName: c.subjectType === "person" ? null : c.subjectName,
        address: c.subjectType === "person" ? null : c.address,
      }
    : null;

/** The review-queue router (mount at the app's root: it serves /api/repeat-suggestions). */
export function repeatsRouter(deps: AppDeps): Router {
  const r = Router();
  const reviewers = requireRole(deps.tokens, "dispatcher", "supervisor");
  register({
    method: "get",
    path: "/api/repeat-suggestions",
    summary: "The review queue of possible repeats (查重), newest first, with both cases side by side",
    roles: ["dispatcher", "supervisor"],
    query: suggestionQuerySchema,
    response: suggestionListSchema,
  });
  r.get("/api/repeat-suggestions", reviewers, async (req, res) => {
    const q = suggestionQuerySchema.parse(req.query);
    const where = { status: q.status };
    const [total, rows] = await Promise.all([
      deps.prisma.repeatSuggestion.count({ where }),
      deps.prisma.repeatSuggestion.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    ]);
    const ids = [...new Set(rows.flatMap((s) => [s.caseId, s.candidateId]))];
    const cases = await deps.prisma.case.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        district: true,
        elements: true,
        receivedAt: true,
        stage: true,
        outcome: true,
        repeatCount: true,
        subjectType: true,
        subjectName: true,
        address: true,
      },
    });
    const byId = new Map(cases.map((c) => [c.id, c]));
    const items = rows.map((s) => ({
      id: s.id,
      orderNo: s.orderNo,
      status: s.status,
      score: s.score,
      reasons: s.reasons,
      createdAt: s.createdAt.toISOString(),
      decidedAt: s.decidedAt?.toISOString() ?? null,
      decidedBy: s.decidedBy,
      comment: s.comment,
      newer: side(byId.get(s.caseId)),
      older: side(byId.get(s.candidateId)),
    }));
    const body: z.infer<typeof suggestionListSchema> = { total, page: q.page, pageSize: q.pageSize, items };
    res.json(body);
  });

  for (const decision of ["confirm", "reject"] as const) {
    register({
      method: "post",
      path: `/api/repeat-suggestions/{id}/${decision}`,
      summary:
        decision === "confirm"
          ? "Confirm a possible repeat: the newer case's orders join the older case (repeat count, escalation), the newer case ends as merged"
          : "Reject a possible repeat: both cases stay",
      roles: ["dispatcher", "supervisor"],
      body: suggestionDecisionSchema,
      response: suggestionDecisionResponseSchema,
    });
    r.post(`/api/repeat-suggestions/:id/${decision}`, reviewers, async (req, res) => {
      const id = idSchema.parse(req.params.id);
      const { comment } = suggestionDecisionSchema.parse(req.body ?? {});
      const act = decision === "confirm" ? confirmSuggestion : rejectSuggestion;
      res.json(await act(deps, id, req.principal!, comment));
    });
  }
  return r;
}
