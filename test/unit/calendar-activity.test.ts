/** The deadline activity (real calendar, no server): instants for the ledger and the National Day rule. */
import { describe, expect, it } from "vitest";
import { createCalendarActivities } from "../../activities/calendar";
import type { CalendarStore } from "../../activities/calendar-store";
import { loadDefaultCalendar } from "../../calendar";

const { computeDeadline } = createCalendarActivities({ calendars: { current: async () => loadDefaultCalendar() } as unknown as CalendarStore });

describe("computeDeadline", () => {
  it("skips the 2025 National Day break and counts the makeup workday 2025-10-11", async () => {
    // Accepted 2025-09-30 (not counted); 10/1–8 off; working days 10/9, 10/10, Sat 10/11 (makeup), 10/13–17, 10/20, 10/21.
    const d = await computeDeadline({ startAt: "2025-09-30T10:00:00+08:00", days: 10 });
    expect(d.dueAt).toBe("2025-10-21T16:00:00.000Z"); // 24:00 Shanghai of 10/21
    expect(d.provisional).toBe(false);
    // Blue after 5 working days (end of 10/14), yellow at the start of the last working day (end of 10/20).
    expect(d.blueAt).toBe("2025-10-14T16:00:00.000Z");
    expect(d.yellowAt).toBe("2025-10-20T16:00:00.000Z");
  });

  it("counts a consultation's 3 days from a Friday-evening signing", async () => {
    const d = await computeDeadline({ startAt: "2026-11-20T23:30:00+08:00", days: 3 });
    expect(d.dueAt).toBe("2026-11-25T16:00:00.000Z"); // Mon 23, Tue 24, Wed 25
    expect(d.blueAt).toBe("2026-11-23T16:00:00.000Z");
    expect(d.yellowAt).toBe("2026-11-24T16:00:00.000Z");
  });
});
