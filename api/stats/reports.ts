/**
 * The bureau's periodic reports (arts. 15–18): the monthly summary of last month's handling, due to the city
 * detachment by the 10th of the following month, and the quarterly analysis; both as JSON and as a flat CSV.
 * Each report loads its period once (compute.ts) and groups it several ways in memory.
 */
import type { WorkingCalendar } from "../../calendar";
import { formatShanghai } from "../../calendar";
import type { PrismaClient } from "../../db/client";
import {
  FIGURE_KEYS,
  STATS_DEFAULTS,
  findConcentrated,
  groupsOf,
  loadStatsData,
  totalsOf,
  type ConcentratedWarning,
  type Figures,
  type GroupBy,
  type StatsGroup,
  type StatsResult,
} from "./compute";
import { monthlyDueBy, monthsOfQuarter, parseMonth, parseQuarter } from "./period";

/** Tunables shared by both reports (defaults in STATS_DEFAULTS; `now` defaults to the current instant). */
export interface ReportOptions {
  signDays?: number;
  threshold?: number;
  windowDays?: number;
  now?: Date;
}

/** The monthly summary. */
export interface MonthlyReport {
  /** 'YYYY-MM'. */
  month: string;
  /** The period [from, to) in Asia/Shanghai ISO-8601. */
  period: { from: string; to: string };
  /** The 10th of the following month, 'YYYY-MM-DD' (stated as is, even when it is not a working day). */
  dueBy: string;
  asOf: string;
  totals: Figures;
  byDistrict: StatsGroup[];
  byKind: StatsGroup[];
  bySourceLine: StatsGroup[];
  byElement: StatsGroup[];
  concentrated: ConcentratedWarning[];
}

/** The quarterly analysis. */
export interface QuarterlyReport {
  /** 'YYYY-Qn'. */
  quarter: string;
  period: { from: string; to: string };
  asOf: string;
  totals: Figures;
  byDistrict: StatsGroup[];
  byUnit: StatsGroup[];
  byElement: StatsGroup[];
  byIndustry: StatsGroup[];
  byChannel: StatsGroup[];
  /** The totals of each of the quarter's three months, in order. */
  monthly: Array<{ month: string; totals: Figures }>;
  concentrated: ConcentratedWarning[];
}

function figureOpts(opts: ReportOptions) {
  return { signDays: opts.signDays ?? STATS_DEFAULTS.signDays, now: opts.now ?? new Date() };
}

/** The monthly summary of `month` ('YYYY-MM'; throws PeriodError when malformed). */
export async function monthlyReport(prisma: PrismaClient, calendar: WorkingCalendar, month: string, opts: ReportOptions = {}): Promise<MonthlyReport> {
  const p = parseMonth(month);
  const f = figureOpts(opts);
  const [data, concentrated] = await Promise.all([loadStatsData(prisma, p.from, p.to), findConcentrated(prisma, p.to, opts)]);
  const by = (g: GroupBy) => groupsOf(data, calendar, g, f);
  return {
    month: p.label,
    period: { from: formatShanghai(p.from), to: formatShanghai(p.to) },
    dueBy: monthlyDueBy(p.label),
    asOf: formatShanghai(f.now),
    totals: totalsOf(data, calendar, f),
    byDistrict: by("district"),
    byKind: by("kind"),
    bySourceLine: by("sourceLine"),
    byElement: by("element"),
    concentrated,
  };
}

/** The quarterly analysis of `quarter` ('YYYY-Qn'; throws PeriodError when malformed). */
export async function quarterlyReport(prisma: PrismaClient, calendar: WorkingCalendar, quarter: string, opts: ReportOptions = {}): Promise<QuarterlyReport> {
  const p = parseQuarter(quarter);
  const f = figureOpts(opts);
  const [data, concentrated] = await Promise.all([loadStatsData(prisma, p.from, p.to), findConcentrated(prisma, p.to, opts)]);
  const by = (g: GroupBy) => groupsOf(data, calendar, g, f);
  const monthly = monthsOfQuarter(p.label).map((month) => {
    const m = parseMonth(month);
    return { month, totals: totalsOf(data, calendar, { ...f, from: m.from, to: m.to }) };
  });
  return {
    quarter: p.label,
    period: { from: formatShanghai(p.from), to: formatShanghai(p.to) },
    asOf: formatShanghai(f.now),
    totals: totalsOf(data, calendar, f),
    byDistrict: by("district"),
    byUnit: by("unit"),
    byElement: by("element"),
    byIndustry: by("industry"),
    byChannel: by("channel"),
    monthly,
    concentrated,
  };
}

