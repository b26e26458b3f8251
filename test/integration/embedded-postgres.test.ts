/** The embedded PostgreSQL server: pause and resume on the same port, data kept across restarts, nothing left behind. */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPg, type EmbeddedPg } from "../../db/embedded-postgres";

let db: EmbeddedPg;
beforeAll(async () => {
  db = await startEmbeddedPg();
});
afterAll(async () => {
  await db?.stop();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("pauses (the server stops, connections drop) and resumes on the same port with the data kept", async () => {
  const c1 = new pg.Client({ connectionString: db.url });
  c1.on("error", () => undefined); // the pause drops this connection: expected
  await c1.connect();
  await c1.query("CREATE TABLE k (v int)");
  await c1.query("INSERT INTO k VALUES (7)");
  const pid = db.pid()!;
  await db.pause();
  expect(alive(pid)).toBe(false);
  await expect(c1.query("SELECT 1")).rejects.toThrow();
  await db.resume();
  const c2 = new pg.Client({ connectionString: db.url });
  await c2.connect();
  expect((await c2.query("SELECT v FROM k")).rows).toEqual([{ v: 7 }]);
  // UTF-8 and UTC on every machine.
  expect((await c2.query("SELECT current_setting('server_encoding') AS e, current_setting('TimeZone') AS tz")).rows).toEqual([{ e: "UTF8", tz: "UTC" }]);
  await c2.end();
  await c1.end().catch(() => undefined);
});

it("keeps a given data directory across a stop and a start; removes a temporary one on stop", async () => {
  const parent = mkdtempSync(join(tmpdir(), "hotline-pg-test-"));
  chmodSync(parent, 0o755); // as root the server's user must reach the data directory
  const dataDir = join(parent, "data");
  try {
    const first = await startEmbeddedPg({ dataDir });
    const c = new pg.Client({ connectionString: first.url });
    await c.connect();
    await c.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('案件')");
    await c.end();
    await first.stop();
    const second = await startEmbeddedPg({ dataDir });
    const c2 = new pg.Client({ connectionString: second.url });
    await c2.connect();
    expect((await c2.query("SELECT v FROM kept")).rows).toEqual([{ v: "案件" }]);
    await c2.end();
    await second.stop();
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);

    const temp = await startEmbeddedPg();
    expect(existsSync(temp.dataDir)).toBe(true);
    await temp.stop();
    expect(existsSync(temp.dataDir)).toBe(false);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

it("leaves the process's exit code alone; a process that exits without stopping its server stops it and removes its directory", async () => {
  // A process that starts a server, sets exit code 3 (as a failed test run does) and ends without stop().
  const script = `import { startEmbeddedPg } from "./db/embedded-postgres.ts";
const db = await startEmbeddedPg(); console.log(db.pid(), db.dataDir); process.exitCode = 3;`;
  const run = promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script]);
  const err = await run.then(
    () => undefined,
    (e: { code: number; stdout: string }) => e,
  );
  expect(err?.code).toBe(3);
  const [pid, dataDir] = err!.stdout.trim().split(" ");
  expect(existsSync(dataDir!)).toBe(false);
  for (let i = 0; i < 100 && alive(Number(pid)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(alive(Number(pid))).toBe(false);
});
