/**
 * Fixed-window rate limits per token holder (the principal's name), answering 429 `rate_limited`
 * with `Retry-After` (seconds until the window ends). Use after requireRole.
 */
import type { NextFunction, Request, Response } from "express";
import { HttpError } from "./errors";

/** A counter per key over one-minute windows; `take` answers how long to wait (0 when allowed). */
export function fixedWindow(perMinute: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; n: number }>();
  return (key: string): number => {
    const t = now();
    const w = windows.get(key);
    if (!w || t - w.start >= 60_000) {
      if (windows.size > 10_000) for (const [k, v] of windows) if (t - v.start >= 60_000) windows.delete(k);
      windows.set(key, { start: t, n: 1 });
      return 0;
    }
    return ++w.n <= perMinute ? 0 : Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000));
  };
}

/** Middleware: at most `perMinute` requests a minute per token holder for this group of routes. */
export function rateLimit(what: string, perMinute: number) {
  const take = fixedWindow(perMinute);
  return (req: Request, res: Response, next: NextFunction) => {
    const wait = take(req.principal?.name ?? req.ip ?? "?");
    if (!wait) return next();
    res.set("retry-after", String(wait));
    next(new HttpError(429, "rate_limited", `at most ${perMinute} ${what} a minute per token; retry in ${wait} s`));
  };
}
