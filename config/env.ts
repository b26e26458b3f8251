/**
 * Configuration from the environment, validated with zod at start-up. An invalid value stops the
 * process with a message naming the variable. Defaults are the embedded development set-up.
 */
import { z } from "zod";
import { developmentCodecKeys } from "../security/codec";
import { developmentKeys } from "../security/pii";
import { MIN_TOKEN_LENGTH, parseTokenSpec } from "./tokens";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);

/** The environment variables this service reads, with their defaults. */
const rawSchema = z.object({
  /** Unset counts as development, but only an explicit development or test environment gets development tokens. */
  NODE_ENV: z.enum(["development", "test", "production"]).optional(),
  /** The API's listening address: 127.0.0.1 outside production, all interfaces in production. */
  HOST: z.string().min(1).max(255).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .default("postgres://postgres:postgres@127.0.0.1:54320/postgres"),
  TEMPORAL_ADDRESS: z.string().min(3).default("127.0.0.1:7233"),
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  TEMPORAL_UI_URL: z.url().default("http://localhost:8233"),
  /** When set, the API serves the Temporal UI at this address under its own origin (`/temporal/`), so the UI's codec calls are same-origin. */
  TEMPORAL_UI_UPSTREAM: z.url().optional(),
  /** HMAC key of the console's codec session cookie; without it each API process makes its own (sessions then stay with that process). */
  SESSION_SECRET: z.string().min(16).optional(),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** AES-256-GCM keys for personal data, `kid:base64key` comma-separated; the first encrypts, all decrypt. */
  PII_KEYS: z.string().optional(),
  /** AES-256-GCM keys of the Temporal payload codec, `kid:base64key` comma-separated; the first encrypts. */
  TEMPORAL_CODEC_KEYS: z.string().optional(),
  /** Secret for the keyed hashes used in repeat detection. */
  PII_HMAC_SECRET: z.string().min(16).optional(),
  /** Bearer tokens, `role:name:token[:unitId]` (or the older `role:token[:unitId]`) comma-separated; stored hashed in memory. */
  API_TOKENS: z.string().optional(),
  PLATFORM_FEEDBACK_URL: z.url().optional(),
  /** Required in production when PLATFORM_FEEDBACK_URL is set; a development value otherwise. */
  PLATFORM_HMAC_SECRET: z.string().min(8).optional(),
  /** Statutory reports (monthly, quarterly) are posted here, signed like platform feedback; unset: recorded, not sent. */
  REPORT_WEBHOOK_URL: z.url().optional(),
  SIGN_DAYS: int(1, 1, 30),
  MAX_EXTENSIONS: int(1, 0, 10),
  MAX_EXTENSION_DAYS: int(10, 1, 60),
  ESCALATE_AT_REPEATS: int(3, 1, 100),
  REPEAT_WINDOW_DAYS: int(30, 1, 3650),
  REVISIT_AFTER_DAYS: int(5, 1, 60),
  REVISIT_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.3),
  MAX_REWARD_YUAN: int(50000, 1),
  /** A case's run continues as new after this many transitions (timeline entries); about 10–15 history events each. */
  CONTINUE_AS_NEW_AFTER_TRANSITIONS: int(400, 10, 3000),
  CONCENTRATION_THRESHOLD: int(3, 2, 1000),
  CONCENTRATION_WINDOW_DAYS: int(30, 1, 3650),
  INTAKE_RATE_PER_MINUTE: int(6000, 1),
  /** Per token holder and minute: case actions, reporter reveals, statistics/reports, codec requests. */
  ACTION_RATE_PER_MINUTE: int(6000, 1),
  REVEAL_RATE_PER_MINUTE: int(30, 1),
  STATS_RATE_PER_MINUTE: int(120, 1),
  CODEC_RATE_PER_MINUTE: int(3000, 1),
  /** Server timeouts: a whole request (a slowly dripped body is cut off), and its headers. */
  REQUEST_TIMEOUT_MS: int(30_000, 1000, 600_000),
  HEADERS_TIMEOUT_MS: int(15_000, 1000, 600_000),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/, "like 256kb or 1mb")
    .default("256kb"),
  WORKER_MAX_CACHED_WORKFLOWS: int(1000, 0),
  /** Evidence files (佐证材料): the object store, `fs` (under EVIDENCE_DIR, the embedded default) or `s3` (S3_*). */
  EVIDENCE_STORE: z.enum(["fs", "s3"]).default("fs"),
  EVIDENCE_DIR: z.string().min(1).default(".data/evidence"),
  /** The largest evidence file accepted, in bytes (a larger upload answers 413). */
  EVIDENCE_MAX_BYTES: int(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  /** New cases need an evidence item to close when the investigation found a violation (snapshotted into each case's policy). */
  EVIDENCE_REQUIRED_ON_VIOLATION: bool.default(false),
  /** HMAC key of the expiring evidence links sent with platform feedback; default derived from PII_HMAC_SECRET. */
  EVIDENCE_LINK_SECRET: z.string().min(16).optional(),
  EVIDENCE_LINK_TTL_HOURS: int(720, 1, 24 * 366),
  /** The API's address as the hotline platform reaches it (the signed evidence links start with it). */
  PUBLIC_BASE_URL: z.url().default("http://localhost:3000"),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_BUCKET: z.string().min(3).max(63).default("evidence"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  /** Development tokens: default on only in an explicit development/test environment without API_TOKENS; never in production. */
  DEV_TOKENS: bool.optional(),
});
type RawEnv = z.infer<typeof rawSchema>;

