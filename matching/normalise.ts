/**
 * Normalised match features of an order: the polluter's distinctive name (its core), its trade, and
 * the place as road + house number, intersection, area and coordinates. Computed once at intake and
 * kept with the order, so a case is matched on everything its orders have said.
 */
import { pinyin } from "pinyin-pro";
import { fold } from "./fold";
import {
  ADMIN_PREFIXES,
  AREA_SUFFIX,
  COMPLAINT_WORDS,
  DESCRIPTORS,
  GENERIC_LANDMARKS,
  LANDMARK_SUFFIX,
  GENERIC_TAILS,
  LEGAL_SUFFIXES,
  PLACEHOLDERS,
  ROAD_SUFFIX,
  TRADES,
} from "./lexicon";

/** A point as WeChat and app reports carry it (WGS-84 or GCJ-02 alike: a few hundred metres do not matter here). */
export interface GeoPoint {
  lat: number;
  lng: number;
}

/** The name half of the features: the distinctive core, its pinyin, the trades it names. */
export interface NameFeatures {
  /** What is left once prefixes, legal forms, trades, descriptors and generic heads are gone; "" when nothing distinctive is. */
  core: string;
  /** Toneless pinyin of the core: homophone typos of an input method match. */
  corePinyin: string;
  trades: string[];
}

/** The place half: road + number, intersections, areas, the folded rest. */
export interface PlaceFeatures {
  houses: { road: string; no: number }[];
  /** Trades the address names ("焦克路166号化工厂"): used when the subject names none. */
  trades: string[];
  /** Intersections as sorted road pairs ("人民路|塔南路"). */
  crossings: string[];
  roads: string[];
  areas: string[];
  /** Landmarks named as reference points ("一中南100米"). */
  landmarks?: string[];
  /** The folded address without administrative prefixes; "" for a placeholder. */
  text: string;
  location?: GeoPoint;
}

/**
 * What one order says about its polluter, as stored. A person as subject (a neighbour's noise) is
 * confidential: only keyed hashes of the normalised name and address are kept, never text.
 */
export type MatchFeatures =
  { v: 1; kind: "enterprise"; name: NameFeatures; place: PlaceFeatures } | { v: 1; kind: "person"; nameKey: string; addressKey: string; location?: GeoPoint };

/** The subject and place of an order, as matching needs them. */
export interface MatchInput {
  subjectName: string;
  subjectType: "enterprise" | "person";
  address: string;
  location?: GeoPoint;
}

const stripFront = (s: string, words: readonly string[]): string => {
  for (let again = true; again;) {
    again = false;
    for (const w of words)
      if (s.startsWith(w) && s.length > w.length) {
        s = s.slice(w.length);
        again = true;
      }
  }
  return s;
};

const stripEnd = (s: string, words: readonly string[]): string => {
  for (let again = true; again;) {
    again = false;
    for (const w of words)
      if (s.endsWith(w) && s.length > w.length) {
        s = s.slice(0, -w.length);
        again = true;
      }
  }
  return s;
};

const TRADE_WORDS = Object.entries(TRADES)
  .flatMap(([trade, words]) => words.map((w) => ({ trade, w })))
  .sort((a, b) => b.w.length - a.w.length);

// Locatives after a place in a name ("工业园里的铸造厂", "村边"): what precedes them is a place, not a name.
const LOCATIVES = ["里", "内", "边", "旁", "旁边", "附近", "周边", "门口", "对面"];

/** Removes parenthesised parts ("(焦作分店)", "（普通合伙）") before folding drops the brackets. */
const unbracket = (s: string) => s.normalize("NFKC").replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, "");

const pinyinCache = new Map<string, string>();
/** Toneless pinyin, syllables joined (memoised: road names recur in every comparison). */
export function toPinyin(s: string): string {
  if (!s) return "";
  let p = pinyinCache.get(s);
  if (p === undefined) {
    p = pinyin(s, { toneType: "none", type: "array", nonZh: "consecutive" }).join("");
    if (pinyinCache.size >= 50_000) pinyinCache.clear();
    pinyinCache.set(s, p);
  }
  return p;
}

