/**
 * Scores an order against an open case on normalised polluter and place together, over everything
 * the case's orders have said, and decides: confident repeat, possible repeat (a dispatcher decides)
 * or new case. Evidence is in [-1, 1] per half; a name or an address alone can suggest, not join,
 * unless it is specific (a distinctive name in the same district, a house number or a point).
 */
import { distance } from "fastest-levenshtein";
import { DISTINGUISHING_CHARS, TOWN_SUFFIX } from "./lexicon";
import { toPinyin, type GeoPoint, type MatchFeatures, type NameFeatures, type PlaceFeatures } from "./normalise";

/** The decision on one order. */
export type MatchOutcome = "repeat" | "possible" | "new";

/** A candidate case with the features of each of its orders and its district relation. */
export interface Candidate {
  caseId: string;
  /** Same district as the order, or a neighbouring one (config/district-neighbours.json). */
  sameDistrict: boolean;
  orders: MatchFeatures[];
}

/** The score of one candidate and the evidence behind it (for the review queue: no personal data). */
export interface CandidateScore {
  caseId: string;
  score: number;
  name: number;
  place: number;
  trade: number;
  reasons: string[];
}

/** Thresholds: a confident join at `repeat` or above, a suggestion at `possible` or above. */
export const THRESHOLDS = { repeat: 0.6, possible: 0.3 } as const;
const W = { name: 0.5, place: 0.5, trade: 0.15, tradeConflict: -0.6, neighbour: -0.1 } as const;

/** Character bigrams (a one-character core is its own gram). */
const grams = (s: string) => {
  const a = [...s];
  return a.length < 2 ? a : a.slice(1).map((c, i) => a[i] + c);
};
/** Dice coefficient of character bigrams. */
export function dice(a: string, b: string): number {
  if (!a || !b) return 0;
  const ga = grams(a);
  const gb = new Map<string, number>();
  for (const g of grams(b)) gb.set(g, (gb.get(g) ?? 0) + 1);
  let hit = 0;
  for (const g of ga) {
    const n = gb.get(g) ?? 0;
    if (n > 0) {
      hit++;
      gb.set(g, n - 1);
    }
  }
  return (2 * hit) / (ga.length + grams(b).length);
}

/** The Latin letters and digits of a text ("4s", "a3", "88"): typed exactly, so two that differ are two things. */
const codes = (s: string) => (s.match(/[a-z0-9]+/g) ?? []).join(" ");

/** Similarity of two name cores in [0, 1]: equal, homophone (an input method's typo), containment, one typo, bigrams. */
export function coreSimilarity(a: NameFeatures, b: NameFeatures): number {
  if (!a.core || !b.core) return 0;
  if (a.core === b.core) return 1;
  if (codes(a.core) !== codes(b.core)) return 0;
  if (a.corePinyin && a.corePinyin === b.corePinyin) return 0.95;
  const [short, long] = a.core.length <= b.core.length ? [a.core, b.core] : [b.core, a.core];
  // One name inside the other ("春天里" / "建业春天里") is a hint, not proof: "万方" and "万方物流" may be two firms.
  if ([...short].length >= 2 && long.includes(short)) return 0.7;
  const len = Math.max([...a.core].length, [...b.core].length);
  // One mistyped character in a name of three or more (two characters differing in one are different names: 宏达 / 宏远).
  if (len >= 3 && distance(a.core, b.core) === 1) return 0.8;
  return dice(a.core, b.core);
}

/** Name evidence: strong when cores agree, against when two distinctive cores differ, none when either is generic. */
function nameEvidence(a: NameFeatures, b: NameFeatures): number {
  if (!a.core || !b.core) return 0;
  const sim = coreSimilarity(a, b);
  if (sim >= 0.75) return sim;
  return sim <= 0.34 ? -0.5 : 0;
}

