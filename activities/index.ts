/** createActivities(deps) merges the activity factories; workflows see only its type. */
import type { PrismaClient } from "../db/client";
import { createCalendarActivities } from "./calendar";
import type { CalendarStore } from "./calendar-store";
import { createOutboundActivities, type OutboundConfig } from "./feedback";
import { createIntakeActivities } from "./intake";
import { createReadModelActivities } from "./read-model";
import { createReportActivities, type ReportConfig } from "./reports";
import { createRoutingActivities } from "./routing";

/** What the activities need. */
export interface ActivityDeps {
  prisma: PrismaClient;
  calendars: CalendarStore;
  outbound: OutboundConfig;
  /** The statutory reports' settings (webhook URL, statistics tunables). */
  reports?: ReportConfig;
  fetch?: typeof fetch;
}

/** Every activity of the case and report workflows. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRoutingActivities(),
    ...createCalendarActivities(deps),
    ...createIntakeActivities(deps),
    ...createReadModelActivities(deps),
    ...createOutboundActivities({ prisma: deps.prisma, config: deps.outbound, fetch: deps.fetch }),
    ...createReportActivities({
      prisma: deps.prisma,
      calendars: deps.calendars,
      secret: deps.outbound.platformHmacSecret,
      config: deps.reports,
      fetch: deps.fetch,
    }),
  };
}

/** The activity interface the workflow proxies. */
export type Activities = ReturnType<typeof createActivities>;
