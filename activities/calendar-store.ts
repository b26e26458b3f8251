/**
 * The working calendar as the database holds it: the repo's official schedules overridden by
 * uploaded years. Cached; refreshed when the stored version changes.
 */
import { loadDefaultCalendar, type WorkingCalendar } from "../calendar";
import type { PrismaClient } from "../db/client";

/** Loads and caches the calendar from the CalendarYear table. */
export class CalendarStore {
  private cached?: { cal: WorkingCalendar; stamp: string; checkedAt: number };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly maxAgeMs = 5_000,
  ) {}

  /** The calendar, re-read when older than maxAgeMs and the table changed. */
  async current(): Promise<WorkingCalendar> {
    const now = Date.now();
    if (this.cached && now - this.cached.checkedAt < this.maxAgeMs) return this.cached.cal;
    const agg = await this.prisma.calendarYear.aggregate({ _max: { updatedAt: true }, _count: true });
    const stamp = `${agg._count}:${agg._max.updatedAt?.toISOString() ?? ""}`;
    if (this.cached?.stamp === stamp) {
      this.cached.checkedAt = now;
      return this.cached.cal;
    }
    let cal = loadDefaultCalendar();
    for (const y of await this.prisma.calendarYear.findMany({ orderBy: { year: "asc" } })) cal = cal.withSchedule(y.year, { off: y.offDays, work: y.workDays });
    this.cached = { cal, stamp, checkedAt: now };
    return cal;
  }

  /** Forgets the cache (after an upload in this process). */
  invalidate(): void {
    this.cached = undefined;
  }
}
