/**
 * Brings up the whole service on embedded defaults and prints where to go: a PostgreSQL server with
 * its data in .data/postgres (or DATABASE_URL), migrations and the calendar seed, the Temporal dev
 * server with its UI and state under .data/ (or TEMPORAL_ADDRESS), then the worker and the API as
 * child processes.
 * Ctrl-C stops everything; running it again resumes where it stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { knownUnits } from "../activities/routing";
import { developmentTokens } from "../api/auth";
import { parseEnv } from "../config/env";
import { createPrisma } from "../db/client";
import { startEmbeddedPg, type EmbeddedPg } from "../db/embedded-postgres";
import { migrateDeploy } from "../db/migrate";
import { seedCalendar } from "../db/seed-calendar";
import { SEARCH_ATTRIBUTES } from "../workflows/contract";
import { cliExecutable, DEV_SERVER_SQLITE_ARGS } from "./temporal-executables";

const say = (m: string) => console.log(`[up] ${m}`);
// Ports and the data folder can move (tests run a second instance beside a developer's).
const dataDir = process.env.HOTLINE_DATA_DIR ?? ".data";
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 3000);
const temporalPort = Number(process.env.TEMPORAL_PORT ?? 7233);
const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
let stopping = false;

let pg: EmbeddedPg | undefined;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const t0 = Date.now();
  const pgDir = join(dataDir, "postgres");
  const resumed = existsSync(join(pgDir, "PG_VERSION"));
  pg = await startEmbeddedPg({ dataDir: pgDir, port: Number(process.env.EMBEDDED_PG_PORT ?? 54320) });
  databaseUrl = pg.url;
  say(`embedded PostgreSQL on ${databaseUrl}, data in ${pgDir} (${resumed ? "resumed" : "new"}, ${Date.now() - t0} ms)`);
  if (!resumed && existsSync(join(dataDir, "pglite"))) {
    say(
      `note: ${join(dataDir, "pglite")} (the earlier PGlite database) is not carried over; cases already in ${join(dataDir, "temporal.db")} have no read-model rows here: stop and remove ${dataDir} to start clean`,
    );
  }
}
await migrateDeploy(databaseUrl);
const prisma = createPrisma(databaseUrl, 2);
const seeded = await seedCalendar(prisma);
await prisma.$disconnect();
say(`migrations applied; calendar years seeded: ${seeded.length ? seeded.join(", ") : "already present"}`);

let temporal: TestWorkflowEnvironment | undefined;
let temporalAddress = process.env.TEMPORAL_ADDRESS;
if (!temporalAddress) {
  temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cliExecutable(),
      dbFilename: join(dataDir, "temporal.db"),
      ip: "127.0.0.1",
      port: temporalPort,
      ui: true,
      uiPort,
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: "pretty", level: "warn" },
      // The UI is served through the API under /temporal/ (same origin as /codec, so a signed-in
      // supervisor's session cookie goes with the UI's codec calls).
      extraArgs: [...DEV_SERVER_SQLITE_ARGS, "--ui-public-path", "/temporal", "--ui-codec-endpoint", "/codec"],
    },
  });
  temporalAddress = temporal.address;
  say(`Temporal dev server on ${temporalAddress}, state in ${join(dataDir, "temporal.db")}`);
}

const env = {
  ...process.env,
  // `up` is a development set-up: say so, so the API offers development tokens (none when API_TOKENS are set)
  // and listens on 127.0.0.1 unless HOST says otherwise.
  NODE_ENV: process.env.NODE_ENV ?? "development",
  DATABASE_URL: databaseUrl,
  TEMPORAL_ADDRESS: temporalAddress,
  PORT: String(port),
  ...(temporal
    ? { TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL ?? `http://localhost:${port}/temporal`, TEMPORAL_UI_UPSTREAM: `http://127.0.0.1:${uiPort}` }
    : { TEMPORAL_UI_URL: process.env.TEMPORAL_UI_URL ?? `http://localhost:${uiPort}` }),
};
const children: ChildProcess[] = [];
function start(name: string, script: string) {
  const child = spawn(process.execPath, ["--import", "tsx", script], { env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .map((l) => `[${name}] ${l}`)
      .join("\n") + "\n";
  child.stdout!.on("data", (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr!.on("data", (c: Buffer) => process.stderr.write(prefix(c)));
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${code ?? signal}); stopping`);
      void stop(1);
    }
  });
  children.push(child);
}
start("worker", "workers/main.ts");
start("api", "api/server.ts");

for (let i = 0; ; i++) {
  const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (i > 600) {
    say("the API did not become ready in 60 s");
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}

const devTokens = parseEnv(env).DEV_TOKENS;
const tokens = devTokens ? developmentTokens(knownUnits().slice(0, 3)) : [];
console.log(`
  环境信访案件系统 is up.
    API          http://localhost:${port}        (docs: http://localhost:${port}/docs, OpenAPI: /openapi.json)
    Temporal UI  ${temporal ? `http://localhost:${port}/temporal/  (decoded for a supervisor signed in to the console)` : "(your cluster's UI)"}
    Temporal     ${temporalAddress}
    Database     ${pg ? `${databaseUrl}  (embedded PostgreSQL, data in ${pg.dataDir})` : "DATABASE_URL"}
${
  devTokens
    ? `  Development tokens (Authorization: Bearer <token>):
${tokens.map((t) => `    ${t.principal.role.padEnd(12)}${t.principal.unitId ? `${t.principal.unitId.padEnd(18)}` : "".padEnd(18)}${t.token}`).join("\n")}
    (a unit token for every unit: dev-unit-<unitId>-token; units in config/routing.json)`
    : "  Tokens: the ones in API_TOKENS (development tokens are off)"
}
  Ctrl-C stops everything; npm run up again resumes.
`);

async function stop(code = 0): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  say("stopping");
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGTERM");
          setTimeout(() => c.kill("SIGKILL"), 15_000).unref();
        }),
    ),
  );
  await temporal?.teardown();
  await pg?.stop();
  say("stopped");
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
process.on("SIGHUP", () => void stop(0)); // the terminal closed
