/** /health (liveness) and /ready (Temporal and the database answer). */
import { Router } from "express";
import type { AppDeps } from "../deps";
import { register } from "../openapi";

/** The health router. */
export function healthRouter(deps: AppDeps): Router {
  const r = Router();
  register({ method: "get", path: "/health", summary: "Liveness", roles: ["anyone"] });
  r.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  register({ method: "get", path: "/ready", summary: "Readiness: Temporal and the database", roles: ["anyone"] });
  r.get("/ready", async (_req, res) => {
    const check = async (f: () => Promise<unknown>) =>
      f().then(
        () => "ok",
        () => "unavailable",
      );
    const [temporal, database] = await Promise.all([
      check(() => deps.temporal.workflowService.getSystemInfo({})),
      check(() => deps.prisma.$queryRaw`SELECT 1`),
    ]);
    const ok = temporal === "ok" && database === "ok";
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "not_ready", temporal, database });
  });
  return r;
}
