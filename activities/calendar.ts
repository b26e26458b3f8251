/** Deadlines from the official working-day calendar, as instants the workflow keeps (holidays are data). */
import type { DeadlineInfo } from "../workflows/case-state";
import type { CalendarStore } from "./calendar-store";

/** Calendar activities. */
export function createCalendarActivities(deps: { calendars: CalendarStore }) {
  return {
    /** The deadline `days` working days after `startAt`, with the ledger's colour thresholds. */
    async computeDeadline(input: { startAt: string; days: number }): Promise<DeadlineInfo> {
      const cal = await deps.calendars.current();
      const start = new Date(input.startAt);
      const due = cal.deadlineAfter(start, input.days);
      // Blue once half of the working days are used; yellow when only the last working day is left.
      const at = (n: number) => (n >= 1 ? cal.deadlineAfter(start, n).dueAt : start);
      return {
        startAt: input.startAt,
        days: input.days,
        dueAt: due.dueAt.toISOString(),
        provisional: due.provisional,
        blueAt: at(Math.floor(input.days / 2)).toISOString(),
        yellowAt: at(input.days - 1).toISOString(),
      };
    },
  };
}
