/** createApp(deps): the Express app with every route, without listening. */
import express, { type Express } from "express";
import type { AppDeps } from "./deps";
import { errorHandler, HttpError } from "./errors";
import { openApiDocument } from "./openapi";
import { requestLog } from "./request-log";
import { calendarRouter } from "./routes/calendar";
import { approvalsRouter } from "./routes/approvals";
import { casesRouter } from "./routes/cases";
import { codecRouter } from "./routes/codec";
import { healthRouter } from "./routes/health";
import { consoleRouter } from "./routes/console";
import { ordersRouter } from "./routes/orders";
import { reportsArchiveRouter } from "./routes/reports-archive";
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
  app.use("/codec", codecRouter(deps));
  app.use(express.json({ limit: deps.config.BODY_LIMIT }));
  app.use(healthRouter(deps));
  app.use("/api/orders", ordersRouter(deps));
  app.use("/api/cases", casesRouter(deps));
  app.use("/api/calendar", calendarRouter(deps));
  app.use("/api/reports", reportsArchiveRouter(deps));
  app.use("/api", statsRouter(deps));
  app.use(approvalsRouter(deps));
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
