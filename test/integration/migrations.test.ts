/** The committed migrations produce exactly the schema in prisma/schema.prisma (no drift). */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEmbeddedPg, type EmbeddedPg } from "../../db/embedded-postgres";

const run = promisify(execFile);
let shadow: EmbeddedPg;
beforeAll(async () => {
  shadow = await startEmbeddedPg();
});
afterAll(async () => {
  await shadow?.stop();
});

/** Exit code of `prisma migrate diff --from-migrations … --to-schema-datamodel … --exit-code` (0 none, 2 drift). */
async function diff(schema: string, migrations: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(
      "node_modules/.bin/prisma",
      ["migrate", "diff", "--from-migrations", migrations, "--to-schema-datamodel", schema, "--exit-code"],
      {
        env: {
          ...process.env,
          DATABASE_URL: inject("databaseUrl"),
          SHADOW_DATABASE_URL: shadow.url,
          PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
          PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
        },
      },
    );
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, out: err.stdout };
  }
}

describe("migrations", () => {
  it("match the schema exactly", async () => {
    const r = await diff("prisma/schema.prisma", "prisma/migrations");
    expect(r.out).toMatch(/No difference detected/);
    expect(r.code).toBe(0);
  });

  it("would report drift if the schema changed without a migration", async () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-"));
    cpSync("prisma/migrations", join(dir, "migrations"), { recursive: true });
    copyFileSync("prisma/schema.prisma", join(dir, "schema.prisma"));
    const changed = readFileSync(join(dir, "schema.prisma"), "utf8").replace("model AuditLog {", "model AuditLog {\n  extra String?");
    writeFileSync(join(dir, "schema.prisma"), changed);
    const r = await diff(join(dir, "schema.prisma"), join(dir, "migrations"));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/extra/);
  });
});
