/** Creates the Prisma client over the pg driver adapter (no native query engine). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export type { PrismaClient } from "../generated/prisma/client";
export { Prisma } from "../generated/prisma/client";

/** A Prisma client for a postgres:// URL; `max` bounds the pool (PGlite serves one connection well). */
export function createPrisma(url: string, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max }) });
}
