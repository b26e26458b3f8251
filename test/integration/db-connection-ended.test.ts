/**
 * Integration (a real PostgreSQL server of its own): a connection the server ends just as the pool
 * hands it to a waiting transaction costs that transaction, not the process. Before db/client.ts
 * gave every connection an error listener the program below ended with an unhandled 'error' event
 * every time; a worker died so in the db-restart drill (its cases then waited for minutes).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const program = fileURLToPath(new URL("./programs/ended-on-handover.ts", import.meta.url));

it("survives the server ending a connection handed to a waiting transaction; the transaction fails, the next query runs", { timeout: 90_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", program], { timeout: 60_000 }).catch(
    (e: Error & { code?: number; stderr?: string }) => {
      throw new Error(`the program ended with code ${e.code}: ${e.stderr?.split("\n").slice(0, 8).join("\n")}`);
    },
  );
  expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ query: "ok", transaction: "failed", later: 1 });
});
