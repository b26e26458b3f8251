/**
 * Temporal payload codec: AES-256-GCM over each whole payload, the key id in the metadata so keys
 * can rotate (new payloads use the first key; any listed key still decrypts). Workflow inputs,
 * signals, updates, query results and activity payloads are ciphertext in Temporal's history.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Payload, PayloadCodec } from "@temporalio/common";
import proto from "@temporalio/proto";

// @temporalio/proto is CommonJS: Node's ESM loader sees only its default export.
const { temporal } = proto;

const ENCODING = "binary/encrypted";
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Parses `kid:base64(32 bytes)` entries, comma-separated; the first encrypts. */
export function parseKeys(spec: string, variable = "TEMPORAL_CODEC_KEYS"): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [kid, b64] = part.split(":");
    const key = Buffer.from(b64 ?? "", "base64");
    if (!kid || key.length !== 32) throw new Error(`${variable}: key "${kid ?? ""}" must be 32 bytes in base64`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw new Error(`${variable}: at least one key is required`);
  return keys;
}

/** A fixed development codec key; production must set TEMPORAL_CODEC_KEYS. */
export function developmentCodecKeys(): string {
  return `devc1:${createHash("sha256").update("hotline-cases development codec key").digest("base64")}`;
}

/** The AES-256-GCM payload codec. */
export class AesGcmCodec implements PayloadCodec {
  private readonly current: string;
  constructor(private readonly keys: Map<string, Buffer>) {
    this.current = keys.keys().next().value!;
  }

  /** Encrypts each payload (iv | ciphertext | tag). */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.current)!, iv);
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: enc.encode(ENCODING), "encryption-key-id": enc.encode(this.current) }, data };
    });
  }

  /** Decrypts payloads this codec encrypted; passes others through. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (!p.metadata?.encoding || dec.decode(p.metadata.encoding) !== ENCODING) return p;
      const kid = dec.decode(p.metadata["encryption-key-id"] ?? new Uint8Array());
      const key = this.keys.get(kid);
      if (!key) throw new Error(`no codec key "${kid}" to decrypt this payload`);
      const data = Buffer.from(p.data ?? new Uint8Array());
      const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
