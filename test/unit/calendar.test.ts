import { describe, expect, it } from "vitest";
import { loadDefaultCalendar, scheduleSchemaFor, ScheduleValidationError, validateSchedule, WorkingCalendar } from "../../calendar/index.ts";

// Expected calendars written from the notices' wording (DOMAIN.md for 2025/2026), independent of schedules.json.
const NOTICES: Record<number, { off: string; work: string }> = {
  2020: { off: "1/1; 1/24–2/2; 4/4–6; 5/1–5; 6/25–27; 10/1–8", work: "1/19, 4/26, 5/9, 6/28, 9/27, 10/10" },
  2021: { off: "1/1–3; 2/11–17; 4/3–5; 5/1–5; 6/12–14; 9/19–21; 10/1–7", work: "2/7, 2/20, 4/25, 5/8, 9/18, 9/26, 10/9" },
  2022: { off: "1/1–3; 1/31–2/6; 4/3–5; 4/30–5/4; 6/3–5; 9/10–12; 10/1–7; 12/31", work: "1/29, 1/30, 4/2, 4/24, 5/7, 10/8, 10/9" },
  2023: { off: "1/1–2; 1/21–27; 4/5; 4/29–5/3; 6/22–24; 9/29–10/6", work: "1/28, 1/29, 4/23, 5/6, 6/25, 10/7, 10/8" },
  2024: { off: "1/1; 2/10–17; 4/4–6; 5/1–5; 6/10; 9/15–17; 10/1–7", work: "2/4, 2/18, 4/7, 4/28, 5/11, 9/14, 9/29, 10/12" },
  2025: { off: "1/1; 1/28–2/4; 4/4–6; 5/1–5; 5/31–6/2; 10/1–8", work: "1/26, 2/8, 4/27, 9/28, 10/11" },
  2026: { off: "1/1–3; 2/15–23; 4/4–6; 5/1–5; 6/19–21; 9/25–27; 10/1–7", work: "1/4, 2/14, 2/28, 5/9, 9/20, 10/10" },
};

