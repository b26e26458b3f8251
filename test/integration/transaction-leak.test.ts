/**
 * Integration (real PostgreSQL): a transaction whose connection the server ends (a database restart)
 * gives its pool slot back. Prisma skips the release when the closing ROLLBACK fails; without
 * db/transaction-guard.ts a pool of two is exhausted by two such transactions and the next query
 * waits forever.
 */
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { createPrisma, type PrismaClient } from "../../db/client";

let prisma: PrismaClient;
let admin: pg.Client;
beforeAll(async () => {
  prisma = createPrisma(inject("databaseUrl"), 2);
  admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
});
afterAll(async () => {
  await prisma?.$disconnect();
  await admin?.end();
});

/** A transaction whose backend is terminated half-way, as a database restart does. */
async function cutOff() {
  await prisma.$transaction(async (tx) => {
    const [{ pid }] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await tx.$queryRaw`SELECT 1`;
  });
}

it("gives back the connection of a transaction the server ended, so later queries still run", { timeout: 60_000 }, async () => {
  for (let i = 0; i < 3; i++) await expect(cutOff()).rejects.toThrow();
  const later = Promise.race([
    prisma.$queryRaw<Array<{ one: number }>>`SELECT 1 AS one`,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the pool has no connection left: a leaked transaction holds it")), 10_000)),
  ]);
  await expect(later).resolves.toEqual([{ one: 1 }]);
});
