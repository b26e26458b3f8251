// Dates in Asia/Shanghai, and working days left before a deadline.

const TZ = "Asia/Shanghai";
const dateTime = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TZ,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const dateOnly = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });
const weekday = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, weekday: "short" });
const money = new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 0 });

const toDate = (v) => (v instanceof Date ? v : new Date(v));

/** "2026/05/12 14:03" in Beijing time, or a dash. */
export const fmtDateTime = (v) => (v ? dateTime.format(toDate(v)) : "—");
/** "2026/05/12" in Beijing time, or a dash. */
export const fmtDate = (v) => (v ? dateOnly.format(toDate(v)) : "—");
/** "1,000 元". */
export const fmtYuan = (n) => (typeof n === "number" ? `${money.format(n)} 元` : "—");
/** A rate 0..1 as "93.5%", or a dash. */
export const fmtRate = (r) => (typeof r === "number" ? `${(r * 100).toFixed(1)}%` : "—");

/** The Beijing civil day of an instant as "YYYY-MM-DD". */
export function shanghaiDay(v) {
  const parts = Object.fromEntries(dateOnly.formatToParts(toDate(v)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The day after "YYYY-MM-DD". */
export function nextDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** A deadline is 24:00 of its last day (= 00:00 of the next): "2026/05/26（周二）24:00". */
export function fmtDue(v) {
  if (!v) return "—";
  const last = new Date(toDate(v).getTime() - 1);
  return `${dateOnly.format(last)}（${weekday.format(last)}）24:00`;
}

/** 00:00 Beijing time of a "YYYY-MM-DD" day, as an ISO instant the API accepts. */
export const dayStart = (day) => `${day}T00:00:00+08:00`;

/**
 * Working days left until a deadline: the working days after today (Beijing) through the
 * deadline's last day — the counting rule of the limit itself, so on the day the clock starts it is
 * the whole limit, and 0 on the last day. `isWorking(day)` answers for "YYYY-MM-DD".
 * Returns { overdue: true } once the deadline has passed.
 */
export function workingDaysLeft(dueAt, now, isWorking) {
  const due = toDate(dueAt).getTime();
  if (now.getTime() >= due) return { overdue: true, days: 0 };
  const last = shanghaiDay(due - 1);
  const today = shanghaiDay(now);
  let days = 0;
  for (let d = nextDay(today); d <= last; d = nextDay(d)) if (isWorking(d)) days++;
  return { overdue: false, days };
}

/** The years from one instant's Beijing year to another's. */
export function yearsBetween(a, b) {
  const ya = Number(shanghaiDay(a).slice(0, 4)),
    yb = Number(shanghaiDay(b).slice(0, 4));
  const out = [];
  for (let y = Math.min(ya, yb); y <= Math.max(ya, yb); y++) out.push(y);
  return out;
}