const sameRoad = (a: string, b: string) => {
  if (a === b) return true;
  const stem = (r: string) => r.replace(/(?:大道|大街|路|街|巷|胡同)$/, "");
  const [sa, sb] = [stem(a), stem(b)];
  // "解放东路" and "解放路东段" are one road to a caller; one mistyped character in a longer name too.
  // A homophone typed by an input method (南通路 / 南同路) is the same road too.
  return (
    sa === sb ||
    (Math.min(sa.length, sb.length) >= 2 && distance(sa, sb) <= 1 && Math.max(sa.length, sb.length) >= 3) ||
    (sa.length === sb.length && sa.length >= 2 && toPinyin(sa) === toPinyin(sb))
  );
};
const TOWN = new RegExp(`${TOWN_SUFFIX}$`);
const distinguishing = new RegExp(`[${DISTINGUISHING_CHARS}]`);
// One area named in full or in part ("张庄村" / "西村乡张庄村"), or with one mistyped character in a longer name (老催庄村 / 老崔庄村),
// unless the characters that differ tell two places apart (东韩王村 / 西韩王村).
const sameArea = (a: string, b: string) => {
  if (a === b || (Math.min(a.length, b.length) >= 3 && (a.includes(b) || b.includes(a)))) return true;
  if (a.length !== b.length || a.length < 4 || distance(a, b) !== 1) return false;
  const i = [...a].findIndex((c, k) => c !== b[k]);
  return !distinguishing.test(a[i]!) && !distinguishing.test(b[i]!);
};
const SITE_END = /(?:工业园区|工业园|产业园|园区|村)$/;
/** The road (or park, or village) of a house: one site named in full or in part is one site. */
const sameStreet = (a: string, b: string) => sameRoad(a, b) || (SITE_END.test(a) && SITE_END.test(b) && sameArea(a, b));
/** Villages, estates, parks, markets: the areas that tell places apart (towns and subdistricts are too large). */
const sites = (p: PlaceFeatures) => p.areas.filter((a) => !TOWN.test(a));

/** An address without the vague tail callers add ("…对面路边", "…附近"), which says nothing about the spot. */
const vague = (t: string) => t.replace(/(?:马路边|路边|街边|路旁|旁边|附近|周边|一带)$/, "");

/** Whether an address names a road or a landmark, not only areas. */
const pinpoints = (p: PlaceFeatures) => p.roads.length > 0 || (p.landmarks ?? []).length > 0;

/** Metres between two points (haversine). */
export function metres(a: GeoPoint, b: GeoPoint): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lng - a.lng) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * Place evidence from text: the same house on the same road is strong; two different houses, or two
 * different villages or estates, are against; a crossing is strong, a road of it some, an area alone little.
 */
function textPlaceEvidence(a: PlaceFeatures, b: PlaceFeatures): { ev: number; why: string } {
  if (!a.text || !b.text) return { ev: 0, why: "" };
  if (a.houses.some((x) => b.houses.some((y) => sameStreet(x.road, y.road) && x.no === y.no))) return { ev: 1, why: "same house number" };
  if (a.houses.length && b.houses.length) return { ev: -0.5, why: "another house" };
  let best = { ev: 0, why: "" };
  const take = (ev: number, why: string) => {
    if (ev > best.ev) best = { ev, why };
  };
  for (const x of a.crossings) if (b.crossings.includes(x)) take(0.9, "same intersection");
  const crossingRoads = (p: PlaceFeatures) => p.crossings.flatMap((c) => c.split("|"));
  // A house on one of the crossing's roads: near, perhaps.
  if (a.houses.some((h) => crossingRoads(b).some((r) => sameRoad(r, h.road))) || b.houses.some((h) => crossingRoads(a).some((r) => sameRoad(r, h.road))))
    take(0.35, "on a road of the intersection");
  if (a.roads.some((r) => b.roads.some((s) => sameRoad(r, s)))) take(0.3, "same road");
  const [sa, sb] = [sites(a), sites(b)];
  const sameSite = sa.some((r) => sb.some((s) => sameArea(r, s)));
  if (sameSite) take(0.3, "same area");
  if (a.areas.some((r) => b.areas.some((s) => sameArea(r, s)))) take(0.1, "same town");
  // The same landmark (a school, a station): near the same place; two landmarks may well name one place, so no conflict.
  if ((a.landmarks ?? []).some((r) => (b.landmarks ?? []).some((s) => sameArea(r, s)))) take(0.35, "same landmark");
  const sim = codes(a.text) === codes(b.text) ? dice(vague(a.text), vague(b.text)) : 0;
  // Nearly the same words around a road or a landmark ("人民公园东门对面") place one spot; around a village or park alone, only its area.
  if (sim >= 0.8) take(pinpoints(a) && pinpoints(b) ? sim : 0.6 * sim, "similar address");
  // Two different villages, estates or parks are two places, however alike their towns and wording.
  if (sa.length && sb.length && !sameSite && best.ev < 0.9) return { ev: -0.4, why: "another area" };
  return best;
}

