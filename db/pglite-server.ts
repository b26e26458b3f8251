/**
 * An embedded PostgreSQL (PGlite) served over the wire protocol, so Prisma and pg connect to it
 * like to any PostgreSQL. Used by `npm run up` (persisted under .data/) and by the test suites.
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/** A running embedded database and the URL to reach it. */
export interface EmbeddedPg { url: string; stop(): Promise<void> }

/** Starts PGlite on `dataDir` (or in memory) and serves it on host:port (0 = any free port). */
export async function startEmbeddedPg(opts: { dataDir?: string; port?: number; host?: string } = {}): Promise<EmbeddedPg> {
  const db = await PGlite.create(opts.dataDir ?? "memory://");
  const server = new PGLiteSocketServer({ db, port: opts.port ?? 0, host: opts.host ?? "127.0.0.1", maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
