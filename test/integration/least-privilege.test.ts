/**
 * Least privilege (issue 15, item 5): the integration sees its order's status and outcome only; the
 * dispatcher and admin what routing needs, without the unit's records and reporters; only
 * supervisors reveal reporters (with a reason of real length) and decode payloads.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderBody, startStack, tokens, until } from "./stack";
import { investigationBody } from "../../scripts/bench/load";

let stack: Awaited<ReturnType<typeof startStack>>;
let id: string;
const unit = tokens.unit("branch-jiefang");
beforeAll(async () => {
  stack = await startStack();
  const { body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
  id = body.caseId;
  await until(
    () => stack.call("GET", `/api/cases/${id}`, tokens.supervisor),
    (r) => r.body.stage === "transferred",
    "routing",
  );
  expect((await stack.call("POST", `/api/cases/${id}/sign`, unit, {})).status).toBe(200);
  // Facts worded so the test can tell they never reach a view without handling records.
  const record = { ...investigationBody, facts: "现场检查发现废气直排" };
  expect((await stack.call("POST", `/api/cases/${id}/investigation`, unit, record)).status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
});

it("gives the integration its order's status and outcome only", async () => {
  const v = await stack.call("GET", `/api/cases/${id}`, tokens.integration);
  expect(v.status).toBe(200);
  expect(v.body).toMatchObject({ view: "status", caseId: id, stage: "rectifying" });
  expect(Object.keys(v.body).sort()).toEqual(expect.arrayContaining(["caseId", "orderNos", "stage", "view"]));
  const text = JSON.stringify(v.body);
  for (const hidden of ["investigation", "reporters", "138", "现场检查", "timeline", "description", "address"])
    expect([hidden, text.includes(hidden)]).toEqual([hidden, false]);
  expect((await stack.call("GET", "/api/cases", tokens.integration)).status).toBe(403);
});

it("gives the dispatcher and admin the routing view, without handling records and reporters", async () => {
  for (const t of [tokens.dispatcher, tokens.admin]) {
    const v = await stack.call("GET", `/api/cases/${id}`, t);
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ view: "routing", caseId: id, stage: "rectifying", unitId: "branch-jiefang" });
    for (const f of ["investigation", "rectification", "feedback", "rewards", "revisits", "reporters"]) expect([f, f in v.body]).toEqual([f, false]);
    expect(JSON.stringify(v.body)).not.toContain("现场检查");
  }
  const full = await stack.call("GET", `/api/cases/${id}`, unit);
  expect(full.body).toMatchObject({ view: "full", investigation: { facts: "现场检查发现废气直排" } });
  expect(full.body.reporters[0].phone).toBe("138****5678");
});

it("lets only supervisors reveal reporters, with a reason of real length, and decode payloads", async () => {
  const admin = await stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=${encodeURIComponent("奖励核实需要")}`, tokens.admin);
  expect(admin.status).toBe(403);
  for (const reason of ["x", "核", "aaaaaaaaaaaa", "check"]) {
    const r = await stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=${encodeURIComponent(reason)}`, tokens.supervisor);
    expect([reason, r.status, r.body.code]).toEqual([reason, 400, "invalid_request"]);
  }
  const ok = await stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=${encodeURIComponent("奖励核实")}`, tokens.supervisor);
  expect(ok.status).toBe(200);
  expect(ok.body.reporters[0].phone).toBe("13812345678");
  const payload = { metadata: { encoding: Buffer.from("json/plain").toString("base64") }, data: Buffer.from('"x"').toString("base64") };
  for (const op of ["encode", "decode"]) expect((await stack.call("POST", `/codec/${op}`, tokens.admin, { payloads: [payload] })).status).toBe(403);
});
