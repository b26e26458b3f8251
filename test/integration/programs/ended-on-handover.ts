/**
 * Run by db-connection-ended.test.ts as a process of its own. The service's database client
 * (db/client.ts) with one connection: a query holds it and a transaction waits for it. The server
 * ends the connection (FATAL) right after answering the query, while this process is busy, so the
 * answer and the FATAL arrive in one read: the pool hands the connection to the waiting
 * transaction and the FATAL lands before the adapter listens on it. Prints one JSON line; an
 * 'error' event with no listener ends the process with code 1 instead.
 */
import pg from "pg";
import { createPrisma } from "../../../db/client";
import { startEmbeddedPg } from "../../../db/embedded-postgres";

const db = await startEmbeddedPg();
// The server ends a session idle for 50 ms: the FATAL that follows the query's answer.
const url = new URL(db.url);
url.searchParams.set("options", "-c idle_session_timeout=50");
const prisma = createPrisma(url.toString(), 1);
const admin = new pg.Client({ connectionString: db.url });
await admin.connect();

const query = prisma.$queryRaw`SELECT 1 AS one FROM pg_sleep(0.3)`.then(
  () => "ok",
  (e: Error) => e.message,
);
// Once the query runs on the server: a transaction asks for the connection, then this process is
// blocked past the query's answer and the FATAL after it.
for (let i = 0; ; i++) {
  const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%pg_sleep(0.3)%'");
  if (rows.length) break;
  if (i > 500) throw new Error("the query never ran");
  await new Promise((r) => setTimeout(r, 5));
}
const waiting = prisma
  .$transaction(async (tx) => tx.$queryRaw`SELECT 1`)
  .then(
    () => "ok",
    () => "failed",
  );
await new Promise((r) => setTimeout(r, 50));
const until = Date.now() + 800;
while (Date.now() < until);

const result = { query: await query, transaction: await waiting, later: (await prisma.$queryRaw<Array<{ one: number }>>`SELECT 1 AS one`)[0]!.one };
await prisma.$disconnect();
await admin.end();
await db.stop();
console.log(JSON.stringify(result));
