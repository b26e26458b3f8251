/** Safe defaults (issue 15, items 2 and 3): development tokens, the listening address, production secrets and the token format. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tokensFromEnv } from "../../api/deps";
import { parseEnv } from "../../config/env";
import { parseTokenSpec, tokenFingerprint } from "../../config/tokens";
import { developmentCodecKeys } from "../../security/codec";
import { developmentKeys } from "../../security/pii";

const key = (c: string) => Buffer.alloc(32, c).toString("base64");
const real = {
  NODE_ENV: "production",
  PII_KEYS: `k1:${key("a")}`,
  PII_HMAC_SECRET: "a-real-hmac-secret-of-some-length",
  TEMPORAL_CODEC_KEYS: `c1:${key("b")}`,
  API_TOKENS: "supervisor:li.wei:0123456789abcdef0123456789,unit:zhang:abcdefghijklmnopqrstuvwxyz:branch-jiefang",
};

describe("development tokens", () => {
  it("are off when NODE_ENV is unset, even without API_TOKENS", () => {
    expect(parseEnv({}).DEV_TOKENS).toBe(false);
    expect(tokensFromEnv(parseEnv({})).verify("dev-supervisor-token")).toBeUndefined();
  });

  it("are off next to real tokens (the probe: NODE_ENV unset, API_TOKENS set)", () => {
    const env = parseEnv({ API_TOKENS: "supervisor:li.wei:0123456789abcdef0123456789" });
    expect(env.DEV_TOKENS).toBe(false);
    const tokens = tokensFromEnv(env);
    expect(tokens.verify("dev-supervisor-token")).toBeUndefined();
    expect(tokens.verify("0123456789abcdef0123456789")).toMatchObject({ role: "supervisor", name: "li.wei" });
    expect(parseEnv({ NODE_ENV: "development", API_TOKENS: "supervisor:0123456789abcdef" }).DEV_TOKENS).toBe(false);
  });

  it("are on in an explicit development or test environment without API_TOKENS, or when asked for there", () => {
    expect(tokensFromEnv(parseEnv({ NODE_ENV: "development" })).verify("dev-supervisor-token")).toMatchObject({ role: "supervisor" });
    expect(parseEnv({ NODE_ENV: "test" }).DEV_TOKENS).toBe(true);
    expect(parseEnv({ NODE_ENV: "test", DEV_TOKENS: "false" }).DEV_TOKENS).toBe(false);
    expect(parseEnv({ NODE_ENV: "test", DEV_TOKENS: "true", API_TOKENS: "supervisor:x:0123456789abcdef" }).DEV_TOKENS).toBe(true);
    expect(parseEnv({ DEV_TOKENS: "true" }).DEV_TOKENS).toBe(false);
  });
});

describe("listening address", () => {
  it("is 127.0.0.1 outside production and all interfaces in production, unless HOST says otherwise", () => {
    expect(parseEnv({}).HOST).toBe("127.0.0.1");
    expect(parseEnv({ NODE_ENV: "development" }).HOST).toBe("127.0.0.1");
    expect(parseEnv(real).HOST).toBe("0.0.0.0");
    expect(parseEnv({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
  });
});

describe("production configuration", () => {
  it("accepts real keys and named tokens", () => {
    const env = parseEnv(real);
    expect(env.DEV_TOKENS).toBe(false);
    expect(tokensFromEnv(env).verify("dev-supervisor-token")).toBeUndefined();
  });

  it("requires the keys", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/PII_KEYS[\s\S]*PII_HMAC_SECRET[\s\S]*TEMPORAL_CODEC_KEYS/);
  });

  it("refuses the known development values", () => {
    const dev = developmentKeys();
    expect(() => parseEnv({ ...real, PII_KEYS: dev.keys })).toThrow(/PII_KEYS: the development key/);
    expect(() => parseEnv({ ...real, PII_KEYS: `new:${key("c")},${dev.keys}` })).toThrow(/PII_KEYS: the development key/);
    expect(() => parseEnv({ ...real, PII_HMAC_SECRET: dev.hmac })).toThrow(/PII_HMAC_SECRET: the development secret/);
    expect(() => parseEnv({ ...real, TEMPORAL_CODEC_KEYS: developmentCodecKeys() })).toThrow(/TEMPORAL_CODEC_KEYS: the development key/);
    expect(() => parseEnv({ ...real, PLATFORM_HMAC_SECRET: "dev-platform-secret" })).toThrow(/PLATFORM_HMAC_SECRET: the development secret/);
    expect(() => parseEnv({ ...real, DEV_TOKENS: "true" })).toThrow(/DEV_TOKENS/);
    expect(() => parseEnv({ ...real, API_TOKENS: "supervisor:dev-supervisor-token-but-long-enough" })).toThrow(/API_TOKENS: development tokens/);
  });

  it("refuses tokens shorter than 24 characters", () => {
    expect(() => parseEnv({ ...real, API_TOKENS: "supervisor:li.wei:short-token-23-chars-xx" })).toThrow(/API_TOKENS[\s\S]*at least 24/);
    expect(() => parseEnv({ ...real, API_TOKENS: "supervisor:li.wei:short-token-24-chars-xxx" })).not.toThrow();
    // Outside production the floor stays at 8 characters.
    expect(() => parseEnv({ API_TOKENS: "supervisor:li.wei:12345678" })).not.toThrow();
  });

  it("requires PLATFORM_HMAC_SECRET when a platform URL is set", () => {
    expect(() => parseEnv({ ...real, PLATFORM_FEEDBACK_URL: "https://platform.example/feedback" })).toThrow(/PLATFORM_HMAC_SECRET: required/);
    expect(
      parseEnv({ ...real, PLATFORM_FEEDBACK_URL: "https://platform.example/feedback", PLATFORM_HMAC_SECRET: "a-platform-secret-1234" }).PLATFORM_HMAC_SECRET,
    ).toBe("a-platform-secret-1234");
    expect(parseEnv({ PLATFORM_FEEDBACK_URL: "https://platform.example/feedback" }).PLATFORM_HMAC_SECRET).toBe("dev-platform-secret");
  });
});

describe("API_TOKENS format", () => {
  it("reads named entries and the older unnamed form", () => {
    const t = parseTokenSpec("supervisor:li.wei:tok-aaaaaaaa,unit:张三:tok-bbbbbbbb:branch-jiefang,admin:tok-cccccccc,unit:tok-dddddddd:branch-shanyang");
    expect(t).toEqual([
      { role: "supervisor", name: "li.wei", token: "tok-aaaaaaaa" },
      { role: "unit", name: "张三", token: "tok-bbbbbbbb", unitId: "branch-jiefang" },
      { role: "admin", name: `admin#${tokenFingerprint("tok-cccccccc")}`, token: "tok-cccccccc" },
      { role: "unit", name: `unit@branch-shanyang#${tokenFingerprint("tok-dddddddd")}`, token: "tok-dddddddd", unitId: "branch-shanyang" },
    ]);
  });

  it("names the bad entry without the token", () => {
    expect(() => parseTokenSpec("boss:x:tok-aaaaaaaa")).toThrow(/entry 1 .*role must be one of/);
    expect(() => parseTokenSpec("supervisor:a:b:c:d")).toThrow(/entry 1 .*expected supervisor:name:token/);
    expect(() => parseTokenSpec("supervisor:a b:tok-aaaaaaaa")).toThrow(/name must be/);
    expect(() => parseTokenSpec("supervisor:a:tok-aaaaaaaa,admin:b:tok-aaaaaaaa")).toThrow(/entry 2 .*configured twice/);
    expect(() => parseTokenSpec("supervisor:a:secretly")).not.toThrow();
    try {
      parseTokenSpec("supervisor:a:short");
    } catch (e) {
      expect((e as Error).message).not.toContain("short");
    }
  });
});

describe("entry points in production", () => {
  it("stop with exit code 78 naming a missing key, before connecting to anything", async () => {
    for (const script of ["workers/main.ts", "api/server.ts"]) {
      const env = { ...process.env, ...real, TEMPORAL_CODEC_KEYS: "", TEMPORAL_ADDRESS: "127.0.0.1:1" };
      delete (env as Record<string, string | undefined>).TEMPORAL_CODEC_KEYS;
      const err = await promisify(execFile)("node_modules/.bin/tsx", [script], { env, timeout: 30_000 }).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect([script, err?.code]).toEqual([script, 78]);
      expect(err?.stderr).toMatch(/TEMPORAL_CODEC_KEYS: required in production/);
    }
  });
});
