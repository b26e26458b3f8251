/** docker-compose.yml: references resolve, ports and env are wired, search attributes match the contract. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SEARCH_ATTRIBUTES } from "../../workflows/contract";

const root = fileURLToPath(new URL("../../", import.meta.url));
const composeFile = `${root}docker-compose.yml`;

type Service = {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: string[] | Record<string, string | number | boolean | null>;
  ports?: (string | number | { target: number; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string })[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> | null };

const compose = parse(readFileSync(composeFile, "utf8"), { merge: true }) as Compose;
const services = compose.services;

const dependsOn = (s: Service): string[] => (Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {}));

const envOf = (s: Service): Record<string, string> => {
  if (Array.isArray(s.environment)) {
    return Object.fromEntries(
      s.environment.map((e) => {
        const i = e.indexOf("=");
        return i < 0 ? [e, ""] : [e.slice(0, i), e.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v ?? "")]));
};

/** Host ports a service publishes ("8233:8080", "127.0.0.1:3000:3000", long syntax). */
const publishedPorts = (s: Service): number[] =>
  (s.ports ?? []).map((p) => {
    if (typeof p === "object") return Number(p.published);
    const parts = String(p).split("/")[0].split(":");
    return Number(parts.length === 1 ? parts[0] : parts[parts.length - 2]);
  });

/** Named volumes a service mounts (not bind mounts). */
const namedVolumes = (s: Service): string[] =>
  (s.volumes ?? []).flatMap((v) => {
    if (typeof v === "object") return v.type === "volume" && v.source ? [v.source] : [];
    const parts = v.split(":");
    if (parts.length < 2) return []; // anonymous volume
    const source = parts[0];
    return /^[./~]/.test(source) || source.includes("/") ? [] : [source];
  });

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join("\n") : (v ?? ""));

/** The one service running temporalio/admin-tools, and the Name:Type pairs its script registers. */
const adminTools = Object.entries(services).filter(([, s]) => s.image?.startsWith("temporalio/admin-tools"));
const registered = (): Map<string, string> => {
  const [, s] = adminTools[0];
  const script = `${text(s.entrypoint)}\n${text(s.command)}`;
  const pairs = [...script.matchAll(/\b([A-Z][A-Za-z0-9_]*):(KeywordList|Keyword|Bool|Datetime|Int|Double|Text)\b/g)];
  return new Map(pairs.map((m) => [m[1], m[2]]));
};

