/** The official working-day calendar (Asia/Shanghai): official schedules per year over a date-holidays CN fallback. */
import { baseHolidays } from "./base-holidays.ts";
import { DAY_MS, MAX_YEAR, MIN_YEAR, SHANGHAI_OFFSET_MS, epochDayOf, formatDay, parseDate, shanghaiDay, toDay, yearOfDay } from "./civil-date.ts";
import { buildDayTable, type DayTable, type YearRules } from "./day-table.ts";
import { ScheduleValidationError, validateSchedule, type OfficialSchedule } from "./schedule-schema.ts";

/** One civil day as the calendar sees it; official is false when the year falls back to weekends + date-holidays. */
export interface DayInfo {
  date: string;
  working: boolean;
  name?: string;
  official: boolean;
}

/** A deadline instant; provisional when a year it spans has no official schedule yet. */
export interface Deadline {
  dueAt: Date;
  provisional: boolean;
}

/** Largest working-day count deadlineAfter accepts (about 40 years); bounds lazy table growth. */
export const MAX_WORKING_DAYS = 10_000;
/** Years precomputed eagerly; others are added to the table on first use. */
export const PRECOMPUTED_YEARS = { first: 2019, last: 2031 } as const;

/** Schedules accepted by the constructor: year → schedule (single days or ranges; validated). */
export type ScheduleSource = ReadonlyMap<number, unknown> | Readonly<Record<string, unknown>>;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`year ${year} outside the supported ${MIN_YEAR}–${MAX_YEAR}`);
}

function checkWorkingDays(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS) throw new RangeError(`workingDays must be an integer 1–${MAX_WORKING_DAYS}, got ${n}`);
}

/** Immutable working-day calendar; all dates are Asia/Shanghai civil dates, all instants JS Dates. */
export class WorkingCalendar {
  private readonly schedules: ReadonlyMap<number, OfficialSchedule>;
  private readonly rules = new Map<number, YearRules>();
  // Grows (replaced wholesale) when a year outside it is asked for; observable behaviour never changes.
  private table: DayTable;

  /** Build from official schedules keyed by year; each is checked with validateSchedule (throws ScheduleValidationError). */
  constructor(schedules: ScheduleSource = {}) {
    const entries = schedules instanceof Map ? [...schedules] : Object.entries(schedules);
    const valid = new Map<number, OfficialSchedule>();
    for (const [key, input] of entries) {
      const year = Number(key);
      const r = validateSchedule(year, input);
      if (!r.ok) throw new ScheduleValidationError(year, r.errors);
      valid.set(year, r.schedule);
    }
    this.schedules = valid;
    this.table = buildDayTable(PRECOMPUTED_YEARS.first, PRECOMPUTED_YEARS.last, (y) => this.yearRules(y));
  }

  /** A new calendar with `year`'s official schedule replaced by `schedule` (validated; throws ScheduleValidationError). */
  withSchedule(year: number, schedule: unknown): WorkingCalendar {
    return new WorkingCalendar(new Map<number, unknown>([...this.schedules, [year, schedule]]));
  }

  /** A new calendar without an official schedule for `year` (it falls back to weekends + date-holidays). */
  withoutSchedule(year: number): WorkingCalendar {
    const rest = new Map<number, unknown>(this.schedules);
    rest.delete(year);
    return new WorkingCalendar(rest);
  }

  /** True when `year` has an official schedule. */
  hasOfficialSchedule(year: number): boolean {
    return this.schedules.has(year);
  }

  /** Years with an official schedule, ascending. */
  officialYears(): number[] {
    return [...this.schedules.keys()].sort((a, b) => a - b);
  }

  /** The validated official schedule of `year` (single days), if any. */
  scheduleFor(year: number): OfficialSchedule | undefined {
    return this.schedules.get(year);
  }

  /** Whether a civil date ('YYYY-MM-DD', or a Date's Shanghai date) is a working day. */
  isWorkingDay(date: string | Date): boolean {
    const i = this.index(toDay(date));
    return this.table.working[i] === 1;
  }

