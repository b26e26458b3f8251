/** Unit scope on every route: a unit token never sees or touches another unit's case, by id or by search; such a case answers 404 as a missing one. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderBody, startStack, tokens } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

it("answers another unit 404 on every case route, as for a missing case, and filters its searches", async () => {
  const { body: c } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
  const id = c.caseId as string;
  for (let i = 0; i < 100 && (await stack.call("GET", `/api/cases/${id}`, tokens.supervisor)).body.stage !== "transferred"; i++)
    await new Promise((r) => setTimeout(r, 100));
  const other = tokens.unit("branch-macun");
  const doc = (await stack.call("GET", "/openapi.json", null)).body as { paths: Record<string, Record<string, unknown>> };
  const casePaths = Object.entries(doc.paths).filter(([p]) => p.startsWith("/api/cases/{caseId}"));
  expect(casePaths.length).toBeGreaterThanOrEqual(13);
  for (const [path, ops] of casePaths) {
    for (const method of Object.keys(ops)) {
      const url = path.replace("{caseId}", id).replace("{id}", "ext-1");
      const res = await stack.call(method.toUpperCase(), url, other, method === "get" ? undefined : {});
      // Another unit's case answers exactly as a missing one: existence does not leak.
      const missing = await stack.call(method.toUpperCase(), url.replace(id, "case-NO-SUCH-CASE-1"), other, method === "get" ? undefined : {});
      // (A route outside the unit's role answers 403 by role, before any case is looked at.)
      const expected = res.body.code === "forbidden" ? [403, res.body] : [404, { code: "case_not_found", message: "no such case" }];
      expect([method, path, res.status, res.body]).toEqual([method, path, ...expected]);
      expect([method, path, missing.status, missing.body]).toEqual([method, path, res.status, res.body]);
    }
  }
  const own = await stack.call("GET", `/api/cases/${id}`, tokens.unit("branch-jiefang"));
  expect(own.status).toBe(200);
  expect((await stack.call("GET", "/api/cases?unitId=branch-jiefang", other)).status).toBe(403);
  const listed = await stack.call("GET", "/api/cases?pageSize=200", other);
  expect(listed.body.items.some((i: { id: string }) => i.id === id)).toBe(false);
  for (const path of ["/api/approvals", "/api/stats?month=2026-11", "/api/reports/monthly?month=2026-11"]) {
    expect([path, (await stack.call("GET", path, other)).status]).toEqual([path, 403]);
  }
  expect((await stack.call("PUT", "/api/calendar/2027", other, { off: ["2027-01-01"], work: [] })).status).toBe(403);
});