/** The name's features: prefixes, legal forms, descriptors and trades stripped; what names a place alone (a park, a village) is no name. */
export function nameFeatures(raw: string): NameFeatures {
  let s = fold(unbracket(raw)).replace(/的/g, "");
  for (const w of COMPLAINT_WORDS) s = s.split(w).join("");
  s = stripFront(s, ADMIN_PREFIXES);
  s = stripEnd(s, LEGAL_SUFFIXES);
  s = stripFront(s, DESCRIPTORS);
  // Trade words by forward maximum matching (the longest word at each position, left to right), so "彩钢厂" is 彩钢 + 厂, not 彩 + 钢厂.
  const trades = new Set<string>();
  let rest = "";
  for (let i = 0; i < s.length;) {
    const hit = TRADE_WORDS.find(({ w }) => s.startsWith(w, i));
    if (hit) {
      trades.add(hit.trade);
      rest += " ";
      i += hit.w.length;
    } else rest += s[i++];
  }
  s = rest;
  // What a trade word leaves on either side: the first part that is more than generic heads ("化工厂A3" → "A3").
  const clean = (part: string) => stripEnd(stripFront(stripFront(part, DESCRIPTORS), GENERIC_TAILS), [...GENERIC_TAILS, ...LEGAL_SUFFIXES, ...LOCATIVES]);
  s =
    s
      .split(" ")
      .map(clean)
      .filter((p) => p && !GENERIC_TAILS.includes(p) && !DESCRIPTORS.includes(p) && !LOCATIVES.includes(p))[0] ?? "";
  if (GENERIC_TAILS.includes(s) || LEGAL_SUFFIXES.includes(s)) s = "";
  // A park's or village's name alone, a placeholder or a single character does not tell one polluter from another.
  if (PLACEHOLDERS.test(s) || new RegExp(`${AREA_SUFFIX}$`).test(s) || [...s].length < 2) s = "";
  return { core: s, corePinyin: toPinyin(s), trades: [...trades].sort() };
}

const ROAD = `(?:[\\u4e00-\\u9fa5a-z]{1,9}?${ROAD_SUFFIX}|[gsx]\\d{1,3}(?!\\d)(?:国道|省道|县道)?)`;
const HOUSE = new RegExp(`(${ROAD})(?:[东西南北中]段)?(\\d+)(?=号|院|栋|$|[东西南北]|附近|旁|对面)`, "g");
// A number in an industrial park or a village ("坞头村工业园5号", "东冯封村12号") is a house there as a road's is.
const SITE_HOUSE = /((?:[\u4e00-\u9fa5]{1,6}?村)?(?:工业园区|工业园|产业园|园区)|[\u4e00-\u9fa5]{1,6}?村)(\d+)号/g;
const CROSSING = new RegExp(`(${ROAD})(?:与|和|跟|及|、)?(${ROAD})(?:交叉口|交汇处|交汇口|交界处|交界|交口|十字路口|十字|路口|口)`, "g");
const ROAD_ONLY = new RegExp(`(${ROAD})`, "g");
const LANDMARK = new RegExp(`([\\u4e00-\\u9fa5a-z0-9]{0,6}?${LANDMARK_SUFFIX})`, "g");
const AREA = new RegExp(`([\\u4e00-\\u9fa5a-z0-9]{2,8}?${AREA_SUFFIX})`, "g");
// What precedes a road in an address (a town, a village, a park): cut at the last of them so the road is named alone.
const BEFORE_ROAD =
  /^.*(?:省|市|区|县|镇|乡|村|街道|办事处|园|小区|社区|集聚区|大厦|广场|市场|在|位于|往|到)(?=[\u4e00-\u9fa5a-z]{1,6}(?:大道|大街|路|街|巷|胡同)$)/;
