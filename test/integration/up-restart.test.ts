/**
 * `npm run up` end to end (scripts/up.ts on its own ports and data folder): it comes up, takes a
 * case, stops cleanly on Ctrl-C (SIGINT), and a second start resumes the same running workflow.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, Connection } from "@temporalio/client";
import { afterAll, expect, it } from "vitest";
import { orderBody, tokens } from "./stack";

const base = 23000 + Math.floor(Math.random() * 2000);
const ports = { PORT: String(base), TEMPORAL_PORT: String(base + 1), TEMPORAL_UI_PORT: String(base + 2), EMBEDDED_PG_PORT: String(base + 3) };
const dataDir = mkdtempSync(join(tmpdir(), "hotline-up-"));
chmodSync(dataDir, 0o755); // run as root, the database server's user must reach .data/postgres inside it
const api = `http://127.0.0.1:${ports.PORT}`;
let child: ChildProcess | undefined;

/** Starts scripts/up.ts and resolves once it prints that it is up. */
function up(): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...ports, HOTLINE_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const p = spawn(process.execPath, ["--import", "tsx", "scripts/up.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`up did not come up:\n${out.slice(-2000)}`)), 120_000);
    p.stdout!.on("data", (c: Buffer) => {
      out += c;
      if (out.includes("is up.")) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    p.stderr!.on("data", (c: Buffer) => {
      out += c;
    });
    p.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`up exited ${code}:\n${out.slice(-2000)}`));
    });
  });
}

/** Ctrl-C, and the exit code. */
function interrupt(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    p.removeAllListeners("exit");
    p.once("exit", (code) => resolve(code));
    p.kill("SIGINT");
  });
}

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(api + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

afterAll(async () => {
  if (child && child.exitCode === null) await interrupt(child);
  rmSync(dataDir, { recursive: true, force: true });
});

it("keeps a running case across a stop and a restart", async () => {
  child = await up();
  const { body } = await call("POST", "/api/orders", tokens.integration, orderBody());
  const id = body.caseId as string;
  let stage = "";
  for (let i = 0; i < 100 && stage !== "transferred"; i++) {
    stage = (await call("GET", `/api/cases/${id}`, tokens.supervisor)).body.stage;
    if (stage !== "transferred") await new Promise((r) => setTimeout(r, 100));
  }
  expect(stage).toBe("transferred");
  // The worker created the statutory reports' schedules before it started taking cases.
  const connection = await Connection.connect({ address: `127.0.0.1:${ports.TEMPORAL_PORT}` });
  const schedules: string[] = [];
  for await (const s of new Client({ connection }).schedule.list()) schedules.push(s.scheduleId);
  await connection.close();
  expect(schedules.sort()).toEqual(["report-monthly", "report-quarterly"]);
  expect(await interrupt(child)).toBe(0);
  await expect(fetch(`${api}/health`)).rejects.toThrow();

  child = await up();
  const after = await call("GET", `/api/cases/${id}`, tokens.supervisor);
  expect(after.body.stage, JSON.stringify(after)).toBe("transferred");
  const signed = await call("POST", `/api/cases/${id}/sign`, tokens.unit("branch-jiefang"), {});
  expect(signed.status).toBe(200);
  expect(signed.body.stage).toBe("investigating");
  expect(await interrupt(child)).toBe(0);
}, 300_000);
