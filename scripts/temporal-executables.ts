/**
 * The Temporal executables for @temporalio/testing: paths from the environment or from
 * .tools/temporal.env (written by scripts/temporal-binaries.sh); none means the SDK's cached download.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

type Executable = { type: "existing-path"; path: string } | undefined;

function fromFile(name: string): string | undefined {
  const file = fileURLToPath(new URL("../.tools/temporal.env", import.meta.url));
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim() || undefined;
}

function resolve(name: string): Executable {
  const path = process.env[name] || fromFile(name);
  return path ? { type: "existing-path", path } : undefined;
}

/** The Temporal CLI (dev server), or undefined for the SDK's download. */
export const cliExecutable = (): Executable => resolve("TEMPORAL_CLI_PATH");
/** The time-skipping test server, or undefined for the SDK's download. */
export const testServerExecutable = (): Executable => resolve("TEMPORAL_TEST_SERVER_PATH");

/**
 * Dev-server flags for its SQLite file: write-ahead log with NORMAL sync. A crashed or killed
 * process loses no committed state (only a power loss could lose the last commits); workflow starts
 * measured 2.4× faster than with the default rollback journal (docs/BENCHMARKS.md).
 */
export const DEV_SERVER_SQLITE_ARGS = ["--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal"];

/** A binary of the local cluster (scripts/cluster/): from the environment or .tools/temporal.env, else an error saying how to get it. */
function required(name: string, what: string): string {
  const path = process.env[name] || fromFile(name);
  if (!path || !existsSync(path)) throw new Error(`no ${what}: run \`npm run bootstrap\` (builds it with go install) or set ${name}`);
  return path;
}
/** The Temporal server binary (go.temporal.io/server/cmd/server, the version of docker-compose.yml's image). */
export const serverExecutable = (): string => required("TEMPORAL_SERVER_PATH", "Temporal server binary");
/** Temporal's SQL schema tool (go.temporal.io/server/cmd/tools/sql, `temporal-sql-tool` in the admin-tools image). */
export const sqlToolExecutable = (): string => required("TEMPORAL_SQL_TOOL_PATH", "temporal-sql-tool binary");
/** The Temporal CLI as a path (the cluster uses it for the namespace and the search attributes, as docker-compose.yml does). */
export const cliPath = (): string => required("TEMPORAL_CLI_PATH", "Temporal CLI");
/** The Temporal UI server (github.com/temporalio/ui-server/v2), optional: undefined when not built. */
export const uiServerExecutable = (): string | undefined => {
  const path = process.env.TEMPORAL_UI_SERVER_PATH || fromFile("TEMPORAL_UI_SERVER_PATH");
  return path && existsSync(path) ? path : undefined;
};
