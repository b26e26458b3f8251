/** The worker process: connect, run the case worker, shut down gracefully on SIGINT/SIGTERM. */
import { Client, Connection } from "@temporalio/client";
import { NativeConnection, Runtime } from "@temporalio/worker";
import { loadEnvOrExit } from "../config/env";
import { codecFromEnv } from "../security/codec-from-env";
import { log } from "../observability/log";
import { ensureReportSchedules } from "./schedules";
import { createCaseWorker, createWorkerDeps } from "./worker";

const env = loadEnvOrExit();
Runtime.install({ shutdownSignals: ["SIGINT", "SIGTERM"] });
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const deps = createWorkerDeps(env);
const codec = codecFromEnv(env);
// The statutory reports' schedules, created once (idempotent); their arguments go through the payload codec. A
// failure here is logged, not fatal: the cases must keep running; the next worker start tries again.
try {
  const clientConnection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    await ensureReportSchedules(new Client({ connection: clientConnection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] } }));
  } finally {
    await clientConnection.close();
  }
} catch (e) {
  log.error("report schedules could not be created; reports will not be issued by themselves until a worker start succeeds", {
    error: (e as Error).message?.slice(0, 300),
  });
}
const worker = await createCaseWorker({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  codec,
  deps,
  options: { maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS },
});
log.info("worker started", { address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE });
try {
  await worker.run();
} finally {
  await deps.close();
  await connection.close();
  log.info("worker stopped");
}
