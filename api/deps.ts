/** Builds the API's dependencies from configuration (used by the server and the integration tests). */
import { createHmac } from "node:crypto";
import { Client, Connection } from "@temporalio/client";
import type { PayloadCodec } from "@temporalio/common";
import { CalendarStore } from "../activities/calendar-store";
import { knownUnits } from "../activities/routing";
import type { Env } from "../config/env";
import { MIN_TOKEN_LENGTH } from "../config/tokens";
import { policyFromEnv } from "../config/policy";
import { createPrisma, type PrismaClient } from "../db/client";
import { codecFromEnv } from "../security/codec-from-env";
import { developmentKeys, PiiVault } from "../security/pii";
import { developmentTokens, TokenRegistry } from "./auth";
import type { CasePolicy } from "../workflows/contract";
import type { EvidenceStore } from "../storage/evidence-store";
import { evidenceStoreFromEnv } from "../storage/from-env";
import { evidenceLinksFromEnv, type EvidenceLinkConfig } from "../security/evidence-links";

/** Everything the API needs. */
export interface AppDeps {
  temporal: Client;
  codec: PayloadCodec;
  prisma: PrismaClient;
  calendars: CalendarStore;
  vault: PiiVault;
  tokens: TokenRegistry;
  policy: CasePolicy;
  config: Env;
  /** Evidence files' bytes, by content hash. */
  evidence: EvidenceStore;
  /** Key and lifetime of the signed evidence links. */
  evidenceLinks: EvidenceLinkConfig;
  /** The case's seal, sent with every message to it (workflows/contract.ts CaseInput.seal). */
  seal(caseId: string): string;
}

/** The seal of a case: an HMAC of its id under PII_HMAC_SECRET (only the API holds it; Temporal keeps it encrypted). */
export function sealerFromEnv(env: Env): (caseId: string) => string {
  const secret = env.PII_HMAC_SECRET ?? developmentKeys().hmac;
  return (caseId) => createHmac("sha256", secret).update(`case-seal:${caseId}`).digest("base64url");
}

/** The personal-data vault; production must configure its keys. */
export function vaultFromEnv(env: Env): PiiVault {
  if (env.NODE_ENV === "production" && (!env.PII_KEYS || !env.PII_HMAC_SECRET))
    throw new Error("invalid configuration:\n  PII_KEYS and PII_HMAC_SECRET are required in production");
  const dev = developmentKeys();
  return new PiiVault(env.PII_KEYS ?? dev.keys, env.PII_HMAC_SECRET ?? dev.hmac);
}

/** Tokens from API_TOKENS, plus the development tokens when the configuration resolved DEV_TOKENS on (config/env.ts). */
export function tokensFromEnv(env: Env): TokenRegistry {
  const registry = TokenRegistry.fromSpec(env.API_TOKENS, undefined, env.NODE_ENV === "production" ? MIN_TOKEN_LENGTH.production : MIN_TOKEN_LENGTH.other);
  if (env.DEV_TOKENS && env.NODE_ENV !== "production") for (const t of developmentTokens(knownUnits())) registry.add(t.token, t.principal);
  return registry;
}

/** Connects to Temporal and the database. */
export async function createApiDeps(env: Env): Promise<AppDeps & { close(): Promise<void> }> {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const codec = codecFromEnv(env);
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: { payloadCodecs: [codec] } });
  const prisma = createPrisma(env.DATABASE_URL);
  return {
    temporal,
    codec,
    prisma,
    calendars: new CalendarStore(prisma),
    vault: vaultFromEnv(env),
    tokens: tokensFromEnv(env),
    policy: policyFromEnv(env),
    config: env,
    evidence: evidenceStoreFromEnv(env),
    evidenceLinks: evidenceLinksFromEnv(env),
    seal: sealerFromEnv(env),
    async close() {
      await prisma.$disconnect();
      await connection.close();
    },
  };
}
