/**
 * Starts a stack (dev server, embedded database, worker, API) and runs schemathesis against its
 * /openapi.json with an admin, a supervisor, a unit and an integration token in turn; exits
 * non-zero on any failure. Each run's full report goes to bench-results/fuzz-<token>.log (printed
 * here only when that run fails); a summary per token goes to bench-results/fuzz.json.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { startStack } from "./bench/stack";

const args = process.argv.slice(2);
const maxExamples = args.includes("--max-examples") ? args[args.indexOf("--max-examples") + 1]! : "25";
const st = process.env.SCHEMATHESIS ?? "schemathesis";
mkdirSync("bench-results", { recursive: true });
const stack = await startStack();
const runs: { token: string; exitCode: number; generated: number; passed: number; failed: number }[] = [];
try {
  for (const token of ["dev-admin-token", "dev-supervisor-token", "dev-unit-branch-jiefang-token", "dev-integration-token"]) {
    const who = token.replace(/-token$/, "");
    const logPath = `bench-results/fuzz-${who}.log`;
    const log = createWriteStream(logPath);
    const exitCode = await new Promise<number>((resolve) => {
      const p = spawn(
        st,
        [
          "--no-color",
          "run",
          `${stack.base}/openapi.json`,
          "--url",
          stack.base,
          "--checks",
          "not_a_server_error,response_schema_conformance",
          "--max-examples",
          maxExamples,
          "--header",
          `Authorization: Bearer ${token}`,
          "--request-timeout",
          "30",
          "--seed",
          "1",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      p.stdout.pipe(log, { end: false });
      p.stderr.pipe(log, { end: false });
      p.on("exit", (c) => resolve(c ?? 1));
    });
    await new Promise((r) => log.end(r));
    const text = readFileSync(logPath, "utf8");
    // schemathesis closes with "Test cases:\n  N generated, N passed[, N failed]".
    const m = /(\d+) generated, (\d+) passed(?:, (\d+) failed)?/.exec(text);
    const run = { token: who, exitCode, generated: Number(m?.[1] ?? 0), passed: Number(m?.[2] ?? 0), failed: Number(m?.[3] ?? 0) };
    runs.push(run);
    console.log(
      `[fuzz] ${who}: up to ${maxExamples} examples per operation: ${run.generated} generated, ${run.passed} passed, ${run.failed} failed (exit ${exitCode}; report in ${logPath})`,
    );
    if (exitCode !== 0) process.stdout.write(text);
  }
} finally {
  await stack.stop();
}
writeFileSync("bench-results/fuzz.json", JSON.stringify({ at: new Date().toISOString(), maxExamples: Number(maxExamples), runs }, null, 2) + "\n");
process.exit(runs.every((r) => r.exitCode === 0) ? 0 : 1);
