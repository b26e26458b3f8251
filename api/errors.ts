/**
 * One error shape `{ code, message, details? }`, and the one place that maps domain, validation,
 * body-parser and Temporal errors to HTTP statuses. A client's mistake never yields a 500.
 */
import type { ErrorRequestHandler } from "express";
import {
  ApplicationFailure,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from "@temporalio/client";
import { z } from "zod";
import { Failure } from "../workflows/contract";
import { log } from "../observability/log";

/** The body of every error response. */
export const errorSchema = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });

/** An error with an HTTP status and a machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const byFailureType: Record<string, [number, string]> = {
  [Failure.invalidState]: [409, "invalid_state"],
  [Failure.rule]: [422, "business_rule"],
  [Failure.notFound]: [404, "not_found"],
  [Failure.forbidden]: [403, "forbidden"],
};

/** Maps any thrown value to a status and error body. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof z.ZodError)
    return new HttpError(
      400,
      "invalid_request",
      "the request is invalid",
      err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  const e = err as { type?: string; status?: number; message?: string; code?: number; name?: string; cause?: { details?: unknown } };
  if (e?.type === "invalid_period") return new HttpError(400, "invalid_period", e.message ?? "invalid period");
  if (e?.type === "entity.too.large") return new HttpError(413, "payload_too_large", "the request body is too large");
  if (e?.type === "entity.parse.failed") return new HttpError(400, "invalid_json", "the request body is not valid JSON");
  if (e?.type && typeof e.status === "number" && e.status >= 400 && e.status < 500) return new HttpError(e.status, "bad_request", e.message ?? "bad request");
  // A body declared gzip/deflate/br that is not: zlib's error reaches here without an HTTP status.
  const zcode = (err as { code?: unknown })?.code;
  if (
    (typeof zcode === "string" && /^(Z_|ERR_BROTLI|ERR__?ZLIB)/.test(zcode)) ||
    /incorrect header check|invalid (block type|stored block|distance)|unexpected end of file|Decompression failed/i.test(e?.message ?? "")
  )
    return new HttpError(400, "invalid_encoding", "the request body does not match its Content-Encoding");
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type && byFailureType[cause.type]) {
      const [status, code] = byFailureType[cause.type]!;
      return new HttpError(status, code, cause.message);
    }
    return new HttpError(409, "invalid_state", err.cause?.message ?? err.message);
  }
  // Temporal aborts an Update it had not yet delivered when the run closes or continues as new (gRPC UNAVAILABLE
  // "workflow update was aborted"): nothing was applied, and the case has moved on under the request.
  if (/workflow update was aborted/i.test(String(e?.cause?.details ?? "")))
    return new HttpError(
      409,
      "update_aborted",
      "the case finished or moved on while this action was on its way; nothing was applied: read the case and send it again if still needed",
    );
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new HttpError(
      504,
      "timeout",
      "the case did not answer in time; the action may still be applied: send it again with the same Idempotency-Key to get its outcome",
    );
  // The Temporal client wraps a failed call in a ServiceError whose cause carries the gRPC status.
  const grpc = err instanceof ServiceError ? (err.cause as { code?: number; details?: string } | undefined) : undefined;
  // An Update to a run whose workflow task is being retried (a worker timed out or crashed on it) is refused
  // until a task succeeds (FAILED_PRECONDITION, WorkflowNotReady): seen on the cluster under CPU starvation.
  if (grpc?.code === 9 && /workflow task failure|not ready/i.test(grpc.details ?? ""))
    return new HttpError(503, "case_busy", "the case is recovering from a failed workflow task; nothing was applied: retry in a moment");
  // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: the Temporal service is down, slow or shedding load.
  if (grpc?.code === 14 || grpc?.code === 4 || grpc?.code === 8) return new HttpError(503, "unavailable", "a backing service is unavailable; retry later");
  if (err instanceof WorkflowNotFoundError) {
    // An update to a case whose workflow has finished reads as "not found" to Temporal.
    return /completed|finished|closed/i.test(err.message)
      ? new HttpError(409, "case_finished", "the case has finished; no further actions are possible")
      : new HttpError(404, "case_not_found", "no such case");
  }
  if (/workflow execution already completed/i.test(e?.message ?? ""))
    return new HttpError(409, "case_finished", "the case has finished; no further actions are possible");
  // Overload or an outage of a backing service is not the client's fault, and retrying later helps:
  // Temporal UNAVAILABLE, an unreachable database, Prisma's pool or transaction wait timing out.
  const prismaCode = (err as { code?: unknown })?.code;
  if (
    prismaCode === "P2024" ||
    prismaCode === "P2028" ||
    /Unable to start a transaction in the given time|Timed out fetching a new connection/i.test(e?.message ?? "")
  )
    return new HttpError(503, "overloaded", "the service is overloaded; retry later");
  if (
    e?.code === 14 ||
    /UNAVAILABLE|ECONNREFUSED|Can't reach database|Connection terminated unexpectedly|connection error and is not queryable/i.test(e?.message ?? "") ||
    // PostgreSQL stopping, starting or recovering (SQLSTATE 57P01, 57P03): the database is back in a moment.
    /the database system is (shutting down|starting up|in recovery mode|not yet accepting connections)|terminating connection due to administrator command/i.test(
      e?.message ?? "",
    )
  )
    return new HttpError(503, "unavailable", "a backing service is unavailable; retry later");
  return new HttpError(500, "internal", "internal error");
}

/** Express error handler: logs server errors without request bodies, answers with the error shape. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const h = toHttpError(err);
  if (h.status >= 500)
    log.error("request failed", { requestId: req.id, method: req.method, path: req.path, status: h.status, error: (err as Error)?.message?.slice(0, 300) });
  if (h.status === 503) res.set("retry-after", "5");
  res.status(h.status).json({ code: h.code, message: h.message, ...(h.details !== undefined ? { details: h.details } : {}) });
};
