/**
 * Bearer tokens and roles, enforced in one place. Tokens are kept only as SHA-256 hashes and
 * compared in constant time; a unit token is bound to one handling unit and sees only its cases.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Actor } from "../workflows/messages";
import { HttpError } from "./errors";

/** Roles of API users. */
export const ROLES = ["integration", "unit", "dispatcher", "supervisor", "admin"] as const;
/** A role. */
export type Role = (typeof ROLES)[number];

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

  /** Parses `role:token[:unitId]` entries, comma-separated. */
  static fromSpec(spec: string | undefined, registry = new TokenRegistry()): TokenRegistry {
    for (const entry of (spec ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [role, token, unitId] = entry.split(":");
      if (!ROLES.includes(role as Role) || !token || token.length < 8) throw new Error(`API_TOKENS: bad entry for role "${role}"`);
      if (role === "unit" && !unitId) throw new Error("API_TOKENS: a unit token needs its unit id (unit:token:unitId)");
      registry.add(token, { role: role as Role, name: `${role}${unitId ? `@${unitId}` : ""}`, unitId });
    }
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

/** Unit scope: a unit may only see and act on cases assigned to it. */
export function assertCaseScope(principal: Principal, caseUnitId: string | null | undefined): void {
  if (principal.role === "unit" && principal.unitId !== caseUnitId) throw new HttpError(403, "out_of_scope", "this case is not assigned to your unit");
}

/** The workflow's view of who acts. */
export function actorOf(p: Principal): Actor {
  return { role: p.role, name: p.name, unitId: p.unitId };
}
