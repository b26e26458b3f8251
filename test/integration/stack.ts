/**
 * A real stack for integration tests: the dev server and database from the global set-up, a case
 * worker with the real activities, and the API app on an ephemeral port.
 */
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { NativeConnection } from "@temporalio/worker";
import { createApp, createHttpServer } from "../../api/app";
import { createApiDeps } from "../../api/deps";
import { parseEnv } from "../../config/env";
import { createCaseWorker, createWorkerDeps } from "../../workers/worker";

/** Starts worker + API against the injected servers; `env` overrides configuration. */
export async function startStack(env: Record<string, string> = {}) {
  const config = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: inject("databaseUrl"),
    TEMPORAL_ADDRESS: inject("temporalAddress"),
    LOG_LEVEL: "warn",
    // Evidence files of tests stay out of the working tree.
    EVIDENCE_DIR: join(tmpdir(), "hotline-evidence-test"),
    ...env,
  });
  const deps = await createApiDeps(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workerDeps = createWorkerDeps(config, { calendarMaxAgeMs: 0 });
  const newWorker = () => createCaseWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, codec: deps.codec, deps: workerDeps });
  let worker = await newWorker();
  let running = worker.run();
  const server = createHttpServer(createApp(deps), config).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Calls the API with a development token of a role (or a unit id). */
  async function call(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  return {
    base,
    deps,
    call,
    prisma: deps.prisma,
    client: deps.temporal,
    /** Stops the worker and starts a fresh one: its sticky cache is gone, so every case is replayed from its history. */
    async restartWorker() {
      worker.shutdown();
      await running;
      worker = await newWorker();
      running = worker.run();
    },
    async stop() {
      server.close();
      worker.shutdown();
      await running;
      await workerDeps.close();
      await connection.close();
      await deps.close();
    },
  };
}

/** Development tokens (see api/auth.ts developmentTokens). */
export const tokens = {
  integration: "dev-integration-token",
  dispatcher: "dev-dispatcher-token",
  supervisor: "dev-supervisor-token",
  admin: "dev-admin-token",
  unit: (unitId: string) => `dev-unit-${unitId}-token`,
};

let seq = 0;
/** A valid work order body with a unique order number; override fields. */
export function orderBody(over: Record<string, unknown> = {}) {
  seq++;
  const tag = `${Date.now().toString(36)}${seq}`;
  return {
    orderNo: `IT-${tag}`,
    sourceLine: "12345",
    channel: "phone",
    kind: "complaint",
    receivedAt: new Date().toISOString(),
    district: "解放区",
    address: `建设路${tag}号`,
    subject: { name: `化工厂${tag}`, type: "enterprise" },
    elements: ["air"],
    industry: "化工",
    description: "夜间排放刺鼻气体",
    reporter: { anonymous: false, name: "王小明", phone: "13812345678", realName: true },
    attachments: [],
    ...over,
  };
}

/** Polls `f` every 100 ms until `ok` holds, or fails naming `what` after `ms`. */
export async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
