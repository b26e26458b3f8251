/**
 * What a benchmark measures (`--target`): `dev`, the dev-server stack of stack.ts (Temporal dev server,
 * embedded PostgreSQL, one worker, one API), or `cluster`, the production topology of scripts/cluster/
 * (Temporal server 1.29.1 on PostgreSQL, two workers, two APIs; load spread over both APIs).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCluster, type Cluster } from "../cluster/topology";
import { startStack, type Stack } from "./stack";

/** The benchmark targets. */
export const TARGETS = ["dev", "cluster"] as const;
/** A benchmark target's name. */
export type TargetName = (typeof TARGETS)[number];
/** A running target: the members both kinds share. */
export type BenchTarget = Stack | Cluster;

/** How each target is described in the summaries and docs/BENCHMARKS.md. */
export const TARGET_LABEL: Record<TargetName, string> = {
  dev: "Temporal dev server + embedded PostgreSQL, 1 worker, 1 API",
  cluster: "cluster: Temporal server 1.29.1 on PostgreSQL (persistence + SQL visibility), 2 workers, 2 APIs",
};

/**
 * Starts a target; `env` overrides the configuration of its workers and APIs. A cluster given a
 * `durableDir` keeps its database there and resumes it on the next start (long runs in parts);
 * else it runs in a temporary folder, removed on stop.
 */
export async function startTarget(name: TargetName = "dev", env: Record<string, string> = {}, durableDir?: string): Promise<BenchTarget> {
  if (name === "dev") return startStack(env);
  const dir = durableDir ?? mkdtempSync(join(tmpdir(), "hotline-bench-cluster-"));
  const cluster = await startCluster({
    dir,
    durable: !!durableDir,
    say: (m) => console.error(`[cluster] ${m}`),
    // As the dev stack's workers and APIs: every closed case revisited, no rate limit in the way of the load.
    env: { NODE_ENV: "test", REVISIT_SAMPLE_RATE: "1", INTAKE_RATE_PER_MINUTE: "1000000", ACTION_RATE_PER_MINUTE: "1000000", ...env },
  });
  const stop = cluster.stop;
  cluster.stop = async () => {
    await stop();
    if (!durableDir) rmSync(dir, { recursive: true, force: true });
  };
  return cluster;
}
