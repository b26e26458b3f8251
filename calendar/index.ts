/** Public surface of the working-day calendar module. */
import { z } from "zod";
import data from "./schedules.json" with { type: "json" };
import { WorkingCalendar } from "./working-calendar.ts";

export { WorkingCalendar, MAX_WORKING_DAYS, PRECOMPUTED_YEARS } from "./working-calendar.ts";
export type { DayInfo, Deadline, ScheduleSource } from "./working-calendar.ts";
export { dayOrRangeSchema, scheduleShape, scheduleSchemaFor, validateSchedule, ScheduleValidationError } from "./schedule-schema.ts";
export type { OfficialSchedule, ScheduleFieldError, ScheduleInput, ScheduleValidation } from "./schedule-schema.ts";
export { formatShanghai, parseInstant, MIN_YEAR, MAX_YEAR } from "./civil-date.ts";

/** Shape of calendar/schedules.json; each year's body is checked by validateSchedule when the calendar is built. */
export const scheduleFileSchema = z.object({
  $comment: z.string().optional(),
  version: z.literal(1),
  years: z.record(z.string().regex(/^\d{4}$/), z.unknown()),
});

let defaultCalendar: WorkingCalendar | undefined;

/** The calendar built from the bundled schedules.json (2020–2026); memoised, which is safe as calendars are immutable. */
export function loadDefaultCalendar(): WorkingCalendar {
  defaultCalendar ??= new WorkingCalendar(scheduleFileSchema.parse(data).years);
  return defaultCalendar;
}
