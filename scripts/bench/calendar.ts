/** Benchmark: WorkingCalendar.deadlineAfter(randomStart, 10) calls per second on one core. */
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { loadDefaultCalendar } from "../../calendar/index.ts";

const STARTS = 1 << 20; // power of two so the loop can mask instead of modulo
const FROM_MS = Date.parse("2020-01-01T00:00:00+08:00");
const TO_MS = Date.parse("2027-01-01T00:00:00+08:00");

/** Run the benchmark; quick runs ~0.6 s instead of ~5 s. Returns calls/second figures and a checksum. */
export async function run(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const cal = loadDefaultCalendar();
  // Deterministic LCG so runs are comparable; starts are built before any timing.
  let seed = 12345;
  const starts = Array.from({ length: STARTS }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return new Date(FROM_MS + (seed / 2 ** 32) * (TO_MS - FROM_MS));
  });
  const mask = STARTS - 1;
  let checksum = 0;
  const round = (ms: number): number => {
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      for (let i = 0; i < 100_000; i++) {
        const r = cal.deadlineAfter(starts[(calls + i) & mask], 10);
        checksum = (checksum + Math.floor(r.dueAt.getTime() / 86_400_000) + (r.provisional ? 1 : 0)) % 1_000_003;
      }
      calls += 100_000;
      elapsed = performance.now() - t0;
    } while (elapsed < ms);
    return (calls / elapsed) * 1000;
  };
  round(opts.quick ? 100 : 500); // warm-up: let the JIT settle
  const rounds = Array.from({ length: 5 }, () => round(opts.quick ? 100 : 1000)).sort((a, b) => a - b);
  return {
    callsPerSecondMedian: Math.round(rounds[2]),
    callsPerSecondBest: Math.round(rounds[4]),
    callsPerSecondWorst: Math.round(rounds[0]),
    rounds: rounds.length,
    workingDays: 10,
    checksum,
  };
}

/** Human summary line for a result of run(). */
export function summary(r: Record<string, number>): string {
  const m = (n: number | undefined) => ((n ?? 0) / 1e6).toFixed(2);
  return `calendar: deadlineAfter(randomStart 2020–2026, 10): median ${m(r.callsPerSecondMedian)} M calls/s (best ${m(r.callsPerSecondBest)}, worst ${m(r.callsPerSecondWorst)}) over ${r.rounds} rounds`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ quick: process.argv.includes("--quick") });
  console.log(summary(result as Record<string, number>));
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/calendar.json", JSON.stringify({ name: "calendar", at: new Date().toISOString(), ...result }, null, 2) + "\n");
}
