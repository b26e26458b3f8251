/**
 * GET /api/approvals: the supervisors' queues — pending extension requests and reward
 * applications, from the read model. Each item carries the workflow's own id (`itemId`, e.g.
 * `ext-1`, `reward-1`) for the decision routes `/api/cases/{caseId}/extensions/{itemId}/decision`
 * and `/api/cases/{caseId}/rewards/{itemId}/decision`; the row id is `${caseId}:${itemId}`.
 * No reporter data: the queues show the case, never who reported it.
 */
import { Router } from "express";
import { z } from "zod";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { register } from "../openapi";

/** The most items a queue returns (oldest first). */
export const APPROVALS_LIMIT = 500;

const caseSummarySchema = z.object({
  subjectName: z.string(),
  district: z.string(),
  kind: z.string(),
  stage: z.string(),
  unitId: z.string().nullable(),
  dueAt: z.string().nullable(),
  colour: z.string(),
  escalated: z.boolean(),
});
const extensionItemSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  caseId: z.string(),
  days: z.number().int(),
  reason: z.string(),
  status: z.literal("pending"),
  requestedAt: z.string(),
  case: caseSummarySchema,
});
const rewardItemSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  caseId: z.string(),
  amountYuan: z.number().int(),
  status: z.literal("pending"),
  appliedAt: z.string(),
  case: caseSummarySchema,
});
/** Response of GET /api/approvals. */
export const approvalsResponseSchema = z.object({ extensions: z.array(extensionItemSchema), rewards: z.array(rewardItemSchema) });
/** A response of GET /api/approvals. */
export type ApprovalsResponse = z.infer<typeof approvalsResponseSchema>;

/** The workflow's id of an item: the part of the row id after `${caseId}:`. */
export function itemIdOf(rowId: string, caseId: string): string {
  return rowId.startsWith(`${caseId}:`) ? rowId.slice(caseId.length + 1) : rowId.slice(rowId.lastIndexOf(":") + 1);
}

const caseSelect = {
  subjectName: true,
  district: true,
  kind: true,
  stage: true,
  unitId: true,
  dueAt: true,
  colour: true,
  escalated: true,
} as const;
type CaseRow = {
  subjectName: string;
  district: string;
  kind: string;
  stage: string;
  unitId: string | null;
  dueAt: Date | null;
  colour: string;
  escalated: boolean;
};
const caseSummary = (c: CaseRow) => ({ ...c, dueAt: c.dueAt?.toISOString() ?? null });

/** The approvals router (mount at the app's root: it serves /api/approvals). */
export function approvalsRouter(deps: AppDeps): Router {
  const r = Router();
  register({
    method: "get",
    path: "/api/approvals",
    summary: "Pending extension requests and reward applications",
    roles: ["supervisor", "admin"],
    response: approvalsResponseSchema,
  });
  r.get("/api/approvals", requireRole(deps.tokens, "supervisor", "admin"), async (_req, res) => {
    const [extensions, rewards] = await Promise.all([
      deps.prisma.extension.findMany({
        where: { status: "pending" },
        orderBy: { requestedAt: "asc" },
        take: APPROVALS_LIMIT,
        include: { case: { select: caseSelect } },
      }),
      deps.prisma.reward.findMany({
        where: { status: "pending" },
        orderBy: { appliedAt: "asc" },
        take: APPROVALS_LIMIT,
        include: { case: { select: caseSelect } },
      }),
    ]);
    const body: ApprovalsResponse = {
      extensions: extensions.map((e) => ({
        id: e.id,
        itemId: itemIdOf(e.id, e.caseId),
        caseId: e.caseId,
        days: e.days,
        reason: e.reason,
        status: "pending",
        requestedAt: e.requestedAt.toISOString(),
        case: caseSummary(e.case),
      })),
      rewards: rewards.map((w) => ({
        id: w.id,
        itemId: itemIdOf(w.id, w.caseId),
        caseId: w.caseId,
        amountYuan: w.amount,
        status: "pending",
        appliedAt: w.appliedAt.toISOString(),
        case: caseSummary(w.case),
      })),
    };
    res.json(body);
  });
  return r;
}
