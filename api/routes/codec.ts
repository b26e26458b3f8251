/**
 * The codec endpoint for the Temporal UI (/codec/encode, /codec/decode): an authorised operator
 * (a supervisor: a bearer token, or the console's codec session cookie when the UI is served under
 * this origin) reads decoded payloads; anyone else gets 401/403 and the UI shows ciphertext.
 * CORS admits the UI's origin only.
 */
import express, { Router, type RequestHandler } from "express";
import { z } from "zod";
import type { Payload } from "@temporalio/common";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { HttpError } from "../errors";
import { register } from "../openapi";
import { rateLimit } from "../rate-limit";
import type { CodecSessions } from "../session";

const jsonPayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
const bodySchema = z.object({ payloads: z.array(jsonPayload).max(1000) });
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64")])),
  data: p.data === undefined ? undefined : Buffer.from(p.data, "base64"),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString("base64")])),
  data: p.data ? Buffer.from(p.data).toString("base64") : undefined,
});

/** The /codec router. */
export function codecRouter(deps: AppDeps, sessions: CodecSessions): Router {
  const r = Router();
  const origin = new URL(deps.config.TEMPORAL_UI_URL).origin;
  r.use((req, res, next) => {
    if (req.get("origin") === origin) {
      res.set({
        "access-control-allow-origin": origin,
        "access-control-allow-credentials": "true",
        vary: "origin",
        "access-control-allow-headers": "authorization, content-type, x-namespace",
        "access-control-allow-methods": "POST, OPTIONS",
      });
    }
    if (req.method === "OPTIONS") return void res.sendStatus(204);
    next();
  });
  // Decoded payloads carry the case's records: supervisors only (README, roles).
  const bearer = requireRole(deps.tokens, "supervisor");
  const supervisor: RequestHandler = (req, res, next) => {
    if (req.get("authorization")) return bearer(req, res, next);
    const principal = sessions.principal(req);
    if (!principal) return next(new HttpError(401, "unauthorized", "a valid bearer token or console session is required"));
    if (principal.role !== "supervisor") return next(new HttpError(403, "forbidden", "only supervisors may decode payloads"));
    req.principal = principal;
    next();
  };
  const operators = [supervisor, rateLimit("codec requests", deps.config.CODEC_RATE_PER_MINUTE)];
  for (const op of ["encode", "decode"] as const) {
    register({ method: "post", path: `/codec/${op}`, summary: `Temporal UI codec: ${op} payloads`, roles: ["supervisor"], body: bodySchema });
    r.post(`/${op}`, ...operators, express.json({ limit: "4mb" }), async (req, res) => {
      const { payloads } = bodySchema.parse(req.body);
      const out = await deps.codec[op](payloads.map(fromJson));
      res.json({ payloads: out.map(toJson) });
    });
  }
  return r;
}
