/**
 * The read-model rows reconcile does not compare, against the workflow's state: each CaseEvent's type
 * by seq, each Extension's and Reward's status, the Revisit rows, and the repeat orders recorded against a case.
 */
import type { Client } from "@temporalio/client";
import type { PrismaClient } from "../../db/client";
import { stateQuery } from "../../workflows/messages";
import type { CaseStatus } from "./storm-api";

/** Drift lines of one case. */
async function caseRowDrift(prisma: PrismaClient, id: string, s: CaseStatus): Promise<string[]> {
  const drift: string[] = [];
  const [events, extensions, rewards, revisits, orders] = await Promise.all([
    prisma.caseEvent.findMany({ where: { caseId: id } }),
    prisma.extension.findMany({ where: { caseId: id } }),
    prisma.reward.findMany({ where: { caseId: id } }),
    prisma.revisit.findMany({ where: { caseId: id } }),
    prisma.hotlineOrder.findMany({ where: { caseId: id, isRepeat: true } }),
  ]);
  const bySeq = new Map(events.map((e) => [e.seq, e.type]));
  for (const entry of s.timeline) {
    const type = bySeq.get(entry.seq);
    if (type !== entry.type) drift.push(`${id} CaseEvent ${entry.seq}: workflow ${entry.type} vs read model ${type ?? "(none)"}`);
    bySeq.delete(entry.seq);
  }
  for (const [seq, type] of bySeq) drift.push(`${id} CaseEvent ${seq}: workflow (none) vs read model ${type}`);
  const items = (kind: string, wf: Array<{ id: string; status: string }>, rows: Array<{ id: string; status: string }>) => {
    const byId = new Map(rows.map((r) => [r.id, r.status]));
    for (const w of wf) {
      const status = byId.get(`${id}:${w.id}`);
      if (status !== w.status) drift.push(`${id} ${kind} ${w.id}: workflow ${w.status} vs read model ${status ?? "(none)"}`);
      byId.delete(`${id}:${w.id}`);
    }
    for (const [rowId, status] of byId) drift.push(`${id} ${kind} ${rowId}: workflow (none) vs read model ${status}`);
  };
  items("Extension", s.extensions, extensions);
  items("Reward", s.rewards, rewards);
  items(
    "Revisit",
    s.revisits.map((v) => ({ id: v.id, status: "recorded" })),
    revisits.map((v) => ({ id: v.id, status: "recorded" })),
  );
  const joined = new Set(s.repeats.map((r) => r.orderNo));
  for (const o of orders) if (!joined.has(o.orderNo)) drift.push(`${id} HotlineOrder ${o.orderNo}: recorded as a repeat, but the workflow never joined it`);
  const recorded = new Set(orders.map((o) => o.orderNo));
  for (const r of s.repeats) if (!recorded.has(r.orderNo)) drift.push(`${id} HotlineOrder ${r.orderNo}: joined by the workflow, no repeat row`);
  return drift;
}

/** Compares the rows of the cases `ids`; retries while the read model catches up (at most `rounds` times, 2 s apart). */
export async function rowDrift(prisma: PrismaClient, client: Client, ids: string[], rounds = 5): Promise<string[]> {
  let drift: string[] = [];
  for (let round = 0; round < rounds; round++) {
    drift = [];
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids.slice(i, i + 20).map(async (id) => {
          try {
            drift.push(...(await caseRowDrift(prisma, id, await client.workflow.getHandle(id).query(stateQuery))));
          } catch (e) {
            const err = e as Error;
            drift.push(`${id}: ${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ""}`.slice(0, 300));
          }
        }),
      );
    }
    if (drift.length === 0) break;
    if (round < rounds - 1) await new Promise((r) => setTimeout(r, 2000));
  }
  return drift;
}
