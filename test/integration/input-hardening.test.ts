/**
 * No 500 for a client's mistake, and bounds on what is taken in (issue 15, items 7, 8, 9, 10, 12, 13).
 */
import { connect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { orderBody, startStack, tokens, until } from "./stack";

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack({ REVEAL_RATE_PER_MINUTE: "2", REQUEST_TIMEOUT_MS: "2000", HEADERS_TIMEOUT_MS: "2000" });
});
afterAll(async () => {
  await stack?.stop();
});

async function transferred(over: Record<string, unknown> = {}) {
  const { status, body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody(over));
  expect(status).toBe(201);
  await until(
    () => stack.call("GET", `/api/cases/${body.caseId}`, tokens.supervisor),
    (r) => r.body.stage === "transferred",
    "routing",
  );
  return body.caseId as string;
}

it("answers 4xx with a code for a false Content-Encoding, a lone surrogate and an action racing completion (item 7)", async () => {
  for (const enc of ["gzip", "deflate", "br"]) {
    const r = await stack.call("POST", "/api/orders", tokens.integration, orderBody(), { "content-encoding": enc });
    expect([enc, r.status, r.body.code]).toEqual([enc, 400, "invalid_encoding"]);
  }
  const lone = await stack.call("POST", "/api/orders", tokens.integration, orderBody({ address: "塔南路\ud800号" }));
  expect(lone.status).toBe(400);
  expect(lone.body.code).toBe("invalid_request");
  // A case outside the jurisdiction is returned and its workflow ends; actions on it are 409, not 404.
  const { body: c } = await stack.call("POST", "/api/orders", tokens.integration, orderBody({ district: "外省某区" }));
  await until(
    () => stack.call("GET", `/api/cases/${c.caseId}`, tokens.supervisor),
    (r) => r.body.stage === "returned",
    "return",
  );
  await until(
    () => stack.client.workflow.getHandle(c.caseId).describe(),
    (d) => d.status.name !== "RUNNING",
    "the workflow to end",
  );
  const urge = await stack.call("POST", `/api/cases/${c.caseId}/urge`, tokens.supervisor, { note: "请尽快办理" });
  expect([urge.status, urge.body.code]).toEqual([409, "case_finished"]);
  const route = await stack.call("POST", `/api/cases/${c.caseId}/route`, tokens.dispatcher, { unitId: "branch-jiefang", reason: "改派" });
  expect([route.status, route.body.code]).toEqual([409, "case_finished"]);
});

it("routes only to a known unit (item 8)", async () => {
  const id = await transferred();
  for (const unitId of ["no-such-unit", "=1+1", "branch-jiefang "]) {
    const r = await stack.call("POST", `/api/cases/${id}/route`, tokens.dispatcher, { unitId, reason: "改派" });
    expect([unitId, r.status, r.body.code]).toEqual([unitId, 400, "invalid_request"]);
  }
  expect((await stack.call("POST", `/api/cases/${id}/route`, tokens.dispatcher, { unitId: "branch-shanyang", reason: "改派" })).status).toBe(200);
});

it("refuses implausible receipt times and years (item 9)", async () => {
  for (const receivedAt of ["0001-01-01T00:00:00Z", "1900-01-01T00:00:00+08:00", "2100-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]) {
    const r = await stack.call("POST", "/api/orders", tokens.integration, orderBody({ receivedAt }));
    expect([receivedAt, r.status, r.body.code]).toEqual([receivedAt, 400, "invalid_request"]);
  }
  for (const year of ["02099", "0x833", "2.099e3", "2026.0"])
    expect([year, (await stack.call("GET", `/api/calendar/${year}`, tokens.admin)).status]).toEqual([year, 400]);
  expect((await stack.call("GET", "/api/calendar/2026", tokens.admin)).status).toBe(200);
  const allOff = await stack.call("PUT", `/api/calendar/${new Date().getFullYear() + 1}`, tokens.admin, {
    off: [`${new Date().getFullYear() + 1}-01-01/${new Date().getFullYear() + 1}-12-31`],
    work: [],
  });
  expect([allOff.status, allOff.body.code]).toEqual([400, "implausible_schedule"]);
  expect(JSON.stringify(allOff.body.details)).toMatch(/0 working days/);
  const far = await stack.call("PUT", "/api/calendar/2090", tokens.admin, { off: ["2090-01-01"], work: [] });
  expect([far.status, far.body.code]).toEqual([400, "invalid_year"]);
});

it("limits reveals with Retry-After, authenticates before reading a body, and cuts off a dripped body (item 10)", async () => {
  const id = await transferred();
  const reveal = () => stack.call("GET", `/api/cases/${id}?reveal=reporter&reason=${encodeURIComponent("奖励核实")}`, tokens.supervisor);
  expect((await reveal()).status).toBe(200);
  expect((await reveal()).status).toBe(200);
  const limited = await reveal();
  expect([limited.status, limited.body.code]).toEqual([429, "rate_limited"]);
  expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  // Without a valid token the body is never parsed: 401, not 400 invalid_json.
  expect((await stack.call("POST", "/api/orders", null, "{not json")).status).toBe(401);
  expect((await stack.call("POST", "/api/orders", "wrong-token-123", "{not json")).status).toBe(401);
  expect((await stack.call("POST", "/codec/decode", null, "{not json")).status).toBe(401);
  expect((await stack.call("POST", "/api/orders", tokens.integration, "{not json")).body.code).toBe("invalid_json");

  // A body dripped slowly is cut off at REQUEST_TIMEOUT_MS (2 s here), not held for 300 s.
  const { port } = new URL(stack.base);
  const started = Date.now();
  const answer = await new Promise<string>((resolve) => {
    const sock = connect(Number(port), "127.0.0.1", () => {
      sock.write(
        `POST /api/orders HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${tokens.integration}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
      );
    });
    let got = "";
    const drip = setInterval(() => sock.write(" "), 200);
    sock.on("data", (d) => (got += d.toString()));
    sock.on("close", () => {
      clearInterval(drip);
      resolve(got);
    });
    sock.on("error", () => undefined);
    setTimeout(() => sock.destroy(), 15_000);
  });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(answer === "" || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
});

it("normalises phone numbers on intake (item 12) and keeps an anonymous report's callback number apart from identity (item 13)", async () => {
  const id = await transferred({ reporter: { anonymous: false, name: "王小明", phone: "+86-193-1234-5678", realName: true } });
  const masked = await stack.call("GET", `/api/cases/${id}`, tokens.supervisor);
  expect(masked.body.reporters[0].phone).toBe("193****5678");
  const anon = await transferred({ reporter: { anonymous: true, phone: "0391-1234567" } });
  const v = await stack.call("GET", `/api/cases/${anon}`, tokens.unit("branch-jiefang"));
  expect(v.body.reporters[0]).toMatchObject({ anonymous: true, realName: false, name: null, phone: "039****4567" });
  const row = await stack.prisma.hotlineOrder.findFirst({ where: { caseId: anon } });
  expect(row?.phoneKey).toBeNull();
  expect(row?.reporterPhone).not.toContain("1234567");
  // A name on an anonymous report is still refused, and the rule is in the OpenAPI document.
  const named = await stack.call("POST", "/api/orders", tokens.integration, orderBody({ reporter: { anonymous: true, name: "王小明" } }));
  expect(named.status).toBe(400);
  const doc = await stack.call("GET", "/openapi.json", null);
  expect(JSON.stringify(doc.body.paths["/api/orders"])).toMatch(/callback/);
});
