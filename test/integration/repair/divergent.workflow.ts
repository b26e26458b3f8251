/**
 * Test-only workflows module (test/integration/repair.test.ts): a `caseWorkflow` that is the frozen
 * v3 code, started without the case-machine patch (a legacy run), with one extra command in one
 * handler — a memo upsert once the legacy `sign` handler has run. A history it writes through a
 * signing does not replay against the real code: the deterministic way to make a stuck case.
 * The worker needs this module both as its workflowsPath and among interceptors.workflowModules.
 */
import { upsertMemo, type WorkflowInterceptorsFactory } from "@temporalio/workflow";
import type { CaseInput, CaseResult } from "../../../workflows/contract";
import { legacyCaseWorkflow } from "../../../workflows/legacy/case-v3.workflow";

/** The v3 case workflow, as a run that started before the case machine. */
export async function caseWorkflow(input: CaseInput): Promise<CaseResult> {
  return legacyCaseWorkflow(input);
}

/** The divergence: signing ends with a memo upsert (WorkflowPropertiesModified) the real code never makes. */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async handleUpdate(input, next) {
        const result = await next(input);
        if (input.name === "sign") upsertMemo({ divergence: "sign" });
        return result;
      },
    },
  ],
});
