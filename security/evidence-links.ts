/**
 * Expiring signed links to evidence files, for the hotline platform (which has no token): an HMAC
 * over the evidence id and the expiry instant, checked in constant time. Only the API and the
 * worker hold the key; a link names no case and no person.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Env } from "../config/env";
import { developmentKeys } from "./pii";

/** The key and lifetime of evidence links. */
export interface EvidenceLinkConfig {
  secret: string;
  ttlMs: number;
  /** The API's public address; links are `${baseUrl}/api/evidence/{id}?exp=…&sig=…`. */
  baseUrl: string;
}

const mac = (secret: string, id: string, exp: number) => createHmac("sha256", secret).update(`evidence-link:${id}:${exp}`).digest("base64url");

/** The links' settings: the key configured, or derived from the personal-data HMAC secret (so production needs no new variable). */
export function evidenceLinksFromEnv(env: Env): EvidenceLinkConfig {
  const secret =
    env.EVIDENCE_LINK_SECRET ??
    createHmac("sha256", env.PII_HMAC_SECRET ?? developmentKeys().hmac)
      .update("evidence-links")
      .digest("base64url");
  return { secret, ttlMs: env.EVIDENCE_LINK_TTL_HOURS * 3_600_000, baseUrl: env.PUBLIC_BASE_URL };
}

/** A signed link to an evidence file, valid until `nowMs + ttlMs`. */
export function signEvidenceLink(config: EvidenceLinkConfig, id: string, nowMs = Date.now()): { url: string; expiresAt: string } {
  const exp = Math.floor((nowMs + config.ttlMs) / 1000);
  const url = `${config.baseUrl.replace(/\/+$/, "")}/api/evidence/${encodeURIComponent(id)}?exp=${exp}&sig=${mac(config.secret, id, exp)}`;
  return { url, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Why a link is refused, or undefined when it is valid now. */
export function checkEvidenceLink(secret: string, id: string, exp: number, sig: string, nowMs = Date.now()): "invalid" | "expired" | undefined {
  const want = Buffer.from(mac(secret, id, exp));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return "invalid";
  return exp * 1000 <= nowMs ? "expired" : undefined;
}
