import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = (...args: string[]) => spawnSync("npx", ["tsx", "scripts/cli.ts", ...args], { cwd: root, encoding: "utf8" });

describe("scripts/cli.ts", { timeout: 60_000 }, () => {
  it("prints a deadline in +08:00", () => {
    const r = cli("deadline", "2025-09-30T10:00:00+08:00", "10");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("2025-10-22T00:00:00+08:00\n");
  });

  it("marks a deadline in a year without a schedule as provisional on a second line", () => {
    const r = cli("deadline", "2026-12-28T10:00:00+08:00", "10");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("2027-01-13T00:00:00+08:00");
    expect(lines[1]).toMatch(/^provisional: /);
  });

  it("prints every day of a year", () => {
    const r = cli("calendar", "2026");
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(365);
    expect(lines[0]).toBe("2026-01-01 offday 元旦");
    expect(lines).toContain("2026-02-14 workday 春节调休上班");
    expect(lines).toContain("2026-03-09 workday");
    expect(lines).toContain("2026-03-08 offday");
  });

  it("exits 2 with a usage line on a bad argument", () => {
    const r = cli("deadline", "2025-09-30T10:00:00+08:00", "ten");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/usage: cli\.ts deadline /);
    const unknown = cli("no-such-command");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/usage: cli\.ts <command>/);
  });
});
