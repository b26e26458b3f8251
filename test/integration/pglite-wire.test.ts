/** The embedded database server under concurrent clients: interleaved extended queries and transactions stay correct. */
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPg, type EmbeddedPg } from "../../db/pglite-server";

let db: EmbeddedPg;
beforeAll(async () => { db = await startEmbeddedPg(); });
afterAll(async () => { await db?.stop(); });

it("serves many connections at once without mixing their statements", async () => {
  const pool = new pg.Pool({ connectionString: db.url, max: 12 });
  await pool.query("CREATE TABLE t (id int primary key, v text)");
  // Parameterised statements with different parameter counts, from 12 connections at once.
  await Promise.all(Array.from({ length: 300 }, (_, i) => i % 2
    ? pool.query("INSERT INTO t (id, v) VALUES ($1, $2)", [i, `v${i}`])
    : pool.query("INSERT INTO t (id, v) SELECT $1, $2 WHERE $3::int >= 0", [i, `v${i}`, i])));
  // Transactions: each moves two rows atomically; another connection never sees half of one.
  await Promise.all(Array.from({ length: 40 }, async (_, i) => {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      await c.query("UPDATE t SET v = $1 WHERE id = $2", [`tx${i}`, i]);
      await c.query("UPDATE t SET v = $1 WHERE id = $2", [`tx${i}`, i + 100]);
      if (i % 5 === 0) await c.query("ROLLBACK"); else await c.query("COMMIT");
    } finally {
      c.release();
    }
  }));
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM t");
  expect(Number(rows[0]!.n)).toBe(300);
  const tx = await pool.query<{ v: string; n: string }>("SELECT v, count(*) AS n FROM t WHERE v LIKE 'tx%' GROUP BY v");
  expect(tx.rows.length).toBe(32);
  expect(tx.rows.every((r) => Number(r.n) === 2)).toBe(true);
  await pool.end();
});

it("pauses and resumes on the same port with the data kept", async () => {
  const c1 = new pg.Client({ connectionString: db.url });
  c1.on("error", () => undefined); // the pause drops this connection: expected
  await c1.connect();
  await c1.query("CREATE TABLE k (v int)");
  await c1.query("INSERT INTO k VALUES (7)");
  await db.pause();
  await expect(c1.query("SELECT 1")).rejects.toThrow();
  await db.resume();
  const c2 = new pg.Client({ connectionString: db.url });
  await c2.connect();
  expect((await c2.query("SELECT v FROM k")).rows).toEqual([{ v: 7 }]);
  await c2.end();
  await c1.end().catch(() => undefined);
});

it("keeps the process exit code when it starts and stops (a test run's result decides it)", async () => {
  const before = process.exitCode;
  try {
    process.exitCode = 3;
    const other = await startEmbeddedPg();
    expect(process.exitCode).toBe(3);
    await other.stop();
    expect(process.exitCode).toBe(3);
  } finally {
    process.exitCode = before;
  }
});
