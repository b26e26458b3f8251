/**
 * Temporal-side trust (issue 15, item 1): a client that reaches Temporal without the service's keys
 * cannot change a case — a forged update is refused by the validator, a forged signal is ignored —
 * and the case keeps working afterwards (next action, worker restart, replay).
 */
import { Client, Connection, WorkflowUpdateFailedError } from "@temporalio/client";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { replayCases } from "../../scripts/drill/replay-cases";
import { orderBody, startStack, tokens, until } from "./stack";
import { investigationBody } from "../../scripts/bench/load";

let stack: Awaited<ReturnType<typeof startStack>>;
let outsider: Client;
let connection: Connection;
beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: inject("temporalAddress") });
  outsider = new Client({ connection }); // no codec: plaintext payloads, no keys
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

it("refuses forged updates and ignores forged signals, and the case keeps working", async () => {
  const unit = tokens.unit("branch-jiefang");
  const { body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
  const id = body.caseId as string;
  await until(
    () => stack.call("GET", `/api/cases/${id}`, tokens.supervisor),
    (r) => r.body.stage === "transferred",
    "routing",
  );
  expect((await stack.call("POST", `/api/cases/${id}/sign`, unit, {})).status).toBe(200);
  const ext = await stack.call("POST", `/api/cases/${id}/extensions`, unit, { days: 3, reason: "需要监测" });
  expect(ext.status).toBe(200);

  const handle = outsider.workflow.getHandle(id);
  const supervisor = { role: "supervisor", name: "forged" };
  // The probe: a unit's own extension approved through Temporal directly, as a supervisor, with or without a guessed seal.
  for (const seal of [undefined, "guess", ""]) {
    const err = await handle
      .executeUpdate("decideExtension", {
        args: [{ by: supervisor, extensionId: ext.body.extensionId, approve: true, ...(seal === undefined ? {} : { seal }) }],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((err as WorkflowUpdateFailedError).cause?.message)).toMatch(/seal/);
  }
  const sendBack = await handle
    .executeUpdate("sendBack", { args: [{ by: { role: "unit", name: "x", unitId: "branch-jiefang" }, reason: "x" }] })
    .catch((e) => e);
  expect(sendBack).toBeInstanceOf(WorkflowUpdateFailedError);
  // Forged signals, of every shape, are ignored.
  await handle.signal("urge", { by: supervisor, note: "forged" });
  await handle.signal("urge", "not even an object");
  await handle.signal("calendarChanged", { year: 2026 });
  await handle.signal("urge");

  const after = await stack.call("GET", `/api/cases/${id}`, tokens.supervisor);
  expect(after.status).toBe(200);
  expect(after.body.extensions[0].status).toBe("pending");
  expect(after.body.urgeCount).toBe(0);
  expect(after.body.stage).toBe("investigating");
  expect(JSON.stringify(after.body)).not.toMatch(/seal/);

  // The case keeps working: the API's messages carry the seal.
  expect((await stack.call("POST", `/api/cases/${id}/urge`, tokens.supervisor, { note: "请加快办理" })).status).toBe(202);
  await until(
    () => stack.call("GET", `/api/cases/${id}`, tokens.supervisor),
    (r) => r.body.urgeCount === 1,
    "the urge",
  );
  expect((await stack.call("POST", `/api/cases/${id}/extensions/${ext.body.extensionId}/decision`, tokens.supervisor, { approve: true })).status).toBe(200);
  await stack.restartWorker();
  const record = investigationBody;
  expect((await stack.call("POST", `/api/cases/${id}/investigation`, unit, record)).status).toBe(200);
  const replay = await replayCases(stack.client, stack.deps.codec, [id]);
  expect(replay).toMatchObject({ failures: [] });
  // A repeat order (intake's update) still reaches the case.
  const first = (await stack.call("GET", `/api/cases/${id}`, tokens.supervisor)).body;
  const repeat = await stack.call(
    "POST",
    "/api/orders",
    tokens.integration,
    orderBody({ subject: { name: first.order.subjectName, type: "enterprise" }, address: first.order.address }),
  );
  expect(repeat.body.repeatOf).toBe(id);
});
