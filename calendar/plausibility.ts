/**
 * Does an uploaded schedule look like a real year of the State Council's notices? A well-formed
 * schedule can still be nonsense (every day off, no festival off): an upload must keep every
 * statutory festival off (the statute's days, calendar/base-holidays.ts) and leave about as many
 * working days as real years have (2020–2026: 248–251).
 */
import { baseHolidays } from "./base-holidays.ts";
import type { OfficialSchedule, ScheduleFieldError } from "./schedule-schema.ts";

/** Working days a real year has, give or take. */
export const PLAUSIBLE_WORKING_DAYS = { min: 245, max: 255 } as const;

/** Working days of `year` under a schedule: weekdays not off, plus makeup weekend workdays. */
export function workingDayCount(year: number, schedule: OfficialSchedule): number {
  const off = new Set(schedule.off),
    work = new Set(schedule.work);
  let n = 0;
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    if (work.has(day) || (!weekend && !off.has(day))) n++;
  }
  return n;
}

/** The reasons a schedule does not look like a real year (empty when it does). */
export function implausibility(year: number, schedule: OfficialSchedule): ScheduleFieldError[] {
  const errors: ScheduleFieldError[] = [];
  const off = new Set(schedule.off);
  const missing = [...baseHolidays(year)].filter(([day]) => !off.has(day));
  if (missing.length)
    errors.push({ path: "off", message: `statutory festival days must be off: ${missing.map(([day, name]) => `${day} ${name}`).join(", ")}` });
  const n = workingDayCount(year, schedule);
  if (n < PLAUSIBLE_WORKING_DAYS.min || n > PLAUSIBLE_WORKING_DAYS.max)
    errors.push({ path: "", message: `${n} working days; a real year has ${PLAUSIBLE_WORKING_DAYS.min}–${PLAUSIBLE_WORKING_DAYS.max}` });
  return errors;
}
