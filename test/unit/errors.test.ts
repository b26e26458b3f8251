/** Error mapping (unit, no servers): client mistakes are 4xx, overload and outages 503, never a bare 500. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApplicationFailure, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from "@temporalio/client";
import { HttpError, toHttpError } from "../../api/errors";

const updateFailure = (type: string) => new WorkflowUpdateFailedError("Workflow Update failed", ApplicationFailure.create({ type, message: `a ${type}` }));

describe("toHttpError", () => {
  it("maps validation, body-parser and update failures to 4xx with codes", () => {
    const zerr = z.object({ a: z.string() }).safeParse({}).error!;
    expect(toHttpError(zerr)).toMatchObject({ status: 400, code: "invalid_request" });
    expect(toHttpError({ type: "entity.too.large", status: 413 })).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(toHttpError({ type: "entity.parse.failed", status: 400 })).toMatchObject({ status: 400, code: "invalid_json" });
    expect(toHttpError(updateFailure("InvalidState"))).toMatchObject({ status: 409, code: "invalid_state" });
    expect(toHttpError(updateFailure("BusinessRule"))).toMatchObject({ status: 422, code: "business_rule" });
    expect(toHttpError(updateFailure("NotFound"))).toMatchObject({ status: 404 });
    expect(toHttpError(updateFailure("Forbidden"))).toMatchObject({ status: 403 });
    expect(toHttpError(new HttpError(429, "rate_limited", "slow down"))).toMatchObject({ status: 429 });
  });

  it("answers an Update Temporal aborted (the run closed or continued as new before taking it) with 409, not 500", () => {
    const aborted = new ServiceError("Workflow Update failed", {
      cause: Object.assign(new Error("14 UNAVAILABLE: workflow update was aborted"), { code: 14, details: "workflow update was aborted" }),
    });
    expect(toHttpError(aborted)).toMatchObject({ status: 409, code: "update_aborted" });
  });

  it("answers Temporal outages and a case whose workflow task is being retried with 503, as the real client wraps them (ServiceError with a gRPC cause)", () => {
    const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });
    // Seen on the cluster under CPU starvation: workflow tasks timed out, and `sign` answered 500 for 40 s.
    const notReady = new ServiceError("Workflow Update failed", {
      cause: grpc(9, "Unable to perform workflow execution update due to unexpected workflow task failure."),
    });
    expect(toHttpError(notReady)).toMatchObject({ status: 503, code: "case_busy" });
    // Seen when the cluster's Temporal server lost its database: intake answered 500 after 24 s.
    expect(toHttpError(new ServiceError("Failed to start Workflow", { cause: grpc(14, "connection refused") }))).toMatchObject({
      status: 503,
      code: "unavailable",
    });
    expect(toHttpError(new ServiceError("Failed to start Workflow", { cause: grpc(4, "context deadline exceeded") }))).toMatchObject({ status: 503 });
    expect(toHttpError(new ServiceError("Failed to signal Workflow", { cause: grpc(8, "namespace rate limit exceeded") }))).toMatchObject({ status: 503 });
    expect(toHttpError(new WorkflowUpdateRPCTimeoutOrCancelledError("Workflow update call timeout or cancelled"))).toMatchObject({
      status: 504,
      code: "timeout",
    });
    // Other gRPC failures are still the server's problem.
    expect(toHttpError(new ServiceError("Failed to start Workflow", { cause: grpc(13, "internal") }))).toMatchObject({ status: 500 });
  });

  it("answers overload and outages with 503, and only unknown errors with 500", () => {
    expect(toHttpError(Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), { code: "P2028" }))).toMatchObject({
      status: 503,
      code: "overloaded",
    });
    expect(toHttpError(Object.assign(new Error("14 UNAVAILABLE: connection refused"), { code: 14 }))).toMatchObject({ status: 503 });
    expect(toHttpError(new Error("Connection terminated unexpectedly"))).toMatchObject({ status: 503 });
    // Seen in the cluster's db-restart drill: requests met PostgreSQL shutting down and answered 500.
    expect(toHttpError(new Error("the database system is shutting down"))).toMatchObject({ status: 503, code: "unavailable" });
    expect(toHttpError(new Error("the database system is starting up"))).toMatchObject({ status: 503, code: "unavailable" });
    expect(toHttpError(new Error("terminating connection due to administrator command"))).toMatchObject({ status: 503 });
    expect(toHttpError(new Error("boom"))).toMatchObject({ status: 500, code: "internal" });
  });
});