  /**
   * Deadline for a limit of `workingDays` working days: 24:00 Shanghai (00:00 +08:00 of the next civil day)
   * of the Nth working day after the start's civil day; the start day never counts, whatever its time.
   */
  deadlineAfter(start: Date, workingDays: number): Deadline {
    const t = this.table;
    const s = Math.floor((start.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS) - t.startDay;
    // Hot path: a few typed-array reads; anything unusual (bad input, outside the table) takes the slow path.
    if (s >= 0 && s < t.length && workingDays >= 1 && workingDays <= MAX_WORKING_DAYS && (workingDays | 0) === workingDays) {
      const k = t.cum[s] + workingDays - 1;
      if (k < t.nth.length) {
        const d = t.nth[k];
        return {
          dueAt: new Date((t.startDay + d + 1) * DAY_MS - SHANGHAI_OFFSET_MS),
          provisional: t.unofficial[d] !== t.unofficial[s],
        };
      }
    }
    return this.deadlineSlow(start, workingDays);
  }

  /**
   * Working days d with from's civil day < d <= to's civil day (0 when to <= from): the days elapsed, counted like
   * deadlineAfter (start day excluded), so workingDaysBetween(start, dueAt − 1 ms) === N. See docs/CALENDAR.md.
   */
  workingDaysBetween(from: Date, to: Date): number {
    const f = shanghaiDay(from),
      e = shanghaiDay(to);
    if (to.getTime() <= from.getTime()) return 0;
    this.ensureYears(yearOfDay(f), yearOfDay(e));
    const t = this.table;
    return t.cum[e - t.startDay] - t.cum[f - t.startDay];
  }

  /** The first working day strictly after the given civil date, as 'YYYY-MM-DD'. */
  nextWorkingDay(date: string | Date): string {
    const day = toDay(date);
    for (;;) {
      const i = this.index(day),
        t = this.table;
      const k = t.cum[i];
      if (k < t.nth.length) return formatDay(t.startDay + t.nth[k]);
      this.ensureYears(t.firstYear, t.lastYear + 1);
    }
  }

  /** How the calendar classifies one civil date, with the holiday or makeup-day name when known. */
  dayInfo(date: string | Date): DayInfo {
    const day = toDay(date);
    const working = this.table.working[this.index(day)] === 1;
    const rules = this.yearRules(yearOfDay(day));
    const name = rules.names.get(day);
    const info: DayInfo = { date: formatDay(day), working, official: rules.official };
    if (name !== undefined) info.name = name;
    return info;
  }

  /** Every day of a civil year, January 1 to December 31. */
  yearDays(year: number): DayInfo[] {
    checkYear(year);
    const days: DayInfo[] = [];
    for (let d = epochDayOf(year, 1, 1), end = epochDayOf(year + 1, 1, 1); d < end; d++) days.push(this.dayInfo(formatDay(d)));
    return days;
  }

  private deadlineSlow(start: Date, workingDays: number): Deadline {
    checkWorkingDays(workingDays);
    const day = shanghaiDay(start);
    this.index(day);
    for (;;) {
      const t = this.table;
      const missing = t.cum[day - t.startDay] + workingDays - t.nth.length;
      if (missing <= 0) return this.deadlineAfter(start, workingDays);
      // ~245 working days a year; over-allocate a year so one extension is enough.
      this.ensureYears(t.firstYear, t.lastYear + Math.ceil(missing / 200) + 1);
    }
  }

  /** Table index of an epoch-day, growing the table to cover its year first. */
  private index(day: number): number {
    const i = day - this.table.startDay;
    if (i >= 0 && i < this.table.length) return i;
    const year = yearOfDay(day);
    this.ensureYears(year, year);
    return day - this.table.startDay;
  }

  /** Grow the table (never shrink) so it covers first..last. */
  private ensureYears(first: number, last: number): void {
    const t = this.table;
    if (first >= t.firstYear && last <= t.lastYear) return;
    checkYear(first);
    checkYear(last);
    this.table = buildDayTable(Math.min(first, t.firstYear), Math.max(last, t.lastYear), (y) => this.yearRules(y));
  }

  private yearRules(year: number): YearRules {
    let rules = this.rules.get(year);
    if (rules) return rules;
    const schedule = this.schedules.get(year);
    if (schedule) {
      rules = {
        official: true,
        off: new Set(schedule.off.map(parseDate)),
        work: new Set(schedule.work.map(parseDate)),
        names: new Map(Object.entries(schedule.names).map(([d, n]) => [parseDate(d), n])),
      };
    } else {
      const base = baseHolidays(year);
      const days = new Map([...base].map(([d, n]) => [parseDate(d), n]));
      rules = { official: false, off: new Set(days.keys()), work: new Set(), names: days };
    }
    this.rules.set(year, rules);
    return rules;
  }
}
