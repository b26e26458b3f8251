/**
 * `npm run cluster -- up|down|status|drill <name> [--quick]`: the production topology on this host
 * (scripts/cluster/topology.ts). `up` runs in the foreground with its state in .data/cluster (resumed
 * on the next `up`) until Ctrl-C; `down` stops a cluster whose `up` was killed (pids from its state
 * file); `drill` runs `npm run drill -- <name> --target cluster` (a fresh temporary cluster).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { STORM_ENV } from "../drill/storm";
import { startCluster } from "./topology";

const usage = "usage: npm run cluster -- up | down | status | drill <worker-kill|api-kill|server-restart|db-restart|storm|...|all> [--quick]\n";
const say = (m: string) => console.log(`[cluster] ${m}`);
const dir = process.env.CLUSTER_DIR ?? join(process.env.HOTLINE_DATA_DIR ?? ".data", "cluster");
const stateFile = join(dir, "state.json");
const [command, ...rest] = process.argv.slice(2);

type State = {
  controller: number;
  postgres: { pid?: number };
  temporal: { pid?: number };
  ui?: { pid?: number };
  workers: { pid?: number }[];
  apis: { pid?: number; url: string }[];
};
const readState = (): State | undefined => (existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, "utf8")) as State) : undefined);
const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

if (command === "up") {
  const prior = readState();
  if (prior && alive(prior.controller)) {
    say(`a cluster is already up (controller pid ${prior.controller}); npm run cluster -- down stops it`);
    process.exit(1);
  }
  const cluster = await startCluster({
    dir,
    durable: true,
    ui: true,
    say,
    env: { DEV_TOKENS: "true", ...(process.env.CLUSTER_STORM_TOKENS ? STORM_ENV : {}) },
  });
  console.log(`
  The cluster is up (state in ${stateFile}, logs in ${join(dir, "logs")}, Temporal server log in ${join(dir, "temporal", "temporal-server.log")}).
    APIs         ${cluster.bases.join("  ")}  (docs under /docs, the Temporal UI under /temporal/ when built)
    Temporal     ${cluster.temporal.address}  (server ${"1.29.1"}, PostgreSQL persistence and visibility)
    Workers      ${cluster.workers.map((w) => `${w.name} pid ${w.pid()}`).join(", ")}
  Ctrl-C stops everything; npm run cluster -- up again resumes.
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say("stopping");
    await cluster.stop();
    say("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // A worker or API that dies on its own is started again (a supervisor's job in production).
  setInterval(() => {
    for (const p of [...cluster.workers, ...cluster.apis])
      if (!p.running && !stopping) {
        say(`${p.name} exited; starting it again`);
        void p.start().then(
          () => cluster.writeState(),
          (e: Error) => say(e.message),
        );
      }
  }, 2000);
} else if (command === "down") {
  const state = readState();
  if (!state) {
    say("no cluster state file: nothing to stop");
    process.exit(0);
  }
  if (alive(state.controller)) {
    process.kill(state.controller, "SIGTERM"); // its `up` stops everything in order
    for (let i = 0; i < 600 && alive(state.controller); i++) await new Promise((r) => setTimeout(r, 100));
  }
  // Whatever is left (the controller was SIGKILLed): APIs and workers, then the server, then the database.
  for (const group of [[...state.apis, ...state.workers, state.ui ?? {}], [state.temporal], [state.postgres]]) {
    for (const p of group) if (alive(p.pid)) process.kill(p.pid!, p === state.postgres ? "SIGINT" : "SIGTERM");
    for (let i = 0; i < 300 && group.some((p) => alive(p.pid)); i++) await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(stateFile, { force: true });
  say("stopped");
} else if (command === "status") {
  const state = readState();
  if (!state || !alive(state.controller)) {
    say("not running");
    process.exit(1);
  }
  for (const a of state.apis) {
    const ok = await fetch(`${a.url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    say(`${a.url} ${ok ? "ready" : "NOT READY"}`);
  }
  console.log(JSON.stringify(state, null, 2));
} else if (command === "drill" && rest.length > 0) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/drill/index.ts", ...rest, "--target", "cluster"], { stdio: "inherit" });
  process.exit(r.status ?? 1);
} else {
  process.stderr.write(usage);
  process.exit(2);
}
