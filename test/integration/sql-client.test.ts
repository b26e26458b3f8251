/**
 * A SQL client on the database (psql, pg_dump, a BI tool) is harmless to the service: its session
 * settings stay in its own session. pg_dump starts by emptying search_path; the API's queries
 * (statistics, reports, case search) keep answering while that session is open and after it ends.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { startStack, tokens } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const month = new Date().toISOString().slice(0, 7);
const quarter = `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
const paths = [
  `/api/stats?month=${month}&groupBy=district`,
  `/api/reports/monthly?month=${month}`,
  `/api/reports/quarterly?quarter=${quarter}`,
  "/api/cases?pageSize=5",
];

/** Every read the API serves from the read model answers 200, from every connection of its pool. */
async function apiAnswers() {
  // More requests at once than the pool has connections: each of them serves some.
  const answers = await Promise.all(Array.from({ length: 3 }, () => paths.map((p) => stack.call("GET", p, tokens.supervisor))).flat());
  return answers.map((a) => a.status);
}

it("a client session with search_path='' (as pg_dump sets it) does not break the API's queries", async () => {
  expect(await apiAnswers()).toEqual(Array(paths.length * 3).fill(200));
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  try {
    // pg_dump's first statements (src/bin/pg_dump/pg_backup_db.c, pg_dump.c).
    await client.query("SELECT pg_catalog.set_config('search_path', '', false)");
    await client.query("SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0");
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    // The setting holds in the client's own session: unqualified names no longer resolve there.
    await expect(client.query(`SELECT count(*) FROM "HotlineOrder"`)).rejects.toThrow(/does not exist/);
    await client.query("ROLLBACK");
    expect((await client.query(`SELECT count(*)::int AS n FROM public."HotlineOrder"`)).rows[0].n).toBeGreaterThanOrEqual(0);
    // ...and nowhere else: the API answers while the session is open,
    expect(await apiAnswers()).toEqual(Array(paths.length * 3).fill(200));
  } finally {
    await client.end();
  }
  // ...and after it has gone.
  expect(await apiAnswers()).toEqual(Array(paths.length * 3).fill(200));
});
