/**
 * Statistics and reports against a real database. Rows are inserted directly with Prisma, ids and hash keys
 * prefixed per run, in 2024 (September–November, around National Day) so other suites' rows, which use current
 * dates, do not fall into the periods. Every expected number is worked out by hand in the comments.
 *
 * The 2024 official calendar around National Day: Sun 9/29 makeup workday; 10/1–10/7 off; Sat 10/12 makeup
 * workday; 10/13, 10/19, 10/20, 10/26, 10/27 weekends. workingDaysBetween(a, b) counts working days d with
 * day(a) < d ≤ day(b).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadDefaultCalendar, parseInstant } from "../../calendar/index.ts";
import { createPrisma, type PrismaClient } from "../../db/client";
import { computeStats, type Figures, type StatsResult } from "../../api/stats/compute";
import { PeriodError, monthlyDueBy, monthsOfQuarter, parseMonth, parsePeriod, parseQuarter, parseRange } from "../../api/stats/period";
import { CSV_HEADER, monthlyReport, quarterlyReport, toCsv } from "../../api/stats/reports";

const calendar = loadDefaultCalendar();
const P = `st${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
/** A Shanghai local time ('2024-10-01T00:30') as an instant. */
const sh = (s: string): Date => parseInstant(s)!;
/** Open cases are judged overdue against this instant. */
const NOW = sh("2024-11-05T00:00");

let prisma: PrismaClient;
let stopDb: (() => Promise<void>) | undefined;

// ---- fixture ----------------------------------------------------------------------------------------------------
// Case   received (+08)     accepted          signed            due (24:00 = 00:00 next day)  closed            other
// C0     09-30 23:30 (Sep)  09-30 23:45       10-08 10:00       –                             –                 paid reward 1000; repeat order 10-03 (in Oct)
// C1     10-01 00:30        10-01 10:00       10-08 09:00       10-22 00:00                   10-18 15:00       elements water+air; ext approved+rejected;
//                                                                                                               revisits sat, sat, null; rewards paid 500, pending 300; repeat 10-05
// C2     10-09 09:00        10-09 09:30       10-11 10:00       10-25 00:00                   10-28 10:00 late  overdue flag, escalated; revisit unsatisfied;
//                                                                                                               reward paid 200; repeats 10-15, 10-20, 11-02
// C3     10-30 16:00        10-30 16:30       –                 –                             –                 no elements (→ "unknown"), open
// C4     10-12 11:00        – (returned 10-12 15:00)
// C5     10-14 08:00        10-14 08:30       10-15 09:00       10-23 00:00                   – (open, past due at NOW)  ext approved + pending
// C6     11-01 00:00 (Nov)  –
type Attrs = {
  kind: string;
  district: string;
  sourceLine: string;
  channel: string;
  elements: string[];
  industry: string | null;
  unitId: string | null;
  subject: string;
  subjectName: string;
  address: string;
  addressLabel: string;
};
const base = (over: Partial<Attrs>): Attrs => ({
  kind: "complaint",
  district: "解放区",
  sourceLine: "12345",
  channel: "phone",
  elements: ["water"],
  industry: null,
  unitId: null,
  subject: "x",
  subjectName: "某企业",
  address: "x",
  addressLabel: "某路1号",
  ...over,
});
const id = (n: number) => `${P}-C${n}`;

interface Fixture {
  n: number;
  attrs: Attrs;
  receivedAt: string;
  acceptedAt?: string;
  signedAt?: string;
  dueAt?: string;
  closedAt?: string;
  returnedAt?: string;
  overdue?: boolean;
  escalated?: boolean;
  repeats: string[];
}

