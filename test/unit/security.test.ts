/** Unit tests (no servers): personal-data vault, masking, the payload codec with key rotation. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultPayloadConverter } from "@temporalio/common";
import { AesGcmCodec, parseKeys } from "../../security/codec";
import { maskName, maskPhone, normalise, PiiVault } from "../../security/pii";

const key = () => randomBytes(32).toString("base64");

describe("PiiVault", () => {
  it("encrypts with the current key and still decrypts with a rotated-out key", () => {
    const k1 = key(),
      k2 = key();
    const old = new PiiVault(`k1:${k1}`, "secret-secret-secret");
    const sealed = old.encrypt("13812345678");
    expect(sealed).not.toContain("13812345678");
    expect(sealed.startsWith("k1.")).toBe(true);
    const rotated = new PiiVault(`k2:${k2},k1:${k1}`, "secret-secret-secret");
    expect(rotated.decrypt(sealed)).toBe("13812345678");
    expect(rotated.encrypt("x").startsWith("k2.")).toBe(true);
    expect(() => new PiiVault(`k2:${k2}`, "s").decrypt(sealed)).toThrow(/unknown key id k1/);
  });

  it("hashes normalised values: same phone in different spellings matches, plaintext never appears", () => {
    const v = new PiiVault(`k1:${key()}`, "secret-secret-secret");
    expect(v.hash("+86 138-1234-5678")).toBe(v.hash("13812345678"));
    expect(v.hash("某化工厂 ")).toBe(v.hash("某化工厂"));
    expect(v.hash("13812345678")).not.toContain("1381234");
    expect(normalise("ＡＢＣ 有限公司")).toBe("abc有限公司");
  });

  it("masks phones and names", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskName("王小明")).toBe("王*明");
    expect(maskName("王明")).toBe("王*");
  });
});

describe("AesGcmCodec", () => {
  it("round-trips payloads, hides the plaintext, and decodes after key rotation", async () => {
    const k1 = key(),
      k2 = key();
    const payload = defaultPayloadConverter.toPayload({ reporter: "王小明", phone: "13812345678" })!;
    const encoded = await new AesGcmCodec(parseKeys(`a:${k1}`)).encode([payload]);
    expect(Buffer.from(encoded[0]!.data!).toString("latin1")).not.toContain("13812345678");
    expect(Buffer.from(encoded[0]!.metadata!["encryption-key-id"]!).toString()).toBe("a");
    const rotated = new AesGcmCodec(parseKeys(`b:${k2},a:${k1}`));
    const [decoded] = await rotated.decode(encoded);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ reporter: "王小明", phone: "13812345678" });
    await expect(new AesGcmCodec(parseKeys(`b:${k2}`)).decode(encoded)).rejects.toThrow(/no codec key "a"/);
  });

  it("rejects malformed keys naming the variable", () => {
    expect(() => parseKeys("a:short")).toThrow(/TEMPORAL_CODEC_KEYS/);
  });
});

describe("idempotency request hash", () => {
  it("ignores key order and undefined fields, and tells bodies apart", async () => {
    const { canonicalJson, requestHash } = await import("../../api/idempotency");
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, z: "s" }] })).toBe('{"a":[{"y":2,"z":"s"}],"b":1}');
    expect(requestHash({ days: 3, reason: "r" })).toBe(requestHash({ reason: "r", days: 3 }));
    expect(requestHash({ days: 3, reason: "r" })).not.toBe(requestHash({ days: 5, reason: "r" }));
    expect(requestHash({ itemId: "ext-1", body: {} })).not.toBe(requestHash({ itemId: "ext-2", body: {} }));
  });
});
