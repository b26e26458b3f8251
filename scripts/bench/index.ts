/**
 * Benchmark dispatcher: `npm run bench -- <name> [--quick] [--n N] [--seconds S] [--rates a,b,c] [--target dev|cluster]`
 * runs scripts/bench/<name>.ts's run(), prints its summary and writes bench-results/<name>.json
 * (<name>-cluster.json for the cluster).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TARGETS, type TargetName } from "./target";

/** Options every benchmark receives. */
export interface BenchOptions {
  quick: boolean;
  /** What to measure: the dev-server stack (default) or the cluster (scripts/bench/target.ts). */
  target?: TargetName;
  n?: number;
  seconds?: number;
  rates?: number[];
  /** A durable cluster's folder, resumed when it exists (`--target cluster` only). */
  dir?: string;
  /** Measure every this many cases as well as at the end (open-cases). */
  checkpoint?: number;
  /** Leave the cases unsigned, waiting on their signing deadline (open-cases: about half the work per case). */
  unsigned?: boolean;
}

/** What each benchmark module exports. */
export interface BenchModule {
  run(opts: BenchOptions): Promise<Record<string, unknown>>;
  summary?(result: Record<string, unknown>): string;
}

const usage =
  "usage: npm run bench -- <approval|calendar|evidence|intake|lifecycle|open-cases|repeats> [--quick] [--n N] [--seconds S] [--rates a,b,c] [--target dev|cluster] [--dir DIR] [--checkpoint K] [--unsigned]\n";
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const name = args[0] ?? "";
const file = join(here, `${name}.ts`);
if (!/^[a-z][a-z0-9-]*$/.test(name) || ["index", "stack", "load", "target", "drive"].includes(name) || !existsSync(file)) {
  process.stderr.write(usage);
  process.exit(2);
}
const opts: BenchOptions = { quick: false };
for (let i = 1; i < args.length; i++) {
  const a = args[i]!;
  const value = () => {
    const v = args[++i];
    if (v === undefined) {
      process.stderr.write(usage);
      process.exit(2);
    }
    return v;
  };
  if (a === "--quick") opts.quick = true;
  else if (a === "--unsigned") opts.unsigned = true;
  else if (a === "--n") opts.n = Number(value());
  else if (a === "--seconds") opts.seconds = Number(value());
  else if (a === "--rates") opts.rates = value().split(",").map(Number);
  else if (a === "--dir") opts.dir = value();
  else if (a === "--checkpoint") opts.checkpoint = Number(value());
  else if (a === "--target") {
    const t = value();
    if (!(TARGETS as readonly string[]).includes(t)) {
      process.stderr.write(usage);
      process.exit(2);
    }
    opts.target = t as TargetName;
  } else {
    process.stderr.write(usage);
    process.exit(2);
  }
}
if ([opts.n, opts.seconds, opts.checkpoint, ...(opts.rates ?? [])].some((v) => v !== undefined && !(v > 0)) || (opts.dir && opts.target !== "cluster")) {
  process.stderr.write(usage);
  process.exit(2);
}
const mod = (await import(pathToFileURL(file).href)) as BenchModule;
const result = await mod.run(opts);
console.log(mod.summary ? mod.summary(result) : `${name}: ${JSON.stringify(result)}`);
mkdirSync("bench-results", { recursive: true });
const machine = { cpus: (await import("node:os")).cpus().length, memGiB: Math.round((await import("node:os")).totalmem() / 2 ** 30), node: process.version };
writeFileSync(
  join("bench-results", `${name}${opts.target === "cluster" ? "-cluster" : ""}.json`),
  JSON.stringify({ name, at: new Date().toISOString(), machine, options: opts, ...result }, null, 2) + "\n",
);
process.exit(0);