const CASES: Fixture[] = [
  {
    n: 0,
    attrs: base({
      kind: "complaint",
      district: "马村区",
      elements: ["solid_waste"],
      unitId: "u-waste",
      subject: "s0",
      address: "a0",
      subjectName: "马村某厂",
      addressLabel: "马村路1号",
    }),
    receivedAt: "2024-09-30T23:30",
    acceptedAt: "2024-09-30T23:45",
    signedAt: "2024-10-08T10:00",
    repeats: ["2024-10-03T10:00"],
  },
  {
    n: 1,
    attrs: base({
      kind: "complaint",
      district: "解放区",
      elements: ["water", "air"],
      industry: "化工",
      unitId: "u-water",
      subject: "subjB",
      address: "addrX",
      subjectName: "解放某化工厂",
      addressLabel: "解放路8号",
    }),
    receivedAt: "2024-10-01T00:30",
    acceptedAt: "2024-10-01T10:00",
    signedAt: "2024-10-08T09:00",
    dueAt: "2024-10-22T00:00",
    closedAt: "2024-10-18T15:00",
    repeats: ["2024-10-05T09:00"],
  },
  {
    n: 2,
    attrs: base({
      kind: "report",
      district: "山阳区",
      sourceLine: "12369",
      channel: "wechat",
      elements: ["air"],
      unitId: "u-air",
      subject: "subjA",
      address: "a2",
      subjectName: "某化工有限公司",
      addressLabel: "山阳路2号",
    }),
    receivedAt: "2024-10-09T09:00",
    acceptedAt: "2024-10-09T09:30",
    signedAt: "2024-10-11T10:00",
    dueAt: "2024-10-25T00:00",
    closedAt: "2024-10-28T10:00",
    overdue: true,
    escalated: true,
    repeats: ["2024-10-15T10:00", "2024-10-20T10:00", "2024-11-02T10:00"],
  },
  {
    n: 3,
    attrs: base({
      kind: "consultation",
      district: "解放区",
      channel: "web",
      elements: [],
      industry: "餐饮",
      subject: "s3",
      address: "addrX",
      subjectName: "某饭店",
      addressLabel: "解放路8号",
    }),
    receivedAt: "2024-10-30T16:00",
    acceptedAt: "2024-10-30T16:30",
    repeats: [],
  },
  {
    n: 4,
    attrs: base({ kind: "opinion", district: "山阳区", sourceLine: "12314", channel: "platform", elements: ["water"], subject: "s4", address: "a4" }),
    receivedAt: "2024-10-12T11:00",
    returnedAt: "2024-10-12T15:00",
    repeats: [],
  },
  {
    n: 5,
    attrs: base({
      kind: "help",
      district: "解放区",
      elements: ["noise"],
      industry: "建筑",
      unitId: "u-water",
      subject: "subjB",
      address: "a5",
      subjectName: "解放某化工厂",
      addressLabel: "民主路5号",
    }),
    receivedAt: "2024-10-14T08:00",
    acceptedAt: "2024-10-14T08:30",
    signedAt: "2024-10-15T09:00",
    dueAt: "2024-10-23T00:00",
    repeats: [],
  },
  {
    n: 6,
    attrs: base({ kind: "complaint", district: "解放区", elements: ["air"], subject: "s6", address: "a6" }),
    receivedAt: "2024-11-01T00:00",
    repeats: [],
  },
];

