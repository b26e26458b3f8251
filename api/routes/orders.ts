/** POST /api/orders: intake from the hotline platform integration, rate-limited per token. */
import { Router } from "express";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { HttpError } from "../errors";
import { intakeOrder } from "../intake";
import { register } from "../openapi";
import { intakeResponseSchema, orderSchema } from "../schemas";

/** A fixed-window counter per key. */
function rateLimiter(perMinute: number) {
  const windows = new Map<string, { start: number; n: number }>();
  return (key: string) => {
    const now = Date.now();
    const w = windows.get(key);
    if (!w || now - w.start >= 60_000) {
      windows.set(key, { start: now, n: 1 });
      return true;
    }
    return ++w.n <= perMinute;
  };
}

/** The /api/orders router. */
export function ordersRouter(deps: AppDeps): Router {
  const r = Router();
  const allow = rateLimiter(deps.config.INTAKE_RATE_PER_MINUTE);
  register({
    method: "post",
    path: "/api/orders",
    summary: "Take in a hotline work order (idempotent on orderNo)",
    roles: ["integration"],
    body: orderSchema,
    response: intakeResponseSchema,
    statuses: ["200", "201"],
  });
  r.post("/", requireRole(deps.tokens, "integration", "admin"), async (req, res) => {
    if (!allow(req.principal!.name)) throw new HttpError(429, "rate_limited", `at most ${deps.config.INTAKE_RATE_PER_MINUTE} orders a minute per token`);
    const body = orderSchema.parse(req.body);
    const result = await intakeOrder({ ...deps, repeatWindowDays: deps.config.REPEAT_WINDOW_DAYS }, body);
    res.status(result.created ? 201 : 200).json(result);
  });
  return r;
}
