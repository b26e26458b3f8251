/** Precomputed per-day arrays over a span of whole years: the O(1) core of WorkingCalendar. */
import { epochDayOf, isWeekend } from "./civil-date.ts";

/** How one civil year is decided: an official schedule, or the weekend + date-holidays fallback. */
export interface YearRules {
  readonly official: boolean;
  readonly off: ReadonlySet<number>;
  readonly work: ReadonlySet<number>;
  readonly names: ReadonlyMap<number, string>;
}

/** Arrays indexed by i = epochDay − startDay, covering Jan 1 of firstYear to Dec 31 of lastYear. */
export interface DayTable {
  readonly firstYear: number;
  readonly lastYear: number;
  readonly startDay: number;
  readonly length: number;
  /** 1 when day i is a working day. */
  readonly working: Uint8Array;
  /** Working days among days 0..i inclusive. */
  readonly cum: Int32Array;
  /** nth[k] = index of the (k+1)-th working day of the table. */
  readonly nth: Int32Array;
  /** Days among 0..i inclusive whose year has no official schedule (for the provisional flag). */
  readonly unofficial: Int32Array;
}

/** Rule applied to every day: makeup workdays work; otherwise Monday–Friday unless listed off. */
export function isWorkingUnder(rules: YearRules, day: number): boolean {
  return rules.work.has(day) || (!isWeekend(day) && !rules.off.has(day));
}

/** Build the table for firstYear..lastYear from each year's rules. */
export function buildDayTable(firstYear: number, lastYear: number, rulesOf: (year: number) => YearRules): DayTable {
  const startDay = epochDayOf(firstYear, 1, 1);
  const length = epochDayOf(lastYear + 1, 1, 1) - startDay;
  const working = new Uint8Array(length),
    cum = new Int32Array(length),
    unofficial = new Int32Array(length);
  const nth = new Int32Array(length);
  let count = 0,
    unoff = 0,
    i = 0;
  for (let y = firstYear; y <= lastYear; y++) {
    const rules = rulesOf(y);
    for (const end = epochDayOf(y + 1, 1, 1) - startDay; i < end; i++) {
      if (isWorkingUnder(rules, startDay + i)) {
        working[i] = 1;
        nth[count++] = i;
      }
      if (!rules.official) unoff++;
      cum[i] = count;
      unofficial[i] = unoff;
    }
  }
  return { firstYear, lastYear, startDay, length, working, cum, nth: nth.slice(0, count), unofficial };
}
