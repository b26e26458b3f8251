/**
 * The production Temporal server (go.temporal.io/server v1.29.1, not the dev server) on PostgreSQL:
 * its configuration (adapted from the module's config/development-postgres12.yaml, dynamic configuration
 * in config/temporal/dynamicconfig.yaml), the schema steps
 * of temporal-sql-tool (the same commands as docker-compose.yml's temporal-schema service), the
 * server process, and the namespace and search attributes through the Temporal CLI.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { SEARCH_ATTRIBUTES } from "../../workflows/contract";
import { cliPath, serverExecutable, sqlToolExecutable } from "../temporal-executables";

const run = promisify(execFile);

/** The server version the cluster and docker-compose.yml run. */
export const TEMPORAL_SERVER_VERSION = "1.29.1";
/** Temporal's two databases on the cluster's PostgreSQL server. */
export const TEMPORAL_DATABASES = { persistence: "temporal", visibility: "temporal_visibility" } as const;
/** Retention of closed workflows in the namespace (the same in docker-compose.yml). */
export const NAMESPACE_RETENTION = "720h";
/** History shards: fixed when the cluster is created (Temporal cannot change it later); 4 suits one small host. */
export const HISTORY_SHARDS = 4;

/** Where PostgreSQL is, as the SQL tool and the server take it. */
export interface SqlEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Parses a postgres:// URL into an endpoint. */
export function endpointOf(url: string): SqlEndpoint {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** The server's ports: the frontend's gRPC and HTTP, and each service's gRPC and membership port. */
export type ServerPorts = Record<
  "frontend" | "frontendHttp" | "frontendMembership" | "history" | "historyMembership" | "matching" | "matchingMembership" | "worker" | "workerMembership",
  number
>;

/** Whether a TCP port on 127.0.0.1 can be bound now. */
async function portFree(port: number): Promise<boolean> {
  const srv = createServer();
  return new Promise((resolve) => {
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

const PORT_KEYS = [
  "frontend",
  "frontendHttp",
  "frontendMembership",
  "history",
  "historyMembership",
  "matching",
  "matchingMembership",
  "worker",
  "workerMembership",
] as const;

/**
 * Picks nine consecutive free ports from `base` (CLUSTER_TEMPORAL_PORT), else from `preferred` when
 * they are all free, else from a random base between 20000 and 30000: the membership ports must
 * stay below 32768 (a smallint column of Temporal's cluster_membership table).
 */
export async function choosePorts(base?: number, preferred?: number): Promise<ServerPorts> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const from = (base ?? (attempt === 0 && preferred)) || 20000 + 10 * Math.floor(Math.random() * 1000);
    const free = await Promise.all(PORT_KEYS.map((_, i) => portFree(from + i)));
    if (free.every(Boolean)) return Object.fromEntries(PORT_KEYS.map((k, i) => [k, from + i])) as ServerPorts;
    if (base) throw new Error(`ports ${base}..${base + PORT_KEYS.length - 1} are not all free (CLUSTER_TEMPORAL_PORT)`);
  }
  throw new Error("no nine consecutive free ports found between 20000 and 30000");
}

/** The server configuration (its YAML file): persistence and SQL visibility on PostgreSQL, everything on 127.0.0.1. */
export function serverConfig(db: SqlEndpoint, ports: ServerPorts, dynamicConfigFile: string, logLevel = "warn"): string {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: "postgres12",
      databaseName,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: "tcp",
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: "1h",
    },
  });
  const service = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...(httpPort ? { httpPort } : {}) },
  });
  return stringify({
    log: { stdout: true, level: logLevel },
    persistence: {
      defaultStore: "postgres-default",
      visibilityStore: "postgres-visibility",
      numHistoryShards: HISTORY_SHARDS,
      datastores: { "postgres-default": store(TEMPORAL_DATABASES.persistence, 20), "postgres-visibility": store(TEMPORAL_DATABASES.visibility, 10) },
    },
    global: { membership: { maxJoinDuration: "30s", broadcastAddress: "127.0.0.1" } },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, ports.frontendHttp),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: "active",
      currentClusterName: "active",
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: "frontend", rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: "noop" },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: "10s" },
  });
}

/** The server's dynamic configuration, shared with docker-compose.yml (mounted there). */
export const DYNAMIC_CONFIG_FILE = fileURLToPath(new URL("../../config/temporal/dynamicconfig.yaml", import.meta.url));

/**
 * The schema steps, in order, as temporal-sql-tool arguments (connection from SQL_* variables): create
 * each database, `setup-schema -v 0.0` (the version tables), `update-schema` to the schema the tool
 * ships (`--schema-name`: the module's schema/postgresql/v12/... files, embedded). docker-compose.yml's
 * temporal-schema service runs the same commands (a test checks it).
 */
