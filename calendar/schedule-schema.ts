/** Zod schema and validation for one year's official holiday schedule (国务院办公厅 notice), as uploaded or stored. */
import { z } from "zod";
import { formatDay, isWeekend, MAX_YEAR, MIN_YEAR, tryParseDate, yearOfDay } from "./civil-date.ts";

const ENTRY_RE = /^\d{4}-\d{2}-\d{2}(\/\d{4}-\d{2}-\d{2})?$/;

/** One entry: a day 'YYYY-MM-DD' or an inclusive range 'YYYY-MM-DD/YYYY-MM-DD' (ISO-8601 interval), as notices print "1月28日至2月4日". */
export const dayOrRangeSchema = z.string().regex(ENTRY_RE, "expected YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD");

/** Shape of an uploaded schedule, without the year-dependent rules (those are in scheduleSchemaFor). */
export const scheduleShape = z.strictObject({
  off: z.array(dayOrRangeSchema).min(1, "a schedule lists at least one day off").max(366),
  work: z.array(dayOrRangeSchema).max(366),
  names: z.record(dayOrRangeSchema, z.string().trim().min(1).max(40)).optional(),
});

/** A schedule as uploaded: off days, makeup workdays (调休上班) and optional names, entries may be ranges. */
export type ScheduleInput = z.infer<typeof scheduleShape>;

/** A validated schedule expanded to single sorted days, names keyed by day. */
export interface OfficialSchedule {
  readonly off: readonly string[];
  readonly work: readonly string[];
  readonly names: Readonly<Record<string, string>>;
}

/** One validation problem, located like 'off[3]' or 'names.2025-01-01'. */
export interface ScheduleFieldError {
  path: string;
  message: string;
}

/** Result of validateSchedule. */
export type ScheduleValidation = { ok: true; schedule: OfficialSchedule } | { ok: false; errors: ScheduleFieldError[] };

type Expanded = { days: number[] } | { error: string };

/** Expand one entry into epoch-days, checking real dates, order and that every day lies in `year`. */
function expandEntry(entry: string, year: number): Expanded {
  const [a, b = a] = entry.split("/") as [string, string?];
  const from = tryParseDate(a),
    to = tryParseDate(b);
  if (from === undefined) return { error: `${a} is not a real date` };
  if (to === undefined) return { error: `${b} is not a real date` };
  if (to < from) return { error: `range ${entry} ends before it starts` };
  if (yearOfDay(from) !== year || yearOfDay(to) !== year) return { error: `${entry} is not inside ${year}` };
  const days: number[] = [];
  for (let d = from; d <= to; d++) days.push(d);
  return { days };
}

/** Year-specific rules over the shape; reported as zod issues with paths. Returns expanded day sets. */
function checkSchedule(year: number, input: ScheduleInput, report: (path: (string | number)[], message: string) => void) {
  const off = new Map<number, number>(),
    work = new Map<number, number>();
  const collect = (field: "off" | "work", seen: Map<number, number>) =>
    input[field].forEach((entry, i) => {
      if (!ENTRY_RE.test(entry)) return; // the shape already reported it (zod runs refinements after non-fatal issues)
      const r = expandEntry(entry, year);
      if ("error" in r) return report([field, i], r.error);
      for (const d of r.days) {
        const first = seen.get(d);
        if (first !== undefined) report([field, i], `${formatDay(d)} is already listed in ${field}[${first}]`);
        else seen.set(d, i);
      }
    });
  collect("off", off);
  collect("work", work);
  for (const [d, i] of work) {
    const o = off.get(d);
    if (o !== undefined) report(["work", i], `${formatDay(d)} is both a day off (off[${o}]) and a makeup workday`);
    // Notices only ever move weekend days to work (调休上班); a weekday needs no listing.
    else if (!isWeekend(d)) report(["work", i], `${formatDay(d)} is a weekday; makeup workdays are Saturdays or Sundays`);
  }
  for (const key of Object.keys(input.names ?? {})) {
    if (!ENTRY_RE.test(key)) continue;
    const r = expandEntry(key, year);
    if ("error" in r) report(["names", key], r.error);
    else if (r.days.some((d) => !off.has(d) && !work.has(d))) report(["names", key], `${key} names a day that is neither in off nor in work`);
  }
  return { off, work };
}

/** Full zod schema for `year`'s schedule (shape plus date, overlap and weekday rules); reuse it for PUT /api/calendar/{year}. */
export function scheduleSchemaFor(year: number) {
  return scheduleShape.superRefine((input, ctx) => {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
      return ctx.addIssue({ code: "custom", path: [], message: `year must be an integer ${MIN_YEAR}–${MAX_YEAR}` });
    checkSchedule(year, input, (path, message) => ctx.addIssue({ code: "custom", path, message }));
  });
}

/** Render a zod issue path as 'off[3]' / 'names.2025-01-01' ('' for the whole object). */
function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

/** Expand a valid input into single sorted days; names from ranges apply to every day of the range. */
function normalize(input: ScheduleInput, year: number): OfficialSchedule {
  const expandAll = (entries: readonly string[]) =>
    entries.flatMap((e) => {
      const r = expandEntry(e, year);
      return "days" in r ? r.days : [];
    });
  const names: Record<string, string> = {};
  for (const [key, name] of Object.entries(input.names ?? {})) for (const d of expandAll([key])) names[formatDay(d)] = name;
  const sorted = (days: number[]) => [...new Set(days)].sort((a, b) => a - b).map(formatDay);
  return { off: sorted(expandAll(input.off)), work: sorted(expandAll(input.work)), names };
}

/** Validate an uploaded schedule for `year`; on success returns it expanded to single days, else field-level errors. */
export function validateSchedule(year: number, input: unknown): ScheduleValidation {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    return { ok: false, errors: [{ path: "year", message: `year must be an integer ${MIN_YEAR}–${MAX_YEAR}` }] };
  const parsed = scheduleSchemaFor(year).safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ path: pathString(i.path), message: i.message })) };
  return { ok: true, schedule: normalize(parsed.data, year) };
}

/** Thrown when a schedule handed to the calendar fails validateSchedule. */
export class ScheduleValidationError extends Error {
  constructor(
    readonly year: number,
    readonly errors: readonly ScheduleFieldError[],
  ) {
    super(`invalid official schedule for ${year}: ${errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`);
    this.name = "ScheduleValidationError";
  }
}
