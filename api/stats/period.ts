/**
 * Reporting periods: an explicit `[from, to)` range of instants, a month `YYYY-MM` or a quarter `YYYY-Qn`,
 * always as half-open intervals of instants. Months and quarters are Asia/Shanghai civil periods (UTC+8 all
 * year, no DST): month 2026-10 is 2026-10-01T00:00+08:00 (inclusive) to 2026-11-01T00:00+08:00 (exclusive).
 */
import { MAX_YEAR, MIN_YEAR, formatShanghai, parseInstant } from "../../calendar";

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * Bad period input. The API answers it with HTTP 400: `status` and `code` say so, and `type` makes the
 * generic 4xx branch of `toHttpError` (api/errors.ts) map it to a 400 even without a dedicated case.
 */
export class PeriodError extends Error {
  override readonly name = "PeriodError";
  readonly status = 400;
  readonly code = "invalid_period";
  readonly type = "invalid_period";
  constructor(message: string) {
    super(message);
  }
}

/** A half-open period `[from, to)` and how it was given. */
export interface Period {
  from: Date;
  to: Date;
  /** 'range' for explicit instants, else the civil period it names. */
  kind: "range" | "month" | "quarter";
  /** '2026-10', '2026-Q4', or 'from/to' in Shanghai ISO for a range. */
  label: string;
}

/** What `parsePeriod` accepts: exactly one of a month, a quarter, or both `from` and `to` (e.g. query parameters). */
export interface PeriodInput {
  from?: unknown;
  to?: unknown;
  month?: unknown;
  quarter?: unknown;
}

const MONTH_RE = /^(\d{4})-(\d{2})$/;
const QUARTER_RE = /^(\d{4})-Q([1-4])$/i;

/** 00:00 Asia/Shanghai on the first day of a month (month may be 13 → January of the next year). */
function shanghaiMonthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month - 1, 1) - SHANGHAI_OFFSET_MS);
}

function checkYear(year: number, input: string): void {
  if (year < MIN_YEAR || year > MAX_YEAR) throw new PeriodError(`year of ${JSON.stringify(input)} is outside ${MIN_YEAR}–${MAX_YEAR}`);
}

/** Month 'YYYY-MM' → [first day 00:00+08:00, first day of the next month 00:00+08:00). Throws PeriodError. */
export function parseMonth(month: unknown): Period {
  if (typeof month !== "string") throw new PeriodError("month must be a string YYYY-MM");
  const m = MONTH_RE.exec(month.trim());
  if (!m) throw new PeriodError(`invalid month ${JSON.stringify(month)}: expected YYYY-MM`);
  const year = Number(m[1]),
    mo = Number(m[2]);
  if (mo < 1 || mo > 12) throw new PeriodError(`invalid month ${JSON.stringify(month)}: month must be 01–12`);
  checkYear(year, month);
  return { from: shanghaiMonthStart(year, mo), to: shanghaiMonthStart(year, mo + 1), kind: "month", label: `${m[1]}-${m[2]}` };
}

/** Quarter 'YYYY-Qn' (n = 1–4, 'q' accepted) → [its first month's start, the next quarter's start) in Shanghai. Throws PeriodError. */
export function parseQuarter(quarter: unknown): Period {
  if (typeof quarter !== "string") throw new PeriodError("quarter must be a string YYYY-Qn");
  const m = QUARTER_RE.exec(quarter.trim());
  if (!m) throw new PeriodError(`invalid quarter ${JSON.stringify(quarter)}: expected YYYY-Qn with n = 1–4`);
  const year = Number(m[1]),
    q = Number(m[2]);
  checkYear(year, quarter);
  const first = (q - 1) * 3 + 1;
  return { from: shanghaiMonthStart(year, first), to: shanghaiMonthStart(year, first + 3), kind: "quarter", label: `${m[1]}-Q${q}` };
}

/** The three months of a quarter as 'YYYY-MM'. */
export function monthsOfQuarter(quarter: string): [string, string, string] {
  const p = parseQuarter(quarter);
  const [y, q] = p.label.split("-Q").map(Number);
  const first = (q - 1) * 3 + 1;
  const mm = (k: number) => `${y}-${String(first + k).padStart(2, "0")}`;
  return [mm(0), mm(1), mm(2)];
}

/**
 * Explicit instants → [from, to). ISO-8601 as `parseInstant` reads it ('YYYY-MM-DD[THH:mm[:ss[.fff]]][Z|±HH:MM]';
 * no offset means Asia/Shanghai). A bare date is 00:00 of that day, so `to` = '2026-11-01' ends with October 31.
 * Throws PeriodError when malformed, or when `to` is not after `from`.
 */
export function parseRange(from: unknown, to: unknown): Period {
  if (typeof from !== "string" || typeof to !== "string") throw new PeriodError("from and to must both be ISO-8601 instants");
  const f = parseInstant(from),
    t = parseInstant(to);
  if (!f) throw new PeriodError(`invalid from ${JSON.stringify(from)}: expected an ISO-8601 instant`);
  if (!t) throw new PeriodError(`invalid to ${JSON.stringify(to)}: expected an ISO-8601 instant`);
  checkYear(Number(formatShanghai(f).slice(0, 4)), from);
  checkYear(Number(formatShanghai(t).slice(0, 4)), to);
  if (t.getTime() <= f.getTime()) throw new PeriodError("to must be after from (the period is [from, to))");
  return { from: f, to: t, kind: "range", label: `${formatShanghai(f)}/${formatShanghai(t)}` };
}

/**
 * One period from exactly one of: `month`, `quarter`, or `from` + `to`. A string is read as a month or a quarter
 * by its shape. Empty strings count as absent (a form field left blank). Throws PeriodError.
 */
export function parsePeriod(input: PeriodInput | string): Period {
  if (typeof input === "string") return QUARTER_RE.test(input.trim()) ? parseQuarter(input) : parseMonth(input);
  const given = (v: unknown) => v !== undefined && v !== null && v !== "";
  const forms = [given(input.month), given(input.quarter), given(input.from) || given(input.to)].filter(Boolean).length;
  if (forms === 0) throw new PeriodError("a period is required: month=YYYY-MM, quarter=YYYY-Qn, or from and to");
  if (forms > 1) throw new PeriodError("give only one of month, quarter, or from and to");
  if (given(input.month)) return parseMonth(input.month);
  if (given(input.quarter)) return parseQuarter(input.quarter);
  if (!given(input.from) || !given(input.to)) throw new PeriodError("both from and to are required for a range");
  return parseRange(input.from, input.to);
}

/** The 10th of the month after `month` ('YYYY-MM'), the monthly report's due date, as 'YYYY-MM-DD'. */
export function monthlyDueBy(month: string): string {
  const p = parseMonth(month);
  return formatShanghai(p.to).slice(0, 8) + "10";
}
