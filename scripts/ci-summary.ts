/**
 * CI's closing line: adds up what `.ci/run` executed — vitest's JSON reports, the fault drills'
 * results and the fuzzing runs — prints one line per source and ends on "ci: N passed, N failed".
 * Exits 1 if anything failed or if nothing was executed at all.
 * Usage: tsx scripts/ci-summary.ts <vitest-report.json>... [--drills file] [--fuzz file]
 */
import { readFileSync } from "node:fs";

type Count = { passed: number; failed: number; skipped: number };
const args = process.argv.slice(2);
const total: Count = { passed: 0, failed: 0, skipped: 0 };
const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const add = (label: string, c: Count) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  console.log(`[ci] ${label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
};

for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--drills") {
    const file = args[++i]!;
    const results: Record<string, { ok: boolean }> = read(file).results;
    const oks = Object.values(results).map((r) => r.ok);
    add(`fault drills${file.includes("cluster") ? " on the cluster" : ""} (${Object.keys(results).join(", ")})`, {
      passed: oks.filter(Boolean).length,
      failed: oks.filter((o) => !o).length,
      skipped: 0,
    });
  } else if (a === "--fuzz") {
    const runs: { token: string; exitCode: number }[] = read(args[++i]!).runs;
    add(`API fuzzing runs (${runs.map((r) => r.token).join(", ")})`, {
      passed: runs.filter((r) => r.exitCode === 0).length,
      failed: runs.filter((r) => r.exitCode !== 0).length,
      skipped: 0,
    });
  } else {
    // vitest's JSON reporter (Jest-compatible): numPassedTests, numFailedTests, numPendingTests, numTodoTests.
    const r = read(a);
    add(`vitest ${a}`, { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests });
  }
}
console.log(`ci: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
