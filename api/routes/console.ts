/**
 * The supervisor console: the static files of `console/` (plain HTML, ES modules, CSS; no build
 * step) under /console, and `/` redirecting there. The console calls the JSON API on the same
 * origin with the bearer token its user pastes; the static files themselves need no token.
 *
 * Given the token registry, it also serves GET /api/me (any role): who the presented token is,
 * which the console needs to show each role its own actions.
 */
import { fileURLToPath } from "node:url";
import express, { Router } from "express";
import { z } from "zod";
import { requireRole, ROLES } from "../auth";
import type { AppDeps } from "../deps";
import { register } from "../openapi";

/** The folder the console's files are served from. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../console/", import.meta.url));

/** Only the console's own files and the same-origin API: no inline script, no third party. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:", // blob: evidence thumbnails, fetched with the token
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Response of GET /api/me. */
export const meResponseSchema = z.object({ role: z.enum(ROLES), name: z.string(), unitId: z.string().optional() });

/** The console router (mount at the app's root, before the 404 handler). */
export function consoleRouter(deps?: Pick<AppDeps, "tokens">): Router {
  const r = Router();
  r.get("/", (_req, res) => {
    res.redirect(302, "/console/");
  });
  r.use(
    "/console",
    (_req, res, next) => {
      res.set("content-security-policy", CONSOLE_CSP);
      next();
    },
    express.static(CONSOLE_DIR, { index: "index.html", redirect: true, dotfiles: "ignore", fallthrough: true }),
  );

  if (deps) {
    register({ method: "get", path: "/api/me", summary: "The signed-in principal (role, name, unit)", roles: ["all"], response: meResponseSchema });
    r.get("/api/me", requireRole(deps.tokens, ...ROLES), (req, res) => {
      const p = req.principal!;
      res.json({ role: p.role, name: p.name, ...(p.unitId ? { unitId: p.unitId } : {}) });
    });
  }
  return r;
}
