/**
 * The Temporal UI under the API's own origin (`/temporal/`, the UI started with that public path):
 * its codec calls to `/codec` are then same-origin, so the console's session cookie goes with them.
 */
import type { RequestHandler } from "express";
import { createProxyMiddleware } from "http-proxy-middleware";

/** Proxies `/temporal/…` to the UI server at `upstream`. */
export function temporalUiProxy(upstream: string): RequestHandler {
  return createProxyMiddleware({ target: upstream, pathFilter: "/temporal", changeOrigin: true, xfwd: true });
}
