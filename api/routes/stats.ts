/** Statistics and reports (supervisor, admin). Wired to api/stats once it exists. */
import { Router } from "express";
import type { AppDeps } from "../app";

/** The stats router. */
export function statsRouter(_deps: AppDeps): Router {
  return Router();
}
