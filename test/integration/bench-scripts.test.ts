/**
 * Keeps the benchmark scripts working: each runs its quick variant (small N) against its own dev
 * server and embedded database and writes its JSON. The figures are printed, never asserted.
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe.each(["calendar", "intake", "lifecycle", "open-cases", "approval", "repeats"])("npm run bench -- %s --quick", (name) => {
  it("runs and writes bench-results", async () => {
    const { stdout } = await run("node_modules/.bin/tsx", ["scripts/bench/index.ts", name, "--quick"], { timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
    console.log(stdout.trim());
    const result = JSON.parse(readFileSync(`bench-results/${name}.json`, "utf8"));
    expect(result.name).toBe(name);
    expect(result.options.quick).toBe(true);
  }, 300_000);
});

it("rejects an unknown benchmark with a usage line", async () => {
  const err = await run("node_modules/.bin/tsx", ["scripts/bench/index.ts", "nope"]).then(
    () => undefined,
    (e: { code: number; stderr: string }) => e,
  );
  expect(err?.code).toBe(2);
  expect(err?.stderr).toMatch(/usage/);
});

it("runs a benchmark on the cluster (--target cluster: Temporal server on PostgreSQL, two workers, two APIs)", async () => {
  const { stdout } = await run("node_modules/.bin/tsx", ["scripts/bench/index.ts", "intake", "--quick", "--target", "cluster"], {
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  console.log(stdout.trim());
  const result = JSON.parse(readFileSync("bench-results/intake-cluster.json", "utf8"));
  expect(result.target).toBe("cluster");
  expect(result.options.target).toBe("cluster");
  // Every order posted in the quick step was taken in (201), spread over both APIs.
  expect(result.steps[0].statuses).toEqual({ "201": result.steps[0].issued });
}, 300_000);

it("opens cases on a durable cluster in parts (--dir): the second part counts the first's cases and resumes the server on its ports", async () => {
  const dir = mkdtempSync(join(tmpdir(), "open-cases-parts-"));
  chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
  const part = (n: number) =>
    run("node_modules/.bin/tsx", ["scripts/bench/index.ts", "open-cases", "--target", "cluster", "--dir", dir, "--n", String(n), "--checkpoint", "3"], {
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  try {
    await part(6);
    const portsBefore = readFileSync(join(dir, "temporal-ports.json"), "utf8");
    await part(10);
    const result = JSON.parse(readFileSync("bench-results/open-cases-cluster.json", "utf8"));
    expect([result.openedBefore, result.openedThisPart, result.openCases, result.apiSearchTotal]).toEqual([6, 4, 10, 10]);
    // On new ports the server answers "Not enough hosts" until its old membership rows expire (about 45 s).
    expect(readFileSync(join(dir, "temporal-ports.json"), "utf8")).toBe(portsBefore);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
