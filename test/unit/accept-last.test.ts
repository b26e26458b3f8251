/** Unit (pure, no server): the order of Update acceptances (workflows/accept-last.ts). */
import { describe, expect, it } from "vitest";
import { acceptsLast } from "../../workflows/accept-last";

const accept = (id: string) => ({ updateResponse: { protocolInstanceId: id, accepted: {} } });
const completed = (id: string) => ({ updateResponse: { protocolInstanceId: id, completed: {} } });
const activity = (name: string) => ({ scheduleActivity: { activityType: name } });
const upsert = { upsertWorkflowSearchAttributes: {} };
const memo = { modifyWorkflowProperties: {} };
const timer = { startTimer: { seq: 1 } };
const done = { completeWorkflowExecution: {} };

describe("acceptsLast", () => {
  it("gives the recorded order whether the Update came with the events or after a wake of its own", () => {
    // The cluster's broken case: the routing's deadline resolved (upsert, memo, projection, signing timer),
    // and `sign` was accepted and scheduled its own deadline. Replay delivers both in one activation, the
    // Update first; the run had woken for the resolution while answering a query, and got the Update after.
    const wake = [upsert, memo, activity("projectCase"), timer];
    const signs = [activity("computeDeadline")];
    const oneActivation = [accept("sign"), ...wake, ...signs];
    const twoActivations = [...acceptsLast(wake), ...acceptsLast([accept("sign"), ...signs])];
    expect(acceptsLast(oneActivation)).toEqual(twoActivations);
    expect(acceptsLast(oneActivation)).toEqual([...wake, ...signs, accept("sign")]);
    // Without the ordering the two differ: the nondeterminism error the cluster drill found.
    expect(oneActivation).not.toEqual([...wake, accept("sign"), ...signs]);
  });

  it("keeps each acceptance before its Update's outcome and before a closing command, in arrival order", () => {
    expect(acceptsLast([accept("a"), accept("b"), activity("x"), completed("a"), activity("y")])).toEqual([
      activity("x"),
      accept("a"),
      completed("a"),
      activity("y"),
      accept("b"),
    ]);
    expect(acceptsLast([accept("a"), activity("x"), done])).toEqual([activity("x"), accept("a"), done]);
    const none = [upsert, memo];
    expect(acceptsLast(none)).toBe(none);
  });
});