describe("docker-compose.yml", () => {
  it("defines every service named in a depends_on", () => {
    for (const [name, s] of Object.entries(services)) {
      for (const dep of dependsOn(s)) expect(services, `${name} depends on ${dep}`).toHaveProperty([dep]);
    }
  });

  it("uses valid depends_on conditions", () => {
    const ok = ["service_started", "service_healthy", "service_completed_successfully"];
    for (const s of Object.values(services)) {
      if (Array.isArray(s.depends_on) || !s.depends_on) continue;
      for (const d of Object.values(s.depends_on)) expect(ok).toContain(d.condition ?? "service_started");
    }
  });

  it("declares every named volume it uses", () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = Object.values(services).flatMap(namedVolumes);
    expect(used.length).toBeGreaterThan(0);
    for (const v of used) expect(declared, `volume ${v}`).toContain(v);
  });

  it("publishes the API on 3000 and the Temporal UI on 8233", () => {
    expect(publishedPorts(services.api)).toContain(3000);
    expect(publishedPorts(services["temporal-ui"])).toContain(8233);
  });

  it("gives the worker and the API DATABASE_URL and TEMPORAL_ADDRESS", () => {
    for (const name of ["worker", "api"]) {
      const env = envOf(services[name]);
      expect(env.DATABASE_URL, name).toMatch(/^postgres(ql)?:\/\//);
      expect(env.TEMPORAL_ADDRESS, name).toMatch(/^[\w.-]+:\d+$/);
    }
  });

  it("starts the worker and the API only after migrations and search attributes", () => {
    const [adminName] = adminTools[0];
    for (const name of ["worker", "api"]) {
      const deps = services[name].depends_on as Record<string, { condition?: string }>;
      expect(deps.migrate?.condition).toBe("service_completed_successfully");
      expect(deps[adminName]?.condition).toBe("service_completed_successfully");
      expect(deps.temporal?.condition).toBe("service_healthy");
    }
  });

  it("registers exactly the search attributes of workflows/contract.ts, with their types", () => {
    expect(adminTools).toHaveLength(1);
    const inCompose = registered();
    const inContract = new Map(SEARCH_ATTRIBUTES.map((a) => [a.name, a.type as string]));
    expect([...inCompose.keys()].sort()).toEqual([...inContract.keys()].sort());
    for (const [name, type] of inCompose) expect(type.toUpperCase(), name).toBe(inContract.get(name));
  });

  const hasCompose = spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0;
  const run = (env: Record<string, string>) => {
    const clean = { ...process.env };
    for (const k of ["PII_KEYS", "PII_HMAC_SECRET", "TEMPORAL_CODEC_KEYS", "API_TOKENS", "S3_SECRET_ACCESS_KEY"]) delete clean[k];
    return spawnSync("docker-compose", ["-f", composeFile, "config", "-q"], {
      cwd: root,
      encoding: "utf8",
      env: { ...clean, ...env },
      timeout: 60_000,
    });
  };

  it.skipIf(!hasCompose)("passes `docker-compose config -q`", { timeout: 60_000 }, () => {
    const r = run({ PII_KEYS: "x", PII_HMAC_SECRET: "y", TEMPORAL_CODEC_KEYS: "c", API_TOKENS: "z", S3_SECRET_ACCESS_KEY: "s" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasCompose)("requires PII_KEYS, PII_HMAC_SECRET, TEMPORAL_CODEC_KEYS, API_TOKENS and S3_SECRET_ACCESS_KEY", { timeout: 60_000 }, () => {
    const r = run({ PII_HMAC_SECRET: "y", TEMPORAL_CODEC_KEYS: "c", API_TOKENS: "z", S3_SECRET_ACCESS_KEY: "s" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/PII_KEYS/);
    const noCodec = run({ PII_KEYS: "x", PII_HMAC_SECRET: "y", API_TOKENS: "z", S3_SECRET_ACCESS_KEY: "s" });
    expect(noCodec.status).not.toBe(0);
    expect(noCodec.stderr).toMatch(/TEMPORAL_CODEC_KEYS/);
    const noS3 = run({ PII_KEYS: "x", PII_HMAC_SECRET: "y", TEMPORAL_CODEC_KEYS: "c", API_TOKENS: "z" });
    expect(noS3.status).not.toBe(0);
    expect(noS3.stderr).toMatch(/S3_SECRET_ACCESS_KEY/);
  });

  it("keeps the API's and worker's evidence in the MinIO service, whose credentials are the store's", () => {
    const minio = Object.entries(services).find(([, s]) => s.image?.startsWith("minio/minio"));
    expect(minio).toBeDefined();
    const [name, svc] = minio!;
    expect(namedVolumes(svc)).toHaveLength(1);
    for (const p of (svc as { ports?: string[] }).ports ?? []) expect(String(p)).toMatch(/^127\.0\.0\.1:/);
    for (const app of ["worker", "api"]) {
      const env = envOf(services[app]);
      expect(env.EVIDENCE_STORE, app).toBe("s3");
      expect(new URL(env.S3_ENDPOINT!).hostname, app).toBe(name);
      expect(env.S3_SECRET_ACCESS_KEY, app).toBe(envOf(svc).MINIO_ROOT_PASSWORD);
      expect(env.S3_ACCESS_KEY_ID, app).toBe(envOf(svc).MINIO_ROOT_USER);
      expect(Object.keys(services[app].depends_on ?? {}), app).toContain(name);
    }
  });

  it("gives the worker and the API every key production requires, and keeps Temporal on this host", () => {
    for (const name of ["worker", "api"]) {
      const env = envOf(services[name]);
      for (const k of ["PII_KEYS", "PII_HMAC_SECRET", "TEMPORAL_CODEC_KEYS", "API_TOKENS"]) expect(env[k], `${name} ${k}`).toMatch(/^\$\{/);
      expect(env.NODE_ENV).toBe("production");
    }
    for (const [name, s] of Object.entries(services))
      if (s.image?.startsWith("temporalio/"))
        for (const p of (s as { ports?: string[] }).ports ?? []) expect([name, String(p)]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
  });
});
