/** Configuration: defaults, validation messages that name the variable, and the process exit. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../config/env";
import { policyFromEnv } from "../../config/policy";

describe("configuration", () => {
  it("has embedded defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.TEMPORAL_ADDRESS).toBe("127.0.0.1:7233");
    expect(policyFromEnv(env)).toMatchObject({ signDays: 1, escalateAtRepeats: 3, maxExtensions: 1 });
  });

  it("names every invalid variable", () => {
    expect(() => parseEnv({ PORT: "abc", DATABASE_URL: "mysql://x", REVISIT_SAMPLE_RATE: "2" })).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
    expect(() => parseEnv({ REVISIT_SAMPLE_RATE: "2" })).toThrow(/REVISIT_SAMPLE_RATE/);
  });

  it("stops the worker process with a message naming the variable", async () => {
    const run = promisify(execFile)("node_modules/.bin/tsx", ["workers/main.ts"], { env: { ...process.env, MAX_EXTENSIONS: "many" }, timeout: 30_000 });
    const err = await run.then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(78);
    expect(err?.stderr).toMatch(/MAX_EXTENSIONS/);
  });
});
