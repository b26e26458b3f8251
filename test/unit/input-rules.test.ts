/** Pure input rules of issue 15: phone normalisation, plausible calendar uploads, rate-limit windows. */
import { describe, expect, it } from "vitest";
import { fixedWindow } from "../../api/rate-limit";
import { phoneSchema } from "../../api/schemas";
import { validateSchedule } from "../../calendar";
import { baseHolidays } from "../../calendar/base-holidays";
import { implausibility, workingDayCount } from "../../calendar/plausibility";
import data from "../../calendar/schedules.json" with { type: "json" };

describe("phone numbers", () => {
  it("are normalised to digits without the country code", () => {
    expect(phoneSchema.parse("+86-193-1234-5678")).toBe("19312345678");
    expect(phoneSchema.parse("0086 138 1234 5678")).toBe("13812345678");
    expect(phoneSchema.parse("0391-1234567")).toBe("03911234567");
    expect(phoneSchema.parse("13812345678")).toBe("13812345678");
    expect(phoneSchema.safeParse("+-- --").success).toBe(false);
    expect(phoneSchema.safeParse("138a").success).toBe(false);
  });
});

describe("calendar uploads", () => {
  it("accept every real year and a schedule of the statutory festivals", () => {
    for (const [y, body] of Object.entries((data as { years: Record<string, unknown> }).years)) {
      const v = validateSchedule(Number(y), body);
      if (!v.ok) throw new Error(y);
      expect([y, implausibility(Number(y), v.schedule)]).toEqual([y, []]);
    }
    const off = [...baseHolidays(2027).keys()];
    const v = validateSchedule(2027, { off, work: [] });
    if (!v.ok) throw new Error("2027");
    expect(implausibility(2027, v.schedule)).toEqual([]);
  });

  it("refuse every day off, festivals at work and too many working days, with the reasons", () => {
    const all = validateSchedule(2027, { off: ["2027-01-01/2027-12-31"], work: [] });
    if (!all.ok) throw new Error("2027");
    expect(workingDayCount(2027, all.schedule)).toBe(0);
    expect(implausibility(2027, all.schedule).map((e) => e.message)).toEqual([expect.stringMatching(/^0 working days/)]);
    const none = validateSchedule(2027, { off: ["2027-01-01"], work: [] });
    if (!none.ok) throw new Error("2027");
    const reasons = implausibility(2027, none.schedule).map((e) => e.message);
    expect(reasons[0]).toMatch(/statutory festival days must be off: .*国庆节/);
  });
});

describe("rate-limit windows", () => {
  it("answer the seconds until the window ends", () => {
    let t = 0;
    const take = fixedWindow(2, () => t);
    expect([take("a"), take("a"), take("b")]).toEqual([0, 0, 0]);
    t = 15_000;
    expect(take("a")).toBe(45);
    t = 60_000;
    expect(take("a")).toBe(0);
  });
});
