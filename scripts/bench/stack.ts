/**
 * The service stack for benchmarks and fault drills, shaped like `npm run up`: the embedded
 * PostgreSQL server (durable, as `up` runs it, on a temporary directory), the
 * Temporal dev server (persisted to a temp file so it can restart), and the worker and the API as
 * child processes (so the worker can be SIGKILLed and memory and CPU read per process). This
 * process also holds a client and a database pool of its own, for the checks, and generates the load.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { createApiDeps } from "../../api/deps";
import { parseEnv } from "../../config/env";
import { freePort, startEmbeddedPg } from "../../db/embedded-postgres";
import { migrateDeploy } from "../../db/migrate";
import { seedCalendar } from "../../db/seed-calendar";
import { SEARCH_ATTRIBUTES } from "../../workflows/contract";
import { cliExecutable, DEV_SERVER_SQLITE_ARGS } from "../temporal-executables";

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** Proportional set size of a process in MiB (Linux /proc): shared memory divided among the processes sharing it. */
export function pssMiB(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU time (user + system) a process has used so far, in seconds (Linux /proc, 100 ticks a second);
 * with `children`, also that of its children that have exited (PostgreSQL backends of closed connections).
 */
export function cpuSeconds(pid: number | undefined, children = false): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // After "pid (comm) ", utime, stime, cutime, cstime are fields 14 to 17 of stat(5), i.e. index 11 to 14 here.
    return (Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0)) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds used so far by each part of the stack: the database is the server and its backends, load is this process. */
export type CpuReading = Record<"temporal" | "worker" | "api" | "database" | "load", number>;

/** Extra command-line arguments from an environment variable (whitespace-separated). */
const envArgs = (name: string): string[] => process.env[name]?.split(/\s+/).filter(Boolean) ?? [];

