/**
 * Idempotency-Keys of case actions (issue 15, item 4). A key is bound, on first use, to the person
 * presenting it, the case, the action and a hash of the request (the validated body and the path's
 * item id). The same key again with the same request is a retry: the update is sent again with the
 * same update id, and Temporal answers it with its first outcome; with anything else it is refused
 * (422 `idempotency_key_reused`) rather than answered with an earlier outcome while the new action
 * never happens.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/client";
import { HttpError } from "./errors";

/** What a key is bound to. */
export interface KeyBinding {
  principal: string;
  key: string;
  caseId: string;
  action: string;
  bodyHash: string;
}

/** The syntax of an Idempotency-Key. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** JSON with object keys sorted, so equal requests hash equally whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/** SHA-256 of the canonical JSON of a request. */
export const requestHash = (v: unknown) => createHash("sha256").update(canonicalJson(v)).digest("hex");

/** The Idempotency-Key header, checked; undefined when absent. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) throw new HttpError(400, "invalid_idempotency_key", "Idempotency-Key: 1–200 letters, digits, '.', '_', ':' or '-'");
  return header;
}

/**
 * Binds the key on first use (atomically: the first of two concurrent requests wins) and returns the
 * binding as stored, with `doneAt` for signals; throws 422 when the key is bound to another request.
 */
export async function claimKey(prisma: PrismaClient, b: KeyBinding): Promise<{ doneAt: Date | null }> {
  await prisma.idempotencyKey.createMany({ data: [b], skipDuplicates: true });
  const row = await prisma.idempotencyKey.findUnique({ where: { principal_key: { principal: b.principal, key: b.key } } });
  if (!row) throw new Error("idempotency key row vanished");
  const differs =
    row.caseId !== b.caseId ? "another case" : row.action !== b.action ? "another action" : row.bodyHash !== b.bodyHash ? "another request body" : undefined;
  if (differs)
    throw new HttpError(422, "idempotency_key_reused", `this Idempotency-Key was already used for ${differs}; use a new key for a new request`, {
      usedFor: differs,
    });
  return { doneAt: row.doneAt };
}

/** Marks a signal sent under the key as delivered. */
export async function markKeyDone(prisma: PrismaClient, principal: string, key: string): Promise<void> {
  await prisma.idempotencyKey.update({ where: { principal_key: { principal, key } }, data: { doneAt: new Date() } });
}
