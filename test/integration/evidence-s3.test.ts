/**
 * Integration: the evidence store on a real S3-compatible server (gofakes3, built by
 * scripts/s3-test-server.sh through the Go module proxy) behind the API: upload, download,
 * deduplication by content hash, and the objects as the bucket lists them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { investigationBody } from "../../scripts/bench/load";
import { sha256Hex } from "../../storage/evidence-store";
import { S3EvidenceStore } from "../../storage/s3-evidence-store";
import { orderBody, startStack, tokens, until } from "./stack";
import { contains, download, GPS_MARK, jpegWithGps, uploadEvidence } from "./evidence-fixtures";

/** The S3 server binary: S3_TEST_SERVER_PATH, or what scripts/s3-test-server.sh wrote to .tools/s3.env. */
function serverPath(): string {
  const file = new URL("../../.tools/s3.env", import.meta.url);
  const fromFile = existsSync(file) ? /^S3_TEST_SERVER_PATH=(.*)$/m.exec(readFileSync(file, "utf8"))?.[1]?.trim() : undefined;
  const path = process.env.S3_TEST_SERVER_PATH || fromFile;
  if (!path || !existsSync(path)) throw new Error("no S3-compatible test server: run `bash scripts/s3-test-server.sh` (needs Go) or set S3_TEST_SERVER_PATH");
  return path;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

let server: ChildProcess;
let stack: Awaited<ReturnType<typeof startStack>>;
let endpoint: string;
const s3 = { S3_REGION: "us-east-1", S3_BUCKET: "evidence-it", S3_ACCESS_KEY_ID: "test-access-key", S3_SECRET_ACCESS_KEY: "test-secret-key" };

beforeAll(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  // No initial bucket: the store creates it, as it must on a fresh MinIO.
  server = spawn(serverPath(), ["-backend", "memory", "-host", `127.0.0.1:${port}`], { stdio: "ignore" });
  await until(
    () =>
      fetch(endpoint).then(
        (r) => r.status,
        () => 0,
      ),
    (s) => s > 0,
    "S3 server",
    20_000,
  );
  stack = await startStack({ EVIDENCE_STORE: "s3", S3_ENDPOINT: endpoint, ...s3 });
});
afterAll(async () => {
  await stack?.stop();
  server?.kill();
});

it("keeps evidence in an S3 bucket by content hash, once, and serves it back cleaned", async () => {
  const unit = tokens.unit("branch-jiefang");
  const { body } = await stack.call("POST", "/api/orders", tokens.integration, orderBody());
  const caseId = body.caseId as string;
  await until(
    () => stack.call("POST", `/api/cases/${caseId}/sign`, unit, {}),
    (r) => r.status === 200,
    "sign",
  );
  expect((await stack.call("POST", `/api/cases/${caseId}/investigation`, unit, investigationBody)).status).toBe(200);

  const photo = await jpegWithGps(77);
  const first = await uploadEvidence(stack.base, caseId, unit, photo, "a.jpg");
  expect(first.status).toBe(201);
  const again = await uploadEvidence(stack.base, caseId, unit, photo, "b.jpg");
  expect(again.body.id).toBe(first.body.id);

  const store = new S3EvidenceStore({ endpoint, region: s3.S3_REGION, bucket: s3.S3_BUCKET, ...creds(), forcePathStyle: true });
  const listed = await store.client.send(new ListObjectsV2Command({ Bucket: s3.S3_BUCKET }));
  expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([
    `sha256/${first.body.sha256.slice(0, 2)}/${first.body.sha256}`,
    `thumb/${first.body.sha256.slice(0, 2)}/${first.body.sha256}`,
  ]);
  const stored = await store.get(first.body.sha256, "original");
  expect(sha256Hex(stored!)).toBe(first.body.sha256);
  expect(contains(stored!, GPS_MARK)).toBe(false);
  expect(await store.put(first.body.sha256, "original", stored!)).toBe(false);
  expect(await store.get("0".repeat(64), "original")).toBeUndefined();

  const got = await download(stack.base, first.body.url, unit);
  expect([got.status, got.bytes.equals(stored!)]).toEqual([200, true]);
  expect((await download(stack.base, first.body.thumbnailUrl, unit)).status).toBe(200);
});

const creds = () => ({ accessKeyId: s3.S3_ACCESS_KEY_ID, secretAccessKey: s3.S3_SECRET_ACCESS_KEY });
