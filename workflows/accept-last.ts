/**
 * Workflow interceptor: in runs that carry patch `update-accept-last`, each Update's acceptance goes
 * after the other commands of its activation (before its own outcome or a closing command).
 *
 * Why (docs/WORKFLOW.md "Updates and queries ahead of a workflow task"): answering a legacy query,
 * the SDK applies the history the query came with, events newer than the last workflow task
 * included, and wakes the workflow with them. An Update delivered by the next workflow task then
 * lands in an activation of its own, so the run records [that wake's commands, accept, the
 * update's commands]. Replay delivers the Update and those events in one activation, Update first,
 * and the SDK accepts an Update as soon as it is delivered: [accept, that wake's commands, ...], a
 * nondeterminism error. With every acceptance moved behind its activation's other commands, both
 * give [that wake's commands, the update's commands, accept].
 */
import type { coresdk } from "@temporalio/proto";
import type { WorkflowInterceptorsFactory } from "@temporalio/workflow";

/** The patch that turns the ordering on (decided in the workflow's first lines; runs without it keep the SDK's order). */
export const ACCEPT_LAST_PATCH = "update-accept-last";

type Command = coresdk.workflow_commands.IWorkflowCommand;

// Commands that end the run: nothing may follow them.
const CLOSING = ["completeWorkflowExecution", "failWorkflowExecution", "continueAsNewWorkflowExecution", "cancelWorkflowExecution"] as const;

const isAccept = (c: Command) => !!c.updateResponse?.accepted;

/** The commands with each Update's acceptance moved after the others: before that Update's outcome, a closing command, or at the end. */
export function acceptsLast(commands: Command[]): Command[] {
  const accepts = commands.filter(isAccept);
  if (accepts.length === 0) return commands;
  const out = commands.filter((c) => !isAccept(c));
  for (const accept of accepts) {
    const id = accept.updateResponse!.protocolInstanceId;
    const at = out.findIndex((c) => c.updateResponse?.protocolInstanceId === id || CLOSING.some((k) => c[k]));
    out.splice(at < 0 ? out.length : at, 0, accept);
  }
  return out;
}

/** The interceptors of one run: on once the run has the patch marker (a new run records it; a replay is told of it). */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let on = false;
  return {
    internals: [
      {
        activate(input, next) {
          if (input.activation.jobs?.some((j) => j.notifyHasPatch?.patchId === ACCEPT_LAST_PATCH)) on = true;
          return next(input);
        },
        concludeActivation(input, next) {
          const out = next(input);
          if (!on && out.commands.some((c) => c.setPatchMarker?.patchId === ACCEPT_LAST_PATCH)) on = true;
          return on ? { ...out, commands: acceptsLast(out.commands) } : out;
        },
      },
    ],
  };
};
