/**
 * Configuration from the environment, validated with zod at start-up. An invalid value stops the
 * process with a message naming the variable. Defaults are the embedded development set-up.
 */
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);

/** The environment variables this service reads, with their defaults. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .default("postgres://postgres:postgres@127.0.0.1:54320/postgres"),
  TEMPORAL_ADDRESS: z.string().min(3).default("127.0.0.1:7233"),
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  TEMPORAL_UI_URL: z.url().default("http://localhost:8233"),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** AES-256-GCM keys for personal data, `kid:base64key` comma-separated; the first encrypts, all decrypt. */
  PII_KEYS: z.string().optional(),
  /** AES-256-GCM keys of the Temporal payload codec, `kid:base64key` comma-separated; the first encrypts. */
  TEMPORAL_CODEC_KEYS: z.string().optional(),
  /** Secret for the keyed hashes used in repeat detection. */
  PII_HMAC_SECRET: z.string().min(16).optional(),
  /** Bearer tokens, `role:token[:unitId]` comma-separated; stored hashed in memory. */
  API_TOKENS: z.string().optional(),
  PLATFORM_FEEDBACK_URL: z.url().optional(),
  PLATFORM_HMAC_SECRET: z.string().min(8).default("dev-platform-secret"),
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
  CONCENTRATION_THRESHOLD: int(3, 2, 1000),
  CONCENTRATION_WINDOW_DAYS: int(30, 1, 3650),
  INTAKE_RATE_PER_MINUTE: int(6000, 1),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/, "like 256kb or 1mb")
    .default("256kb"),
  WORKER_MAX_CACHED_WORKFLOWS: int(1000, 0),
  DEV_TOKENS: bool.default(true),
});

/** Validated configuration. */
export type Env = z.infer<typeof envSchema>;

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
