/**
 * The `API_TOKENS` format, parsed in one place (configuration validation and the API's token
 * registry). Entries are comma-separated:
 *
 * - `role:name:token` and `unit:name:token:unitId`: a token of one person or system, named;
 * - `role:token` and `unit:token:unitId` (the older form): still accepted, named after the role,
 *   the unit and a fingerprint of the token (`supervisor#1a2b3c4d`), so two tokens never share a name.
 *
 * The role decides the form: a unit entry has 4 parts when named, 3 when not; any other role 3 or 2.
 */
import { createHash } from "node:crypto";

/** Roles of API users. */
export const ROLES = ["integration", "unit", "dispatcher", "supervisor", "admin"] as const;
/** A role. */
export type Role = (typeof ROLES)[number];

/** One configured token. */
export interface TokenEntry {
  role: Role;
  name: string;
  token: string;
  unitId?: string;
}

/** Shortest token accepted in production (and outside it). */
export const MIN_TOKEN_LENGTH = { production: 24, other: 8 } as const;

const NAME = /^[\p{L}\p{N}._@-]{1,64}$/u;
const TOKEN = /^[\x21-\x7e]+$/;

/** A short, non-secret fingerprint of a token, for naming unnamed tokens. */
export const tokenFingerprint = (token: string) => createHash("sha256").update(token).digest("hex").slice(0, 8);

/**
 * Parses `API_TOKENS`. Throws an Error naming the entry's position and role (never the token) when
 * an entry is malformed, a token is shorter than `minLength`, or a token repeats.
 */
export function parseTokenSpec(spec: string | undefined, minLength: number = MIN_TOKEN_LENGTH.other): TokenEntry[] {
  const entries = (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const parts = entry.split(":");
    const role = parts[0] as Role;
    const where = `API_TOKENS entry ${i + 1} (role "${ROLES.includes(role) ? role : "?"}")`;
    if (!ROLES.includes(role)) throw new Error(`${where}: the role must be one of ${ROLES.join(", ")}`);
    const named = role === "unit" ? parts.length === 4 : parts.length === 3;
    const expected = role === "unit" ? "unit:name:token:unitId or unit:token:unitId" : `${role}:name:token or ${role}:token`;
    if (!(role === "unit" ? parts.length === 3 || parts.length === 4 : parts.length === 2 || parts.length === 3))
      throw new Error(`${where}: expected ${expected}`);
    const name = named ? parts[1]! : undefined;
    const token = parts[named ? 2 : 1]!;
    const unitId = role === "unit" ? parts[named ? 3 : 2] : undefined;
    if (name !== undefined && !NAME.test(name)) throw new Error(`${where}: the name must be 1–64 letters, digits, '.', '_', '@' or '-'`);
    if (!TOKEN.test(token)) throw new Error(`${where}: the token must be printable ASCII without spaces`);
    if (token.length < minLength) throw new Error(`${where}: the token must be at least ${minLength} characters`);
    if (role === "unit" && !unitId) throw new Error(`${where}: a unit token needs its unit id (${expected})`);
    if (seen.has(token)) throw new Error(`${where}: the token is configured twice`);
    seen.add(token);
    return { role, name: name ?? `${role}${unitId ? `@${unitId}` : ""}#${tokenFingerprint(token)}`, token, ...(unitId ? { unitId } : {}) };
  });
}
