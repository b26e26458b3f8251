/**
 * Handling statistics over the read model (arts. 15–18 of the Jiaozuo rules; the figures of the national 12369
 * bulletin): counts, on-time rates and working-day averages for the cases received in a period, optionally grouped
 * by district, unit, kind, source line, channel, pollution element or industry, with warnings on concentrated reports.
 *
 * A handful of queries load the period's facts (cases, orders, and per-case aggregates of extensions, revisits and
 * rewards); grouping and the working-day arithmetic happen in memory, so several groupings share one load.
 */
import type { WorkingCalendar } from "../../calendar";
import { formatShanghai } from "../../calendar";
import { Prisma, type PrismaClient } from "../../db/client";

/** Dimensions a period's figures can be grouped by. */
export const GROUP_BYS = ["district", "unit", "kind", "sourceLine", "channel", "element", "industry"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** Defaults of the tunable parameters. */
export const STATS_DEFAULTS = {
  /** Working days after acceptance within which the unit must sign (SIGN limit). */
  signDays: 1,
  /** Reports (orders) about one subject or one address that make a concentration warning. */
  threshold: 3,
  /** Calendar days of the concentration window, which ends at the period's end. */
  windowDays: 30,
} as const;

/**
 * The figures of a set of cases. "The cases" are the cases whose first order was received in the period
 * (Case.receivedAt ∈ [from, to)); within a group, those whose attribute falls in the group. Working days are counted
 * as `WorkingCalendar.workingDaysBetween` does: working days d with day(from) < d ≤ day(to), Asia/Shanghai.
 */
export interface Figures {
  /** Orders received: HotlineOrder rows with receivedAt in the period, first reports and repeats alike (a repeat may join a case received earlier; it is grouped by that case's attributes). */
  received: number;
  /** Cases received in the period. */
  cases: number;
  /** Cases accepted (受理): acceptedAt set. */
  accepted: number;
  /** Cases returned (退回) to the platform: returnedAt set. */
  returned: number;
  /** Accepted cases signed (签收) in time: signedAt set and workingDaysBetween(acceptedAt, signedAt) ≤ signDays (default 1). */
  onTimeAccepted: number;
  /** onTimeAccepted / accepted; null when no case was accepted. */
  onTimeAcceptanceRate: number | null;
  /** Mean of workingDaysBetween(receivedAt, signedAt) over signed cases, 2 decimals; null when none was signed. */
  avgAcceptanceWorkingDays: number | null;
  /** Cases closed (办结): closedAt set (a reopened case counts once it is closed again). */
  closed: number;
  /** Closed cases with closedAt ≤ dueAt (a closed case without a deadline is not counted as on time). */
  onTimeClosed: number;
  /** onTimeClosed / closed; null when no case was closed. */
  onTimeCompletionRate: number | null;
  /** Mean of workingDaysBetween(signedAt, closedAt) over closed cases that were signed, 2 decimals; null when none. */
  avgCompletionWorkingDays: number | null;
  /** Cases overdue: flagged overdue by the workflow, or open (not closed, not returned) past dueAt at `asOf`, or closed after dueAt. */
  overdue: number;
  /** Approved extensions (Extension rows with status 'approved') of the cases. */
  extensions: number;
  /** Repeat reports joined to the cases: sum of Case.repeatCount. */
  repeatReports: number;
  /** Cases escalated (提级办理). */
  escalated: number;
  /** Revisits (回访) of the cases: Revisit rows, whenever made. */
  revisits: number;
  /** Revisits at which the reporter was satisfied. */
  satisfied: number;
  /** satisfied / revisits that recorded an answer (satisfied not null); null when none did. */
  satisfactionRate: number | null;
  /** Rewards paid for the cases: Reward rows with status 'paid'. */
  rewardsPaid: number;
  /** Sum of those rewards' amounts, in yuan. */
  rewardsPaidYuan: number;
}

/** The column order of the figures (CSV columns follow it). */
export const FIGURE_KEYS: readonly (keyof Figures)[] = [
  "received",
  "cases",
  "accepted",
  "returned",
  "onTimeAccepted",
  "onTimeAcceptanceRate",
  "avgAcceptanceWorkingDays",
  "closed",
  "onTimeClosed",
  "onTimeCompletionRate",
  "avgCompletionWorkingDays",
  "overdue",
  "extensions",
  "repeatReports",
  "escalated",
  "revisits",
  "satisfied",
  "satisfactionRate",
  "rewardsPaid",
  "rewardsPaidYuan",
];

/** The figures of one group. */
export interface StatsGroup {
  key: string;
  figures: Figures;
}

/**
 * A warning on concentrated reports: one subject (same Case.subjectKey) or one address (same Case.addressKey) was
 * reported `reports` ≥ threshold times — orders, first reports and repeats, received in the window — over `caseIds`.
 */
export interface ConcentratedWarning {
  key: "subject" | "address";
  /** Case.subjectName for a subject warning, Case.address for an address one (of the latest case). */
  label: string;
  /** Cases with an order in the window, oldest first. */
  caseIds: string[];
  /** The district with most of those reports (ties: the latest case's). */
  district: string;
  reports: number;
}
/** Short name used by the API. */
export type Warning = ConcentratedWarning;

/** Options of computeStats. */
export interface StatsOptions {
  from: Date;
  to: Date;
  groupBy?: GroupBy;
  /** Working days within which a case must be signed after acceptance (default 1). */
  signDays?: number;
  /** Reports that make a concentration warning (default 3). */
  threshold?: number;
  /** Calendar days of the concentration window ending at `to` (default 30). */
  windowDays?: number;
  /** The instant open cases are judged overdue against (default: now). */
  now?: Date;
}

/** The result of computeStats. */
export interface StatsResult {
  /** The period [from, to) in Asia/Shanghai ISO-8601. */
  period: { from: string; to: string };
  /** The instant open cases were judged overdue against. */
  asOf: string;
  groupBy?: GroupBy;
  totals: Figures;
  groups?: StatsGroup[];
  concentrated: ConcentratedWarning[];
}

/** Group attributes of a case. */
interface CaseAttrs {
  district: string;
  unitId: string | null;
  kind: string;
  sourceLine: string;
  channel: string;
  elements: string[];
  industry: string | null;
}

/** What the figures need of one case. */
interface CaseFacts extends CaseAttrs {
  id: string;
  receivedAt: Date;
  acceptedAt: Date | null;
  signedAt: Date | null;
  closedAt: Date | null;
  dueAt: Date | null;
  returnedAt: Date | null;
  overdue: boolean;
  escalated: boolean;
  repeatCount: number;
  extensions: number;
  revisits: number;
  satisfied: number;
  answered: number;
  rewardsPaid: number;
  rewardsPaidYuan: number;
}

/** An order received in the period, with its case's group attributes. */
interface OrderFacts {
  receivedAt: Date;
  attrs: CaseAttrs;
}

/** Everything loaded for a period; group and sub-period figures are computed from it in memory. */
export interface StatsData {
  from: Date;
  to: Date;
  cases: CaseFacts[];
  orders: OrderFacts[];
}

const attrSelect = {
  district: true,
  unitId: true,
  kind: true,
  sourceLine: true,
  channel: true,
  elements: true,
  industry: true,
} as const;

/** Loads the facts of the cases and orders received in [from, to): five queries, six when repeats join older cases. */
export async function loadStatsData(prisma: PrismaClient, from: Date, to: Date): Promise<StatsData> {
  const receivedAt = { gte: from, lt: to };
  const ofCases = { case: { receivedAt } };
  const [cases, orders, extensions, revisits, rewards] = await Promise.all([
    prisma.case.findMany({
      // A case merged into an older one (a confirmed repeat) is not a case of its own: its orders count with the older case.
      where: { receivedAt, OR: [{ outcome: null }, { outcome: { not: "merged" } }] },
      select: {
        id: true,
        receivedAt: true,
        acceptedAt: true,
        signedAt: true,
        closedAt: true,
        dueAt: true,
        returnedAt: true,
        overdue: true,
        escalated: true,
        repeatCount: true,
        ...attrSelect,
      },
    }),
    prisma.hotlineOrder.findMany({ where: { receivedAt }, select: { caseId: true, receivedAt: true } }),
    prisma.extension.groupBy({ by: ["caseId"], where: { status: "approved", ...ofCases }, _count: { _all: true } }),
    prisma.revisit.groupBy({ by: ["caseId", "satisfied"], where: ofCases, _count: { _all: true } }),
    prisma.reward.groupBy({ by: ["caseId"], where: { status: "paid", ...ofCases }, _count: { _all: true }, _sum: { amount: true } }),
  ]);

  const facts = new Map<string, CaseFacts>();
  for (const c of cases) {
    facts.set(c.id, { ...c, extensions: 0, revisits: 0, satisfied: 0, answered: 0, rewardsPaid: 0, rewardsPaidYuan: 0 });
  }
  for (const e of extensions) {
    const f = facts.get(e.caseId);
    if (f) f.extensions += e._count._all;
  }
  for (const r of revisits) {
    const f = facts.get(r.caseId);
    if (!f) continue;
    f.revisits += r._count._all;
    if (r.satisfied !== null) f.answered += r._count._all;
    if (r.satisfied === true) f.satisfied += r._count._all;
  }
  for (const w of rewards) {
    const f = facts.get(w.caseId);
    if (!f) continue;
    f.rewardsPaid += w._count._all;
    f.rewardsPaidYuan += w._sum.amount ?? 0;
  }

  // Repeats received in the period may join cases received before it: fetch only those cases' attributes.
  const attrs = new Map<string, CaseAttrs>(facts);
  const missing = [...new Set(orders.map((o) => o.caseId).filter((id) => !attrs.has(id)))];
  if (missing.length > 0) {
    const older = await prisma.case.findMany({ where: { id: { in: missing } }, select: { id: true, ...attrSelect } });
    for (const { id, ...a } of older) attrs.set(id, a);
  }
  const orderFacts: OrderFacts[] = [];
  for (const o of orders) {
    const a = attrs.get(o.caseId);
    if (a) orderFacts.push({ receivedAt: o.receivedAt, attrs: a });
  }
  return { from, to, cases: [...facts.values()], orders: orderFacts };
}

const rate = (num: number, den: number): number | null => (den === 0 ? null : num / den);
const mean2 = (sum: number, n: number): number | null => (n === 0 ? null : Math.round((sum / n) * 100) / 100);

/** The figures of a set of cases and orders (definitions on `Figures`). */
export function figuresOf(calendar: WorkingCalendar, cases: readonly CaseFacts[], orders: number, opts: { signDays: number; now: Date }): Figures {
  const now = opts.now.getTime();
  let accepted = 0,
    returned = 0,
    onTimeAccepted = 0,
    signed = 0,
    acceptanceDays = 0;
  let closed = 0,
    onTimeClosed = 0,
    completedSigned = 0,
    completionDays = 0,
    overdue = 0;
  let extensions = 0,
    repeatReports = 0,
    escalated = 0,
    revisits = 0,
    satisfied = 0,
    answered = 0;
  let rewardsPaid = 0,
    rewardsPaidYuan = 0;
  for (const c of cases) {
    if (c.acceptedAt) {
      accepted++;
      if (c.signedAt && calendar.workingDaysBetween(c.acceptedAt, c.signedAt) <= opts.signDays) onTimeAccepted++;
    }
    if (c.returnedAt) returned++;
    if (c.signedAt) {
      signed++;
      acceptanceDays += calendar.workingDaysBetween(c.receivedAt, c.signedAt);
    }
    if (c.closedAt) {
      closed++;
      if (c.dueAt && c.closedAt.getTime() <= c.dueAt.getTime()) onTimeClosed++;
      if (c.signedAt) {
        completedSigned++;
        completionDays += calendar.workingDaysBetween(c.signedAt, c.closedAt);
      }
    }
    const openPastDue = !c.closedAt && !c.returnedAt && !!c.dueAt && c.dueAt.getTime() < now;
    const closedLate = !!c.closedAt && !!c.dueAt && c.closedAt.getTime() > c.dueAt.getTime();
    if (c.overdue || openPastDue || closedLate) overdue++;
    extensions += c.extensions;
    repeatReports += c.repeatCount;
    if (c.escalated) escalated++;
    revisits += c.revisits;
    satisfied += c.satisfied;
    answered += c.answered;
    rewardsPaid += c.rewardsPaid;
    rewardsPaidYuan += c.rewardsPaidYuan;
  }
  return {
    received: orders,
    cases: cases.length,
    accepted,
    returned,
    onTimeAccepted,
    onTimeAcceptanceRate: rate(onTimeAccepted, accepted),
    avgAcceptanceWorkingDays: mean2(acceptanceDays, signed),
    closed,
    onTimeClosed,
    onTimeCompletionRate: rate(onTimeClosed, closed),
    avgCompletionWorkingDays: mean2(completionDays, completedSigned),
    overdue,
    extensions,
    repeatReports,
    escalated,
    revisits,
    satisfied,
    satisfactionRate: rate(satisfied, answered),
    rewardsPaid,
    rewardsPaidYuan,
  };
}

/** The group keys of a case: one, except by element, where a case counts under each of its elements. */
export function groupKeys(a: CaseAttrs, groupBy: GroupBy): string[] {
  switch (groupBy) {
    case "element": {
      const els = [...new Set(a.elements.map((e) => e.trim()).filter(Boolean))];
      return els.length > 0 ? els : ["unknown"];
    }
    case "unit":
      return [a.unitId || "unassigned"];
    case "industry":
      return [a.industry?.trim() || "unknown"];
    default:
      return [a[groupBy] || "unknown"];
  }
}

/** Totals of the data, or of the part of it received in [from, to) when given (e.g. one month of a quarter). */
export function totalsOf(data: StatsData, calendar: WorkingCalendar, opts: { signDays?: number; now?: Date; from?: Date; to?: Date } = {}): Figures {
  const from = (opts.from ?? data.from).getTime(),
    to = (opts.to ?? data.to).getTime();
  const inside = (d: Date) => d.getTime() >= from && d.getTime() < to;
  return figuresOf(
    calendar,
    data.cases.filter((c) => inside(c.receivedAt)),
    data.orders.filter((o) => inside(o.receivedAt)).length,
    {
      signDays: opts.signDays ?? STATS_DEFAULTS.signDays,
      now: opts.now ?? new Date(),
    },
  );
}

/** Figures per group, the groups ordered by cases, then orders received (both descending), then key. */
export function groupsOf(data: StatsData, calendar: WorkingCalendar, groupBy: GroupBy, opts: { signDays?: number; now?: Date } = {}): StatsGroup[] {
  const buckets = new Map<string, { cases: CaseFacts[]; orders: number }>();
  const bucket = (key: string) => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { cases: [], orders: 0 }));
    return b;
  };
  for (const c of data.cases) for (const k of groupKeys(c, groupBy)) bucket(k).cases.push(c);
  for (const o of data.orders) for (const k of groupKeys(o.attrs, groupBy)) bucket(k).orders++;
  const fOpts = { signDays: opts.signDays ?? STATS_DEFAULTS.signDays, now: opts.now ?? new Date() };
  return [...buckets]
    .map(([key, b]) => ({ key, figures: figuresOf(calendar, b.cases, b.orders, fOpts) }))
    .sort((x, y) => y.figures.cases - x.figures.cases || y.figures.received - x.figures.received || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/**
 * Concentrated reports: subjects (Case.subjectKey) and addresses (Case.addressKey) with `threshold` or more orders
 * (first reports and repeats) received in [to − windowDays days, to). Ordered by reports (descending), subjects first.
 * One aggregate query finds the keys; a second, only when some qualify, fetches their cases' labels and districts.
 */
export async function findConcentrated(prisma: PrismaClient, to: Date, opts: { threshold?: number; windowDays?: number } = {}): Promise<ConcentratedWarning[]> {
  const threshold = opts.threshold ?? STATS_DEFAULTS.threshold;
  const windowDays = opts.windowDays ?? STATS_DEFAULTS.windowDays;
  if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`threshold must be a positive integer, got ${threshold}`);
  if (!(windowDays > 0)) throw new RangeError(`windowDays must be positive, got ${windowDays}`);
  const from = new Date(to.getTime() - windowDays * 86_400_000);
  // Prisma's DateTime columns are timestamp(3) in UTC: compare with UTC timestamps, whatever the session time zone.
  const lo = Prisma.sql`(${from.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const hi = Prisma.sql`(${to.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const hits = await prisma.$queryRaw<Array<{ kind: "subject" | "address"; k: string; reports: number }>>`
    WITH w AS (
      SELECT c."subjectKey", c."addressKey" FROM "HotlineOrder" o JOIN "Case" c ON c.id = o."caseId"
      WHERE o."receivedAt" >= ${lo} AND o."receivedAt" < ${hi}
    )
    SELECT 'subject' AS kind, "subjectKey" AS k, count(*)::int AS reports FROM w GROUP BY "subjectKey" HAVING count(*) >= ${threshold}
    UNION ALL
    SELECT 'address' AS kind, "addressKey" AS k, count(*)::int AS reports FROM w GROUP BY "addressKey" HAVING count(*) >= ${threshold}`;
  if (hits.length === 0) return [];

  const subjectKeys = hits.filter((h) => h.kind === "subject").map((h) => h.k);
  const addressKeys = hits.filter((h) => h.kind === "address").map((h) => h.k);
  const orders = await prisma.hotlineOrder.findMany({
    where: {
      receivedAt: { gte: from, lt: to },
      case: { OR: [{ subjectKey: { in: subjectKeys } }, { addressKey: { in: addressKeys } }] },
    },
    select: {
      caseId: true,
      case: { select: { receivedAt: true, subjectKey: true, addressKey: true, subjectName: true, subjectType: true, address: true, district: true } },
    },
  });

  const warnings = hits.map((h): ConcentratedWarning => {
    const mine = orders.filter((o) => (h.kind === "subject" ? o.case.subjectKey : o.case.addressKey) === h.k);
    const byCase = new Map<string, (typeof mine)[number]["case"]>();
    const perDistrict = new Map<string, number>();
    for (const o of mine) {
      byCase.set(o.caseId, o.case);
      perDistrict.set(o.case.district, (perDistrict.get(o.case.district) ?? 0) + 1);
    }
    const cases = [...byCase].sort(([ia, a], [ib, b]) => a.receivedAt.getTime() - b.receivedAt.getTime() || (ia < ib ? -1 : 1));
    const latest = cases[cases.length - 1][1];
    const top = Math.max(...perDistrict.values());
    const district = perDistrict.get(latest.district) === top ? latest.district : [...perDistrict].find(([, n]) => n === top)![0];
    return {
      // A person reported about (a neighbour, say) is personal data: the warning names cases, not them.
      key: h.kind,
      label: latest.subjectType === "person" ? "（个人，已隐去）" : h.kind === "subject" ? latest.subjectName : latest.address,
      caseIds: cases.map(([id]) => id),
      district,
      reports: h.reports,
    };
  });
  return warnings.sort(
    (a, b) => b.reports - a.reports || (a.key === b.key ? 0 : a.key === "subject" ? -1 : 1) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
}

/** Statistics of the cases received in [from, to), optionally grouped, with concentration warnings for the window ending at `to`. */
export async function computeStats(prisma: PrismaClient, calendar: WorkingCalendar, opts: StatsOptions): Promise<StatsResult> {
  if (!(opts.to.getTime() > opts.from.getTime())) throw new RangeError("to must be after from");
  if (opts.groupBy !== undefined && !GROUP_BYS.includes(opts.groupBy)) throw new RangeError(`unknown groupBy ${String(opts.groupBy)}`);
  const now = opts.now ?? new Date();
  const fOpts = { signDays: opts.signDays ?? STATS_DEFAULTS.signDays, now };
  const [data, concentrated] = await Promise.all([loadStatsData(prisma, opts.from, opts.to), findConcentrated(prisma, opts.to, opts)]);
  const result: StatsResult = {
    period: { from: formatShanghai(opts.from), to: formatShanghai(opts.to) },
    asOf: formatShanghai(now),
    totals: totalsOf(data, calendar, fOpts),
    concentrated,
  };
  if (opts.groupBy) {
    result.groupBy = opts.groupBy;
    result.groups = groupsOf(data, calendar, opts.groupBy, fOpts);
  }
  return result;
}
