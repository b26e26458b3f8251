/**
 * Idempotent writes of each case transition to the read model. Keyed by (case, seq): a retried
 * activity writes nothing twice, and an older transition never overwrites a newer row.
 */
import type { ExtensionRecord, ReadModelRow, RevisitRecord, RewardRecord } from "../workflows/case-state";
import { Prisma, type PrismaClient } from "../db/client";

/** One transition as the workflow reports it. */
export interface TransitionInput {
  caseId: string;
  seq: number;
  at: string;
  type: string;
  by?: string;
  note?: string;
  row: ReadModelRow;
  unitId?: string;
  extension?: ExtensionRecord;
  reward?: RewardRecord;
  revisit?: RevisitRecord;
  repeatOrderNo?: string;
}

const date = (v: string | null) => (v ? new Date(v) : null);

/** Read-model activities. */
export function createReadModelActivities(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    /** Applies one transition: event row, case columns (if newer), and the extension/reward/revisit it carries. */
    async recordTransition(t: TransitionInput): Promise<void> {
      const r = t.row;
      // Long waits on purpose: see TX_OPTIONS in api/intake.ts.
      await prisma.$transaction(async (tx) => {
        const inserted = await tx.caseEvent.createMany({
          data: [{ caseId: t.caseId, seq: t.seq, type: t.type, at: new Date(t.at), data: { by: t.by, note: t.note } as Prisma.InputJsonValue }],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return;
        await tx.case.updateMany({
          where: { id: t.caseId, seq: { lt: t.seq } },
          data: {
            seq: t.seq, stage: r.stage, outcome: r.outcome, unitId: r.unitId, acceptedAt: date(r.acceptedAt), signedAt: date(r.signedAt),
            dueAt: date(r.dueAt), dueProvisional: r.dueProvisional, colour: r.colour, overdue: r.overdue, escalated: r.escalated,
            repeatCount: r.repeatCount, extensionCount: r.extensionCount, violationFound: r.violationFound, industry: r.industry,
            closedAt: date(r.closedAt), returnedAt: date(r.returnedAt), returnReason: r.returnReason,
          },
        });
        if (t.extension) {
          const e = t.extension;
          const data = { status: e.status, decidedAt: date(e.decidedAt ?? null), decidedBy: e.decidedBy ?? null, comment: e.comment ?? null };
          await tx.extension.upsert({
            where: { id: `${t.caseId}:${e.id}` },
            create: { id: `${t.caseId}:${e.id}`, caseId: t.caseId, days: e.days, reason: e.reason, requestedAt: new Date(e.requestedAt), ...data },
            update: data,
          });
        }
        if (t.reward) {
          const w = t.reward;
          const data = {
            status: w.status, amount: w.amountYuan, decidedAt: date(w.decidedAt ?? null), decidedBy: w.decidedBy ?? null,
            paidAt: date(w.paidAt ?? null), paymentRef: w.paymentRef ?? null,
          };
          await tx.reward.upsert({
            where: { id: `${t.caseId}:${w.id}` },
            create: { id: `${t.caseId}:${w.id}`, caseId: t.caseId, appliedAt: new Date(w.appliedAt), ...data },
            update: data,
          });
        }
        if (t.revisit) {
          const v = t.revisit;
          await tx.revisit.createMany({
            data: [{ id: `${t.caseId}:${v.id}`, caseId: t.caseId, at: new Date(v.at), rebound: v.rebound, satisfied: v.satisfied, note: v.note ?? null }],
            skipDuplicates: true,
          });
        }
      }, { maxWait: 60_000, timeout: 60_000 });
    },
  };
}
