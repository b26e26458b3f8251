/**
 * The working-day calendar: GET a year, PUT an official schedule (admin). An upload recomputes
 * every open case whose deadline was provisional.
 */
import { Router } from "express";
import { z } from "zod";
import { scheduleShape, validateSchedule } from "../../calendar";
import { implausibility } from "../../calendar/plausibility";
import { calendarChangedSignal } from "../../workflows/messages";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { HttpError } from "../errors";
import { register } from "../openapi";

// Four digits, read as decimal: `02099`, `0x833` and `2.099e3` are not years.
const yearSchema = z
  .string()
  .regex(/^\d{4}$/, "a year: four digits")
  .transform(Number)
  .pipe(z.number().int().min(2000).max(2100));

/** Years an upload may be for: the last, this and the next (the notice for next year comes out in November or December). */
export function uploadableYears(now = new Date()): [number, number] {
  const year = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", year: "numeric" }).format(now));
  return [year - 1, year + 1];
}

/** The /api/calendar router. */
export function calendarRouter(deps: AppDeps): Router {
  const r = Router();
  register({ method: "get", path: "/api/calendar/{year}", summary: "Every day of a year: working or not", roles: ["all"] });
  r.get("/:year", requireRole(deps.tokens, "integration", "unit", "dispatcher", "supervisor", "admin"), async (req, res) => {
    const year = yearSchema.parse(req.params.year);
    const cal = await deps.calendars.current();
    res.json({ year, official: cal.hasOfficialSchedule(year), days: cal.yearDays(year) });
  });

  register({ method: "put", path: "/api/calendar/{year}", summary: "Upload the year's official schedule", roles: ["admin"], body: scheduleShape });
  r.put("/:year", requireRole(deps.tokens, "admin"), async (req, res) => {
    const year = yearSchema.parse(req.params.year);
    const [first, last] = uploadableYears();
    if (year < first || year > last) throw new HttpError(400, "invalid_year", `a schedule can be uploaded for ${first}–${last} only`);
    const v = validateSchedule(year, req.body);
    if (!v.ok) throw new HttpError(400, "invalid_schedule", `the ${year} schedule is invalid`, v.errors);
    const implausible = implausibility(year, v.schedule);
    if (implausible.length) throw new HttpError(400, "implausible_schedule", `the ${year} schedule does not look like a real year`, implausible);
    const off = [...v.schedule.off],
      work = [...v.schedule.work];
    const row = await deps.prisma.calendarYear.upsert({
      where: { year },
      create: { year, offDays: off, workDays: work, source: "upload" },
      update: { offDays: off, workDays: work, source: "upload", version: { increment: 1 } },
    });
    deps.calendars.invalidate();
    // Open cases with a provisional deadline recompute it from the official schedule.
    const open = await deps.prisma.case.findMany({ where: { dueProvisional: true, closedAt: null, outcome: null }, select: { id: true } });
    const signalled = await Promise.allSettled(
      open.map((c) => deps.temporal.workflow.getHandle(c.id).signal(calendarChangedSignal, { year, seal: deps.seal(c.id) })),
    );
    res.json({ year, version: row.version, recomputing: signalled.filter((x) => x.status === "fulfilled").length });
  });
  return r;
}
