/** POST /api/orders: intake from the hotline platform integration, rate-limited per token holder. */
import { Router } from "express";
import { requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { intakeOrder } from "../intake";
import { register } from "../openapi";
import { rateLimit } from "../rate-limit";
import { intakeResponseSchema, orderSchema } from "../schemas";

/** The /api/orders router. */
export function ordersRouter(deps: AppDeps): Router {
  const r = Router();
  register({
    method: "post",
    path: "/api/orders",
    summary: "Take in a hotline work order (idempotent on orderNo)",
    roles: ["integration"],
    body: orderSchema,
    response: intakeResponseSchema,
    statuses: ["200", "201"],
  });
  r.post("/", requireRole(deps.tokens, "integration", "admin"), rateLimit("orders", deps.config.INTAKE_RATE_PER_MINUTE), async (req, res) => {
    const body = orderSchema.parse(req.body);
    const result = await intakeOrder({ ...deps, repeatWindowDays: deps.config.REPEAT_WINDOW_DAYS }, body);
    res.status(result.created ? 201 : 200).json(result);
  });
  return r;
}
