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
