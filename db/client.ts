/** Creates the Prisma client over the pg driver adapter (no native query engine). */
import { PrismaClient } from "../generated/prisma/client";
import { GuardedPrismaPg } from "./transaction-guard";

export type { PrismaClient } from "../generated/prisma/client";
export { Prisma } from "../generated/prisma/client";

/** A Prisma client for a postgres:// URL; `max` bounds the pool. */
export function createPrisma(url: string, max = 10): PrismaClient {
  // Long interactive-transaction waits: a transaction Prisma gave up starting would still open
  // later on its connection; under overload the caller waits instead (its own timeout applies).
  return new PrismaClient({ adapter: new GuardedPrismaPg({ connectionString: url, max }), transactionOptions: { maxWait: 60_000, timeout: 60_000 } });
}