export const SCHEMA_STEPS: string[][] = Object.entries(TEMPORAL_DATABASES).flatMap(([kind, db]) => [
  ["--db", db, "create"],
  ["--db", db, "setup-schema", "-v", "0.0"],
  ["--db", db, "update-schema", "--schema-name", `postgresql/v12/${kind === "persistence" ? "temporal" : "visibility"}`],
]);

/** Runs SCHEMA_STEPS, idempotently: an existing database is fine, the other steps are idempotent themselves. */
export async function setupSchema(db: SqlEndpoint, say: (m: string) => void = () => undefined): Promise<void> {
  const tool = sqlToolExecutable();
  const env = { ...process.env, SQL_PLUGIN: "postgres12", SQL_HOST: db.host, SQL_PORT: String(db.port), SQL_USER: db.user, SQL_PASSWORD: db.password };
  for (const step of SCHEMA_STEPS) {
    try {
      await run(tool, step, { env });
    } catch (e) {
      const err = e as { stderr?: string; stdout?: string; message: string };
      const text = err.stderr || err.stdout || err.message;
      if (step[2] === "create" && /already exists/.test(text)) continue;
      throw new Error(`temporal-sql-tool ${step.join(" ")} failed: ${text.slice(-1500)}`);
    }
    if (step[2] === "update-schema") say(`schema of ${step[1]} up to date`);
  }
}

/** A Temporal server process on a rendered configuration; restartable on the same ports and databases. */
export class TemporalServer {
  private child: ChildProcess | undefined;
  readonly address: string;

  constructor(
    private readonly dir: string,
    readonly ports: ServerPorts,
    private readonly db: SqlEndpoint,
  ) {
    this.address = `127.0.0.1:${ports.frontend}`;
    mkdirSync(join(dir, "config"), { recursive: true });
    writeFileSync(join(dir, "config", "cluster.yaml"), serverConfig(db, ports, DYNAMIC_CONFIG_FILE, process.env.CLUSTER_TEMPORAL_LOG_LEVEL ?? "warn"));
  }

  pid = (): number | undefined => this.child?.pid;

  /** Starts the server and waits until its frontend answers a health check (60 s at most). */
  async start(): Promise<void> {
    const log = openSync(join(this.dir, "temporal-server.log"), "a");
    this.child = spawn(serverExecutable(), ["--root", this.dir, "--config", "config", "--env", "cluster", "--allow-no-auth", "start"], {
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    const child = this.child;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the Temporal server exited while starting; see ${join(this.dir, "temporal-server.log")}`);
      const ok = await run(cliPath(), ["operator", "cluster", "health", "--address", this.address], { timeout: 5000 }).then(
        (r) => /SERVING/.test(r.stdout),
        () => false,
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the Temporal server did not serve within 60 s; see ${join(this.dir, "temporal-server.log")}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /** Stops the server: SIGTERM (graceful) or SIGKILL; waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    await stopChild(this.child, signal);
  }

  /** Creates the namespace (an existing one is fine) and registers SEARCH_ATTRIBUTES, with the Temporal CLI as docker-compose.yml does. */
  async ensureNamespace(namespace: string): Promise<void> {
    const cli = cliPath();
    const base = ["--address", this.address];
    try {
      await run(cli, ["operator", "namespace", "create", ...base, "--namespace", namespace, "--retention", NAMESPACE_RETENTION]);
    } catch (e) {
      if (!/already exists|AlreadyExists/i.test(String((e as { stderr?: string }).stderr ?? e))) throw e;
    }
    // A new namespace reaches every service's namespace cache within ~10 s: retry until attributes register.
    for (const a of SEARCH_ATTRIBUTES) {
      const type = a.type.charAt(0) + a.type.slice(1).toLowerCase();
      for (let i = 0; ; i++) {
        try {
          await run(cli, ["operator", "search-attribute", "create", ...base, "--namespace", namespace, "--name", a.name, "--type", type]);
          break;
        } catch (e) {
          const msg = String((e as { stderr?: string }).stderr ?? e);
          if (/already exists/i.test(msg) && !/different type/i.test(msg)) break;
          if (i >= 30) throw new Error(`search attribute ${a.name} (${type}): ${msg.slice(-500)}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
    const listed = (await run(cli, ["operator", "search-attribute", "list", ...base, "--namespace", namespace])).stdout;
    const missing = SEARCH_ATTRIBUTES.filter((a) => !new RegExp(`^\\s*${a.name}\\s+${a.type}\\s*$`, "im").test(listed));
    if (missing.length) throw new Error(`search attributes not listed: ${missing.map((a) => a.name).join(", ")}`);
  }
}

/** Sends `signal` to a child process that is still running and waits for its exit (SIGKILL after 30 s). */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(signal);
  const hard = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(hard);
}
