/**
 * Runs the matcher over a labelled set of orders in the order they arrived, as intake would (the
 * same candidate rule: nearby district, shared element, within the window), and measures it:
 * pairwise precision and recall of the joins, and how many problems ended in one case.
 */
import { nearbyDistricts } from "./districts";
import { matchFeatures, type GeoPoint, type MatchFeatures } from "./normalise";
import { decide, type MatchOutcome } from "./score";

/** One labelled order: `problem` is the ground truth (same polluter, same place, shared element, within the window). */
export interface LabelledOrder {
  orderNo: string;
  problem: string;
  day: number;
  district: string;
  elements: string[];
  subject: { name: string; type: "enterprise" | "person" };
  address: string;
  location?: GeoPoint;
}

/** How a way of joining orders to cases decides one order against the open cases. */
export type Joiner = (order: LabelledOrder, features: MatchFeatures, cases: SimCase[]) => { outcome: MatchOutcome; caseId?: string };

/** A case of the simulation. */
export interface SimCase {
  caseId: string;
  district: string;
  firstDay: number;
  elements: Set<string>;
  orders: LabelledOrder[];
  features: MatchFeatures[];
}

/** The figures of one run. */
export interface ReplayResult {
  orders: number;
  problems: number;
  repeatedProblems: number;
  pairwisePrecision: number;
  pairwiseRecall: number;
  /** Share of problems reported more than once whose orders all ended in one case. */
  problemsInOneCase: number;
  /** Orders of a one-report problem (distractors) joined to another problem's case. */
  distractorsJoined: number;
  distractors: number;
  possibleRepeats: number;
  /** Possible repeats whose suggested case is the right one (a dispatcher would confirm). */
  possibleRight: number;
  /** The same figures once a dispatcher has confirmed the right suggestions and rejected the wrong ones. */
  afterReview: { pairwisePrecision: number; pairwiseRecall: number; problemsInOneCase: number };
}

/** The matcher's joiner: candidates as intake selects them, scored on all their orders. */
export const matcherJoiner =
  (windowDays: number): Joiner =>
  (order, features, cases) => {
    const nearby = nearbyDistricts(order.district);
    const candidates = cases
      .filter((c) => nearby.includes(c.district) && order.elements.some((e) => c.elements.has(e)) && c.firstDay >= order.day - windowDays)
      .map((c) => ({ caseId: c.caseId, sameDistrict: c.district === order.district, orders: c.features }));
    const d = decide(features, candidates);
    return { outcome: d.outcome, caseId: d.best?.caseId };
  };

/** The joiner intake had before: an exact subject or address against the case's first order. */
export const exactJoiner =
  (windowDays: number): Joiner =>
  (order, _f, cases) => {
    const c = cases.find(
      (c) =>
        order.elements.some((e) => c.elements.has(e)) &&
        c.firstDay >= order.day - windowDays &&
        (c.orders[0]!.subject.name === order.subject.name || c.orders[0]!.address === order.address),
    );
    return c ? { outcome: "repeat", caseId: c.caseId } : { outcome: "new" };
  };

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise figures of a partition of the orders into cases. */
function measure(groups: LabelledOrder[][], all: LabelledOrder[]) {
  let predicted = 0;
  let right = 0;
  for (const g of groups) {
    predicted += pairs(g.length);
    const byProblem = new Map<string, number>();
    for (const o of g) byProblem.set(o.problem, (byProblem.get(o.problem) ?? 0) + 1);
    for (const n of byProblem.values()) right += pairs(n);
  }
  const truth = new Map<string, number>();
  for (const o of all) truth.set(o.problem, (truth.get(o.problem) ?? 0) + 1);
  const truePairs = [...truth.values()].reduce((a, n) => a + pairs(n), 0);
  const repeated = [...truth.entries()].filter(([, n]) => n > 1).map(([p]) => p);
  const whole = repeated.filter((p) => groups.some((g) => g.filter((o) => o.problem === p).length === truth.get(p))).length;
  return {
    pairwisePrecision: predicted ? right / predicted : 1,
    pairwiseRecall: truePairs ? right / truePairs : 1,
    problemsInOneCase: repeated.length ? whole / repeated.length : 1,
    repeated: repeated.length,
    problems: truth.size,
  };
}

/** Replays the orders through a joiner; `hash` stands for the vault's keyed hash. */
export function replay(orders: LabelledOrder[], joiner: Joiner, hash: (s: string) => string): ReplayResult {
  const sorted = [...orders].sort((a, b) => a.day - b.day || a.orderNo.localeCompare(b.orderNo));
  const cases: SimCase[] = [];
  const reviewed: SimCase[] = [];
  const caseOf = new Map<string, SimCase>();
  let possibleRepeats = 0;
  let possibleRight = 0;
  let distractorsJoined = 0;
  const size = new Map<string, number>();
  for (const o of orders) size.set(o.problem, (size.get(o.problem) ?? 0) + 1);
  const open = (list: SimCase[], o: LabelledOrder, f: MatchFeatures) => {
    const c: SimCase = { caseId: `case-${o.orderNo}`, district: o.district, firstDay: o.day, elements: new Set(o.elements), orders: [o], features: [f] };
    list.push(c);
    return c;
  };
  const join = (c: SimCase, o: LabelledOrder, f: MatchFeatures) => {
    c.orders.push(o);
    c.features.push(f);
    for (const e of o.elements) c.elements.add(e);
  };
  for (const o of sorted) {
    const f = matchFeatures({ subjectName: o.subject.name, subjectType: o.subject.type, address: o.address, location: o.location }, hash);
    const d = joiner(o, f, cases);
    const target = d.caseId ? cases.find((c) => c.caseId === d.caseId) : undefined;
    if (d.outcome === "repeat" && target) {
      join(target, o, f);
      if (size.get(o.problem) === 1) distractorsJoined++;
    } else caseOf.set(o.orderNo, open(cases, o, f));
    // The review queue's world: the same decision, and a dispatcher who confirms a right suggestion and rejects a wrong one.
    const rd = joiner(o, f, reviewed);
    const rTarget = rd.caseId ? reviewed.find((c) => c.caseId === rd.caseId) : undefined;
    const right = !!rTarget && rTarget.orders.some((x) => x.problem === o.problem);
    if (d.outcome === "possible") {
      possibleRepeats++;
      if (target?.orders.some((x) => x.problem === o.problem)) possibleRight++;
    }
    if (rTarget && (rd.outcome === "repeat" || (rd.outcome === "possible" && right))) join(rTarget, o, f);
    else open(reviewed, o, f);
  }
  const m = measure(
    cases.map((c) => c.orders),
    orders,
  );
  const r = measure(
    reviewed.map((c) => c.orders),
    orders,
  );
  return {
    orders: orders.length,
    problems: m.problems,
    repeatedProblems: m.repeated,
    pairwisePrecision: m.pairwisePrecision,
    pairwiseRecall: m.pairwiseRecall,
    problemsInOneCase: m.problemsInOneCase,
    distractorsJoined,
    distractors: [...size.values()].filter((n) => n === 1).length,
    possibleRepeats,
    possibleRight,
    afterReview: { pairwisePrecision: r.pairwisePrecision, pairwiseRecall: r.pairwiseRecall, problemsInOneCase: r.problemsInOneCase },
  };
}
