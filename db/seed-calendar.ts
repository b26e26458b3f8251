/** Loads the repo's official schedules into CalendarYear; uploaded years are left as they are. */
import { loadDefaultCalendar } from "../calendar";
import type { PrismaClient } from "./client";

/** Inserts every official year the repo carries that the database does not have yet. */
export async function seedCalendar(prisma: PrismaClient): Promise<number[]> {
  const cal = loadDefaultCalendar();
  const added: number[] = [];
  for (const year of cal.officialYears()) {
    const s = cal.scheduleFor(year)!;
    const res = await prisma.calendarYear.createMany({
      data: [{ year, offDays: [...s.off], workDays: [...s.work], source: "repo" }],
      skipDuplicates: true,
    });
    if (res.count) added.push(year);
  }
  return added;
}
