/**
 * Repeat matching at intake: the candidate open cases (nearby district, shared element, within the
 * window) from the read model, each with the match features of all its orders, scored by the pure
 * matcher (matching/score.ts). Candidates are selected in SQL on indexed columns and scored in
 * TypeScript: PostgreSQL's pg_trgm does not see Chinese characters as word characters under the C
 * locale the embedded database uses, and trigram similarity cannot tell 706号 from 760号 anyway.
 */
import type { PrismaClient } from "../db/client";
import { nearbyDistricts } from "../matching/districts";
import { matchFeatures, type MatchFeatures } from "../matching/normalise";
import { decide, type Candidate, type CandidateScore, type MatchOutcome } from "../matching/score";
import type { PiiVault } from "../security/pii";
import { OPEN_STAGES } from "../workflows/contract";
import type { OrderBody } from "./schemas";

// Most recent candidates scored per order: bounds intake's work when a district has very many open cases.
const MAX_CANDIDATES = 300;

/** An order's match features (a person as subject: keyed hashes only). */
export function orderFeatures(body: OrderBody, vault: PiiVault): MatchFeatures {
  return matchFeatures({ subjectName: body.subject.name, subjectType: body.subject.type, address: body.address, location: body.location }, (s) =>
    vault.hash(s),
  );
}

// A case's first subject and address never change: their features are computed once per process.
const firstOrderCache = new Map<string, MatchFeatures>();
const FIRST_ORDER_CACHE_SIZE = 20_000;

/** Features of a case opened before match features were kept, from its row (its first order). */
function firstOrderFeatures(c: { id: string; subjectName: string; subjectType: string; address: string }, vault: PiiVault): MatchFeatures {
  let f = firstOrderCache.get(c.id);
  if (!f) {
    f = matchFeatures({ subjectName: c.subjectName, subjectType: c.subjectType as "enterprise" | "person", address: c.address }, (s) => vault.hash(s));
    if (firstOrderCache.size >= FIRST_ORDER_CACHE_SIZE) firstOrderCache.delete(firstOrderCache.keys().next().value!);
    firstOrderCache.set(c.id, f);
  }
  return f;
}

/** The decision for an order, with the candidates' features of the best one (for the review queue's labelled example). */
export interface RepeatDecision {
  outcome: MatchOutcome;
  best?: CandidateScore;
  candidates: Candidate[];
}

/** Scores the order against the open cases it may repeat. */
export async function matchOpenCases(prisma: PrismaClient, vault: PiiVault, body: OrderBody, features: MatchFeatures, since: Date): Promise<RepeatDecision> {
  const cases = await prisma.case.findMany({
    where: { stage: { in: [...OPEN_STAGES] }, receivedAt: { gte: since }, district: { in: nearbyDistricts(body.district) } },
    select: { id: true, district: true, elements: true, subjectName: true, subjectType: true, address: true },
    orderBy: { receivedAt: "desc" },
    take: MAX_CANDIDATES,
  });
  if (!cases.length) return { outcome: "new", candidates: [] };
  const rows = await prisma.orderMatch.findMany({
    where: { caseId: { in: cases.map((c) => c.id) } },
    select: { caseId: true, elements: true, features: true },
  });
  const byCase = new Map<string, typeof rows>();
  for (const r of rows) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
  const candidates: Candidate[] = [];
  for (const c of cases) {
    const own = byCase.get(c.id) ?? [];
    // An element any of the case's orders named (Jiaozuo art. 11: the same problem).
    const elements = new Set([...c.elements, ...own.flatMap((r) => r.elements)]);
    if (!body.elements.some((e) => elements.has(e))) continue;
    // A case opened before match features were kept is matched on its first order's subject and address.
    const orders = own.length ? own.map((r) => r.features as unknown as MatchFeatures) : [firstOrderFeatures(c, vault)];
    candidates.push({ caseId: c.id, sameDistrict: c.district === body.district, orders });
  }
  return { ...decide(features, candidates), candidates };
}
