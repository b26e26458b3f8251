/** Creates the Prisma client over the pg driver adapter (no native query engine). */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";

export type { PrismaClient } from "../generated/prisma/client";
export { Prisma } from "../generated/prisma/client";

/** A Prisma client for a postgres:// URL; `max` bounds the pool. */
export function createPrisma(url: string, max = 10): PrismaClient {
  // Long interactive-transaction waits: a transaction Prisma gave up starting would still open
  // later on its connection; under overload the caller waits instead (its own timeout applies).
  const pool = new pg.Pool({ connectionString: url, max });
  // A connection the server ends (a database restart: 57P01) emits 'error'; without a listener on a
  // checked-out connection that event stops the whole process (found by the db-restart drill: the API
  // died). The query on it fails and is reported to its caller as usual; the pool drops the connection.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    transactionOptions: { maxWait: 60_000, timeout: 60_000 },
  });
}