/** Expand "1/28–2/4; 4/4–6" into ISO dates of `year`. */
function expand(year: number, spec: string): Set<string> {
  const days = new Set<string>();
  for (const part of spec
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [a, b] = part.split("–") as [string, string | undefined];
    const [m1, d1] = a.split("/").map(Number) as [number, number];
    const [m2, d2] = b === undefined ? [m1, d1] : b.includes("/") ? (b.split("/").map(Number) as [number, number]) : [m1, Number(b)];
    for (let t = Date.UTC(year, m1 - 1, d1); t <= Date.UTC(year, m2 - 1, d2); t += 86_400_000) days.add(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

const cal = loadDefaultCalendar();
const at = (s: string) => new Date(s);
const due = (start: string, n: number) => {
  const r = cal.deadlineAfter(at(start), n);
  return { dueAt: r.dueAt.toISOString(), provisional: r.provisional };
};
const expectDue = (start: string, n: number, expected: string, provisional = false) =>
  expect(due(start, n)).toEqual({ dueAt: at(expected).toISOString(), provisional });

describe("every day of 2020–2026 matches the notices", () => {
  for (const [yearKey, notice] of Object.entries(NOTICES)) {
    const year = Number(yearKey);
    it(`${year}`, () => {
      const off = expand(year, notice.off),
        work = expand(year, notice.work);
      const days = cal.yearDays(year);
      expect(days.length).toBe(year % 4 === 0 ? 366 : 365);
      expect(days[0]?.date).toBe(`${year}-01-01`);
      expect(days.at(-1)?.date).toBe(`${year}-12-31`);
      const mismatches: string[] = [];
      for (const day of days) {
        const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay();
        const expected = work.has(day.date) || (weekday >= 1 && weekday <= 5 && !off.has(day.date));
        if (day.working !== expected || cal.isWorkingDay(day.date) !== expected || !day.official) mismatches.push(day.date);
      }
      expect(mismatches).toEqual([]);
      for (const d of work) expect(cal.dayInfo(d)).toMatchObject({ working: true, official: true });
    });
  }

  it("counts the working days of 2025 and 2026", () => {
    // 2025: 261 weekdays − 18 weekday holidays + 5 makeup days; 2026: 261 − 19 + 6.
    expect(cal.yearDays(2025).filter((d) => d.working).length).toBe(248);
    expect(cal.yearDays(2026).filter((d) => d.working).length).toBe(248);
  });

  it("names holidays and makeup workdays", () => {
    expect(cal.dayInfo("2025-10-06")).toEqual({ date: "2025-10-06", working: false, official: true, name: "国庆节、中秋节" });
    expect(cal.dayInfo("2025-09-28")).toEqual({ date: "2025-09-28", working: true, official: true, name: "国庆节调休上班" });
    expect(cal.dayInfo("2025-03-12")).toEqual({ date: "2025-03-12", working: true, official: true });
    expect(cal.dayInfo("2020-02-01")).toMatchObject({ working: false, name: "春节（延长假期）" });
    expect(cal.officialYears()).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });
});

describe("deadlineAfter", () => {
  it("crosses the 2025 National Day break (off 10/1–8, makeup Sat 10/11)", () => {
    expectDue("2025-09-30T10:00:00+08:00", 10, "2025-10-22T00:00:00+08:00");
    expectDue("2025-09-30T10:00:00+08:00", 3, "2025-10-12T00:00:00+08:00");
  });

  it("counts makeup weekend workdays", () => {
    expectDue("2025-09-26T10:00:00+08:00", 3, "2025-10-01T00:00:00+08:00"); // Sun 9/28 is day 1
    expectDue("2025-01-24T16:00:00+08:00", 1, "2025-01-27T00:00:00+08:00"); // Sun 1/26
    expectDue("2026-02-13T10:00:00+08:00", 5, "2026-02-28T00:00:00+08:00"); // Sat 2/14, then 2/24–27
    expectDue("2026-02-13T10:00:00+08:00", 6, "2026-03-01T00:00:00+08:00"); // Sat 2/28
  });

  it("starts on a holiday, a weekend or a makeup day without counting the start day", () => {
    expectDue("2025-10-03T09:00:00+08:00", 3, "2025-10-12T00:00:00+08:00");
    expectDue("2025-03-08T10:00:00+08:00", 5, "2025-03-15T00:00:00+08:00");
    expectDue("2025-09-28T10:00:00+08:00", 1, "2025-09-30T00:00:00+08:00");
    expectDue("2020-01-23T10:00:00+08:00", 1, "2020-02-04T00:00:00+08:00"); // COVID extension to 2/2
  });

  it("uses the Shanghai civil date of the start, whatever the time", () => {
    expectDue("2025-03-06T23:59:00+08:00", 1, "2025-03-08T00:00:00+08:00");
    expectDue("2025-03-07T23:59:59.999+08:00", 1, "2025-03-11T00:00:00+08:00");
    expectDue("2025-03-06T23:30:00Z", 1, "2025-03-11T00:00:00+08:00"); // already Friday 07:30 in Shanghai
    expectDue("2025-03-07T00:00:00+08:00", 1, "2025-03-11T00:00:00+08:00");
  });

  it("crosses a year boundary", () => {
    expectDue("2025-12-25T10:00:00+08:00", 10, "2026-01-10T00:00:00+08:00"); // off 1/1–3, makeup Sun 1/4
    expectDue("2022-12-30T10:00:00+08:00", 1, "2023-01-04T00:00:00+08:00"); // 12/31–1/2 off
  });

  it("is provisional for 2027 without a schedule, and a supplied 2027 schedule changes it", () => {
    expectDue("2026-12-01T10:00:00+08:00", 10, "2026-12-16T00:00:00+08:00", false);
    expectDue("2026-12-28T10:00:00+08:00", 10, "2027-01-13T00:00:00+08:00", true); // 2027-01-01 元旦 from date-holidays
    // Fallback: weekends + date-holidays 除夕–初二 (2/5–7) + 初三 2/8 (amended 放假办法).
    expectDue("2027-02-01T10:00:00+08:00", 5, "2027-02-11T00:00:00+08:00", true);
    expect(cal.dayInfo("2027-02-05")).toEqual({ date: "2027-02-05", working: false, official: false, name: "春节" });

    // Hypothetical 2027 schedule, for the test only.
    const with2027 = cal.withSchedule(2027, { off: ["2027-01-01", "2027-02-05/2027-02-12"], work: ["2027-02-13"] });
    expect(with2027.hasOfficialSchedule(2027)).toBe(true);
    const r = with2027.deadlineAfter(at("2027-02-01T10:00:00+08:00"), 5);
    expect(r).toEqual({ dueAt: at("2027-02-16T00:00:00+08:00"), provisional: false });
    expect(with2027.deadlineAfter(at("2026-12-28T10:00:00+08:00"), 10).provisional).toBe(false);
    // The original is untouched.
    expect(cal.hasOfficialSchedule(2027)).toBe(false);
    expectDue("2027-02-01T10:00:00+08:00", 5, "2027-02-11T00:00:00+08:00", true);
    expect(with2027.withoutSchedule(2027).deadlineAfter(at("2027-02-01T10:00:00+08:00"), 5).provisional).toBe(true);
  });

  it("is provisional when a day in the span lies in a year without a schedule (2019)", () => {
    expectDue("2019-12-30T10:00:00+08:00", 3, "2020-01-04T00:00:00+08:00", true);
    expectDue("2019-12-31T10:00:00+08:00", 2, "2020-01-04T00:00:00+08:00", false);
  });

  it("agrees with a day-by-day walk for random starts and limits", () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 48271) + 11) >>> 0) / 2 ** 32;
    const from = Date.parse("2019-01-01T00:00:00+08:00"),
      to = Date.parse("2031-06-01T00:00:00+08:00");
    for (let i = 0; i < 3000; i++) {
      const start = new Date(from + rnd() * (to - from));
      const n = 1 + Math.floor(rnd() * 30);
      let day = new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      for (let left = n; left > 0;) {
        day = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
        if (cal.isWorkingDay(day)) left--;
      }
      const expected = new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000);
      const r = cal.deadlineAfter(start, n);
      expect(r.dueAt.toISOString(), `${start.toISOString()} + ${n}`).toBe(expected.toISOString());
      expect(cal.workingDaysBetween(start, new Date(r.dueAt.getTime() - 1))).toBe(n);
    }
  });

  it("works lazily outside the precomputed years", () => {
    expectDue("2040-06-01T10:00:00+08:00", 10, "2040-06-19T00:00:00+08:00", true); // Fri 6/1; 端午 Thu 6/14 off
    expect(cal.isWorkingDay("1999-12-31")).toBe(true);
  });

  it("rejects bad arguments", () => {
    const start = at("2025-03-03T10:00:00+08:00");
    expect(() => cal.deadlineAfter(start, 0)).toThrow(RangeError);
    expect(() => cal.deadlineAfter(start, 1.5)).toThrow(RangeError);
    expect(() => cal.deadlineAfter(start, 10_001)).toThrow(RangeError);
    expect(() => cal.deadlineAfter(new Date(Number.NaN), 3)).toThrow(RangeError);
    expect(() => cal.isWorkingDay("2025-02-29")).toThrow(RangeError);
    expect(() => cal.isWorkingDay("2025-3-1")).toThrow(RangeError);
    expect(() => cal.yearDays(2500)).toThrow(RangeError);
  });
});

