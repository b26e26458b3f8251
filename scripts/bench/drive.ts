/**
 * Drives one case over HTTP from intake to a submitted revisit, retrying actions the case is not ready for yet.
 * Given several API processes (the cluster), a call without an answer or a 503 is retried on the next one.
 */
import { api, benchOrder, devTokens, investigationBody } from "./load";

const record = investigationBody;

/** The API processes to call and the one in use. */
type Apis = { bases: string[]; at: number };

/** Calls moved to another API process since the start (the api-kill drill checks its fault met traffic). */
export const driveStats = { failovers: 0 };

/**
 * Calls until the answer is not 409 (stage not reached yet) or 503 (a backing service is away); a 404
 * is retried for a while too: a unit cannot tell a case not yet routed to it from a missing one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function act(apis: Apis, path: string, token: string, body: unknown, tries = 600): Promise<{ status: number; body: any }> {
  // One idempotency key per logical action: a retry after a lost answer is applied once, on any API process
  // (the keys are kept in the database).
  const headers = { "idempotency-key": path.replace(/[^A-Za-z0-9._:-]/g, ":") };
  for (let i = 0; ; i++) {
    const res = await api(apis.bases[apis.at % apis.bases.length]!, "POST", path, token, body, headers).catch(() => ({ status: 599, body: undefined }));
    if ((res.status === 599 || res.status === 503) && apis.bases.length > 1) {
      apis.at++; // this process is away: fail over
      driveStats.failovers++;
    }
    const retry = [409, 503, 599, 500].includes(res.status) || (res.status === 404 && i < 100);
    if (!retry || i >= tries) return res;
    await new Promise((r) => setTimeout(r, Math.min(1000, 50 * (i + 1))));
  }
}

/** Runs one case's life; with `reward`, also applies for and approves a reward. Returns the case id. */
export async function driveCase(base: string | string[], prefix: string, reward = false, first = 0): Promise<string> {
  const apis: Apis = { bases: [base].flat(), at: first };
  const intake = await act(apis, "/api/orders", devTokens.integration, benchOrder(prefix));
  if (intake.status >= 300) throw new Error(`intake ${intake.status} ${JSON.stringify(intake.body)}`);
  const id = intake.body.caseId as string;
  const step = async (path: string, token: string, body: unknown) => {
    const res = await act(apis, `/api/cases/${id}/${path}`, token, body);
    if (res.status !== 200 && res.status !== 202) throw new Error(`${path} ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  await step("sign", devTokens.unit, {});
  await step("investigation", devTokens.unit, record);
  await step("rectification", devTokens.unit, { immediate: true, note: "当场整改" });
  if (reward) {
    const applied = await step("rewards", devTokens.unit, { amountYuan: 200, reason: "举报属实" });
    await step(`rewards/${applied.rewardId}/decision`, devTokens.supervisor, { approve: true });
  }
  await step("feedback", devTokens.unit, { findings: "属实", handlingOpinion: "责令整改", evidence: [], result: "已整改", handler: "张三" });
  await step("revisits", devTokens.supervisor, { rebound: false, satisfied: true });
  return id;
}