// A road named by its own suffix alone ("大街") or a crossing word caught as a road is no road.
const cleanRoad = (r: string) => {
  const road = stripFront(r.replace(BEFORE_ROAD, ""), ADMIN_PREFIXES).replace(/^([gsx]\d{1,3})(?:国道|省道|县道)$/, "$1");
  return /^(?:大道|大街|路|街|巷|胡同|马路|路边|街边|十字路|交叉路)$/.test(road) ? "" : road;
};
// A site named with its town ("紫陵镇坞头村工业园"): the town cut off, so it compares with the site named alone.
const cleanSite = (r: string) => stripFront(r.replace(/^.*(?:镇|乡|街道|办事处)/, ""), ADMIN_PREFIXES);
// An address that names only a generic place ("某小区", "村里", "附近的厂").
const GENERIC_PLACE = new RegExp(`^(?:${DESCRIPTORS.join("|")}|这|那|本|一)*${AREA_SUFFIX}?(?:里|内|边|附近|旁边|周边|一带)?$`);
const cleanArea = (a: string) => {
  const area = stripFront(stripFront(a, ADMIN_PREFIXES), DESCRIPTORS);
  return new RegExp(`^(?:某|这|那|一|本)?${AREA_SUFFIX}$`).test(area) ? "" : area;
};

/** The place's features: administrative prefixes stripped, numbers folded, road + number, crossings, areas. */
export function placeFeatures(raw: string, location?: GeoPoint): PlaceFeatures {
  let s = stripFront(fold(unbracket(raw)), ADMIN_PREFIXES);
  if (PLACEHOLDERS.test(s) || /不详|未知|不清楚|不知道/.test(s)) s = "";
  const houses = [
    ...[...s.matchAll(HOUSE)].map((m) => ({ road: cleanRoad(m[1]!), no: Number(m[2]) })),
    ...[...s.matchAll(SITE_HOUSE)].map((m) => ({ road: cleanSite(m[1]!), no: Number(m[2]) })),
  ].filter((h) => h.road);
  const crossings = [...s.matchAll(CROSSING)]
    .map((m) => [cleanRoad(m[1]!), cleanRoad(m[2]!)])
    .filter(([a, b]) => a && b && a !== b)
    .map((p) => p.sort().join("|"));
  const areas = [...new Set([...s.matchAll(AREA)].map((m) => cleanArea(m[1]!)).filter(Boolean))];
  // Roads named without a number: areas and joining words cut out first, so "待王街道" or "与人民路" is not read as a road.
  const segments = s
    .replace(AREA, "|")
    .replace(/[东西南北]?侧?\d+米|马路边|路边|街边|与|和|跟|及|、/g, "|")
    .split("|");
  const roads = [...new Set(segments.flatMap((seg) => [...seg.matchAll(ROAD_ONLY)].map((m) => cleanRoad(m[1]!))).filter(Boolean))];
  if (!houses.length && !crossings.length && !roads.length && !areas.length && GENERIC_PLACE.test(s)) s = "";
  const trades = [...new Set(TRADE_WORDS.filter(({ w }) => w.length >= 2 && s.includes(w)).map(({ trade }) => trade))].sort();
  const landmarks = [
    ...new Set([...s.matchAll(LANDMARK)].map((m) => cleanArea(m[1]!).replace(/^[市县区]/, "")).filter((l) => l && !GENERIC_LANDMARKS.test(l))),
  ];
  return { houses, trades, crossings: [...new Set(crossings)], roads, areas, landmarks, text: s, ...(location ? { location } : {}) };
}

/** The features an order is matched on; `hash` is the keyed hash (vault.hash) used for a person as subject. */
export function matchFeatures(o: MatchInput, hash: (s: string) => string): MatchFeatures {
  if (o.subjectType === "person")
    return {
      v: 1,
      kind: "person",
      nameKey: hash(`name:${fold(o.subjectName)}`),
      addressKey: hash(`address:${placeFeatures(o.address).text}`),
      ...(o.location ? { location: o.location } : {}),
    };
  return { v: 1, kind: "enterprise", name: nameFeatures(o.subjectName), place: placeFeatures(o.address, o.location) };
}
