/**
 * A request id per request (the caller's `x-request-id` when it is a plain token, else a new one),
 * echoed in the response and written with one JSON log line per request. Paths only: query
 * strings and bodies are never logged (they may carry personal data).
 */
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { log } from "../observability/log";

declare module "express-serve-static-core" {
  interface Request {
    id?: string;
  }
}

/** The middleware. */
export function requestLog(req: Request, res: Response, next: NextFunction): void {
  const given = req.get("x-request-id");
  req.id = given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
  res.set("x-request-id", req.id);
  const t0 = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const fields = { requestId: req.id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
    if (res.statusCode >= 500) log.error("request", fields);
    else log.debug("request", fields);
  });
  next();
}
