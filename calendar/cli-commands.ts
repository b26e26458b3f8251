/** CLI commands over the default calendar: `calendar <year>` and `deadline <ISO start> <working days>`. */
import { formatShanghai, parseInstant } from "./civil-date.ts";
import { loadDefaultCalendar, MAX_WORKING_DAYS, MAX_YEAR, MIN_YEAR } from "./index.ts";

/** A CLI command: argument synopsis, one-line summary, and a runner writing result lines through `out`. */
export interface CliCommand {
  usage: string;
  summary: string;
  run(args: readonly string[], out: (line: string) => void): void | Promise<void>;
}

/** Thrown for a bad argument; the dispatcher prints the command's usage to stderr and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const calendar: CliCommand = {
  usage: `<year ${MIN_YEAR}-${MAX_YEAR}>`,
  summary: "one line per day: 'YYYY-MM-DD workday|offday[ name]'",
  run(args, out) {
    const [arg, ...rest] = args;
    const year = Number(arg);
    if (rest.length || !/^\d{4}$/.test(arg ?? "") || year < MIN_YEAR || year > MAX_YEAR) throw new UsageError(`bad year ${JSON.stringify(arg ?? "")}`);
    for (const d of loadDefaultCalendar().yearDays(year)) out(`${d.date} ${d.working ? "workday" : "offday"}${d.name ? ` ${d.name}` : ""}`);
  },
};

const deadline: CliCommand = {
  usage: `<ISO-8601 start, +08:00 if no offset> <working days 1-${MAX_WORKING_DAYS}>`,
  summary: "the due instant (+08:00); a second line 'provisional: …' when a year in the span lacks an official schedule",
  run(args, out) {
    const [startArg = "", daysArg = "", ...rest] = args;
    const start = parseInstant(startArg);
    const days = Number(daysArg);
    if (rest.length || !start) throw new UsageError(`bad start ${JSON.stringify(startArg)}`);
    if (!/^\d+$/.test(daysArg) || days < 1 || days > MAX_WORKING_DAYS) throw new UsageError(`bad working days ${JSON.stringify(daysArg)}`);
    const cal = loadDefaultCalendar();
    const r = cal.deadlineAfter(start, days);
    out(formatShanghai(r.dueAt));
    if (r.provisional) {
      const official = cal.officialYears();
      out(`provisional: no official schedule for a year in the span (official: ${official[0]}–${official.at(-1)}); weekends and statutory festivals assumed`);
    }
  },
};

/** Commands this module contributes to scripts/cli.ts. */
export const calendarCommands: Readonly<Record<string, CliCommand>> = { calendar, deadline };
