/**
 * Integration (issue 13): repeat detection over HTTP on a real Temporal server and database —
 * paraphrased repeats join and escalate at the third; a possible repeat waits in the review queue,
 * where a confirmation merges the newer case into the older one and a rejection keeps both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeIntoUpdate, repeatUpdate, stateQuery, type MergeInput } from "../../workflows/messages";
import { orderBody, startStack, tokens, until } from "./stack";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

// Names and places of their own, so that no other test's case is a candidate (the database is shared).
const CHARS = "鑫鼎瑞祥泰恒昌隆兴旺盛源丰裕坤乾岳嵩豫丹桐楠梓槐榆柏棠";
let n = 0;
const fresh = () => {
  n++;
  const pick = (i: number) => CHARS[(Date.now() + n * 7 + i * 13) % CHARS.length]!;
  return `${pick(0)}${pick(1)}${pick(2)}`;
};
const post = (body: Record<string, unknown>) => stack.call("POST", "/api/orders", tokens.integration, body);
const order = (district: string, elements: string[], subject: string, address: string, extra: Record<string, unknown> = {}) =>
  orderBody({ district, elements, subject: { name: subject, type: "enterprise" }, address, ...extra });
const readRow = (id: string) => stack.prisma.case.findUniqueOrThrow({ where: { id } });
const suggestionOf = async (caseId: string) => {
  const list = await stack.call("GET", "/api/repeat-suggestions?status=pending&pageSize=200", tokens.dispatcher);
  expect(list.status).toBe(200);
  return (list.body.items as Array<{ id: number; newer: { caseId: string }; older: { caseId: string }; reasons: string[] }>).find(
    (s) => s.newer?.caseId === caseId,
  );
};

describe("repeat detection and its review queue", () => {
  it("joins repeats told in other words, and escalates at the third (Jiaozuo art. 11)", async () => {
    const [name, road] = [fresh(), `${fresh()}路`];
    const first = await post(order("孟州市", ["noise", "air"], `焦作市${name}汽车维修服务有限公司`, `孟州市${road}706号`));
    expect(first.status).toBe(201);
    const caseId = first.body.caseId as string;
    const repeats = [
      order("孟州市", ["noise"], `${name}汽修`, `${road}706号院`),
      order("孟州市", ["air"], "路边汽修店", `${road}七百零六号`),
      order("孟州市", ["noise"], `${name}汽车修理厂`, `${road}７０６号东侧`, { channel: "wechat", location: { lat: 34.907, lng: 112.789 } }),
    ];
    const answers = [];
    for (const r of repeats) answers.push((await post(r)).body);
    expect(answers.map((a) => [a.caseId, a.repeatCount])).toEqual([
      [caseId, 1],
      [caseId, 2],
      [caseId, 3],
    ]);
    expect(answers[2].escalated).toBe(true);
    await until(
      () => readRow(caseId),
      (c) => c.repeatCount === 3 && c.escalated,
      "the read model to show the escalation",
    );
    // The same names in another, non-neighbouring district are another problem.
    const elsewhere = await post(order("修武县", ["noise"], `${name}汽修`, `${road}706号`));
    expect(elsewhere.body.caseId).not.toBe(caseId);
    expect(elsewhere.body.possibleRepeatOf).toBeUndefined();
  });

  it("leaves a possible repeat to a dispatcher; confirming merges the newer case into the older one", async () => {
    const village = `${fresh()}村`;
    const older = (await post(order("温县", ["air"], `${fresh()}砖厂`, `温县祥云镇${village}北`))).body;
    const newer = (await post(order("温县", ["air"], "那家砖瓦厂", `祥云镇${village}北`))).body;
    expect(newer.caseId).not.toBe(older.caseId);
    expect(newer.possibleRepeatOf).toBe(older.caseId);
    const s = await suggestionOf(newer.caseId);
    expect(s).toMatchObject({ older: { caseId: older.caseId }, newer: { caseId: newer.caseId } });
    expect(s!.reasons).toContain("same trade");

    // Units do not review; a dispatcher confirms.
    expect((await stack.call("POST", `/api/repeat-suggestions/${s!.id}/confirm`, tokens.unit("branch-wenxian"), {})).status).toBe(403);
    const confirmed = await stack.call("POST", `/api/repeat-suggestions/${s!.id}/confirm`, tokens.dispatcher, { comment: "同一砖厂" });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: "confirmed", caseId: newer.caseId, candidateId: older.caseId, repeatCount: 1 });

    // The order is now the older case's repeat; the newer case has ended as merged.
    expect(await stack.prisma.hotlineOrder.findUnique({ where: { orderNo: newer.orderNo } })).toMatchObject({ caseId: older.caseId, isRepeat: true });
    expect(await stack.client.workflow.getHandle(newer.caseId).result()).toMatchObject({ outcome: "merged" });
    await until(
      () => readRow(newer.caseId),
      (c) => c.outcome === "merged" && c.stage === "completed",
      "the merged case's row",
    );
    await until(
      () => readRow(older.caseId),
      (c) => c.repeatCount === 1,
      "the older case's repeat count",
    );
    const view = await stack.call("GET", `/api/cases/${newer.caseId}`, tokens.supervisor);
    expect(view.body).toMatchObject({ outcome: "merged", mergedInto: older.caseId });

    // Recorded and audited; a retry answers the same, a contrary decision is refused.
    const audit = await stack.call("GET", `/api/audit?caseId=${newer.caseId}`, tokens.supervisor);
    expect(audit.body.items.map((a: { reason: string }) => a.reason)).toEqual([expect.stringMatching(/confirmed: 1 order\(s\) merged into/)]);
    expect((await stack.call("POST", `/api/repeat-suggestions/${s!.id}/confirm`, tokens.dispatcher, {})).body).toMatchObject({ status: "confirmed" });
    const contrary = await stack.call("POST", `/api/repeat-suggestions/${s!.id}/reject`, tokens.supervisor, {});
    expect(contrary.status).toBe(409);
    expect(contrary.body.code).toBe("suggestion_decided");
    const decided = await stack.prisma.repeatSuggestion.findUniqueOrThrow({ where: { id: s!.id } });
    expect(decided).toMatchObject({ status: "confirmed", decidedBy: "dev dispatcher", comment: "同一砖厂" });
    expect(decided.features).toMatchObject({ order: { kind: "enterprise" }, candidate: [expect.objectContaining({ kind: "enterprise" })] });

    // A later order in the same words now joins the older case directly: it matches on all its orders.
    const later = (await post(order("温县", ["air"], "那家砖瓦厂", `祥云镇${village}北`))).body;
    expect(later.possibleRepeatOf ?? later.repeatOf).toBe(older.caseId);
  });

  it("finishes a confirmation whose API stopped after the merge and before writing its rows", async () => {
    const village = `${fresh()}村`;
    const older = (await post(order("温县", ["air"], `${fresh()}砖厂`, `温县赵堡镇${village}北`))).body;
    const newer = (await post(order("温县", ["air"], "那家砖瓦厂", `赵堡镇${village}北`))).body;
    const s = await suggestionOf(newer.caseId);
    expect(s).toBeDefined();
    // What the confirmation had done when its process died: the order delivered, the newer case merged, no row written.
    const newerHandle = stack.client.workflow.getHandle(newer.caseId);
    const { order: first } = await newerHandle.query(stateQuery);
    await stack.client.workflow
      .getHandle(older.caseId)
      .executeUpdate(repeatUpdate, { args: [{ order: first, seal: stack.deps.seal(older.caseId) }], updateId: `repeat-${first.orderNo}` });
    await newerHandle.executeUpdate(mergeIntoUpdate, {
      args: [
        { by: { role: "dispatcher", name: "dev dispatcher" }, into: older.caseId, suggestionId: s!.id, seal: stack.deps.seal(newer.caseId) } as MergeInput,
      ],
      updateId: `merge-${s!.id}`,
    });
    const retried = await stack.call("POST", `/api/repeat-suggestions/${s!.id}/confirm`, tokens.dispatcher, {});
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: "confirmed", caseId: newer.caseId, candidateId: older.caseId });
    expect(await stack.prisma.hotlineOrder.findUnique({ where: { orderNo: newer.orderNo } })).toMatchObject({ caseId: older.caseId, isRepeat: true });
    expect(await stack.prisma.repeatSuggestion.findUniqueOrThrow({ where: { id: s!.id } })).toMatchObject({ status: "confirmed" });
  });

  it("keeps both cases when a dispatcher rejects the suggestion", async () => {
    const village = `${fresh()}村`;
    const older = (await post(order("博爱县", ["water"], `${fresh()}皮业`, `博爱县许良镇${village}`))).body;
    const newer = (await post(order("博爱县", ["water"], "皮革厂", `许良镇${village}`))).body;
    expect(newer.possibleRepeatOf).toBe(older.caseId);
    const s = await suggestionOf(newer.caseId);
    const rejected = await stack.call("POST", `/api/repeat-suggestions/${s!.id}/reject`, tokens.supervisor, { comment: "村里两家皮革厂" });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe("rejected");
    const [a, b] = await Promise.all([stack.client.workflow.getHandle(older.caseId).describe(), stack.client.workflow.getHandle(newer.caseId).describe()]);
    expect([a.status.name, b.status.name]).toEqual(["RUNNING", "RUNNING"]);
    expect(await stack.prisma.hotlineOrder.findUnique({ where: { orderNo: newer.orderNo } })).toMatchObject({ caseId: newer.caseId, isRepeat: false });
    expect((await readRow(older.caseId)).repeatCount).toBe(0);
    expect((await stack.call("POST", `/api/repeat-suggestions/${s!.id}/confirm`, tokens.dispatcher, {})).status).toBe(409);
  });

  it("matches a person as subject by keyed hash only and never shows it in a suggestion", async () => {
    const person = `${fresh()}某`;
    const older = (
      await post(orderBody({ district: "沁阳市", elements: ["noise"], subject: { name: person, type: "person" }, address: `沁阳市${fresh()}小区3号楼` }))
    ).body;
    const newer = (await post(orderBody({ district: "沁阳市", elements: ["noise"], subject: { name: person, type: "person" }, address: "楼上" }))).body;
    expect(newer.possibleRepeatOf).toBe(older.caseId);
    const list = await stack.call("GET", "/api/repeat-suggestions", tokens.dispatcher);
    const s = list.body.items.find((i: { newer: { caseId: string } }) => i.newer.caseId === newer.caseId);
    expect(s.newer).toMatchObject({ subjectType: "person", subjectName: null, address: null });
    expect(s.older).toMatchObject({ subjectName: null, address: null });
    expect(JSON.stringify(list.body)).not.toContain(person);
    const stored = await stack.prisma.orderMatch.findUniqueOrThrow({ where: { orderNo: newer.orderNo } });
    expect(JSON.stringify(stored.features)).not.toContain(person);
    // One character off is another person: no fuzzy matching of people.
    const other = (
      await post(orderBody({ district: "沁阳市", elements: ["noise"], subject: { name: `${person}某`, type: "person" }, address: `${fresh()}小区` }))
    ).body;
    expect(other.possibleRepeatOf).toBeUndefined();
    expect(other.repeatOf).toBeUndefined();
  });

  it("answers mistakes with 4xx and a code", async () => {
    expect((await stack.call("POST", "/api/repeat-suggestions/999999/confirm", tokens.dispatcher, {})).body.code).toBe("suggestion_not_found");
    expect((await stack.call("POST", "/api/repeat-suggestions/abc/confirm", tokens.dispatcher, {})).status).toBe(400);
    expect((await stack.call("GET", "/api/repeat-suggestions?status=maybe", tokens.dispatcher)).status).toBe(400);
    expect((await stack.call("GET", "/api/repeat-suggestions", tokens.integration)).status).toBe(403);
    const bad = await post({ ...orderBody(), location: { lat: 95, lng: 0 } });
    expect(bad.status).toBe(400);
  });
});
