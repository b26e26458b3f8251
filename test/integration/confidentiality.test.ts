/**
 * Confidentiality end to end: a case seeded with a known reporter name and phone runs its whole
 * life; then the logs, every database row as text, and the raw Temporal history (fetched with a
 * client that has no codec) hold zero occurrences of either.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, Connection } from "@temporalio/client";
import { temporal } from "@temporalio/proto";
import { inject } from "vitest";
import { orderBody, startStack, tokens } from "./stack";
import { investigationBody } from "../../scripts/bench/load";

const NAME = "欧阳秘密";
const PHONE = "13987654321";
let stack: Awaited<ReturnType<typeof startStack>>;
const captured: string[] = [];
const originals = {
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
  log: console.log,
  warn: console.warn,
  error: console.error,
  info: console.info,
};

beforeAll(async () => {
  // Capture everything this process logs (API, worker, activities and the SDK share it).
  const tap =
    (orig: (c: string | Uint8Array, ...a: never[]) => boolean) =>
    (chunk: string | Uint8Array, ...a: never[]) => {
      captured.push(String(chunk));
      return orig(chunk, ...a);
    };
  process.stdout.write = tap(originals.out) as typeof process.stdout.write;
  process.stderr.write = tap(originals.err) as typeof process.stderr.write;
  for (const k of ["log", "warn", "error", "info"] as const)
    console[k] = (...args: unknown[]) => {
      captured.push(args.map(String).join(" "));
      originals[k](...args);
    };
  stack = await startStack({ REVISIT_SAMPLE_RATE: "1", LOG_LEVEL: "debug" });
});
afterAll(async () => {
  await stack?.stop();
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  Object.assign(console, { log: originals.log, warn: originals.warn, error: originals.error, info: originals.info });
});

async function until(f: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: ${what}`);
}

it("leaves no reporter name or phone in logs, plaintext columns or the raw Temporal history", async () => {
  const body = orderBody({ reporter: { anonymous: false, name: NAME, phone: PHONE, realName: true } });
  const { body: c } = await stack.call("POST", "/api/orders", tokens.integration, body);
  const id = c.caseId as string;
  const unit = tokens.unit("branch-jiefang");
  const stage = async () => (await stack.call("GET", `/api/cases/${id}`, tokens.supervisor)).body.stage;
  await until(async () => (await stage()) === "transferred", "transferred");
  await stack.call("POST", `/api/cases/${id}/sign`, unit, {});
  await stack.call("POST", `/api/cases/${id}/investigation`, unit, investigationBody);
  await stack.call("POST", `/api/cases/${id}/rectification`, unit, { immediate: true, note: "当场整改" });
  await stack.call("POST", `/api/cases/${id}/feedback`, unit, {
    findings: "属实",
    handlingOpinion: "责令整改",
    evidence: [],
    result: "已整改",
    handler: "张三",
  });
  const reward = await stack.call("POST", `/api/cases/${id}/rewards`, unit, { amountYuan: 300, reason: "举报属实" });
  await stack.call("POST", `/api/cases/${id}/rewards/${reward.body.rewardId}/decision`, tokens.supervisor, { approve: true });
  await until(async () => (await stage()) === "revisit_pending", "revisit_pending");
  await stack.call("POST", `/api/cases/${id}/revisits`, tokens.supervisor, { rebound: false, satisfied: true });
  await until(async () => (await stage()) === "completed", "completed");
  // The unmasked read by a supervisor is audited, and is the only place the API returns it.
  const revealed = await stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=reward-verification`, tokens.supervisor);
  expect(revealed.body.reporters[0]).toMatchObject({ name: NAME, phone: PHONE });
  expect((await stack.call("GET", `/api/cases/${id}`, tokens.supervisor)).body.reporters[0]).toMatchObject({ phone: "139****4321" });

  const logs = captured.join("\n");
  expect(logs.length).toBeGreaterThan(0);
  expect(logs).not.toContain(PHONE);
  expect(logs).not.toContain(NAME);

  const tables: Array<{ table_name: string }> = await stack.prisma
    .$queryRaw`SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  for (const { table_name } of tables) {
    const hits: Array<{ n: bigint }> = await stack.prisma.$queryRawUnsafe(
      `SELECT count(*) AS n FROM "${table_name}" t WHERE row_to_json(t)::text LIKE $1 OR row_to_json(t)::text LIKE $2`,
      `%${PHONE}%`,
      `%${NAME}%`,
    );
    expect([table_name, Number(hits[0]!.n)]).toEqual([table_name, 0]);
  }

  // A client without the codec sees what Temporal stores.
  const connection = await Connection.connect({ address: inject("temporalAddress") });
  const raw = await new Client({ connection }).workflow.getHandle(id).fetchHistory();
  await connection.close();
  expect(raw.events!.length).toBeGreaterThan(20);
  const encoded = temporal.api.history.v1.History.encode(raw).finish();
  const asText = Buffer.from(encoded).toString("utf8");
  for (const needle of [PHONE, NAME, "化工厂", "建设路"]) expect(asText).not.toContain(needle);
  const input = raw.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  expect(Buffer.from(input.metadata!.encoding!).toString()).toBe("binary/encrypted");
});

it("serves the UI codec endpoint only to operators, with CORS for the UI origin", async () => {
  const payload = { metadata: { encoding: Buffer.from("json/plain").toString("base64") }, data: Buffer.from('"秘密"').toString("base64") };
  const origin = "http://localhost:8233";
  const noAuth = await stack.call("POST", "/codec/encode", null, { payloads: [payload] }, { origin });
  expect(noAuth.status).toBe(401);
  expect((await stack.call("POST", "/codec/encode", tokens.admin, { payloads: [payload] }, { origin })).status).toBe(403);
  const enc = await stack.call("POST", "/codec/encode", tokens.supervisor, { payloads: [payload] }, { origin });
  expect(enc.status).toBe(200);
  expect(enc.headers.get("access-control-allow-origin")).toBe(origin);
  const dec = await stack.call("POST", "/codec/decode", tokens.supervisor, enc.body, { origin });
  expect(dec.body.payloads[0].data).toBe(payload.data);
  expect((await stack.call("POST", "/codec/decode", tokens.unit("branch-jiefang"), enc.body)).status).toBe(403);
  const pre = await fetch(`${stack.base}/codec/decode`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
  expect(pre.status).toBe(204);
  expect(pre.headers.get("access-control-allow-headers")).toMatch(/authorization/);
});
