/** createApp(deps): the Express app with every route, without listening. */
import { createServer, type Server } from "node:http";
import express, { type Express } from "express";
import type { AppDeps } from "./deps";
import { errorHandler, HttpError } from "./errors";
import { openApiDocument } from "./openapi";
import { requestLog } from "./request-log";
import { calendarRouter } from "./routes/calendar";
import { approvalsRouter } from "./routes/approvals";
import { auditRouter } from "./routes/audit";
import { casesRouter } from "./routes/cases";
import { evidenceRouter } from "./routes/evidence";
import { codecRouter } from "./routes/codec";
import { sessionRouter } from "./routes/session";
import { CodecSessions } from "./session";
import { temporalUiProxy } from "./temporal-ui-proxy";
import { healthRouter } from "./routes/health";
import { consoleRouter } from "./routes/console";
import { ordersRouter } from "./routes/orders";
import { reportsArchiveRouter } from "./routes/reports-archive";
import { repeatsRouter } from "./routes/repeats";
import { statsRouter } from "./routes/stats";
import { docsPage } from "./docs-page";

/** Builds the app. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(requestLog);
  app.use((_req, res, next) => {
    res.set({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer", "cache-control": "no-store" });
    next();
  });
  // The Temporal UI under this origin (when configured), before any body parsing: the proxy streams.
  if (deps.config.TEMPORAL_UI_UPSTREAM) app.use(temporalUiProxy(deps.config.TEMPORAL_UI_UPSTREAM));
  const sessions = new CodecSessions(deps.tokens, deps.config.SESSION_SECRET);
  // Authenticate before reading a body: a request without a valid token (or, for the codec, a console session) is refused before its body is parsed.
  app.use((req, _res, next) => {
    const hasBody = Number(req.get("content-length") ?? 0) > 0 || req.get("transfer-encoding") !== undefined;
    if (!hasBody || req.method === "OPTIONS" || !(req.path.startsWith("/api/") || req.path.startsWith("/codec/"))) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    if (m && deps.tokens.verify(m[1]!)) return next();
    if (!m && req.path.startsWith("/codec/") && sessions.principal(req)) return next();
    next(new HttpError(401, "unauthorized", "a valid bearer token is required"));
  });
  app.use("/codec", codecRouter(deps, sessions));
  app.use(express.json({ limit: deps.config.BODY_LIMIT }));
  app.use(healthRouter(deps));
  app.use("/api/session", sessionRouter(deps, sessions));
  app.use("/api/orders", ordersRouter(deps));
  app.use(evidenceRouter(deps));
  app.use("/api/cases", casesRouter(deps));
  app.use("/api/calendar", calendarRouter(deps));
  app.use("/api/reports", reportsArchiveRouter(deps));
  app.use("/api", statsRouter(deps));
  app.use(approvalsRouter(deps));
  app.use(auditRouter(deps));
  app.use(repeatsRouter(deps));
  app.use(consoleRouter(deps));
  app.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });
  app.get("/docs", (_req, res) => {
    res.type("html").send(docsPage());
  });
  app.use((req, _res, next) => next(new HttpError(404, "route_not_found", `no route ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

/** The HTTP server for an app, with timeouts: a request (a slowly dripped body) is cut off after REQUEST_TIMEOUT_MS. */
export function createHttpServer(app: Express, config: Pick<AppDeps["config"], "REQUEST_TIMEOUT_MS" | "HEADERS_TIMEOUT_MS">): Server {
  const server = createServer(
    {
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      headersTimeout: Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: Math.min(1000, config.REQUEST_TIMEOUT_MS),
    },
    app,
  );
  server.keepAliveTimeout = 5_000;
  return server;
}
