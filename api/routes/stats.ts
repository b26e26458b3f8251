/** Statistics and the monthly / quarterly reports (supervisor, admin), as JSON or CSV (`Accept: text/csv`). */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { register } from "../openapi";
import { rateLimit } from "../rate-limit";
import { computeStats, GROUP_BYS } from "../stats/compute";
import { parsePeriod } from "../stats/period";
import { monthlyReport, quarterlyReport, toCsv } from "../stats/reports";

const statsQuery = z
  .object({
    from: z.string().optional(),
    to: z.string().optional(),
    month: z.string().optional(),
    quarter: z.string().optional(),
    groupBy: z.enum(GROUP_BYS).optional(),
  })
  .strict();
const monthlyQuery = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/, "YYYY-MM") }).strict();
const quarterlyQuery = z.object({ quarter: z.string().regex(/^\d{4}-[Qq][1-4]$/, "YYYY-Qn") }).strict();

/** Sends JSON, or CSV when the client asks for it. */
function send(req: Request, res: Response, body: Parameters<typeof toCsv>[0], name: string) {
  if (req.accepts(["application/json", "text/csv"]) === "text/csv") {
    res.type("text/csv; charset=utf-8").attachment(`${name}.csv`).send(toCsv(body));
  } else {
    res.json(body);
  }
}

/** The stats and reports router (mounted under /api). */
export function statsRouter(deps: AppDeps): Router {
  const r = Router();
  const who = [requireRole(deps.tokens, "supervisor", "admin"), rateLimit("statistics requests", deps.config.STATS_RATE_PER_MINUTE)];
  const opts = () => ({ signDays: deps.config.SIGN_DAYS, threshold: deps.config.CONCENTRATION_THRESHOLD, windowDays: deps.config.CONCENTRATION_WINDOW_DAYS });

  register({ method: "get", path: "/api/stats", summary: "Figures for a period, optionally grouped", roles: ["supervisor", "admin"], query: statsQuery });
  r.get("/stats", ...who, async (req, res) => {
    const q = statsQuery.parse(req.query);
    const period = parsePeriod(q);
    const stats = await computeStats(deps.prisma, await deps.calendars.current(), { from: period.from, to: period.to, groupBy: q.groupBy, ...opts() });
    send(req, res, stats, `stats-${period.label}`);
  });

  register({
    method: "get",
    path: "/api/reports/monthly",
    summary: "Monthly summary (due by the 10th of the next month)",
    roles: ["supervisor", "admin"],
    query: monthlyQuery,
  });
  r.get("/reports/monthly", ...who, async (req, res) => {
    const { month } = monthlyQuery.parse(req.query);
    send(req, res, await monthlyReport(deps.prisma, await deps.calendars.current(), month, opts()), `monthly-${month}`);
  });

  register({ method: "get", path: "/api/reports/quarterly", summary: "Quarterly analysis", roles: ["supervisor", "admin"], query: quarterlyQuery });
  r.get("/reports/quarterly", ...who, async (req, res) => {
    const { quarter } = quarterlyQuery.parse(req.query);
    send(req, res, await quarterlyReport(deps.prisma, await deps.calendars.current(), quarter.toUpperCase(), opts()), `quarterly-${quarter}`);
  });
  return r;
}