// ---- CSV ----

/** Columns after the figures, filled on concentration-warning rows only. */
const WARNING_COLUMNS = ["label", "district", "reports", "caseIds"] as const;
/** The CSV header: period, section, key, the figures (FIGURE_KEYS order), then the warning columns. */
export const CSV_HEADER: readonly string[] = ["period", "section", "key", ...FIGURE_KEYS, ...WARNING_COLUMNS];

const RATE_KEYS = new Set<keyof Figures>(["onTimeAcceptanceRate", "onTimeCompletionRate", "satisfactionRate"]);

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. */
function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Text from the hotline (names, addresses) that a spreadsheet would run as a formula gets a leading apostrophe. */
function text(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function figureCells(f: Figures): string[] {
  return FIGURE_KEYS.map((k) => {
    const v = f[k];
    if (v === null) return "";
    return RATE_KEYS.has(k) ? String(Math.round(v * 10_000) / 10_000) : String(v);
  });
}

/**
 * A report (monthly, quarterly, or a computeStats result) as one flat CSV table: UTF-8 with a BOM (so Excel reads
 * Chinese correctly), CRLF line ends, RFC 4180 quoting. Header `CSV_HEADER`; then one row per (section, key):
 * `totals`/`all`, one row per group (`district`, `kind`, `sourceLine`, `element`, `unit`, `industry`, `channel`),
 * `month`/`YYYY-MM` for a quarter's months, and `concentrated`/`subject|address` rows carrying label, district,
 * reports and case ids (space-separated) with empty figure cells. Empty cell = null (no denominator). Rates are
 * rounded to 4 decimals; text cells that start with = + - @ are prefixed with ' against formula injection.
 */
export function toCsv(report: MonthlyReport | QuarterlyReport | StatsResult): string {
  return (
    "\uFEFF" +
    csvRows(report)
      .map((r) => r.map(field).join(","))
      .join("\r\n") +
    "\r\n"
  );
}

/** The rows of `toCsv` (header first), unquoted: the spreadsheet rendering reuses them. */
export function csvRows(report: MonthlyReport | QuarterlyReport | StatsResult): string[][] {
  const period = "month" in report ? report.month : "quarter" in report ? report.quarter : `${report.period.from}/${report.period.to}`;
  const rows: string[][] = [[...CSV_HEADER]];
  const blanks = WARNING_COLUMNS.map(() => "");
  const add = (section: string, key: string, f: Figures) => rows.push([period, section, text(key), ...figureCells(f), ...blanks]);
  const addGroups = (section: string, groups: readonly StatsGroup[] | undefined) => groups?.forEach((g) => add(section, g.key, g.figures));

  add("totals", "all", report.totals);
  if ("month" in report) {
    addGroups("district", report.byDistrict);
    addGroups("kind", report.byKind);
    addGroups("sourceLine", report.bySourceLine);
    addGroups("element", report.byElement);
  } else if ("quarter" in report) {
    for (const m of report.monthly) add("month", m.month, m.totals);
    addGroups("district", report.byDistrict);
    addGroups("unit", report.byUnit);
    addGroups("element", report.byElement);
    addGroups("industry", report.byIndustry);
    addGroups("channel", report.byChannel);
  } else if (report.groupBy) {
    addGroups(report.groupBy, report.groups);
  }
  for (const w of report.concentrated) {
    rows.push([period, "concentrated", w.key, ...FIGURE_KEYS.map(() => ""), text(w.label), text(w.district), String(w.reports), w.caseIds.join(" ")]);
  }
  return rows;
}
