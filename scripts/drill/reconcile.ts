/** The reconciliation checker: every case's workflow state against its read-model row; prints the drift. */
import type { PrismaClient } from "../../db/client";
import type { Client } from "@temporalio/client";
import { readModelRow } from "../../workflows/case-state";
import { stateQuery } from "../../workflows/messages";

const FIELDS = ["stage", "unitId", "colour", "overdue", "escalated", "repeatCount", "extensionCount", "closedAt", "dueAt", "returnReason"] as const;

const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null));

/** Compares the cases whose first order number starts with `prefix` (all when empty); retries while the read model catches up. */
export async function reconcile(prisma: PrismaClient, client: Client, prefix = "", rounds = 10): Promise<{ checked: number; drift: string[] }> {
  let drift: string[] = [];
  let checked = 0;
  for (let round = 0; round < rounds; round++) {
    const rows = await prisma.case.findMany({ where: { firstOrderNo: { startsWith: prefix } } });
    checked = rows.length;
    drift = [];
    for (let i = 0; i < rows.length; i += 50) {
      await Promise.all(
        rows.slice(i, i + 50).map(async (row) => {
          try {
            const state = await client.workflow.getHandle(row.id).query(stateQuery);
            const want = readModelRow({ ...state, seq: 0 }) as Record<string, unknown>;
            for (const f of FIELDS) {
              if (norm(want[f]) !== norm((row as Record<string, unknown>)[f]))
                drift.push(
                  `${row.id}.${f}: workflow ${JSON.stringify(norm(want[f]))} vs read model ${JSON.stringify(norm((row as Record<string, unknown>)[f]))}`,
                );
            }
          } catch (e) {
            drift.push(`${row.id}: ${(e as Error).message}`);
          }
        }),
      );
    }
    if (drift.length === 0) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return { checked, drift };
}
