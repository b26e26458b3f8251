/**
 * Integration: evidence files (佐证材料) over HTTP with real files, on the Temporal dev server, the
 * real database and the filesystem object store: content sniffing, EXIF location removal, limits,
 * unit scope, deduplication by hash, the closing rule, signed links in platform feedback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEvidenceLink } from "../../security/evidence-links";
import { investigationBody } from "../../scripts/bench/load";
import { orderBody, startStack, tokens, until } from "./stack";
import { contains, download, GPS_MARK, heicHeader, jpegWithGps, pdf, png, uploadEvidence } from "./evidence-fixtures";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let platform: Server;
const dir = mkdtempSync(join(tmpdir(), "evidence-"));
const received: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
const MAX_BYTES = 200_000;

beforeAll(async () => {
  // A real HTTP server standing in for the hotline platform.
  platform = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.end("{}");
    });
  });
  await new Promise<void>((r) => platform.listen(0, "127.0.0.1", r));
  stack = await startStack({
    PLATFORM_FEEDBACK_URL: `http://127.0.0.1:${(platform.address() as AddressInfo).port}/feedback`,
    EVIDENCE_DIR: dir,
    EVIDENCE_MAX_BYTES: String(MAX_BYTES),
    EVIDENCE_REQUIRED_ON_VIOLATION: "true",
    PUBLIC_BASE_URL: "https://hotline.example.invalid/base",
  });
});
afterAll(async () => {
  await stack?.stop();
  platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

const jiefang = tokens.unit("branch-jiefang");
const wenxian = tokens.unit("branch-wenxian");
const feedbackBody = { findings: "属实", handlingOpinion: "责令整改", evidence: [], result: "已整改", handler: "张三" };

/** A case of branch-jiefang, signed and investigated (violation found): in stage rectifying. */
async function investigatedCase(): Promise<string> {
  const { body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
  const id = body.caseId as string;
  await until(
    () => stack.call("POST", `/api/cases/${id}/sign`, jiefang, {}),
    (r) => r.status === 200,
    "sign",
  );
  expect((await stack.call("POST", `/api/cases/${id}/investigation`, jiefang, investigationBody)).status).toBe(200);
  return id;
}
const objects = (variant: "sha256" | "thumb") => readdirSync(join(dir, variant), { recursive: true }).filter((f) => String(f).length > 60);

describe("evidence files", () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await investigatedCase();
  });

  it("keeps a JPEG without its EXIF location, turned upright, with a thumbnail, and serves it to the case's unit", async () => {
    const original = await jpegWithGps();
    expect(contains(original, GPS_MARK)).toBe(true);
    expect((await sharp(original).metadata()).orientation).toBe(6);
    const up = await uploadEvidence(stack.base, caseId, jiefang, original, "现场照片.jpg", { stage: "investigation", note: "排污口" });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      mime: "image/jpeg",
      stage: "investigation",
      note: "排污口",
      thumbnail: true,
      round: 0,
      url: `/api/evidence/${up.body.id}`,
    });
    expect(JSON.stringify(up.body)).not.toContain("现场照片");

    const got = await download(stack.base, up.body.url, jiefang);
    expect(got.status).toBe(200);
    expect(got.type).toBe("image/jpeg");
    expect(contains(got.bytes, GPS_MARK)).toBe(false);
    const meta = await sharp(got.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([48, 64]); // orientation 6 applied
    expect(got.bytes.length).toBe(up.body.size);

    const thumb = await download(stack.base, up.body.thumbnailUrl, jiefang);
    expect(thumb.status).toBe(200);
    expect(thumb.type).toBe("image/jpeg");
    expect((await sharp(thumb.bytes).metadata()).format).toBe("jpeg");
    expect((await download(stack.base, up.body.url, tokens.supervisor)).status).toBe(200);

    // Only the hash and metadata reach the workflow and the read model.
    const view = await stack.call("GET", `/api/cases/${caseId}`, jiefang);
    expect(view.body.evidence).toEqual([expect.objectContaining({ id: up.body.id, sha256: up.body.sha256, size: up.body.size })]);
    const row = await stack.prisma.evidence.findUnique({ where: { id: up.body.id } });
    expect(row).toMatchObject({ caseId, sha256: up.body.sha256, mime: "image/jpeg" });
  });

  it("accepts a PNG and a PDF by their content, and refuses a text file named .jpg, a HEIC photo and a file over the limit", async () => {
    const p = await uploadEvidence(stack.base, caseId, jiefang, await png(), "a.bin", { stage: "rectification" });
    expect([p.status, p.body.mime, p.body.thumbnail]).toEqual([201, "image/png", true]);
    const d = await uploadEvidence(stack.base, caseId, jiefang, pdf(), "report.png");
    expect([d.status, d.body.mime, d.body.thumbnail]).toEqual([201, "application/pdf", false]);
    const got = await download(stack.base, d.body.url, jiefang);
    expect([got.status, got.type, got.bytes.equals(pdf())]).toEqual([200, "application/pdf", true]);
    expect((await download(stack.base, `${d.body.url}/thumbnail`, jiefang)).json().code).toBe("no_thumbnail");

    const text = await uploadEvidence(stack.base, caseId, jiefang, Buffer.from("just some text, not a photo\n".repeat(20)), "photo.jpg");
    expect([text.status, text.body.code]).toEqual([415, "unsupported_media_type"]);
    const heic = await uploadEvidence(stack.base, caseId, jiefang, heicHeader(), "IMG_0001.HEIC");
    expect([heic.status, heic.body.code]).toEqual([415, "heic_unsupported"]);
    const big = Buffer.concat([await jpegWithGps(), Buffer.alloc(MAX_BYTES)]);
    const tooBig = await uploadEvidence(stack.base, caseId, jiefang, big, "big.jpg");
    expect([tooBig.status, tooBig.body.code]).toEqual([413, "file_too_large"]);
    const json = await stack.call("POST", `/api/cases/${caseId}/evidence`, jiefang, { file: "x" });
    expect([json.status, json.body.code]).toEqual([415, "multipart_required"]);
    const form = new FormData();
    form.append("stage", "feedback");
    const none = await fetch(`${stack.base}/api/cases/${caseId}/evidence`, { method: "POST", body: form, headers: { authorization: `Bearer ${jiefang}` } });
    expect([none.status, ((await none.json()) as { code: string }).code]).toEqual([400, "file_required"]);
    const badStage = await uploadEvidence(stack.base, caseId, jiefang, await png(), "p.png", { stage: "lunch" });
    expect([badStage.status, badStage.body.code]).toEqual([400, "invalid_request"]);
  });

  it("is not found for another unit, the routing roles and the platform integration; unauthorised without a token", async () => {
    const up = await uploadEvidence(stack.base, caseId, jiefang, await png(), "p.png");
    expect(up.status).toBe(201);
    const other = await uploadEvidence(stack.base, caseId, wenxian, await png(), "p.png");
    expect([other.status, other.body.code]).toEqual([404, "case_not_found"]);
    for (const token of [wenxian, tokens.dispatcher, tokens.admin, tokens.integration]) {
      const r = await download(stack.base, up.body.url, token);
      expect([r.status, r.json().code]).toEqual([404, "evidence_not_found"]);
      expect((await download(stack.base, up.body.thumbnailUrl, token)).status).toBe(404);
    }
    expect((await download(stack.base, up.body.url, null)).status).toBe(401);
    expect((await uploadEvidence(stack.base, caseId, tokens.supervisor, await png(), "p.png")).status).toBe(403);
    // The routing view carries no evidence.
    expect("evidence" in (await stack.call("GET", `/api/cases/${caseId}`, tokens.dispatcher)).body).toBe(false);
  });

  it("stores the same bytes once: twice in a case is one item, in two cases two items and one object", async () => {
    const bytes = await jpegWithGps(200);
    const a = await uploadEvidence(stack.base, caseId, jiefang, bytes, "a.jpg");
    const b = await uploadEvidence(stack.base, caseId, jiefang, bytes, "b.jpg");
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const other = await investigatedCase();
    const c = await uploadEvidence(stack.base, other, jiefang, bytes, "c.jpg");
    expect(c.body.sha256).toBe(a.body.sha256);
    expect(c.body.id).not.toBe(a.body.id);
    expect(await stack.prisma.evidence.count({ where: { sha256: a.body.sha256 } })).toBe(2);
    expect(objects("sha256").filter((f) => String(f).endsWith(a.body.sha256))).toHaveLength(1);
    expect(objects("thumb").filter((f) => String(f).endsWith(a.body.sha256))).toHaveLength(1);
    expect(objects("sha256").every((f) => !String(f).endsWith(".tmp"))).toBe(true);
    const view = await stack.call("GET", `/api/cases/${caseId}`, jiefang);
    expect(view.body.evidence.filter((e: { sha256: string }) => e.sha256 === a.body.sha256)).toHaveLength(1);
    // An Idempotency-Key is honoured as on every action: the same upload again answers alike, another file under it is refused.
    const key = { "idempotency-key": `ev-${Date.now()}` };
    const k1 = await uploadEvidence(stack.base, caseId, jiefang, bytes, "a.jpg", {}, key);
    const k2 = await uploadEvidence(stack.base, caseId, jiefang, bytes, "a.jpg", {}, key);
    expect([k1.status, k2.status, k2.body.id]).toEqual([201, 201, a.body.id]);
    const reused = await uploadEvidence(stack.base, caseId, jiefang, await png(), "a.png", {}, key);
    expect([reused.status, reused.body.code]).toEqual([422, "idempotency_key_reused"]);
  });
});

