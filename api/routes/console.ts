/**
 * The supervisor console: the static files of `console/` (plain HTML, ES modules, CSS; no build
 * step) under /console, and `/` redirecting there. The console calls the JSON API on the same
 * origin with the bearer token its user pastes; these routes themselves need no token.
 */
import { fileURLToPath } from "node:url";
import express, { Router } from "express";

/** The folder the console's files are served from. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../console/", import.meta.url));

/** Only the console's own files and the same-origin API: no inline script, no third party. */
const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join("; ");

/** The console router (mount at the app's root). */
export function consoleRouter(): Router {
  const r = Router();
  r.get("/", (_req, res) => { res.redirect(302, "/console/"); });
  r.use("/console", (_req, res, next) => { res.set("content-security-policy", CSP); next(); },
    express.static(CONSOLE_DIR, { index: "index.html", redirect: true, dotfiles: "ignore", fallthrough: true }));
  return r;
}