/** Place evidence from points where both carry one: within 150 m strong, beyond 1.5 km against. */
function pointEvidence(a?: GeoPoint, b?: GeoPoint): number | undefined {
  if (!a || !b) return undefined;
  const m = metres(a, b);
  return m <= 150 ? 1 : m <= 500 ? 0.5 : m <= 1500 ? 0 : -0.8;
}

/** An order's trades: its subject's, or, when the subject names none, its address's ("焦克路166号化工厂"). */
const tradesOfOrder = (o: MatchFeatures) => (o.kind === "person" ? [] : o.name.trades.length ? o.name.trades : o.place.trades);
const tradesOf = (orders: MatchFeatures[]) => new Set(orders.flatMap(tradesOfOrder));

/** The score of an order against a case: the best name and place evidence over the case's orders, the trades of all of them. */
export function scoreCandidate(order: MatchFeatures, c: Candidate): CandidateScore {
  const reasons: string[] = [];
  // Over the case's orders: the best agreement if any order agrees, else the strongest disagreement (a vaguer order says nothing).
  const names: number[] = [];
  const places: { ev: number; why: string }[] = [];
  let point: number | undefined;
  for (const o of c.orders) {
    const p = pointEvidence(order.kind === "person" ? order.location : order.place.location, o.kind === "person" ? o.location : o.place.location);
    if (p !== undefined) point = Math.max(point ?? -1, p);
    if (order.kind === "person" || o.kind === "person") {
      // A person as subject is matched by keyed hash only, never on text.
      const both = order.kind === "person" && o.kind === "person";
      names.push(both && order.nameKey === o.nameKey ? 1 : 0);
      places.push(both && order.addressKey === o.addressKey ? { ev: 1, why: "same address" } : { ev: 0, why: "" });
      continue;
    }
    names.push(nameEvidence(order.name, o.name));
    places.push(textPlaceEvidence(order.place, o.place));
  }
  const agreeOrAgainst = <T>(xs: T[], v: (x: T) => number): T | undefined => {
    const sorted = [...xs].sort((a, b) => v(b) - v(a));
    return sorted[0] !== undefined && v(sorted[0]) > 0 ? sorted[0] : sorted[sorted.length - 1];
  };
  const name = agreeOrAgainst(names, (x) => x) ?? 0;
  const bestPlace = agreeOrAgainst(places, (x) => x.ev) ?? { ev: 0, why: "" };
  let place = bestPlace.ev;
  const placeWhy = bestPlace.why;
  if (point !== undefined) {
    place = point >= 0 ? Math.max(place, point) : (place + point) / 2;
    reasons.push(point >= 0.5 ? "reported points close" : point < 0 ? "reported points far apart" : "reported points some way apart");
  }
  let trade = 0;
  if (order.kind === "enterprise") {
    const theirs = tradesOf(c.orders);
    const mine = tradesOfOrder(order);
    if (mine.length && theirs.size) trade = mine.some((t) => theirs.has(t)) ? 1 : -1;
  }
  if (name > 0) reasons.push(name >= 0.95 ? "same name" : "similar name");
  if (name < 0) reasons.push("different name");
  if (placeWhy) reasons.push(placeWhy);
  if (trade) reasons.push(trade > 0 ? "same trade" : "different trade");
  if (!c.sameDistrict) reasons.push("neighbouring district");
  const score = W.name * name + W.place * place + (trade > 0 ? W.trade : trade < 0 ? W.tradeConflict : 0) + (c.sameDistrict ? 0 : W.neighbour);
  return { caseId: c.caseId, score: Math.round(score * 1000) / 1000, name, place, trade, reasons };
}

/** The decision over the candidates: the best-scoring one, and whether it is a confident repeat, a possible one, or none. */
export function decide(order: MatchFeatures, candidates: Candidate[]): { outcome: MatchOutcome; best?: CandidateScore } {
  const scored = candidates.map((c) => scoreCandidate(order, c)).sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || best.score < THRESHOLDS.possible) return { outcome: "new", best };
  return { outcome: best.score >= THRESHOLDS.repeat ? "repeat" : "possible", best };
}