/** Starts the stack; `env` overrides configuration of worker and API. */
export async function startStack(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "hotline-stack-"));
  // BENCH_DATABASE_URL: measure against another PostgreSQL server instead of the embedded one
  // (the db-restart drill needs the embedded one: it stops and restarts it).
  const external = process.env.BENCH_DATABASE_URL;
  const pg = external
    ? {
        url: external,
        pid: () => undefined,
        pause: async () => {
          throw new Error("pause needs the embedded database");
        },
        resume: async () => undefined,
        stop: async () => undefined,
      }
    : await startEmbeddedPg({ durable: true }); // a temporary directory of its own, fsync on as in `up`
  await migrateDeploy(pg.url);
  const temporalPort = 17233 + Math.floor(Math.random() * 1000);
  const serverOpts = {
    executable: cliExecutable(),
    dbFilename: join(dir, "temporal.db"),
    port: temporalPort,
    searchAttributes: SEARCH_ATTRIBUTES,
    log: { format: "pretty", level: "error" },
    // BENCH_TEMPORAL_ARGS: more dev-server flags, e.g. to compare SQLite settings.
    extraArgs: [...DEV_SERVER_SQLITE_ARGS, ...envArgs("BENCH_TEMPORAL_ARGS")],
  };
  let temporal = await TestWorkflowEnvironment.createLocal({ server: serverOpts });
  const childEnv = {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    LOG_LEVEL: "warn",
    REVISIT_SAMPLE_RATE: "1",
    INTAKE_RATE_PER_MINUTE: "1000000",
    ACTION_RATE_PER_MINUTE: "1000000",
    ...env,
  };
  const config = parseEnv(childEnv);
  const deps = await createApiDeps(config);
  await seedCalendar(deps.prisma);
  const apiPort = await freePort();
  // BENCH_NODE_ARGS: extra Node flags for the worker and API processes (e.g. --cpu-prof for profiles).
  const nodeArgs = [...envArgs("BENCH_NODE_ARGS"), "--import", "tsx"];
  const base = `http://127.0.0.1:${apiPort}`;
  // A worker or API that exits unasked (a crash) rejects `crashed`: a drill racing it fails at once
  // instead of waiting, call after call, on cases nobody carries on.
  const asked = new Set<ChildProcess>();
  let crash: (e: Error) => void = () => undefined;
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => undefined);
  const watch = (name: string, child: ChildProcess) =>
    child.once("exit", (code, signal) => {
      if (!asked.has(child)) crash(new Error(`the ${name} process exited unasked (${code ?? signal}): see its output above`));
    });
  const api = spawn(process.execPath, [...nodeArgs, "api/server.ts"], { env: { ...childEnv, PORT: String(apiPort) }, stdio: ["ignore", "ignore", "inherit"] });
  watch("API", api);
  for (
    let i = 0;
    !(await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 600 || api.exitCode !== null) throw new Error("the API did not start");
    await new Promise((r) => setTimeout(r, 100));
  }

  let worker: ChildProcess | undefined;
  function startWorker() {
    worker = spawn(process.execPath, [...nodeArgs, "workers/main.ts"], { env: childEnv, stdio: ["ignore", "ignore", "inherit"] });
    watch("worker", worker);
    return worker;
  }
  startWorker();

  return {
    base,
    /** The API processes (one here; the cluster has two). */
    bases: [base],
    /** Rejects when the worker or the API exits without being stopped or killed by the stack. */
    crashed,
    deps,
    pg,
    prisma: deps.prisma,
    client: deps.temporal,
    apiPid: () => api.pid,
    get temporalAddress() {
      return temporal.address;
    },
    workerPid: () => worker?.pid,
    /** The worker and API processes (one each here; the cluster has two of each). */
    workerPids: () => (worker?.pid ? [worker.pid] : []),
    apiPids: () => (api.pid ? [api.pid] : []),
    /** SIGKILLs the worker (no graceful shutdown) and starts a new one. */
    async killAndRestartWorker(downMs = 500) {
      const w = worker!;
      const exited = new Promise((r) => w.once("exit", r));
      asked.add(w);
      w.kill("SIGKILL");
      await exited;
      await new Promise((r) => setTimeout(r, downMs));
      startWorker();
    },
    /** Stops the Temporal dev server and starts it again on its persisted state and port. */
    async restartTemporal(downMs = 1000) {
      await temporal.teardown();
      await new Promise((r) => setTimeout(r, downMs));
      temporal = await TestWorkflowEnvironment.createLocal({ server: serverOpts });
    },
    /** CPU seconds used so far by each part: dev server, worker, API, database server, and this process (load and checks). */
    cpu(): CpuReading {
      const self = process.cpuUsage();
      return {
        temporal: this.temporalPids().reduce((t, p) => t + cpuSeconds(p), 0),
        worker: cpuSeconds(worker?.pid),
        api: cpuSeconds(api.pid),
        database: this.databasePids().reduce((t, p) => t + cpuSeconds(p, true), 0),
        load: (self.user + self.system) / 1e6,
      };
    },
    /** PIDs of the embedded database: the server and its backends (none for BENCH_DATABASE_URL). */
    databasePids(): number[] {
      const server = pg.pid();
      return server === undefined ? [] : [server, ...readdirPids().filter((p) => parentPid(p) === server)];
    },
    /** PIDs of the dev server (for its memory). */
    temporalPids(): number[] {
      const out: number[] = [];
      for (const pid of readdirPids()) {
        try {
          if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(String(temporalPort))) out.push(pid);
        } catch {
          /* gone */
        }
      }
      return out;
    },
    async stop() {
      if (worker) asked.add(worker);
      asked.add(api);
      const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
      if (worker && running(worker)) {
        const exited = new Promise((r) => worker!.once("exit", r));
        worker.kill("SIGTERM");
        await exited;
      }
      if (running(api)) {
        const exited = new Promise((r) => api.once("exit", r));
        api.kill("SIGTERM");
        await exited;
      }
      await deps.close();
      await temporal.teardown();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every process id on this machine (Linux /proc). */
export function readdirPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** The parent of a process (Linux /proc), or undefined if it is gone. */
export function parentPid(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** The stack type. */
export type Stack = Awaited<ReturnType<typeof startStack>>;
