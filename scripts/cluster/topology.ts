/**
 * The production topology on one host, without Docker: PostgreSQL (embedded, or CLUSTER_DATABASE_URL),
 * the Temporal server on it (scripts/cluster/temporal-server.ts), two case workers and two API
 * processes on their own ports. Each process's log and the state file (pids, ports) are under the
 * cluster's folder (.data/cluster for `npm run cluster -- up`). Used by `npm run cluster` and the drills.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { createApiDeps } from "../../api/deps";
import { parseEnv } from "../../config/env";
import { freePort, startEmbeddedPg, type EmbeddedPg } from "../../db/embedded-postgres";
import { migrateDeploy } from "../../db/migrate";
import { seedCalendar } from "../../db/seed-calendar";
import { cpuSeconds, parentPid, readdirPids, type CpuReading } from "../bench/stack";
import { uiServerExecutable } from "../temporal-executables";
import { choosePorts, endpointOf, setupSchema, stopChild, TemporalServer, type ServerPorts } from "./temporal-server";
import { startUi } from "./temporal-ui";

/** The application's database on the cluster's PostgreSQL server (beside Temporal's two). */
const APP_DATABASE = "hotline";

/** How to start a cluster. */
export interface ClusterOptions {
  /** Folder for logs, the server configuration, the state file and (durable) the database. */
  dir: string;
  /** Keep the database in dir/postgres and resume it (`up`); else a temporary one, removed on stop (drills, benchmarks). */
  durable?: boolean;
  workers?: number;
  apis?: number;
  /** Configuration of the workers and APIs (on top of the cluster's own). */
  env?: Record<string, string>;
  say?: (m: string) => void;
  /** Also the Temporal UI (when its binary is built), served by the APIs under /temporal/. */
  ui?: boolean;
}

