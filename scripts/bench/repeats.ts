/**
 * Benchmark: repeat detection (查重) on the labelled set test/fixtures/repeats-labelled.jsonl —
 * pairwise precision and recall of the joins, the share of problems merged into one case, the
 * distractors joined by mistake and the possible repeats left for review; beside the exact-match
 * rule intake had before. No server: the matcher is pure.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { matchFeatures } from "../../matching/normalise.ts";
import { exactJoiner, matcherJoiner, replay, type LabelledOrder, type ReplayResult } from "../../matching/replay.ts";
import { decide, type Candidate } from "../../matching/score.ts";

const WINDOW_DAYS = 30;
const file = join(dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/repeats-labelled.jsonl");

/** The labelled orders. */
export function labelledOrders(path = file): LabelledOrder[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledOrder);
}

/** Runs the matcher and the old exact rule over the labelled set. */
export async function run(): Promise<Record<string, unknown>> {
  const orders = labelledOrders();
  const hash = (s: string) => createHmac("sha256", "bench-key").update(s).digest("hex");
  const t0 = performance.now();
  const matcher = replay(orders, matcherJoiner(WINDOW_DAYS), hash);
  const ms = performance.now() - t0;
  const exact = replay(orders, exactJoiner(WINDOW_DAYS), hash);
  return { windowDays: WINDOW_DAYS, matcher, exact, msForSet: Math.round(ms), ...worstCase(orders, hash) };
}

/** Intake's worst case: one order scored against the most candidates intake selects (300 open cases of 3 orders each). */
function worstCase(orders: LabelledOrder[], hash: (s: string) => string) {
  const t0 = performance.now();
  const features = orders.map((o) =>
    matchFeatures({ subjectName: o.subject.name, subjectType: o.subject.type, address: o.address, location: o.location }, hash),
  );
  const t1 = performance.now();
  const candidates: Candidate[] = Array.from({ length: 300 }, (_, i) => ({
    caseId: `case-${i}`,
    sameDistrict: i % 2 === 0,
    orders: [0, 1, 2].map((k) => features[(i * 3 + k) % features.length]!),
  }));
  for (const f of features) decide(f, candidates);
  const t2 = performance.now();
  return {
    worstCaseMsPerOrder: Math.round(((t2 - t1) / features.length) * 100) / 100,
    featuresMsPerOrder: Math.round(((t1 - t0) / features.length) * 1000) / 1000,
  };
}

const line = (name: string, r: ReplayResult) =>
  `  ${name}: precision ${r.pairwisePrecision.toFixed(3)}, recall ${r.pairwiseRecall.toFixed(3)}, problems in one case ${(r.problemsInOneCase * 100).toFixed(0)}%, ` +
  `distractors joined ${r.distractorsJoined}/${r.distractors}, possible repeats ${r.possibleRepeats} (${r.possibleRight} right)`;

/** Human summary of a result of run(). */
export function summary(r: Record<string, unknown>): string {
  const m = r.matcher as ReplayResult;
  const a = m.afterReview;
  return [
    `repeats: ${m.orders} labelled orders, ${m.problems} problems (${m.repeatedProblems} reported more than once, ${m.distractors} single reports), window ${String(r.windowDays)} days`,
    line("matcher (confident joins only)", m),
    `  matcher after review (right suggestions confirmed): precision ${a.pairwisePrecision.toFixed(3)}, recall ${a.pairwiseRecall.toFixed(3)}, problems in one case ${(a.problemsInOneCase * 100).toFixed(0)}%`,
    line("exact subject or address (before)", r.exact as ReplayResult),
    `  matcher time for the set: ${String(r.msForSet)} ms; one order against 300 open cases of 3 orders (intake's most): ${String(r.worstCaseMsPerOrder)} ms; features of one order: ${String(r.featuresMsPerOrder)} ms`,
  ].join("\n");
}
