/** The worker process: connect, run the case worker, shut down gracefully on SIGINT/SIGTERM. */
import { NativeConnection, Runtime } from "@temporalio/worker";
import { CalendarStore } from "../activities/calendar-store";
import { loadEnvOrExit } from "../config/env";
import { createPrisma } from "../db/client";
import { codecFromEnv } from "../security/codec-from-env";
import { log } from "./log";
import { createCaseWorker } from "./worker";

const env = loadEnvOrExit();
Runtime.install({ shutdownSignals: ["SIGINT", "SIGTERM"] });
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const prisma = createPrisma(env.DATABASE_URL);
const worker = await createCaseWorker({
  connection, namespace: env.TEMPORAL_NAMESPACE, codec: codecFromEnv(env),
  deps: {
    prisma, calendars: new CalendarStore(prisma),
    outbound: { platformFeedbackUrl: env.PLATFORM_FEEDBACK_URL, platformHmacSecret: env.PLATFORM_HMAC_SECRET },
  },
  options: { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS },
});
log.info("worker started", { address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE });
try {
  await worker.run();
} finally {
  await prisma.$disconnect();
  await connection.close();
  log.info("worker stopped");
}
