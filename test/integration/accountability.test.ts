/**
 * Who did it (issue 15, item 3): tokens carry a person's name, which reaches the audit log, the
 * case's decisions and timeline, and the intake rate limit; supervisors read the audit log.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderBody, startStack, tokens, until } from "./stack";

const li = "li-wei-supervisor-token-0001";
const wang = "wang-fang-supervisor-token-0002";
const feedA = "platform-a-integration-token-01";
const feedB = "platform-b-integration-token-02";
const legacy = "legacy-unnamed-admin-token-03";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack({
    DEV_TOKENS: "true",
    INTAKE_RATE_PER_MINUTE: "2",
    API_TOKENS: [
      `supervisor:li.wei:${li}`,
      `supervisor:王芳:${wang}`,
      `integration:platform-a:${feedA}`,
      `integration:platform-b:${feedB}`,
      `admin:${legacy}`,
    ].join(","),
  });
});
afterAll(async () => {
  await stack?.stop();
});

it("names each token's holder: /api/me, the audit log (filtered, paged), decisions and the timeline", async () => {
  expect((await stack.call("GET", "/api/me", li)).body).toEqual({ role: "supervisor", name: "li.wei" });
  expect((await stack.call("GET", "/api/me", legacy)).body.name).toMatch(/^admin#[0-9a-f]{8}$/);

  const { body: c } = await stack.call("POST", "/api/orders", feedA, orderBody());
  const id = c.caseId as string;
  await until(
    () => stack.call("GET", `/api/cases/${id}`, li),
    (r) => r.body.stage === "transferred",
    "routing",
  );
  for (const [token, reason] of [
    [li, "核实举报人身份-1"],
    [wang, "回访需要联系举报人"],
    [li, "核实举报人身份-2"],
  ] as const)
    expect((await stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=${encodeURIComponent(reason)}`, token)).status).toBe(200);

  const all = await stack.call("GET", `/api/audit?caseId=${id}`, li);
  expect(all.status).toBe(200);
  expect(all.body.total).toBe(3);
  expect(all.body.items.map((a: { actor: string; role: string }) => a.actor)).toEqual(["li.wei", "王芳", "li.wei"]);
  const mine = await stack.call("GET", `/api/audit?caseId=${id}&actor=li.wei&pageSize=1&page=2`, wang);
  expect(mine.body).toMatchObject({ total: 2, page: 2, pageSize: 1, items: [{ actor: "li.wei", reason: "核实举报人身份-1", caseId: id, role: "supervisor" }] });
  expect((await stack.call("GET", `/api/audit?caseId=${id}&to=2000-01-01T00:00:00Z`, li)).body.total).toBe(0);

  // Only supervisors read it; a bad query is a 400 with a code.
  for (const t of [legacy, tokens.admin, tokens.dispatcher, tokens.integration, tokens.unit("branch-jiefang")])
    expect((await stack.call("GET", "/api/audit", t)).status).toBe(403);
  expect((await stack.call("GET", "/api/audit", null)).status).toBe(401);
  // NUL is refused before it reaches the database (found by fuzzing: was a 500).
  for (const q of ["caseId=%00x", "actor=a%00"]) expect([q, (await stack.call("GET", `/api/audit?${q}`, li)).status]).toEqual([q, 400]);
  expect((await stack.call("GET", "/api/cases?district=%00", li)).status).toBe(400);
  const bad = await stack.call("GET", "/api/audit?pageSize=1000&from=yesterday", li);
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe("invalid_request");
  const doc = await stack.call("GET", "/openapi.json", null);
  expect(doc.body.paths["/api/audit"].get.parameters.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining(["actor", "caseId", "from", "to", "page", "pageSize"]),
  );

  // Decisions and the timeline carry the person's name.
  const unit = tokens.unit("branch-jiefang");
  expect((await stack.call("POST", `/api/cases/${id}/sign`, unit, {})).status).toBe(200);
  const ext = await stack.call("POST", `/api/cases/${id}/extensions`, unit, { days: 3, reason: "需要监测" });
  expect(ext.status).toBe(200);
  expect((await stack.call("POST", `/api/cases/${id}/extensions/${ext.body.extensionId}/decision`, wang, { approve: true })).status).toBe(200);
  const view = await stack.call("GET", `/api/cases/${id}`, li);
  expect(view.body.extensions[0]).toMatchObject({ status: "approved", decidedBy: "王芳" });
  expect(view.body.timeline.some((t: { by?: string }) => t.by === "王芳")).toBe(true);
});

it("counts the intake rate limit per named token", async () => {
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await stack.call("POST", "/api/orders", feedB, orderBody())).status);
  expect(codes.slice(0, 2).every((s) => s === 201)).toBe(true);
  expect(codes[2]).toBe(429);
  // Another platform's token has its own budget.
  expect((await stack.call("POST", "/api/orders", tokens.integration, orderBody())).status).toBe(201);
});
