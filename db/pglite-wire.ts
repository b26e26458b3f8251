/**
 * A PostgreSQL wire-protocol server for one PGlite instance that many connections can share safely.
 * PGlite is a single backend session, so interleaving two clients' extended-query messages breaks
 * them ("bind message supplies 12 parameters, but prepared statement "" requires 3" with
 * pglite-socket 0.1.3). Here each connection's messages run as whole batches up to Sync or Query
 * under one lock, and a connection inside a transaction keeps the lock until it commits or rolls back.
 * Like PostgreSQL's idle_in_transaction_session_timeout, a connection that holds the lock inside a
 * transaction and goes quiet is closed and rolled back: a client that abandoned its transaction
 * (a pool that gave up waiting, a crashed process) must not stall every other connection.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;

/** One batch taken from a connection's buffer. */
type Batch = { kind: "messages"; messages: Buffer[] } | { kind: "ssl" } | { kind: "terminate" } | { kind: "cancel" };

/** Splits complete messages off the buffer up to and including the first Sync ('S') or Query ('Q'). */
function takeBatch(state: { buf: Buffer; started: boolean }): Batch | null {
  const { buf } = state;
  if (!state.started) {
    if (buf.length < 8) return null;
    const len = buf.readInt32BE(0);
    if (buf.length < len) return null;
    const code = buf.readInt32BE(4);
    state.buf = buf.subarray(len);
    if (code === SSL_REQUEST) return { kind: "ssl" };
    if (code === CANCEL_REQUEST) return { kind: "cancel" };
    state.started = true;
    return { kind: "messages", messages: [buf.subarray(0, len)] };
  }
  const messages: Buffer[] = [];
  let pos = 0;
  while (pos + 5 <= buf.length) {
    const type = buf[pos]!;
    const end = pos + 1 + buf.readInt32BE(pos + 1);
    if (end > buf.length) return null;
    if (type === 0x58 /* X */) { state.buf = buf.subarray(end); return { kind: "terminate" }; }
    messages.push(buf.subarray(pos, end));
    pos = end;
    if (type === 0x53 /* S */ || type === 0x51 /* Q */) {
      state.buf = buf.subarray(pos);
      return { kind: "messages", messages };
    }
  }
  return null;
}

/** The transaction status of the last ReadyForQuery ('Z') in a response: I, T, E, or null. */
function readyStatus(out: Uint8Array): string | null {
  for (let i = out.length - 6; i >= 0; i--) {
    if (out[i] === 0x5a && out[i + 1] === 0 && out[i + 2] === 0 && out[i + 3] === 0 && out[i + 4] === 5) return String.fromCharCode(out[i + 5]!);
  }
  return null;
}

/** Serves `db` on host:port (0 = any free port). */
export class PgliteWireServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private holder: number | null = null;
  private readonly waiters: Array<{ id: number; resolve: () => void }> = [];
  private nextId = 1;

  constructor(private readonly db: PGlite, private readonly idleInTransactionMs = 120_000) {}

  private acquire(id: number): Promise<void> {
    if (this.holder === id) return Promise.resolve();
    if (this.holder === null) { this.holder = id; return Promise.resolve(); }
    return new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  private release(id: number): void {
    if (this.holder !== id) return;
    const next = this.waiters.shift();
    this.holder = next ? next.id : null;
    next?.resolve();
  }

  private handle(socket: Socket): void {
    const id = this.nextId++;
    const state: { buf: Buffer; started: boolean } = { buf: Buffer.alloc(0), started: false };
    let busy = false;
    let inTransaction = false;
    let idleTimer: NodeJS.Timeout | undefined;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        for (let batch = takeBatch(state); batch; batch = takeBatch(state)) {
          if (batch.kind === "ssl") { socket.write("N"); continue; }
          if (batch.kind !== "messages") { socket.end(); return; }
          clearTimeout(idleTimer);
          await this.acquire(id);
          let last: Uint8Array = new Uint8Array();
          for (const [i, message] of batch.messages.entries()) {
            last = await this.db.execProtocolRaw(new Uint8Array(message), { syncToFs: i === batch.messages.length - 1 });
            if (last.length && !socket.destroyed) socket.write(last);
          }
          const status = readyStatus(last);
          inTransaction = status === "T" || status === "E";
          if (!inTransaction) this.release(id);
          else idleTimer = setTimeout(() => socket.destroy(), this.idleInTransactionMs);
        }
      } catch {
        socket.destroy();
      } finally {
        busy = false;
      }
    };
    socket.on("data", (chunk: Buffer) => {
      state.buf = state.buf.length ? Buffer.concat([state.buf, chunk]) : chunk;
      void pump();
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      clearTimeout(idleTimer);
      this.sockets.delete(socket);
      // A client that vanished inside a transaction must not leave it open for everyone else.
      const done = inTransaction && this.holder === id ? this.db.exec("ROLLBACK").catch(() => undefined) : Promise.resolve();
      void done.then(() => {
        this.release(id);
        const i = this.waiters.findIndex((w) => w.id === id);
        if (i >= 0) this.waiters.splice(i, 1);
      });
    });
  }

  /** Starts listening; resolves with the port. */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer((s) => this.handle(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => { server.once("error", reject); server.listen(port, host, () => resolve()); });
    return (server.address() as { port: number }).port;
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.holder = null;
    this.waiters.splice(0).forEach((w) => w.resolve());
  }
}