describe("closing a case whose investigation found a violation", () => {
  it("is refused without evidence and allowed with it; feedback carries expiring signed links that are checked", async () => {
    const id = await investigatedCase();
    expect((await stack.call("POST", `/api/cases/${id}/rectification`, jiefang, { immediate: true, note: "当场整改" })).status).toBe(200);
    const refused = await stack.call("POST", `/api/cases/${id}/feedback`, jiefang, feedbackBody);
    expect([refused.status, refused.body.code]).toEqual([422, "business_rule"]);
    expect(refused.body.message).toMatch(/evidence/);

    const up = await uploadEvidence(stack.base, id, jiefang, await jpegWithGps(30), "after.jpg", { stage: "feedback" });
    expect(up.status).toBe(201);
    expect((await stack.call("POST", `/api/cases/${id}/feedback`, jiefang, feedbackBody)).status).toBe(200);

    const sent = await until(
      async () => received.find((b) => b.caseId === id && b.kind === "closed"),
      (b) => !!b,
      "platform feedback",
    );
    expect(sent!.evidenceFiles).toEqual([
      expect.objectContaining({ id: up.body.id, sha256: up.body.sha256, mime: "image/jpeg", expiresAt: expect.any(String) }),
    ]);
    const link = new URL(sent!.evidenceFiles[0].url as string);
    expect(link.origin + link.pathname).toBe(`https://hotline.example.invalid/base/api/evidence/${up.body.id}`);
    expect(Date.parse(sent!.evidenceFiles[0].expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const path = `/api/evidence/${up.body.id}${link.search}`;

    // Valid: served without a token. Forged, moved to another id, or expired: refused.
    const ok = await download(stack.base, path, null);
    expect([ok.status, ok.type, ok.bytes.length]).toEqual([200, "image/jpeg", up.body.size]);
    const sig = link.searchParams.get("sig")!;
    const forged = path.replace(`sig=${sig}`, `sig=${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`);
    expect((await download(stack.base, forged, null)).json().code).toBe("link_invalid");
    const later = path.replace(/exp=(\d+)/, (_m, e) => `exp=${Number(e) + 3600}`);
    expect((await download(stack.base, later, null)).json().code).toBe("link_invalid");
    const elsewhere = await uploadEvidence(stack.base, (await investigatedCase()) as string, jiefang, await png(), "x.png");
    expect((await download(stack.base, `/api/evidence/${elsewhere.body.id}${link.search}`, null)).status).toBe(403);
    const expired = new URL(signEvidenceLink(stack.deps.evidenceLinks, up.body.id, Date.now() - 31 * 86_400_000).url);
    const exp = await download(stack.base, `/api/evidence/${up.body.id}${expired.search}`, null);
    expect([exp.status, exp.json().code]).toEqual([403, "link_expired"]);
    const otherKey = new URL(signEvidenceLink({ ...stack.deps.evidenceLinks, secret: "another-secret-of-16+" }, up.body.id).url);
    expect((await download(stack.base, `/api/evidence/${up.body.id}${otherKey.search}`, null)).json().code).toBe("link_invalid");

    // A fresh worker replays the history with its evidence update; the view is what it was.
    await stack.restartWorker();
    const view = await stack.call("GET", `/api/cases/${id}`, tokens.supervisor);
    expect([view.status, view.body.evidence?.map((e: { id: string }) => e.id)]).toEqual([200, [up.body.id]]);
  });

  it("closes without evidence when no violation was found", async () => {
    const { body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
    const id = body.caseId as string;
    await until(
      () => stack.call("POST", `/api/cases/${id}/sign`, jiefang, {}),
      (r) => r.status === 200,
      "sign",
    );
    expect((await stack.call("POST", `/api/cases/${id}/investigation`, jiefang, { ...investigationBody, violationFound: false })).status).toBe(200);
    expect((await stack.call("POST", `/api/cases/${id}/rectification`, jiefang, { immediate: true, note: "无需整改" })).status).toBe(200);
    expect((await stack.call("POST", `/api/cases/${id}/feedback`, jiefang, feedbackBody)).status).toBe(200);
  });
});