async function insertFixture(db: PrismaClient): Promise<void> {
  const d = (s?: string) => (s ? sh(s) : null);
  await db.case.createMany({
    data: CASES.map((c) => ({
      id: id(c.n),
      firstOrderNo: `${id(c.n)}-o0`,
      sourceLine: c.attrs.sourceLine,
      channel: c.attrs.channel,
      kind: c.attrs.kind,
      receivedAt: sh(c.receivedAt),
      district: c.attrs.district,
      address: c.attrs.addressLabel,
      subjectName: c.attrs.subjectName,
      elements: c.attrs.elements,
      industry: c.attrs.industry,
      subjectKey: `${P}-${c.attrs.subject}`,
      addressKey: `${P}-${c.attrs.address}`,
      stage: c.returnedAt ? "returned" : c.closedAt ? "closed" : "accepted",
      unitId: c.attrs.unitId,
      acceptedAt: d(c.acceptedAt),
      signedAt: d(c.signedAt),
      dueAt: d(c.dueAt),
      closedAt: d(c.closedAt),
      returnedAt: d(c.returnedAt),
      overdue: c.overdue ?? false,
      escalated: c.escalated ?? false,
      repeatCount: c.repeats.length,
    })),
  });
  await db.hotlineOrder.createMany({
    data: CASES.flatMap((c) =>
      [c.receivedAt, ...c.repeats].map((at, i) => ({
        orderNo: `${id(c.n)}-o${i}`,
        caseId: id(c.n),
        isRepeat: i > 0,
        sourceLine: c.attrs.sourceLine,
        channel: c.attrs.channel,
        kind: c.attrs.kind,
        district: c.attrs.district,
        receivedAt: sh(at),
        anonymous: true,
      })),
    ),
  });
  const ext = (n: number, k: number, status: string) => ({
    id: `${id(n)}:ext-${k}`,
    caseId: id(n),
    days: 5,
    reason: "取证",
    status,
    requestedAt: sh("2024-10-16T09:00"),
  });
  await db.extension.createMany({ data: [ext(1, 1, "approved"), ext(1, 2, "rejected"), ext(5, 1, "approved"), ext(5, 2, "pending")] });
  const rev = (n: number, k: number, satisfied: boolean | null) => ({
    id: `${id(n)}:rev-${k}`,
    caseId: id(n),
    at: sh("2024-10-29T10:00"),
    rebound: false,
    satisfied,
  });
  await db.revisit.createMany({ data: [rev(1, 1, true), rev(1, 2, true), rev(1, 3, null), rev(2, 1, false)] });
  const reward = (n: number, k: number, amount: number, status: string) => ({
    id: `${id(n)}:rw-${k}`,
    caseId: id(n),
    amount,
    status,
    appliedAt: sh("2024-10-20T10:00"),
  });
  await db.reward.createMany({ data: [reward(0, 1, 1000, "paid"), reward(1, 1, 500, "paid"), reward(1, 2, 300, "pending"), reward(2, 1, 200, "paid")] });
}

async function deleteFixture(db: PrismaClient): Promise<void> {
  const mine = { caseId: { startsWith: P } };
  await db.reward.deleteMany({ where: mine });
  await db.revisit.deleteMany({ where: mine });
  await db.extension.deleteMany({ where: mine });
  await db.hotlineOrder.deleteMany({ where: mine });
  await db.case.deleteMany({ where: { id: { startsWith: P } } });
}

beforeAll(async () => {
  // The integration globalSetup provides a migrated database; run alone (no globalSetup), start an embedded one.
  let url = (inject as unknown as (key: string) => string | undefined)("databaseUrl");
  if (!url) {
    const { startEmbeddedPg } = await import("../../db/embedded-postgres");
    const { migrateDeploy } = await import("../../db/migrate");
    const pg = await startEmbeddedPg();
    stopDb = pg.stop;
    await migrateDeploy(pg.url);
    url = pg.url;
  }
  prisma = createPrisma(url);
  await insertFixture(prisma);
});

afterAll(async () => {
  if (prisma) {
    await deleteFixture(prisma);
    await prisma.$disconnect();
  }
  await stopDb?.();
});

