/** Benchmark dispatcher: `npx tsx scripts/bench/index.ts <name> [--quick]` runs scripts/bench/<name>.ts's run(). */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** What each benchmark module exports. */
export interface BenchModule {
  run(opts: { quick: boolean }): Promise<Record<string, number>>;
  summary?(result: Record<string, number>): string;
}

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--")) ?? "";
const file = join(here, `${name}.ts`);
if (!/^[a-z][a-z0-9-]*$/.test(name) || name === "index" || !existsSync(file) || args.some((a) => a.startsWith("--") && a !== "--quick")) {
  process.stderr.write("usage: bench/index.ts <name> [--quick]   (name = a file in scripts/bench/, e.g. calendar)\n");
  process.exit(2);
}
const mod = (await import(pathToFileURL(file).href)) as BenchModule;
const result = await mod.run({ quick: args.includes("--quick") });
console.log(mod.summary ? mod.summary(result) : `${name}: ${JSON.stringify(result)}`);
mkdirSync("bench-results", { recursive: true });
writeFileSync(join("bench-results", `${name}.json`), JSON.stringify({ name, at: new Date().toISOString(), ...result }, null, 2) + "\n");
