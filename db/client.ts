/** Creates the Prisma client over the pg driver adapter (no native query engine). */
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { GuardedPrismaPg } from "./transaction-guard";

export type { PrismaClient } from "../generated/prisma/client";
export { Prisma } from "../generated/prisma/client";

/** A Prisma client for a postgres:// URL; `max` bounds the pool. */
export function createPrisma(url: string, max = 10): PrismaClient {
  // Long interactive-transaction waits: a transaction Prisma gave up starting would still open
  // later on its connection; under overload the caller waits instead (its own timeout applies).
  return new PrismaClient({
    adapter: new GuardedPrismaPg(createPool(url, max), { disposeExternalPool: true }),
    transactionOptions: { maxWait: 60_000, timeout: 60_000 },
  });
}

/**
 * A pg pool whose connections always have an error listener. The pool hands a connection to a
 * waiting transaction synchronously, while the server's next message on it may still be in the
 * same read; the adapter listens only once its `await` resumes. A database shutting down sends
 * "terminating connection" right there, and an 'error' event with no listener ended the process
 * (a worker died in the db-restart drill). The error still reaches whatever query is running, and
 * the pool drops the broken connection when it comes back.
 */
function createPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}