/** Only this run's concentration warnings (other suites may have rows in the window). */
const ours = (r: { concentrated: StatsResult["concentrated"] }) => r.concentrated.filter((w) => w.caseIds.every((c) => c.startsWith(P)));
const group = (groups: Array<{ key: string; figures: Figures }> | undefined, key: string) => {
  const g = groups?.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key}`);
  return g.figures;
};

describe("the fixture's hand-computed deadlines agree with the calendar", () => {
  it("due dates and working-day counts around National Day 2024", () => {
    // C1 signed Tue 10-08: 10 working days 10-09 10 11 12(Sat makeup) 14 15 16 17 18 21 → due 10-22 00:00.
    expect(calendar.deadlineAfter(sh("2024-10-08T09:00"), 10).dueAt).toEqual(sh("2024-10-22T00:00"));
    // C2 signed Fri 10-11: 10-12 14 15 16 17 18 21 22 23 24 → due 10-25 00:00.
    expect(calendar.deadlineAfter(sh("2024-10-11T10:00"), 10).dueAt).toEqual(sh("2024-10-25T00:00"));
    // C5 (help, 5 days) signed 10-15: 16 17 18 21 22 → due 10-23 00:00.
    expect(calendar.deadlineAfter(sh("2024-10-15T09:00"), 5).dueAt).toEqual(sh("2024-10-23T00:00"));
    // 10-01 → 10-08 spans the holiday: only 10-08 is a working day.
    expect(calendar.workingDaysBetween(sh("2024-10-01T00:30"), sh("2024-10-08T09:00"))).toBe(1);
    // 09-30 → 10-08 likewise (09-30 itself is the start day, not counted).
    expect(calendar.workingDaysBetween(sh("2024-09-30T23:45"), sh("2024-10-08T10:00"))).toBe(1);
  });
});

describe("computeStats", () => {
  it("totals of October 2024", async () => {
    const period = parsePeriod({ month: "2024-10" });
    const r = await computeStats(prisma, calendar, { from: period.from, to: period.to, now: NOW });
    expect(r.period).toEqual({ from: "2024-10-01T00:00:00+08:00", to: "2024-11-01T00:00:00+08:00" });
    expect(r.groups).toBeUndefined();
    expect(r.totals).toEqual({
      // Orders received in October: C0's repeat 10-03; C1 10-01 00:30 (+08, still 09-30 in UTC) and its repeat 10-05;
      // C2 10-09 and repeats 10-15, 10-20 (not 11-02); C3; C4; C5 → 1 + 2 + 3 + 1 + 1 + 1 = 9.
      received: 9,
      // C1–C5 (C0 is September, C6 is 11-01 00:00, the exclusive end).
      cases: 5,
      accepted: 4, // C1 C2 C3 C5
      returned: 1, // C4
      // accepted → signed: C1 10-01→10-08 = 1 ✓; C2 10-09→10-11 = 2 (10-10, 10-11) ✗; C3 unsigned ✗; C5 10-14→10-15 = 1 ✓.
      onTimeAccepted: 2,
      onTimeAcceptanceRate: 0.5, // 2 / 4
      // received → signed over signed cases: C1 1 (holiday), C2 2, C5 1 → 4 / 3 = 1.333…
      avgAcceptanceWorkingDays: 1.33,
      closed: 2, // C1 C2
      onTimeClosed: 1, // C1 10-18 ≤ 10-22; C2 10-28 > 10-25
      onTimeCompletionRate: 0.5,
      // signed → closed: C1 10-08→10-18 = 10-09 10 11 12 14 15 16 17 18 = 9; C2 10-11→10-28 = 12(Sat makeup) 14 15 16 17 18 21 22 23 24 25 28 = 12 → 21 / 2.
      avgCompletionWorkingDays: 10.5,
      overdue: 2, // C2 (flag, closed late); C5 open and past its 10-23 due date at NOW (11-05)
      extensions: 2, // C1 one approved (one rejected); C5 one approved (one pending)
      repeatReports: 4, // C1 1 + C2 3 (repeatCount, whenever received)
      escalated: 1, // C2
      revisits: 4, // C1 3 + C2 1
      satisfied: 2, // C1 two satisfied
      satisfactionRate: 2 / 3, // 2 satisfied of 3 answered (C1's null does not count)
      rewardsPaid: 2, // C1 500, C2 200 (C1's pending 300 and September C0's 1000 do not count)
      rewardsPaidYuan: 700,
    } satisfies Figures);
  });

  it("an explicit range: September 2024 holds C0 only", async () => {
    const p = parsePeriod({ from: "2024-09-01", to: "2024-10-01T00:00+08:00" });
    const r = await computeStats(prisma, calendar, { from: p.from, to: p.to, now: NOW });
    expect(r.totals).toMatchObject({
      received: 1,
      cases: 1,
      accepted: 1,
      onTimeAccepted: 1,
      onTimeAcceptanceRate: 1,
      avgAcceptanceWorkingDays: 1, // 09-30 → 10-08: only 10-08 is a working day
      closed: 0,
      onTimeCompletionRate: null,
      avgCompletionWorkingDays: null,
      satisfactionRate: null,
      repeatReports: 1,
      rewardsPaid: 1,
      rewardsPaidYuan: 1000,
    });
  });

  it("does not count a case merged into an older one (a confirmed repeat): its order counts with the older case", async () => {
    const row = (n: number, over: { stage: string } & Record<string, unknown>) => ({
      id: id(n),
      firstOrderNo: `${id(n)}-o0`,
      sourceLine: "12345",
      channel: "phone",
      kind: "complaint",
      receivedAt: sh("2024-08-12T09:00"),
      district: "温县",
      address: "某村",
      subjectName: "某砖厂",
      elements: ["air"],
      subjectKey: `${P}-m${n}`,
      addressKey: `${P}-m${n}`,
      acceptedAt: sh("2024-08-12T09:30"),
      ...over,
    });
    await prisma.case.createMany({
      data: [row(20, { stage: "accepted", repeatCount: 1 }), row(21, { receivedAt: sh("2024-08-13T09:00"), stage: "completed", outcome: "merged" })],
    });
    const order = (n: number, at: string, isRepeat: boolean) => ({
      orderNo: `${id(n)}-o0`,
      caseId: id(20),
      isRepeat,
      sourceLine: "12345",
      channel: "phone",
      kind: "complaint",
      district: "温县",
      receivedAt: sh(at),
      anonymous: true,
    });
    await prisma.hotlineOrder.createMany({ data: [order(20, "2024-08-12T09:00", false), order(21, "2024-08-13T09:00", true)] });
    const p = parsePeriod({ from: "2024-08-01", to: "2024-09-01T00:00+08:00" });
    const r = await computeStats(prisma, calendar, { from: p.from, to: p.to, now: NOW });
    expect(r.totals).toMatchObject({ received: 2, cases: 1, accepted: 1, repeatReports: 1 });
  });

  it("groups by element count a case under each of its elements", async () => {
    const p = parseMonth("2024-10");
    const r = await computeStats(prisma, calendar, { from: p.from, to: p.to, groupBy: "element", now: NOW });
    expect(r.groupBy).toBe("element");
    // water: C1 (water+air), C4; orders C1 ×2 + C4 = 3.
    expect(group(r.groups, "water")).toMatchObject({ cases: 2, received: 3, accepted: 1, returned: 1, closed: 1, onTimeClosed: 1 });
    // air: C1, C2; orders C1 ×2 + C2 ×3 = 5; completion (9 + 12) / 2.
    expect(group(r.groups, "air")).toMatchObject({
      cases: 2,
      received: 5,
      accepted: 2,
      onTimeAccepted: 1,
      onTimeAcceptanceRate: 0.5,
      closed: 2,
      avgCompletionWorkingDays: 10.5,
      avgAcceptanceWorkingDays: 1.5,
      overdue: 1,
      escalated: 1,
      revisits: 4,
      satisfactionRate: 2 / 3,
      rewardsPaidYuan: 700,
    });
    expect(group(r.groups, "noise")).toMatchObject({ cases: 1, received: 1, overdue: 1, extensions: 1 });
    expect(group(r.groups, "unknown")).toMatchObject({ cases: 1, received: 1, accepted: 1, onTimeAccepted: 0 }); // C3, no elements
    // C0 (September) has no case in October, but its October repeat counts as received under its element.
    expect(group(r.groups, "solid_waste")).toMatchObject({ cases: 0, received: 1, onTimeAcceptanceRate: null });
    // Double counting: 2 + 2 + 1 + 1 = 6 cases in groups for 5 cases in total.
    const sum = ["water", "air", "noise", "unknown"].reduce((n, k) => n + group(r.groups, k).cases, 0);
    expect(sum).toBe(6);
    expect(r.totals.cases).toBe(5);
  });

  it("groups by unit, district and industry with 'unassigned' / 'unknown' for missing values", async () => {
    const p = parseMonth("2024-10");
    const byUnit = await computeStats(prisma, calendar, { from: p.from, to: p.to, groupBy: "unit", now: NOW });
    expect(group(byUnit.groups, "u-water")).toMatchObject({ cases: 2, received: 3, onTimeAccepted: 2, onTimeAcceptanceRate: 1 }); // C1, C5
    expect(group(byUnit.groups, "unassigned")).toMatchObject({ cases: 2, accepted: 1, returned: 1 }); // C3, C4
    const byDistrict = await computeStats(prisma, calendar, { from: p.from, to: p.to, groupBy: "district", now: NOW });
    expect(group(byDistrict.groups, "解放区")).toMatchObject({ cases: 3, received: 4 }); // C1 ×2, C3, C5
    expect(group(byDistrict.groups, "山阳区")).toMatchObject({ cases: 2, received: 4 }); // C2 ×3, C4
    expect(group(byDistrict.groups, "马村区")).toMatchObject({ cases: 0, received: 1 }); // C0's repeat
    const byIndustry = await computeStats(prisma, calendar, { from: p.from, to: p.to, groupBy: "industry", now: NOW });
    expect(group(byIndustry.groups, "unknown")).toMatchObject({ cases: 2 }); // C2, C4
    expect(group(byIndustry.groups, "化工")).toMatchObject({ cases: 1, rewardsPaidYuan: 500 });
  });

  it("warns on concentrated reports at the threshold, within the window ending at `to`", async () => {
    const p = parseMonth("2024-10");
    // Window [10-02 00:00, 11-01 00:00). Subject A (C2): 10-09, 10-15, 10-20 = 3 (11-02 is outside) → warning at 3;
    // C2's address likewise (its own repeats: same subject, same address).
    // Subject B (C1 + C5): C1's 10-01 00:30 order is before the window; 10-05 + C5 10-14 = 2 → none at 3.
    // Address X (C1 + C3): 10-05 + 10-30 = 2 → none at 3.
    const r = await computeStats(prisma, calendar, { from: p.from, to: p.to, now: NOW });
    expect(ours(r)).toEqual([
      { key: "subject", label: "某化工有限公司", caseIds: [id(2)], district: "山阳区", reports: 3 },
      { key: "address", label: "山阳路2号", caseIds: [id(2)], district: "山阳区", reports: 3 },
    ]);

    const at2 = await computeStats(prisma, calendar, { from: p.from, to: p.to, now: NOW, threshold: 2 });
    const w2 = ours(at2);
    expect(w2).toContainEqual({ key: "subject", label: "某化工有限公司", caseIds: [id(2)], district: "山阳区", reports: 3 });
    expect(w2).toContainEqual({ key: "subject", label: "解放某化工厂", caseIds: [id(1), id(5)], district: "解放区", reports: 2 });
    // The label is the latest case's address (C3's).
    expect(w2).toContainEqual({ key: "address", label: "解放路8号", caseIds: [id(1), id(3)], district: "解放区", reports: 2 });
    expect(w2[0].reports).toBe(3); // most reports first

    // A 31-day window reaches back to 10-01 00:00 and takes C1's first order: subject B and address X reach 3.
    const wide = ours(await computeStats(prisma, calendar, { from: p.from, to: p.to, now: NOW, windowDays: 31 }));
    expect(wide.map((w) => `${w.key}:${w.label}:${w.reports}`).sort()).toEqual([
      "address:山阳路2号:3",
      "address:解放路8号:3",
      "subject:某化工有限公司:3",
      "subject:解放某化工厂:3",
    ]);
  });
});

describe("reports", () => {
  it("the monthly report of October 2024", async () => {
    const r = await monthlyReport(prisma, calendar, "2024-10", { now: NOW });
    expect(r.month).toBe("2024-10");
    expect(r.dueBy).toBe("2024-11-10"); // a Sunday: stated as is
    expect(r.totals).toMatchObject({ received: 9, cases: 5, accepted: 4, onTimeAcceptanceRate: 0.5, avgCompletionWorkingDays: 10.5 });
    expect(group(r.byKind, "complaint")).toMatchObject({ cases: 1, received: 3 }); // C1 ×2, C0's repeat
    expect(group(r.byKind, "report")).toMatchObject({ cases: 1, received: 3, overdue: 1 });
    expect(group(r.bySourceLine, "12345")).toMatchObject({ cases: 3 }); // C1 C3 C5
    expect(group(r.bySourceLine, "12314")).toMatchObject({ cases: 1, returned: 1 });
    expect(group(r.byElement, "air").cases).toBe(2);
    expect(group(r.byDistrict, "解放区").cases).toBe(3);
    expect(ours(r).map((w) => w.key)).toEqual(["subject", "address"]);
  });

  it("the quarterly report of 2024-Q4 with its three months", async () => {
    const r = await quarterlyReport(prisma, calendar, "2024-q4", { now: NOW });
    expect(r.quarter).toBe("2024-Q4");
    expect(r.period).toEqual({ from: "2024-10-01T00:00:00+08:00", to: "2025-01-01T00:00:00+08:00" });
    // Q4: C1–C6 = 6 cases; orders: October's 9 + November's C6 and C2's 11-02 repeat = 11.
    expect(r.totals).toMatchObject({ cases: 6, received: 11, accepted: 4, closed: 2 });
    expect(r.monthly.map((m) => m.month)).toEqual(["2024-10", "2024-11", "2024-12"]);
    expect(r.monthly[0].totals).toMatchObject({ cases: 5, received: 9, onTimeAcceptanceRate: 0.5 });
    expect(r.monthly[1].totals).toMatchObject({ cases: 1, received: 2, accepted: 0, onTimeAcceptanceRate: null });
    expect(r.monthly[2].totals).toMatchObject({ cases: 0, received: 0, avgAcceptanceWorkingDays: null });
    expect(group(r.byUnit, "unassigned").cases).toBe(3); // C3 C4 C6
    expect(group(r.byChannel, "wechat")).toMatchObject({ cases: 1, received: 4 }); // C2 and all its repeats
    expect(group(r.byIndustry, "建筑").cases).toBe(1);
    expect(group(r.byElement, "air").cases).toBe(3); // C1 C2 C6
    expect(ours(r)).toEqual([]); // window [12-02, 01-01): none of ours
  });

  it("CSV: BOM, header, one row per (section, key), RFC 4180 line ends", async () => {
    const csv = toCsv(await monthlyReport(prisma, calendar, "2024-10", { now: NOW }));
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const lines = csv.slice(1).split("\r\n").slice(0, -1);
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(lines[0]).toBe(
      "period,section,key,received,cases,accepted,returned,onTimeAccepted,onTimeAcceptanceRate,avgAcceptanceWorkingDays," +
        "closed,onTimeClosed,onTimeCompletionRate,avgCompletionWorkingDays,overdue,extensions,repeatReports,escalated," +
        "revisits,satisfied,satisfactionRate,rewardsPaid,rewardsPaidYuan,label,district,reports,caseIds",
    );
    // Totals; the rate 2/3 is written to 4 decimals; warning columns empty.
    expect(lines[1]).toBe("2024-10,totals,all,9,5,4,1,2,0.5,1.33,2,1,0.5,10.5,2,2,4,1,4,2,0.6667,2,700,,,,");
    expect(lines).toContain("2024-10,district,山阳区,4,2,1,1,0,0,2,1,0,0,12,1,0,3,1,1,0,0,1,200,,,,");
    expect(lines).toContain("2024-10,element,solid_waste,1,0,0,0,0,,,0,0,,,0,0,0,0,0,0,,0,0,,,,");
    expect(lines).toContain(`2024-10,concentrated,subject,${",".repeat(19)},某化工有限公司,山阳区,3,${id(2)}`);
    expect(lines.every((l) => l.split(",").length >= CSV_HEADER.length)).toBe(true);
    // Sections in order: totals, district, kind, sourceLine, element, concentrated.
    const sections = [...new Set(lines.slice(1).map((l) => l.split(",")[1]))];
    expect(sections).toEqual(["totals", "district", "kind", "sourceLine", "element", "concentrated"]);
  });

  it("CSV of a quarter has the month rows; a computeStats result its groups", async () => {
    const q = toCsv(await quarterlyReport(prisma, calendar, "2024-Q4", { now: NOW }));
    expect(q).toContain("\r\n2024-Q4,month,2024-11,2,1,0,0,0,,,0,0,,,0,0,0,0,0,0,,0,0,,,,\r\n");
    const p = parseMonth("2024-10");
    const s = toCsv(await computeStats(prisma, calendar, { from: p.from, to: p.to, groupBy: "channel", now: NOW }));
    expect(s).toContain("\r\n2024-10-01T00:00:00+08:00/2024-11-01T00:00:00+08:00,channel,platform,1,1,0,1,");
  });

  it("CSV quotes commas, quotes and newlines, and defuses formulas", () => {
    const f: Figures = {
      received: 1,
      cases: 1,
      accepted: 0,
      returned: 0,
      onTimeAccepted: 0,
      onTimeAcceptanceRate: null,
      avgAcceptanceWorkingDays: null,
      closed: 0,
      onTimeClosed: 0,
      onTimeCompletionRate: null,
      avgCompletionWorkingDays: null,
      overdue: 0,
      extensions: 0,
      repeatReports: 0,
      escalated: 0,
      revisits: 0,
      satisfied: 0,
      satisfactionRate: null,
      rewardsPaid: 0,
      rewardsPaidYuan: 0,
    };
    const csv = toCsv({
      period: { from: "a", to: "b" },
      asOf: "c",
      groupBy: "district",
      totals: f,
      groups: [
        { key: '高新区,"东"', figures: f },
        { key: '=HYPERLINK("x")', figures: f },
        { key: "两\n行", figures: f },
      ],
      concentrated: [{ key: "address", label: "-1+1", caseIds: ["c1", "c2"], district: "d", reports: 4 }],
    });
    expect(csv).toContain('\r\na/b,district,"高新区,""东""",1,1,');
    expect(csv).toContain('\r\na/b,district,"\'=HYPERLINK(""x"")",1,1,');
    expect(csv).toContain('\r\na/b,district,"两\n行",1,1,');
    expect(csv).toContain(",'-1+1,d,4,c1 c2\r\n");
  });
});

describe("period parsing", () => {
  it("months and quarters are Asia/Shanghai civil periods, half open", () => {
    const m = parseMonth("2026-10");
    expect(m.from.toISOString()).toBe("2026-09-30T16:00:00.000Z");
    expect(m.to.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    const dec = parseMonth("2026-12");
    expect(dec.to.toISOString()).toBe("2026-12-31T16:00:00.000Z");
    const q = parseQuarter("2026-Q1");
    expect(q.from.toISOString()).toBe("2025-12-31T16:00:00.000Z");
    expect(q.to.toISOString()).toBe("2026-03-31T16:00:00.000Z");
    expect(parsePeriod("2026-Q4").label).toBe("2026-Q4");
    expect(parsePeriod({ quarter: "2026-q4", month: "" }).kind).toBe("quarter");
    expect(monthsOfQuarter("2026-Q4")).toEqual(["2026-10", "2026-11", "2026-12"]);
    expect(monthlyDueBy("2026-12")).toBe("2027-01-10");
    const r = parseRange("2026-10-01T08:00:00Z", "2026-10-02");
    expect(r.from.toISOString()).toBe("2026-10-01T08:00:00.000Z");
    expect(r.to.toISOString()).toBe("2026-10-01T16:00:00.000Z"); // no offset = Shanghai
  });

  it.each([
    ["month 13", () => parseMonth("2026-13")],
    ["month 00", () => parseMonth("2026-00")],
    ["short month", () => parseMonth("2026-1")],
    ["not a month", () => parseMonth("October")],
    ["quarter 5", () => parseQuarter("2026-Q5")],
    ["quarter without Q", () => parseQuarter("2026-4")],
    ["nothing", () => parsePeriod({})],
    ["two forms", () => parsePeriod({ month: "2026-10", quarter: "2026-Q4" })],
    ["from without to", () => parsePeriod({ from: "2026-10-01" })],
    ["to before from", () => parsePeriod({ from: "2026-10-02", to: "2026-10-01" })],
    ["empty range", () => parseRange("2026-10-01", "2026-10-01")],
    ["invalid date", () => parseRange("2026-02-30", "2026-03-01")],
    ["not a string", () => parsePeriod({ month: ["2026-10"] })],
    ["year out of range", () => parseMonth("1800-01")],
  ])("rejects %s with a PeriodError (HTTP 400)", (_name, parse) => {
    try {
      parse();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PeriodError);
      expect((e as PeriodError).status).toBe(400);
      expect((e as PeriodError).code).toBe("invalid_period");
    }
  });

  it("the reports reject a malformed month or quarter before touching the database", async () => {
    await expect(monthlyReport(prisma, calendar, "2024-10-01")).rejects.toBeInstanceOf(PeriodError);
    await expect(quarterlyReport(prisma, calendar, "2024-Q0")).rejects.toBeInstanceOf(PeriodError);
  });
});
