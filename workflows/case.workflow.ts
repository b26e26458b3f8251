/**
 * caseWorkflow: one hotline case from acceptance to revisit (Jiaozuo rules, arts. 5–13), told as
 * its story. The rules are in case-rules.ts and case-steps.ts; the lock, outbox and projector in
 * case-run.ts; the ledger's clock in deadline-clock.ts.
 */
import { allHandlersFinished, condition, patched } from "@temporalio/workflow";
import type { CaseInput, CaseResult } from "./contract";
import { CaseRun } from "./case-run";
import * as step from "./case-steps";
import { assign } from "./case-rules";
import { DeadlineClock } from "./deadline-clock";
import { legacyCaseWorkflow } from "./legacy/case-v3.workflow";

/** Patch of the case machine: runs started before it replay the frozen v3 code (workflows/legacy). */
export const CASE_MACHINE_PATCH = "case-machine";

/** The case workflow. */
export async function caseWorkflow(input: CaseInput): Promise<CaseResult> {
  // Decided before anything else, so that no local activity result can be replayed ahead of it.
  if (!patched(CASE_MACHINE_PATCH)) return legacyCaseWorkflow(input);
  const run = new CaseRun(input);
  run.start();
  // A case merged into an older one (a confirmed repeat) ends wherever its story stands; no command is
  // issued for the wait, so histories recorded before the merge action existed replay unchanged.
  return Promise.race([caseStory(run, input), endedByMerge(run)]);
}

/** Ends the case once it has been merged into an older case, after everything decided is done. */
async function endedByMerge(run: CaseRun): Promise<CaseResult> {
  const s = run.state;
  await condition(() => s.outcome === "merged");
  await run.drained();
  return { caseId: s.caseId, outcome: "merged", reopenCount: s.reopenCount };
}

/** The story of a case from acceptance to completion. */
async function caseStory(run: CaseRun, input: CaseInput): Promise<CaseResult> {
  const s = run.state;

  // A continued run first publishes what it carried over: search attributes, memo, the whole timeline.
  if (input.resume) await run.exclusive(() => undefined);

  // 1. Accept (受理) within the remit and jurisdiction, or return (退回) it to the platform.
  if (!input.resume && !(await acceptAndRoute(run))) {
    await run.drained();
    return { caseId: s.caseId, outcome: "returned", reopenCount: 0 };
  }

  // 2. Transfer (转办): the unit signs within the policy's working days, or a supervisor is alerted.
  await awaitSigning(run);

  // 3–6. Investigate, rectify and feed back against the four-colour ledger; then the revisit.
  //      A rebound or a dissatisfied reporter reopens the case, and it goes round again.
  void new DeadlineClock(run).run();
  for (;;) {
    await run.waitFor(() => s.stage === "closed" || s.stage === "revisit_pending");
    if (s.stage === "closed") await feedBack(run);
    if (!(await awaitRevisit(run))) break;
  }

  // 7. Complete once no reward is outstanding and nothing decided is left undone.
  await run.waitFor(() => allHandlersFinished() && !step.rewardOutstanding(s));
  await run.exclusive(() => step.complete(s, run.now()));
  await run.drained();
  return { caseId: s.caseId, outcome: "completed", reopenCount: s.reopenCount };
}

/** Patch: acceptance and the signing deadline in one activity, one workflow task less per case (docs/WORKFLOW.md). */
export const INTAKE_ONE_ACTIVITY_PATCH = "intake-one-activity";

/** Acceptance and the first routing; false when the order was returned. */
async function acceptAndRoute(run: CaseRun): Promise<boolean> {
  const s = run.state;
  return run.exclusive(async () => {
    if (patched(INTAKE_ONE_ACTIVITY_PATCH)) {
      // The signing time limit counts from acceptance: one instant for both.
      const at = run.now();
      const { acceptance, signDeadline } = await run.routing(at);
      run.enqueue(step.accept(s, acceptance, at));
      if (!acceptance.accepted) return false;
      assign(s, acceptance.unitId!, undefined, "routing rules", { at, nowMs: Date.now(), deadline: signDeadline! });
      return true;
    }
    const acceptance = await run.acceptance();
    run.enqueue(step.accept(s, acceptance, run.now()));
    if (!acceptance.accepted) return false;
    const at = run.now();
    const deadline = await run.deadline({ startAt: at, days: s.policy.signDays });
    assign(s, acceptance.unitId!, undefined, "routing rules", { at, nowMs: Date.now(), deadline });
    return true;
  });
}

/** Waits for signing; each routing has its own signing deadline, and a late one raises supervision once. */
async function awaitSigning(run: CaseRun): Promise<void> {
  const s = run.state;
  while (!s.signedAt) {
    const due = s.signDueAt!;
    const route = `${s.stage}|${s.unitId}|${due}|${s.signOverdue}`;
    const moved = () => !!s.signedAt || `${s.stage}|${s.unitId}|${s.signDueAt}|${s.signOverdue}` !== route;
    const timed = s.stage === "transferred" && !s.signOverdue;
    if (!(await run.waitFor(moved, timed ? Date.parse(due) : undefined))) await run.exclusive(() => run.enqueue(step.signOverdue(s, due, run.now())));
  }
}

/** Feedback on every order ("双反馈、一录入"), then the revisit is scheduled. */
async function feedBack(run: CaseRun): Promise<void> {
  const s = run.state;
  const mark = await run.exclusive(() => run.enqueue(step.closingEffects(s)));
  await run.effectsSettled(mark);
  // Deterministic in workflow code: the SDK seeds Math.random per run.
  const sampled = Math.random() < s.policy.revisitSampleRate;
  await run.exclusive(async () => step.scheduleRevisit(s, sampled, await run.deadline(step.revisitDeadline(s)), run.now()));
}

/** Waits for the revisit (a sampled case must get one); true when it reopened the case. */
async function awaitRevisit(run: CaseRun): Promise<boolean> {
  const s = run.state;
  const reopenCount = s.reopenCount;
  const revisits = s.revisits.length;
  const arrived = () => s.revisits.length > revisits;
  if (!(await run.waitFor(arrived, Date.parse(s.revisitDueAt!))) && s.revisitSampled) {
    await run.exclusive(() => run.enqueue(step.revisitDue(s)));
    await run.waitFor(arrived);
  }
  return s.reopenCount > reopenCount;
}
