/**
 * An embedded PostgreSQL (PGlite) served over the wire protocol, so Prisma and pg connect to it
 * like to any PostgreSQL. Used by `npm run up` (persisted under .data/) and by the test suites.
 */
import { PGlite } from "@electric-sql/pglite";
import { PgliteWireServer } from "./pglite-wire";

/** A running embedded database and the URL to reach it. */
export interface EmbeddedPg {
  url: string;
  /** Closes the listening socket and every connection; the data stays (for fault drills). */
  pause(): Promise<void>;
  /** Serves the same database on the same port again. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts PGlite on `dataDir` (or in memory) and serves it on host:port (0 = any free port). */
export async function startEmbeddedPg(opts: { dataDir?: string; port?: number; host?: string } = {}): Promise<EmbeddedPg> {
  // PGlite's WebAssembly runtime writes process.exitCode (99 when it starts, 0 when it closes): keep
  // the caller's both times, or a test run that failed would exit 0 (and one that passed, 99).
  const exitCode = process.exitCode;
  const db = await PGlite.create(opts.dataDir ?? "memory://");
  process.exitCode = exitCode;
  const host = opts.host ?? "127.0.0.1";
  let server = new PgliteWireServer(db);
  const port = await server.listen(opts.port ?? 0, host);
  let running = true;
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    async pause() {
      if (running) await server.close();
      running = false;
    },
    async resume() {
      if (running) return;
      server = new PgliteWireServer(db);
      await server.listen(port, host);
      running = true;
    },
    async stop() {
      if (running) await server.close();
      const exitCode = process.exitCode;
      await db.close();
      process.exitCode = exitCode;
    },
  };
}
