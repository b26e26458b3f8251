/**
 * Prisma CLI configuration: the WebAssembly schema engine over the pg driver adapter, so
 * migrations run without Prisma's native engine download. Workarounds are commented in place.
 */
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The wasm schema engine leaves 10 s / 60 s timers armed after finishing, so the CLI lingers; unref long timers.
const origSetTimeout = globalThis.setTimeout;
(globalThis as { setTimeout: unknown }).setTimeout = (fn: () => void, ms?: number, ...args: unknown[]) => {
  const t = (origSetTimeout as (f: () => void, m?: number, ...a: unknown[]) => NodeJS.Timeout)(fn, ms, ...args);
  if ((ms ?? 0) >= 5000) t.unref();
  return t;
};

// The wasm schema engine introspects pg_catalog columns ("char", name, ...) that @prisma/adapter-pg
// cannot map; report any system-catalog type the adapter does not know as TEXT (oid 25).
const KNOWN = new Set([
  16, 17, 20, 21, 23, 25, 26, 114, 700, 701, 790, 1042, 1043, 1082, 1083, 1114, 1184, 1266, 1560, 1562, 1700, 2950, 3802, 650, 869, 142, 1000, 1001, 1005, 1007,
  1014, 1015, 1016, 1021, 1022, 1115, 1182, 1183, 1185, 1231, 1270, 1561, 1563, 1791, 199, 3807, 2951, 143, 651, 1041,
]);
// PostgreSQL 18 lists NOT NULL constraints in pg_constraint (contype 'n'); the engine's constraint
// query lets them through and the engine panics on them (prisma/orm#29635; `migrate diff` and
// `migrate dev` crash with "unreachable"). Drop those rows, as the upstream fix (an allowlist of 'c'
// and 'x') does: nullability is read from pg_attribute.
type Result = { fields?: { name: string; dataTypeID: number }[]; rows?: unknown[]; rowCount?: number | null };
const fix = (res: Result | Result[]) => {
  for (const r of Array.isArray(res) ? res : [res]) {
    const names = (r?.fields ?? []).map((f) => f.name);
    const type = names.indexOf("constraint_type");
    if (type >= 0 && names.includes("constraint_definition") && r.rows) {
      r.rows = r.rows.filter((row) => (Array.isArray(row) ? row[type] : (row as Record<string, unknown>).constraint_type) !== "n");
      r.rowCount = r.rows.length;
    }
    for (const f of r?.fields ?? []) if (f.dataTypeID < 10000 && !KNOWN.has(f.dataTypeID)) f.dataTypeID = 25;
  }
  return res;
};
class CatalogSafeClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, cb?: any): any {
    if (typeof values === "function") {
      cb = values;
      values = undefined;
    }
    if (typeof cb === "function") return super.query(config, values, (err: Error, res: Result) => cb(err, err ? res : fix(res)));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const p: any = super.query(config, values);
    return p && typeof p.then === "function" ? p.then(fix) : p;
  }
}

// Discrete fields, not connectionString: adapter-pg's shadow-database pool spreads this config and
// sets `database`, which a connection string would silently override (shadow == main).
const toPg = (url: string) => {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || "postgres",
    Client: CatalogSafeClient as unknown as typeof pg.Client,
    allowExitOnIdle: true,
    max: 4,
  };
};
const pgConfig = toPg(process.env.DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:54320/postgres");

// adapter-pg 6.19 drops the shadow database before closing its pool ("being accessed by other users").
// With SHADOW_DATABASE_URL (a dedicated throwaway database) use that instead of CREATE DATABASE.
class PrismaPgMigrate extends PrismaPg {
  override async connectToShadowDb() {
    if (process.env.SHADOW_DATABASE_URL) {
      // the wasm engine does not reset an external shadow database: do it here (dedicated, throwaway)
      const shadow = await new PrismaPg(toPg(process.env.SHADOW_DATABASE_URL)).connect();
      await shadow.executeScript(`DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;`);
      return shadow;
    }
    const admin = await new PrismaPg(pgConfig).connect();
    const name = `prisma_shadow_${crypto.randomUUID().replace(/-/g, "")}`;
    await admin.executeScript(`CREATE DATABASE "${name}"`);
    const shadow = await new PrismaPg({ ...pgConfig, database: name }).connect();
    const close = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await close();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.dispose();
    };
    return shadow;
  }
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new PrismaPgMigrate(pgConfig),
});
