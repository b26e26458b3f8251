/**
 * The read model's writes, made only by a case's own workflow. `projectCase` (current runs) is an
 * ordinary activity, so only a committed workflow task can schedule it: it carries the case's whole
 * state as of a sequence, never a delta, and a retry or a late older projection changes nothing newer.
 * `recordTransition` serves runs started before the case machine (legacy, one transition each).
 */
import type { ExtensionRecord, ReadModelRow, RevisitRecord, RewardRecord, TimelineEntry } from "../workflows/case-state";
import type { EvidenceRecord } from "../workflows/case-evidence";
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

/** A case's latest committed state as its workflow projects it. */
export interface ProjectionInput {
  caseId: string;
  seq: number;
  row: ReadModelRow;
  /** Timeline entries not yet sent by this run (a run's first projection sends them all). */
  events: TimelineEntry[];
  extensions: ExtensionRecord[];
  rewards: RewardRecord[];
  revisits: RevisitRecord[];
  /** Evidence items' hashes and metadata (absent when the case has none). */
  evidence?: EvidenceRecord[];
}

const date = (v: string | null) => (v ? new Date(v) : null);
const caseColumns = (r: ReadModelRow) => ({
  stage: r.stage,
  outcome: r.outcome,
  unitId: r.unitId,
  acceptedAt: date(r.acceptedAt),
  signedAt: date(r.signedAt),
  dueAt: date(r.dueAt),
  dueProvisional: r.dueProvisional,
  colour: r.colour,
  overdue: r.overdue,
  escalated: r.escalated,
  repeatCount: r.repeatCount,
  extensionCount: r.extensionCount,
  violationFound: r.violationFound,
  industry: r.industry,
  closedAt: date(r.closedAt),
  returnedAt: date(r.returnedAt),
  returnReason: r.returnReason,
});
const extensionRow = (e: ExtensionRecord) => ({
  status: e.status,
  decidedAt: date(e.decidedAt ?? null),
  decidedBy: e.decidedBy ?? null,
  comment: e.comment ?? null,
});
const rewardRow = (w: RewardRecord) => ({
  status: w.status,
  amount: w.amountYuan,
  decidedAt: date(w.decidedAt ?? null),
  decidedBy: w.decidedBy ?? null,
  // The payment port writes these first; a projection never clears them.
  paidAt: w.paidAt ? new Date(w.paidAt) : undefined,
  paymentRef: w.paymentRef ?? undefined,
});

/** Read-model activities. */
export function createReadModelActivities(deps: { prisma: PrismaClient }) {
  const { prisma } = deps;
  return {
    /**
     * Writes the case's state as of `seq`: its events always (a committed event never changes), its
     * row with its extensions, rewards and revisits only if no newer projection got there first.
     */
    async projectCase(p: ProjectionInput): Promise<void> {
      await prisma.$transaction(
        async (tx) => {
          for (const e of p.events) {
            const data = { type: e.type, at: new Date(e.at), data: { by: e.by, note: e.note } as Prisma.InputJsonValue };
            await tx.caseEvent.upsert({
              where: { caseId_seq: { caseId: p.caseId, seq: e.seq } },
              create: { caseId: p.caseId, seq: e.seq, ...data },
              update: data,
            });
          }
          const updated = await tx.case.updateMany({ where: { id: p.caseId, seq: { lte: p.seq } }, data: { seq: p.seq, ...caseColumns(p.row) } });
          if (updated.count === 0) return;
          for (const e of p.extensions) {
            const id = `${p.caseId}:${e.id}`;
            await tx.extension.upsert({
              where: { id },
              create: { id, caseId: p.caseId, days: e.days, reason: e.reason, requestedAt: new Date(e.requestedAt), ...extensionRow(e) },
              update: extensionRow(e),
            });
          }
          for (const w of p.rewards) {
            const id = `${p.caseId}:${w.id}`;
            const row = { appliedAt: new Date(w.appliedAt), ...rewardRow(w) };
            await tx.reward.upsert({ where: { id }, create: { id, caseId: p.caseId, ...row }, update: row });
          }
          if (p.revisits.length) {
            await tx.revisit.createMany({
              data: p.revisits.map((v) => ({
                id: `${p.caseId}:${v.id}`,
                caseId: p.caseId,
                at: new Date(v.at),
                rebound: v.rebound,
                satisfied: v.satisfied,
                note: v.note ?? null,
              })),
              skipDuplicates: true,
            });
          }
          // An evidence item never changes once recorded: written once, by the first projection that carries it.
          if (p.evidence?.length) {
            await tx.evidence.createMany({
              data: p.evidence.map((e) => ({
                id: e.id,
                caseId: p.caseId,
                sha256: e.sha256,
                mime: e.mime,
                size: e.size,
                stage: e.stage,
                thumbnail: e.thumbnail,
                round: e.round,
                uploadedAt: new Date(e.uploadedAt),
                uploadedBy: e.by,
              })),
              skipDuplicates: true,
            });
          }
        },
        { maxWait: 60_000, timeout: 60_000 },
      );
    },

    /** Applies one transition: event row, case columns (if newer), and the extension/reward/revisit it carries. */
    async recordTransition(t: TransitionInput): Promise<void> {
      const r = t.row;
      // Long waits on purpose: see TX_OPTIONS in api/intake.ts.
      await prisma.$transaction(
        async (tx) => {
          const inserted = await tx.caseEvent.createMany({
            data: [{ caseId: t.caseId, seq: t.seq, type: t.type, at: new Date(t.at), data: { by: t.by, note: t.note } as Prisma.InputJsonValue }],
            skipDuplicates: true,
          });
          if (inserted.count === 0) return;
          await tx.case.updateMany({
            where: { id: t.caseId, seq: { lt: t.seq } },
            data: { seq: t.seq, ...caseColumns(r) },
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
              status: w.status,
              amount: w.amountYuan,
              decidedAt: date(w.decidedAt ?? null),
              decidedBy: w.decidedBy ?? null,
              paidAt: date(w.paidAt ?? null),
              paymentRef: w.paymentRef ?? null,
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
        },
        { maxWait: 60_000, timeout: 60_000 },
      );
    },
  };
}
