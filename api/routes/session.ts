/** The console's codec session: POST opens it for the bearer's holder, DELETE ends it (api/session.ts). */
import { Router } from "express";
import { bearerToken, requireRole, tokenHash } from "../auth";
import type { AppDeps } from "../deps";
import { register } from "../openapi";
import type { CodecSessions } from "../session";

/** The /api/session router. */
export function sessionRouter(deps: AppDeps, sessions: CodecSessions): Router {
  const r = Router();
  register({
    method: "post",
    path: "/api/session",
    summary: "Open the codec session (an HttpOnly cookie for the Temporal UI's codec calls)",
    roles: ["all"],
    statuses: ["204"],
  });
  r.post("/", requireRole(deps.tokens, "integration", "unit", "dispatcher", "supervisor", "admin"), (req, res) => {
    sessions.open(res, tokenHash(bearerToken(req)!), req.secure);
    res.sendStatus(204);
  });
  register({ method: "delete", path: "/api/session", summary: "End the codec session", roles: ["anyone"], statuses: ["204"] });
  r.delete("/", (req, res) => {
    sessions.close(res, req.secure);
    res.sendStatus(204);
  });
  return r;
}