/** The development platform secret (refused in production). */
export const DEVELOPMENT_PLATFORM_SECRET = "dev-platform-secret";

const keyMaterial = (spec: string) =>
  spec
    .split(",")
    .map((e) => e.trim().split(":").slice(1).join(":"))
    .filter(Boolean);

/** What a production deployment must set, and the development values it must not use. */
function productionRules(o: RawEnv, ctx: z.RefinementCtx): void {
  const bad = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (o.NODE_ENV === "production") {
    const devPii = developmentKeys();
    const devCodec = keyMaterial(developmentCodecKeys());
    if (!o.PII_KEYS) bad("PII_KEYS", "required in production");
    else if (keyMaterial(o.PII_KEYS).some((k) => keyMaterial(devPii.keys).includes(k))) bad("PII_KEYS", "the development key must not be used in production");
    if (!o.PII_HMAC_SECRET) bad("PII_HMAC_SECRET", "required in production");
    else if (o.PII_HMAC_SECRET === devPii.hmac) bad("PII_HMAC_SECRET", "the development secret must not be used in production");
    if (!o.TEMPORAL_CODEC_KEYS) bad("TEMPORAL_CODEC_KEYS", "required in production");
    else if (keyMaterial(o.TEMPORAL_CODEC_KEYS).some((k) => devCodec.includes(k)))
      bad("TEMPORAL_CODEC_KEYS", "the development key must not be used in production");
    if ((o.PLATFORM_FEEDBACK_URL || o.REPORT_WEBHOOK_URL) && !o.PLATFORM_HMAC_SECRET)
      bad("PLATFORM_HMAC_SECRET", "required in production when PLATFORM_FEEDBACK_URL or REPORT_WEBHOOK_URL is set");
    if (o.PLATFORM_HMAC_SECRET === DEVELOPMENT_PLATFORM_SECRET) bad("PLATFORM_HMAC_SECRET", "the development secret must not be used in production");
    if (o.DEV_TOKENS) bad("DEV_TOKENS", "development tokens are never available in production");
  }
  const production = o.NODE_ENV === "production";
  try {
    const entries = parseTokenSpec(o.API_TOKENS, production ? MIN_TOKEN_LENGTH.production : MIN_TOKEN_LENGTH.other);
    if (production && entries.some((e) => e.token.startsWith("dev-"))) bad("API_TOKENS", "development tokens (dev-…) must not be used in production");
  } catch (e) {
    bad("API_TOKENS", (e as Error).message);
  }
}

/** The environment variables this service reads, with their defaults (resolved after validation). */
export const envSchema = rawSchema.superRefine(productionRules).transform((o) => {
  const NODE_ENV = o.NODE_ENV ?? "development";
  return {
    ...o,
    NODE_ENV,
    HOST: o.HOST ?? (NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"),
    PLATFORM_HMAC_SECRET: o.PLATFORM_HMAC_SECRET ?? DEVELOPMENT_PLATFORM_SECRET,
    DEV_TOKENS: NODE_ENV !== "production" && o.NODE_ENV !== undefined && (o.DEV_TOKENS ?? !o.API_TOKENS),
  };
});

/** Validated configuration. */
export type Env = z.output<typeof envSchema>;

/** Parses an environment; throws an Error whose message names every invalid variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid configuration:\n${lines.join("\n")}`);
}

/** Parses process.env or stops the process with the message (for entry points). */
export function loadEnvOrExit(): Env {
  try {
    return parseEnv();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(78);
  }
}

/**
 * The variables a production deployment must set: those the loader refuses to start without when
 * only NODE_ENV=production is given (docker-compose.yml's services are checked against this list).
 */
export function requiredInProduction(): string[] {
  const result = envSchema.safeParse({ NODE_ENV: "production" });
  return result.success ? [] : [...new Set(result.error.issues.map((i) => String(i.path[0])))].sort();
}
