/** The period a scheduled report run reports: the month or quarter that ended last before its start (Asia/Shanghai). */
import { describe, expect, it } from "vitest";
import { lastClosedPeriod } from "../../workflows/report.workflow";

describe("lastClosedPeriod", () => {
  it("is last month, counted in Shanghai time", () => {
    // 02:00 on 1 December in Shanghai is 18:00 on 30 November UTC: still November in UTC, December in Shanghai.
    expect(lastClosedPeriod("monthly", new Date("2026-11-30T18:00:00Z"))).toBe("2026-11");
    expect(lastClosedPeriod("monthly", new Date("2026-11-30T15:59:59Z"))).toBe("2026-10");
    expect(lastClosedPeriod("monthly", new Date("2026-12-31T18:00:00Z"))).toBe("2026-12");
    expect(lastClosedPeriod("monthly", new Date("2027-01-01T12:00:00Z"))).toBe("2026-12");
  });
  it("is last quarter", () => {
    expect(lastClosedPeriod("quarterly", new Date("2026-09-30T18:30:00Z"))).toBe("2026-Q3");
    expect(lastClosedPeriod("quarterly", new Date("2026-12-31T18:30:00Z"))).toBe("2026-Q4");
    expect(lastClosedPeriod("quarterly", new Date("2026-05-15T00:00:00Z"))).toBe("2026-Q1");
    expect(lastClosedPeriod("quarterly", new Date("2026-03-31T15:00:00Z"))).toBe("2025-Q4");
  });
});
