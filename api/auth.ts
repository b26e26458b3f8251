/**
 * Bearer tokens and roles, enforced in one place. Tokens are kept only as SHA-256 hashes and
 * compared in constant time; a unit token is bound to one handling unit and sees only its cases.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { parseTokenSpec, ROLES, type Role } from "../config/tokens";
import type { Actor } from "../workflows/messages";
import { HttpError } from "./errors";

export { ROLES, type Role };

/** A token's principal. */
export interface Principal {
  role: Role;
  name: string;
  unitId?: string;
}

const sha = (s: string) => createHash("sha256").update(s).digest();

/** Hashed tokens → principals. */
export class TokenRegistry {
  private readonly byHash = new Map<string, { hash: Buffer; principal: Principal }>();

  /** Adds a token (only its hash is kept). */
  add(token: string, principal: Principal): void {
    const hash = sha(token);
    this.byHash.set(hash.toString("hex"), { hash, principal });
  }

  /** The principal of a token's SHA-256 (hex), as a session keeps it, or undefined. */
  principalOfHash(hashHex: string): Principal | undefined {
    return this.byHash.get(hashHex)?.principal;
  }

  /** The principal of a presented token, or undefined. */
  verify(token: string): Principal | undefined {
    const hash = sha(token);
    const hit = this.byHash.get(hash.toString("hex"));
    return hit && timingSafeEqual(hit.hash, hash) ? hit.principal : undefined;
  }

  /** Parses `role:name:token[:unitId]` (or `role:token[:unitId]`) entries, comma-separated (config/tokens.ts). */
  static fromSpec(spec: string | undefined, registry = new TokenRegistry(), minLength?: number): TokenRegistry {
    for (const e of parseTokenSpec(spec, minLength)) registry.add(e.token, { role: e.role, name: e.name, ...(e.unitId ? { unitId: e.unitId } : {}) });
    return registry;
  }
}

/** Development tokens, one per role (and one per sample unit), printed by `npm run up`. */
export function developmentTokens(units: string[]): Array<{ token: string; principal: Principal }> {
  const base: Array<{ token: string; principal: Principal }> = (["integration", "dispatcher", "supervisor", "admin"] as const).map((role) => ({
    token: `dev-${role}-token`,
    principal: { role, name: `dev ${role}` },
  }));
  return [...base, ...units.map((unitId) => ({ token: `dev-unit-${unitId}-token`, principal: { role: "unit" as const, name: `dev unit ${unitId}`, unitId } }))];
}

declare module "express-serve-static-core" {
  interface Request {
    principal?: Principal;
  }
}

/** The SHA-256 (hex) of a token: what a session cookie names instead of the token. */
export const tokenHash = (token: string) => sha(token).toString("hex");

/** The bearer token of a request, if any. */
export const bearerToken = (req: Request) => /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];

/** Middleware: 401 without a valid bearer token, 403 outside the roles. */
export function requireRole(registry: TokenRegistry, ...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    const principal = m ? registry.verify(m[1]!) : undefined;
    if (!principal) return next(new HttpError(401, "unauthorized", "a valid bearer token is required"));
    if (!roles.includes(principal.role)) return next(new HttpError(403, "forbidden", `this action needs one of the roles: ${roles.join(", ")}`));
    req.principal = principal;
    next();
  };
}

/** The answer for a case that does not exist, and, to a unit, for a case that is not its own (existence does not leak). */
export const caseNotFound = () => new HttpError(404, "case_not_found", "no such case");

/** Unit scope: a unit may only see and act on cases assigned to it; any other case is "not found" to it. */
export function assertCaseScope(principal: Principal, caseUnitId: string | null | undefined): void {
  if (principal.role === "unit" && principal.unitId !== caseUnitId) throw caseNotFound();
}

/** The workflow's view of who acts. */
export function actorOf(p: Principal): Actor {
  return { role: p.role, name: p.name, unitId: p.unitId };
}
