/** Builds the case worker (without running it), so the main entry, tests and drills share one set-up. */
import { fileURLToPath } from "node:url";
import type { PayloadCodec } from "@temporalio/common";
import { NativeConnection, Worker, type WorkerOptions } from "@temporalio/worker";
import { createActivities, type ActivityDeps } from "../activities";
import { CalendarStore } from "../activities/calendar-store";
import type { Env } from "../config/env";
import { createPrisma } from "../db/client";
import { evidenceLinksFromEnv } from "../security/evidence-links";
import { TASK_QUEUE } from "../workflows/contract";

/** Path of the workflows entry the worker bundles. */
export const workflowsPath = fileURLToPath(new URL("../workflows/index.ts", import.meta.url));

/** Creates the case worker on a connection. */
export async function createCaseWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  codec: PayloadCodec;
  taskQueue?: string;
  options?: Partial<WorkerOptions>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    workflowsPath,
    activities: createActivities(opts.deps),
    dataConverter: { payloadCodecs: [opts.codec] },
    ...opts.options,
  });
}

/** The activities' dependencies from configuration (database, calendar store, outbound ports); `close` disconnects. */
export function createWorkerDeps(env: Env, opts: { calendarMaxAgeMs?: number } = {}): ActivityDeps & { close(): Promise<void> } {
  const prisma = createPrisma(env.DATABASE_URL);
  return {
    prisma,
    calendars: new CalendarStore(prisma, opts.calendarMaxAgeMs),
    outbound: { platformFeedbackUrl: env.PLATFORM_FEEDBACK_URL, platformHmacSecret: env.PLATFORM_HMAC_SECRET, evidenceLinks: evidenceLinksFromEnv(env) },
    reports: {
      webhookUrl: env.REPORT_WEBHOOK_URL,
      signDays: env.SIGN_DAYS,
      threshold: env.CONCENTRATION_THRESHOLD,
      windowDays: env.CONCENTRATION_WINDOW_DAYS,
    },
    close: () => prisma.$disconnect(),
  };
}
