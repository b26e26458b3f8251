/**
 * The storm's client for one case: actions over HTTP (to 127.0.0.1 only), repeat orders through
 * intake, `calendarChanged` straight to the workflow. Every call is bounded by a timeout and
 * answers a label for the histogram: the HTTP status, "no answer", or the signal's fate.
 */
import type { Client } from "@temporalio/client";
import type { QueryDefinition } from "@temporalio/common";
import { calendarChangedSignal, type stateQuery } from "../../workflows/messages";
import { benchOrder } from "../bench/load";

/** A work order as the storm posts it. */
export type StormOrder = ReturnType<typeof benchOrder>;

/** A case as the state query (and so the case view) answers it: whatever shape the workflow code gives it. */
export type CaseStatus = typeof stateQuery extends QueryDefinition<infer R> ? R : never;

/** Development tokens the storm acts with; the second supervisor comes from STORM_ENV. */
export const stormTokens = {
  integration: "dev-integration-token",
  dispatcher: "dev-dispatcher-token",
  supervisor: "dev-supervisor-token",
  supervisorB: "storm-supervisor-b-token",
  unit: (unitId: string | undefined) => `dev-unit-${unitId ?? "branch-jiefang"}-token`,
};

/** Label of a request that got no HTTP answer in time (counted with the 5xx). */
export const NO_ANSWER = "no answer";

/** One case as the storm sees it. */
export interface CaseApi {
  id: string;
  /** POSTs `/api/cases/{id}/{path}`; `kind` names it in the histogram. */
  act(path: string, token: string, body: unknown, kind?: string): Promise<string>;
  /** Posts a new order about the same subject and address as the case's first order. */
  repeat(): Promise<string>;
  /** Signals calendarChanged for the current year. */
  calendar(): Promise<string>;
  /** The case view (the workflow's state) as a supervisor sees it, or the label of the failed answer. */
  view(): Promise<CaseStatus | string>;
}

/** A JSON request to the API with a timeout; the label and the parsed body. */
export async function request(
  base: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
  timeoutMs: number,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ label: string; body: any }> {
  try {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { label: String(res.status), body: json };
  } catch {
    return { label: NO_ANSWER, body: undefined };
  }
}

/** The client of case `id`, opened by `first`; `record` sees every answer (kind, label). Several bases (API processes): calls take turns. */
export function caseApi(opts: {
  base: string | string[];
  client: Client;
  id: string;
  first: StormOrder;
  tag: string;
  timeoutMs: number;
  record: (kind: string, label: string) => void;
}): CaseApi {
  const { client, id, first, tag, timeoutMs, record } = opts;
  const bases = [opts.base].flat();
  let turn = 0;
  const call = async (kind: string, method: string, path: string, token: string, body?: unknown) => {
    const r = await request(bases[turn++ % bases.length]!, method, path, token, body, timeoutMs);
    record(kind, r.label);
    return r;
  };
  return {
    id,
    act: async (path, token, body, kind = path) => (await call(kind, "POST", `/api/cases/${id}/${path}`, token, body)).label,
    repeat: async () =>
      (await call("repeat order", "POST", "/api/orders", stormTokens.integration, benchOrder(tag, { subject: first.subject, address: first.address }))).label,
    async calendar() {
      const label = await client.workflow
        .getHandle(id)
        .signal(calendarChangedSignal, { year: new Date().getFullYear() })
        .then(
          () => "signalled",
          () => "signal refused",
        );
      record("calendarChanged", label);
      return label;
    },
    async view() {
      const r = await call("view", "GET", `/api/cases/${id}`, stormTokens.supervisor);
      return r.label === "200" ? (r.body as CaseStatus) : r.label;
    },
  };
}