describe("group-only half days are working days", () => {
  // 妇女节, 青年节, 儿童节, 建军节 are off only for those groups; offices work. All dates below are weekdays.
  const days = ["2024-03-08", "2023-05-04", "2023-06-01", "2023-08-01", "2027-03-08", "2027-05-04", "2027-06-01", "2029-08-01"];
  it.each(days)("%s", (d) => {
    expect([1, 2, 3, 4, 5]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(cal.isWorkingDay(d)).toBe(true);
  });
});

describe("workingDaysBetween and nextWorkingDay", () => {
  it("counts working days after the start day up to and including the end day", () => {
    const from = at("2025-09-30T10:00:00+08:00");
    expect(cal.workingDaysBetween(from, at("2025-09-30T23:00:00+08:00"))).toBe(0);
    expect(cal.workingDaysBetween(from, at("2025-10-08T23:00:00+08:00"))).toBe(0);
    expect(cal.workingDaysBetween(from, at("2025-10-09T08:00:00+08:00"))).toBe(1);
    expect(cal.workingDaysBetween(from, at("2025-10-21T23:59:00+08:00"))).toBe(10);
    expect(cal.workingDaysBetween(from, at("2025-09-01T00:00:00+08:00"))).toBe(0);
    expect(cal.workingDaysBetween(at("2025-01-01T00:00:00+08:00"), at("2026-01-01T00:00:00+08:00"))).toBe(248);
  });

  it("finds the next working day strictly after a date", () => {
    expect(cal.nextWorkingDay("2025-10-01")).toBe("2025-10-09");
    expect(cal.nextWorkingDay("2025-09-27")).toBe("2025-09-28");
    expect(cal.nextWorkingDay(at("2025-03-07T20:00:00+08:00"))).toBe("2025-03-10");
  });
});

describe("validateSchedule", () => {
  it("accepts ranges and expands them", () => {
    const r = validateSchedule(2027, { off: ["2027-01-01", "2027-02-05/2027-02-07"], work: ["2027-02-13"], names: { "2027-02-05/2027-02-07": "春节" } });
    expect(r).toEqual({
      ok: true,
      schedule: {
        off: ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07"],
        work: ["2027-02-13"],
        names: { "2027-02-05": "春节", "2027-02-06": "春节", "2027-02-07": "春节" },
      },
    });
  });

  it("reports field-level errors", () => {
    const r = validateSchedule(2027, {
      off: ["2027-02-30", "2026-12-31", "2027-02-05/2027-02-12", "2027-02-10", "2027-03-05/2027-03-01"],
      work: ["2027-02-06", "2027-02-17", "2027-02-13"],
      names: { "2027-07-01": "建党节" },
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors).toEqual([
      { path: "off[0]", message: "2027-02-30 is not a real date" },
      { path: "off[1]", message: "2026-12-31 is not inside 2027" },
      { path: "off[3]", message: "2027-02-10 is already listed in off[2]" },
      { path: "off[4]", message: "range 2027-03-05/2027-03-01 ends before it starts" },
      { path: "work[0]", message: "2027-02-06 is both a day off (off[2]) and a makeup workday" },
      { path: "work[1]", message: "2027-02-17 is a weekday; makeup workdays are Saturdays or Sundays" },
      { path: "names.2027-07-01", message: "2027-07-01 names a day that is neither in off nor in work" },
    ]);
  });

  it("reports shape errors and a bad year", () => {
    const shape = validateSchedule(2027, { off: "2027-01-01", work: [], extra: 1 });
    expect(shape.ok ? [] : shape.errors.map((e) => e.path).sort()).toEqual(["", "off"]);
    const format = validateSchedule(2027, { off: ["2027/01/01"], work: [] });
    expect(format.ok ? [] : format.errors.map((e) => e.path)).toEqual(["off[0]"]);
    expect(validateSchedule(1800, { off: ["1800-01-01"], work: [] })).toMatchObject({ ok: false, errors: [{ path: "year" }] });
    expect(scheduleSchemaFor(2027).safeParse({ off: ["2027-01-01"], work: ["2027-01-04"] }).success).toBe(false);
  });

  it("makes withSchedule throw on an invalid schedule", () => {
    expect(() => cal.withSchedule(2027, { off: ["2027-01-01"], work: ["2027-01-05"] })).toThrow(ScheduleValidationError);
    expect(() => new WorkingCalendar({ 2027: { off: [], work: [] } })).toThrow(ScheduleValidationError);
  });
});
