/** Civil-date arithmetic for Asia/Shanghai: UTC+8 all year (no DST since 1991), so plain epoch-day maths is exact. */

/** Milliseconds in a civil day. */
export const DAY_MS = 86_400_000;
/** Asia/Shanghai offset from UTC in milliseconds (+08:00). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Earliest civil year the calendar accepts. */
export const MIN_YEAR = 1900;
/** Latest civil year the calendar accepts; bounds lazy table growth. */
export const MAX_YEAR = 2199;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch-day number (days since 1970-01-01) of a proleptic Gregorian date, no validation. */
export function epochDayOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Epoch-day number of a valid 'YYYY-MM-DD', or undefined when malformed or not a real date (e.g. 02-30). */
export function tryParseDate(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]),
    mo = Number(m[2]),
    d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC maps years 0-99 to 1900-1999 and rolls 02-30 over to March: round-trip to reject both.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** Epoch-day number of a 'YYYY-MM-DD'; throws RangeError when invalid. */
export function parseDate(s: string): number {
  const day = tryParseDate(s);
  if (day === undefined) throw new RangeError(`invalid date ${JSON.stringify(s)}: expected a real YYYY-MM-DD`);
  return day;
}

/** 'YYYY-MM-DD' of an epoch-day number. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Asia/Shanghai civil epoch-day of an instant (ms since epoch). */
export function shanghaiDayOfMs(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Asia/Shanghai civil epoch-day of a Date; throws RangeError on an invalid Date. */
export function shanghaiDay(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date");
  return shanghaiDayOfMs(ms);
}

/** Epoch-day of a 'YYYY-MM-DD' string (taken as a Shanghai civil date) or of a Date's Shanghai civil date. */
export function toDay(date: string | Date): number {
  return typeof date === "string" ? parseDate(date) : shanghaiDay(date);
}

/** Instant at which a Shanghai civil day begins (00:00 +08:00). */
export function startOfShanghaiDay(day: number): Date {
  return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Day of week of an epoch-day: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** True for Saturday and Sunday. */
export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** Civil year of an epoch-day. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** ISO-8601 rendering of an instant in Shanghai time, e.g. '2025-10-14T00:00:00+08:00' (milliseconds only when non-zero). */
export function formatShanghai(date: Date): string {
  const iso = new Date(date.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  const ms = iso.slice(19, 23);
  return iso.slice(0, 19) + (ms === ".000" ? "" : ms) + "+08:00";
}

/**
 * Parse an ISO-8601 instant: 'YYYY-MM-DD', 'YYYY-MM-DDTHH:mm[:ss[.fff]]' with optional 'Z' or '±HH:MM'.
 * A missing offset means Asia/Shanghai (the service's civil time), never the process's local zone.
 * Returns undefined when malformed or out of range.
 */
export function parseInstant(s: string): Date | undefined {
  const m = INSTANT_RE.exec(s.trim());
  if (!m) return undefined;
  const day = tryParseDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === undefined) return undefined;
  const h = Number(m[4] ?? 0),
    mi = Number(m[5] ?? 0),
    sec = Number(m[6] ?? 0);
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let offsetMs = SHANGHAI_OFFSET_MS;
  const tz = m[8];
  if (tz === "Z") offsetMs = 0;
  else if (tz) {
    const digits = tz.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2)),
      om = Number(digits.slice(2, 4));
    if (oh > 23 || om > 59) return undefined;
    offsetMs = (tz[0] === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return new Date(day * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + frac - offsetMs);
}