/** One worker or API process, restartable with the same environment and port. */
export class Proc {
  private child: ChildProcess | undefined;
  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    readonly port?: number,
  ) {}

  pid = (): number | undefined => this.child?.pid;
  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process; an API is started once its /ready answers (60 s at most). */
  async start(): Promise<void> {
    const log = openSync(this.logFile, "a");
    this.child = spawn(process.execPath, ["--import", "tsx", this.script], { env: this.env, stdio: ["ignore", log, log] });
    closeSync(log);
    if (this.port === undefined) return;
    const child = this.child;
    for (let i = 0; ; i++) {
      const ok = await fetch(`http://127.0.0.1:${this.port}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (child.exitCode !== null || i > 600) throw new Error(`${this.name} did not become ready; see ${this.logFile}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends `signal` (SIGKILL: no graceful shutdown) and waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    await stopChild(this.child, signal);
  }
}

/** Creates the application database when missing. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Starts the whole topology and returns its handles. */
export async function startCluster(opts: ClusterOptions) {
  const say = opts.say ?? (() => undefined);
  const dir = resolve(opts.dir);
  mkdirSync(join(dir, "logs"), { recursive: true });
  const t0 = Date.now();
  const external = process.env.CLUSTER_DATABASE_URL;
  let pgServer: EmbeddedPg | undefined;
  let adminUrl: string;
  if (external) adminUrl = external;
  else {
    pgServer = await startEmbeddedPg({
      dataDir: opts.durable ? join(dir, "postgres") : undefined,
      durable: true,
      port: process.env.CLUSTER_PG_PORT ? Number(process.env.CLUSTER_PG_PORT) : undefined,
    });
    adminUrl = pgServer.url;
  }
  say(`PostgreSQL on ${endpointOf(adminUrl).host}:${endpointOf(adminUrl).port}${pgServer ? ` (embedded, data in ${pgServer.dataDir})` : ""}`);
  const db = endpointOf(adminUrl);
  await setupSchema(db, say);
  const appUrl = Object.assign(new URL(adminUrl), { pathname: `/${APP_DATABASE}` }).toString();
  await ensureDatabase(adminUrl, APP_DATABASE);
  await migrateDeploy(appUrl);

  // A resumed server takes the ports it had: its membership rows name them, and on new ports it
  // answers "Not enough hosts to serve the request" until the old members expire (about 45 s).
  const portsFile = join(dir, "temporal-ports.json");
  const lastPorts = opts.durable && existsSync(portsFile) ? (JSON.parse(readFileSync(portsFile, "utf8")) as ServerPorts) : undefined;
  const ports = await choosePorts(process.env.CLUSTER_TEMPORAL_PORT ? Number(process.env.CLUSTER_TEMPORAL_PORT) : undefined, lastPorts?.frontend);
  if (opts.durable) writeFileSync(portsFile, JSON.stringify(ports) + "\n");
  const temporal = new TemporalServer(join(dir, "temporal"), ports, db);
  await temporal.start();
  const namespace = opts.env?.TEMPORAL_NAMESPACE ?? "default";
  await temporal.ensureNamespace(namespace);
  say(`Temporal server ${temporal.address} (persistence and visibility on PostgreSQL), namespace ${namespace} with the search attributes`);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: appUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: namespace,
    LOG_LEVEL: "warn",
    // Codec sessions must be valid on either API process.
    SESSION_SECRET: process.env.SESSION_SECRET ?? "cluster-session-secret-0123456789",
    ...opts.env,
  };
  let ui: ChildProcess | undefined;
  const uiBin = opts.ui ? uiServerExecutable() : undefined;
  if (opts.ui && !uiBin) say("no Temporal UI server built (npm run bootstrap builds it): the cluster runs without a UI");
  if (uiBin) {
    const uiPort = Number(process.env.CLUSTER_UI_PORT ?? (await freePort()));
    ui = await startUi(uiBin, join(dir, "ui"), { temporalAddress: temporal.address, port: uiPort, namespace });
    childEnv.TEMPORAL_UI_UPSTREAM = `http://127.0.0.1:${uiPort}`;
    say(`Temporal UI server on 127.0.0.1:${uiPort}, served by each API under /temporal/`);
  }
  const config = parseEnv(childEnv);
  const deps = await createApiDeps(config);
  await seedCalendar(deps.prisma);

  const workers: Proc[] = [];
  for (let i = 1; i <= (opts.workers ?? 2); i++) workers.push(new Proc(`worker-${i}`, "workers/main.ts", childEnv, join(dir, "logs", `worker-${i}.log`)));
  const apiPorts = process.env.CLUSTER_API_PORTS?.split(",").map(Number);
  const apis: Proc[] = [];
  for (let i = 1; i <= (opts.apis ?? 2); i++) {
    const port = apiPorts?.[i - 1] ?? (await freePort());
    const uiUrl = ui ? { TEMPORAL_UI_URL: `http://localhost:${port}/temporal` } : {};
    apis.push(new Proc(`api-${i}`, "api/server.ts", { ...childEnv, PORT: String(port), ...uiUrl }, join(dir, "logs", `api-${i}.log`), port));
  }
  await Promise.all([...workers, ...apis].map((p) => p.start()));
  const bases = apis.map((a) => `http://127.0.0.1:${a.port}`);
  say(`${workers.length} workers and ${apis.length} APIs (${bases.join(", ")}) up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const cluster = {
    dir,
    base: bases[0]!,
    bases,
    deps,
    prisma: deps.prisma,
    client: deps.temporal,
    temporal,
    workers,
    apis,
    databaseUrl: appUrl,
    /** The database server: restart it in place (embedded only). */
    pg: {
      pid: () => pgServer?.pid(),
      pause: async () => {
        if (!pgServer) throw new Error("restarting the database needs the embedded one (unset CLUSTER_DATABASE_URL)");
        await pgServer.pause();
      },
      resume: async () => pgServer?.resume(),
    },
    /** CPU seconds used so far by each part (as the dev stack's cpu()): the server, the workers, the APIs, the database and its backends, this process. */
    cpu(): CpuReading {
      const self = process.cpuUsage();
      const sum = (pids: number[], children = false) => pids.reduce((t, p) => t + cpuSeconds(p, children), 0);
      return {
        temporal: cpuSeconds(temporal.pid()),
        worker: sum(cluster.workerPids()),
        api: sum(cluster.apiPids()),
        database: sum(cluster.databasePids(), true),
        load: (self.user + self.system) / 1e6,
      };
    },
    workerPids: () => workers.map((w) => w.pid()).filter((p): p is number => p !== undefined),
    apiPids: () => apis.map((a) => a.pid()).filter((p): p is number => p !== undefined),
    /** The Temporal server's process (for its memory). */
    temporalPids: () => [temporal.pid()].filter((p): p is number => p !== undefined),
    /** The embedded database: the server and its backends (none for CLUSTER_DATABASE_URL). */
    databasePids(): number[] {
      const server = pgServer?.pid();
      return server === undefined ? [] : [server, ...readdirPids().filter((p) => parentPid(p) === server)];
    },
    /** Writes the state file: every process's pid, the ports and the URLs. */
    writeState() {
      const state = {
        at: new Date().toISOString(),
        controller: process.pid,
        postgres: { pid: pgServer?.pid(), url: appUrl.replace(/:[^:@/]*@/, ":***@") },
        temporal: { pid: temporal.pid(), address: temporal.address, ports: temporal.ports },
        ui: { pid: ui?.pid },
        workers: workers.map((w) => ({ name: w.name, pid: w.pid() })),
        apis: apis.map((a) => ({ name: a.name, pid: a.pid(), url: `http://127.0.0.1:${a.port}` })),
      };
      writeFileSync(join(dir, "state.json"), JSON.stringify(state, null, 2) + "\n");
    },
    /** SIGKILLs worker `i` (the others carry on), waits `downMs`, starts it again. */
    async killWorker(i: number, downMs: number) {
      await workers[i]!.stop("SIGKILL");
      await new Promise((r) => setTimeout(r, downMs));
      await workers[i]!.start();
      cluster.writeState();
    },
    /** For the storm (and the dev stack's drills): every worker SIGKILLed and started again, so every case replays. */
    async killAndRestartWorker(downMs = 500) {
      for (const w of workers) await w.stop("SIGKILL");
      await new Promise((r) => setTimeout(r, downMs));
      await Promise.all(workers.map((w) => w.start()));
      cluster.writeState();
    },
    /** SIGKILLs API `i` (clients fail over to the others), waits `downMs`, starts it again. */
    async killApi(i: number, downMs: number) {
      await apis[i]!.stop("SIGKILL");
      await new Promise((r) => setTimeout(r, downMs));
      await apis[i]!.start();
      cluster.writeState();
    },
    /** Stops the Temporal server (SIGTERM, or SIGKILL) and starts it again on the same ports and databases. */
    async restartTemporal(downMs = 1000, signal: NodeJS.Signals = "SIGTERM") {
      await temporal.stop(signal);
      await new Promise((r) => setTimeout(r, downMs));
      await temporal.start();
      cluster.writeState();
    },
    /** Stops everything: APIs, workers, the Temporal server, the database (a temporary one is removed). */
    async stop() {
      await Promise.all(apis.map((a) => a.stop()));
      await Promise.all(workers.map((w) => w.stop()));
      await deps.close();
      await stopChild(ui);
      await temporal.stop();
      await pgServer?.stop();
      rmSync(join(dir, "state.json"), { force: true });
    },
  };
  cluster.writeState();
  return cluster;
}

/** A running cluster. */
export type Cluster = Awaited<ReturnType<typeof startCluster>>;
