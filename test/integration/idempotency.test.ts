/**
 * Idempotency-Keys (issue 15, item 4): a key is bound to the person, the case, the action and the
 * body; reused for anything else it answers 422 idempotency_key_reused and nothing is swallowed;
 * urge honours it; the OpenAPI document declares it on every action.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderBody, startStack, tokens, until } from "./stack";

const supervisorB = "second-supervisor-token-00001";
let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack({ DEV_TOKENS: "true", API_TOKENS: `supervisor:zhao.lei:${supervisorB}` });
});
afterAll(async () => {
  await stack?.stop();
});

const unit = tokens.unit("branch-jiefang");
const key = (k: string) => ({ "idempotency-key": `${k}-${Date.now().toString(36)}` });

async function transferredCase(): Promise<string> {
  const { body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
  await until(
    () => stack.call("GET", `/api/cases/${body.caseId}`, tokens.supervisor),
    (r) => r.body.stage === "transferred",
    "routing",
  );
  return body.caseId as string;
}

it("binds a key to the person, case, action and body", async () => {
  const id = await transferredCase();
  const k1 = key("k1");
  expect((await stack.call("POST", `/api/cases/${id}/sign`, unit, {}, k1)).status).toBe(200);
  // The probe: the same key for send-back answered 200 with the signing's outcome and sent nothing back.
  const reused = await stack.call("POST", `/api/cases/${id}/send-back`, unit, { reason: "不属于本单位" }, k1);
  expect(reused.status).toBe(422);
  expect(reused.body).toMatchObject({ code: "idempotency_key_reused", details: { usedFor: "another action" } });
  // A retry of the signing itself is answered again.
  expect((await stack.call("POST", `/api/cases/${id}/sign`, unit, {}, k1)).status).toBe(200);

  const k2 = key("k2");
  const first = await stack.call("POST", `/api/cases/${id}/extensions`, unit, { days: 3, reason: "需要监测" }, k2);
  expect(first.status).toBe(200);
  // Same body in another key order: a retry, the same extension.
  const again = await stack.call("POST", `/api/cases/${id}/extensions`, unit, { reason: "需要监测", days: 3 }, k2);
  expect(again.status).toBe(200);
  expect(again.body.extensionId).toBe(first.body.extensionId);
  const other = await stack.call("POST", `/api/cases/${id}/extensions`, unit, { days: 5, reason: "需要监测" }, k2);
  expect(other.status).toBe(422);
  expect(other.body).toMatchObject({ code: "idempotency_key_reused", details: { usedFor: "another request body" } });

  // Another case with the same key: refused, and that case is untouched.
  const id2 = await transferredCase();
  const elsewhere = await stack.call("POST", `/api/cases/${id2}/sign`, unit, {}, k1);
  expect(elsewhere.body).toMatchObject({ code: "idempotency_key_reused", details: { usedFor: "another case" } });
  expect((await stack.call("GET", `/api/cases/${id2}`, tokens.supervisor)).body.stage).toBe("transferred");

  const view = (await stack.call("GET", `/api/cases/${id}`, tokens.supervisor)).body;
  expect(view.stage).toBe("investigating");
  expect(view.extensions).toHaveLength(1);
  // A malformed key is a 400 with a code.
  expect((await stack.call("POST", `/api/cases/${id}/urge`, tokens.supervisor, { note: "x" }, { "idempotency-key": "bad key!" })).body.code).toBe(
    "invalid_idempotency_key",
  );
});

it("keys are per person, and urge honours them", async () => {
  const id = await transferredCase();
  const k = key("urge");
  for (const t of [tokens.supervisor, supervisorB, tokens.supervisor, supervisorB])
    expect((await stack.call("POST", `/api/cases/${id}/urge`, t, { note: "请尽快签收" }, k)).status).toBe(202);
  const urged = await until(
    () => stack.call("GET", `/api/cases/${id}`, tokens.supervisor),
    (r) => r.body.urgeCount >= 2,
    "two urges",
  );
  await new Promise((r) => setTimeout(r, 500));
  expect((await stack.call("GET", `/api/cases/${id}`, tokens.supervisor)).body.urgeCount).toBe(urged.body.urgeCount);
  expect(urged.body.urgeCount).toBe(2);
  const reused = await stack.call("POST", `/api/cases/${id}/urge`, supervisorB, { note: "另一条督办意见" }, k);
  expect(reused.status).toBe(422);
  expect(reused.body.code).toBe("idempotency_key_reused");
});

it("declares the Idempotency-Key header on every action", async () => {
  const doc = (await stack.call("GET", "/openapi.json", null)).body as {
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  };
  const actions = Object.entries(doc.paths).filter(([p, ops]) => p.startsWith("/api/cases/{caseId}/") && ops.post);
  expect(actions.length).toBeGreaterThanOrEqual(13);
  for (const [p, ops] of actions) expect([p, ops.post!.parameters?.some((x) => x.name === "Idempotency-Key" && x.in === "header")]).toEqual([p, true]);
});
