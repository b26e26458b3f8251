/**
 * `npm run repair -- <caseId> [--dry-run] [--wait S]`: repairs a stuck case (its workflow task fails
 * with a nondeterminism error for good). See docs/WORKFLOW.md "Repairing a stuck case".
 * Exit codes: 0 repaired or nothing to repair, 1 not repaired, 2 usage, 78 invalid configuration.
 */
import { Client, Connection } from "@temporalio/client";
import { DefaultLogger, Runtime } from "@temporalio/worker";
import { loadEnvOrExit } from "../config/env";
import { createPrisma } from "../db/client";
import { codecFromEnv } from "../security/codec-from-env";
import { workflowsPath } from "../workers/worker";
import { repairCase } from "./repair/repair-case";

const usage = "usage: npm run repair -- <caseId> [--dry-run] [--wait <seconds to wait for the move onto the case machine, default 60>]\n";
const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const waitAt = args.indexOf("--wait");
const waitS = waitAt >= 0 ? Number(args[waitAt + 1]) : 60;
const positional = args.filter((a, i) => !a.startsWith("--") && (waitAt < 0 || i !== waitAt + 1));
const caseId = positional[0];
if (!caseId || positional.length > 1 || !Number.isFinite(waitS) || waitS < 0) {
  process.stderr.write(usage);
  process.exit(2);
}

const env = loadEnvOrExit();
// The replay worker's bundling and the replays' expected failures are noise here: errors only.
Runtime.install({ logger: new DefaultLogger("ERROR"), telemetryOptions: { logging: { filter: { core: "ERROR", other: "ERROR" } } } });
const codec = codecFromEnv(env);
let connection: Connection | undefined;
const prisma = createPrisma(env.DATABASE_URL);
try {
  connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
  const report = await repairCase({ client, prisma, replay: { workflowsPath, dataConverter: { payloadCodecs: [codec] } } }, caseId, {
    dryRun,
    migrateTimeoutMs: waitS * 1000,
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(report));
  process.exitCode = report.replays || dryRun || (report.resetRunId && report.migrated) ? 0 : 1;
} catch (e) {
  console.error(`repair failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await connection?.close();
  await prisma.$disconnect();
}
