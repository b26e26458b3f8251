/**
 * Keeps a failed COMMIT or ROLLBACK from leaking its pool connection. Prisma 6.19's transaction
 * manager sends the statement and only then releases the driver transaction; when the statement
 * throws (the server ended the connection: a database restart), the release is skipped and the pg
 * pool loses that slot for good. Enough transactions in flight at a restart and every later query
 * waits forever (found by the db-restart drill: a worker with no activity finishing for minutes).
 */
import { PrismaPg } from "@prisma/adapter-pg";

type Tx = Awaited<ReturnType<Awaited<ReturnType<PrismaPg["connect"]>>["startTransaction"]>>;
type Query = Parameters<Tx["executeRaw"]>[0];

/** The pg driver adapter whose transactions release their connection once, whatever the closing statement did. */
export class GuardedPrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => guard(await start(isolationLevel));
    return adapter;
  }
}

/** Makes commit/rollback (the release) idempotent, and releases when the closing statement itself fails. */
function guard(tx: Tx): Tx {
  let released = false;
  const release = tx.rollback.bind(tx);
  const once = async () => {
    if (released) return;
    released = true;
    await release();
  };
  tx.commit = once;
  tx.rollback = once;
  const execute = tx.executeRaw.bind(tx);
  tx.executeRaw = async (q: Query) => {
    try {
      return await execute(q);
    } catch (e) {
      // The manager will not release after a failed COMMIT or ROLLBACK: do it here (pg drops a broken connection on release).
      if (q.sql === "COMMIT" || q.sql === "ROLLBACK") await once();
      throw e;
    }
  };
  return tx;
}
