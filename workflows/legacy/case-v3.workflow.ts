/**
 * The case workflow as it ran before the case machine (v3): kept unchanged so that runs started
 * before patch "case-machine" replay exactly as they ran. Frozen: never edit its logic (the one
 * addition, the migrateToCaseMachine signal, adds no command to a history without it). It is
 * deleted when no such run is open any more (the retirement plan in docs/WORKFLOW.md).
 */
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler,
  upsertMemo, upsertSearchAttributes, workflowInfo,
} from "@temporalio/workflow";
import type { Activities } from "../../activities";
import {
  Failure, HANDLING_DAYS, HANDLING_STAGES, SA, type CaseInput, type CaseResult, type Stage,
} from "../contract";
import {
  approvedExtensionDays, colourAt, hasRealNameReporter, initialState, missingForClosing, nextColourChange, readModelRow,
  type LegacyCaseState,
} from "../case-state";
import { caseView } from "../case-view";
import * as m from "../messages";

// Reads and writes of the read model and the calendar: quick, retried until the database is back.
const storeOptions = {
  startToCloseTimeout: "30 seconds",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "30 seconds" },
} as const;
const remoteStore = proxyActivities<Activities>(storeOptions);
// From patch "local-store" on, the same idempotent activities run as local activities: inside the
// workflow task, with no activity task round trip through the server (measured in docs/BENCHMARKS.md).
const localStore = proxyLocalActivities<Activities>(storeOptions);
// Calls to outside systems (hotline platform, SMS, enforcement platform, payments): slower, patient retries.
const outbound = proxyActivities<Activities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "2 seconds", backoffCoefficient: 2, maximumInterval: "10 minutes" },
});

/** The v3 case workflow, entered by caseWorkflow for runs that started before the case machine. */
export async function legacyCaseWorkflow(input: CaseInput): Promise<CaseResult> {
  // A continued run resumes from the state its predecessor carried over.
  const { version: _v, outbox: _o, ...fresh } = initialState(input);
  const state: LegacyCaseState = (input.resume as LegacyCaseState | undefined) ?? fresh;
  // Every patch decision of a local-store run is taken here, before its first local activity: on
  // replay the SDK learns of a patch marker only with the workflow task that recorded it, and a local
  // activity's result can be replayed ahead of that task, so a first patched() call after one can
  // read false where the run had read true (a nondeterminism error, caught by test/integration/up-restart).
  // Runs started before "local-store" keep remote activities to their end.
  const localStoreRun = patched("local-store");
  if (localStoreRun) for (const id of ["visibility-v2", "memo-summary", "escalation-lead", "reward-notice"]) patched(id);
  const store = localStoreRun ? localStore : remoteStore;
  let routeVersion = 0;
  let deadlineVersion = 0;
  const now = () => new Date(Date.now()).toISOString();
  const fail = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
  const requireStage = (allowed: readonly Stage[], action: string) => {
    if (!allowed.includes(state.stage)) throw fail(Failure.invalidState, `${action} is not allowed in stage ${state.stage}`);
  };
  const requireUnit = (by: m.Actor) => {
    if (by.role === "unit" && by.unitId !== state.unitId) throw fail(Failure.forbidden, "the case is not assigned to this unit");
  };

  /** Records one transition: timeline, search attributes and the read model (idempotent by seq). */
  async function transition(type: string, by?: m.Actor, note?: string, extra: Record<string, unknown> = {}): Promise<number> {
    const seq = ++state.seq;
    const at = now();
    state.timeline.push({ seq, at, type, by: by?.name, note });
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.unit, value: state.unitId ?? "" },
      { key: SA.colour, value: state.colour },
      { key: SA.escalated, value: state.escalated },
      ...(state.deadline ? [{ key: SA.dueAt, value: new Date(state.deadline.dueAt) }] : []),
      // Added later: running cases get them from their next transition on (replay-safe behind the patch).
      ...(patched("visibility-v2") ? [{ key: SA.repeatCount, value: state.repeats.length }, { key: SA.orderNo, value: state.order.orderNo }] : []),
    ]);
    if (patched("memo-summary")) upsertMemo({ summary: summary() });
    setCurrentDetails(details());
    await store.recordTransition({ caseId: state.caseId, seq, at, type, by: by?.name, note, row: readModelRow(state), ...extra });
    return seq;
  }
  const snapshot = (): LegacyCaseState => JSON.parse(JSON.stringify(state));
  // What an operator sees in the Temporal UI: no personal data (no reporter, no subject of a person).
  const summary = () => `${state.order.kind} · ${state.order.sourceLine} · ${state.order.district} · ${state.order.elements.join("+")} · ${state.stage}`;
  const details = () => [
    `stage: ${state.stage}`, `unit: ${state.unitId ?? "-"}`, `colour: ${state.colour}${state.overdue ? " (overdue)" : ""}`,
    `due: ${state.deadline?.dueAt ?? "-"}${state.deadline?.provisional ? " (provisional)" : ""}`,
    `repeats: ${state.repeats.length}${state.escalated ? " (escalated, branch head leads)" : ""}`,
    `extensions: ${state.extensions.map((e) => `${e.id} ${e.status}`).join(", ") || "-"}`,
    `rewards: ${state.rewards.map((r) => `${r.id} ${r.status}`).join(", ") || "-"}`,
  ].join("\n");

  /** Continue-as-new is due: Temporal suggests it, or the history reached the policy's bound. */
  const rollDue = () => workflowInfo().continueAsNewSuggested
    || (state.policy.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= state.policy.continueAsNewAfterEvents);
  // Added after the freeze (npm run repair): an operator's migrateToCaseMachine makes the next wait()
  // continue as new, so the run moves onto the case machine. Replay-safe without a patch: the flag is
  // false in every history without that signal, so they take exactly the commands they took.
  let migrate = false;

  /**
   * Waits for `pred` (or the timeout); when the history grows too long meanwhile, lets running
   * handlers finish and continues as new with the whole state, so no message or state is lost.
   */
  async function wait(pred: () => boolean, timeoutMs?: number): Promise<boolean> {
    const woke = timeoutMs === undefined
      ? await condition(() => pred() || rollDue() || migrate).then(() => true)
      : await condition(() => pred() || rollDue() || migrate, Math.max(1, timeoutMs));
    if (pred()) return true;
    if (!woke) return false;
    await condition(allHandlersFinished);
    return continueAsNew<typeof legacyCaseWorkflow>({ ...input, resume: snapshot() });
  }

  async function startHandlingClock(startAt: string) {
    const days = HANDLING_DAYS[state.order.kind];
    state.deadline = await store.computeDeadline({ startAt, days });
    state.colour = colourAt(state.deadline, Date.now());
    state.overdue = false;
    deadlineVersion++;
  }

  async function assign(unitId: string, by: m.Actor | undefined, reason: string) {
    state.unitId = unitId;
    state.stage = "transferred";
    state.signOverdue = false;
    const signDeadline = await store.computeDeadline({ startAt: now(), days: state.policy.signDays });
    state.signDueAt = signDeadline.dueAt;
    routeVersion++;
    await transition("transferred", by, reason, { unitId });
  }

  // ---- handlers (registered before the first await) ----
  // Queries leave no trace in the history: this one may answer with today's view.
  setHandler(m.stateQuery, () => caseView(snapshot()));

  setHandler(m.signUpdate, async ({ by }) => {
    state.signedAt = now();
    state.stage = "investigating";
    await startHandlingClock(state.signedAt);
    await transition("signed", by);
    return { stage: state.stage, dueAt: state.deadline!.dueAt };
  }, { validator: ({ by }) => { requireStage(["transferred"], "signing"); requireUnit(by); } });

  setHandler(m.sendBackUpdate, async ({ by, reason }) => {
    state.stage = "sent_back";
    state.sendBackReason = reason;
    routeVersion++;
    await transition("sent_back", by, reason);
    return { stage: state.stage };
  }, { validator: ({ by }) => { requireStage(["transferred"], "sending back"); requireUnit(by); } });

  setHandler(m.routeUpdate, async ({ by, unitId, reason }) => {
    await assign(unitId, by, reason);
    return { stage: state.stage, unitId };
  }, { validator: (_input) => requireStage(["transferred", "sent_back"], "re-routing") });

  setHandler(m.investigationUpdate, async ({ by, record }) => {
    state.investigation = record;
    state.stage = "rectifying";
    await transition("investigated", by, record.violationFound ? "violation found" : "no violation found");
    return { stage: state.stage };
  }, {
    validator: ({ by, record }) => {
      requireStage(["investigating"], "the investigation record");
      requireUnit(by);
      // Entering an enterprise must be recorded in the provincial enforcement platform (扫码入企).
      if (record.enterpriseEntered && !record.enforcementPlatformRef?.trim())
        throw fail(Failure.rule, "an enterprise was entered: enforcementPlatformRef is required");
    },
  });

  setHandler(m.rectificationUpdate, async ({ by, ...rect }) => {
    state.rectification = rect;
    if (rect.immediate) state.stage = "feedback";
    await transition(rect.immediate ? "rectified" : "rectification_planned", by, rect.note);
    return { stage: state.stage };
  }, {
    validator: ({ by, immediate, plan }) => {
      requireStage(["rectifying"], "the rectification");
      requireUnit(by);
      if (state.rectification) throw fail(Failure.invalidState, "a rectification was already submitted");
      if (!immediate && !plan) throw fail(Failure.rule, "a rectification that is not immediate needs a plan");
    },
  });

  setHandler(m.rectificationCompleteUpdate, async ({ by, note }) => {
    state.rectificationCompletedAt = now();
    state.stage = "feedback";
    await transition("rectified", by, note);
    return { stage: state.stage };
  }, {
    validator: ({ by }) => {
      requireStage(["rectifying"], "completing the rectification");
      requireUnit(by);
      if (!state.rectification || state.rectification.immediate) throw fail(Failure.invalidState, "there is no rectification plan to complete");
    },
  });

  setHandler(m.feedbackUpdate, async ({ by, ...feedback }) => {
    state.feedback = feedback;
    state.stage = "closed";
    state.closedAt = now();
    await transition("closed", by);
    return { stage: state.stage };
  }, {
    validator: ({ by, ...feedback }) => {
      requireStage(["feedback"], "the feedback");
      requireUnit(by);
      const missing = missingForClosing(state, feedback);
      if (missing.length) throw fail(Failure.rule, `closing requires: ${missing.join(", ")}`);
    },
  });

  setHandler(m.requestExtensionUpdate, async ({ by, days, reason }) => {
    const ext = { id: `ext-${state.extensions.length + 1}`, days, reason, status: "pending" as const, requestedAt: now(), requestedBy: by.name };
    state.extensions.push(ext);
    await transition("extension_requested", by, reason, { extension: ext });
    return { extensionId: ext.id, status: ext.status };
  }, {
    validator: ({ by, days }) => {
      requireStage(HANDLING_STAGES, "an extension request");
      requireUnit(by);
      // The unit must apply before the deadline (art. 7).
      if (state.deadline && Date.now() >= Date.parse(state.deadline.dueAt)) throw fail(Failure.rule, "the deadline has passed; an extension must be requested before it");
      if (state.extensions.some((e) => e.status === "pending")) throw fail(Failure.invalidState, "an extension request is already pending");
      const used = state.extensions.filter((e) => e.status === "approved").length;
      if (used >= state.policy.maxExtensions) throw fail(Failure.rule, `at most ${state.policy.maxExtensions} extension(s) per case`);
      if (!Number.isInteger(days) || days < 1 || days > state.policy.maxExtensionDays)
        throw fail(Failure.rule, `an extension is 1 to ${state.policy.maxExtensionDays} working days`);
    },
  });

  setHandler(m.decideExtensionUpdate, async ({ by, extensionId, approve, comment }) => {
    const ext = state.extensions.find((e) => e.id === extensionId)!;
    Object.assign(ext, { status: approve ? "approved" : "rejected", decidedAt: now(), decidedBy: by.name, comment });
    if (approve && state.deadline) {
      // The approved working days are added to the limit, counted from the same start.
      const base = HANDLING_DAYS[state.order.kind];
      state.deadline = await store.computeDeadline({ startAt: state.deadline.startAt, days: base + approvedExtensionDays(state) });
      state.colour = colourAt(state.deadline, Date.now());
      state.overdue = state.colour === "red";
      deadlineVersion++;
    }
    await transition(approve ? "extension_approved" : "extension_rejected", by, comment, { extension: ext });
    return { extensionId, status: ext.status, dueAt: state.deadline?.dueAt };
  }, {
    validator: ({ extensionId }) => {
      const ext = state.extensions.find((e) => e.id === extensionId);
      if (!ext) throw fail(Failure.notFound, `no extension request ${extensionId}`);
      if (ext.status !== "pending") throw fail(Failure.invalidState, `extension ${extensionId} is already ${ext.status}`);
    },
  });

  setHandler(m.repeatUpdate, async ({ order }) => {
    const known = order.orderNo === state.order.orderNo || state.repeats.some((r) => r.orderNo === order.orderNo);
    if (!known) {
      state.repeats.push(order);
      // 3 or more repeat reports escalate the case (提级办理): the branch head leads, the city supervises.
      const escalate = !state.escalated && state.repeats.length >= state.policy.escalateAtRepeats;
      if (escalate) {
        state.escalated = true;
        state.lead = "branch_head";
      }
      await transition("repeat_report", undefined, order.orderNo, { repeatOrderNo: order.orderNo });
      if (escalate) {
        const seq = await transition("escalated", undefined, `${state.repeats.length} repeat reports`);
        await outbound.raiseSupervision({ caseId: state.caseId, key: String(seq), kind: "escalated", unitId: state.unitId, note: `${state.repeats.length} repeat reports` });
        // The branch head takes the lead on site; the unit is told (the city supervises through the task above).
        if (patched("escalation-lead")) await outbound.raiseSupervision({ caseId: state.caseId, key: String(seq), kind: "lead_branch_head", unitId: state.unitId, note: "escalated: branch head leads" });
      }
    }
    return { caseId: state.caseId, repeatCount: state.repeats.length, escalated: state.escalated, joined: !known };
  }, { validator: (_input) => requireStage([...HANDLING_STAGES, "accepted", "transferred", "sent_back"], "joining a repeat report") });

  setHandler(m.revisitUpdate, async ({ by, rebound, satisfied, note }) => {
    const revisit = { id: `rev-${state.revisits.length + 1}`, at: now(), by: by.name, rebound, satisfied, note };
    const reopen = rebound || satisfied === false;
    // State changes before the first await: the main flow must see the reopening with the revisit.
    state.revisits.push(revisit);
    if (reopen) {
      // A rebound or dissatisfaction is handled again and fed back again (art. 13): back to investigation.
      state.reopenCount++;
      state.stage = "investigating";
      state.investigation = undefined;
      state.rectification = undefined;
      state.rectificationCompletedAt = undefined;
      state.feedback = undefined;
      state.closedAt = undefined;
      state.deadline = undefined;
      state.extensions = state.extensions.map((e) => (e.status === "pending" ? { ...e, status: "rejected" } : e));
    }
    await transition("revisited", by, note, { revisit });
    if (reopen) {
      await startHandlingClock(now());
      await transition("reopened", by, rebound ? "problem came back" : "reporter dissatisfied");
    }
    return { revisitId: revisit.id, reopened: reopen, stage: state.stage };
  }, {
    validator: ({ by }) => {
      requireStage(["revisit_pending"], "a revisit");
      if (by.role === "unit") requireUnit(by);
    },
  });

  setHandler(m.applyRewardUpdate, async ({ by, amountYuan, reason }) => {
    const reward = { id: `reward-${state.rewards.length + 1}`, amountYuan, reason, status: "pending" as const, appliedAt: now() };
    state.rewards.push(reward);
    await transition("reward_applied", by, reason, { reward });
    return { rewardId: reward.id, status: reward.status, amountYuan };
  }, {
    validator: ({ by, amountYuan }) => {
      requireUnit(by);
      if (!state.investigation) throw fail(Failure.invalidState, "a reward needs the investigation record first");
      // Only real-name reports that prove true qualify (Zhengzhou 12369 reward rules).
      if (!hasRealNameReporter(state)) throw fail(Failure.rule, "rewards are only for real-name, non-anonymous reports");
      if (!state.investigation.violationFound) throw fail(Failure.rule, "the report did not prove true: no violation was found");
      if (state.rewards.some((r) => r.status !== "rejected")) throw fail(Failure.rule, "the case already has a reward application");
      if (!Number.isInteger(amountYuan) || amountYuan < 1 || amountYuan > state.policy.maxRewardYuan)
        throw fail(Failure.rule, `a reward is 1 to ${state.policy.maxRewardYuan} yuan`);
    },
  });

  setHandler(m.decideRewardUpdate, async ({ by, rewardId, approve, amountYuan, comment }) => {
    const reward = state.rewards.find((r) => r.id === rewardId)!;
    Object.assign(reward, { status: approve ? "approved" : "rejected", decidedAt: now(), decidedBy: by.name, amountYuan: amountYuan ?? reward.amountYuan });
    await transition(approve ? "reward_approved" : "reward_rejected", by, comment, { reward });
    if (approve) {
      // Paid online in one step without exposing the reporter; the payment port is idempotent by reward id.
      const paid = await outbound.payReward({ caseId: state.caseId, rewardId, amountYuan: reward.amountYuan });
      Object.assign(reward, { status: "paid", paidAt: paid.paidAt, paymentRef: paid.paymentRef });
      await transition("reward_paid", undefined, undefined, { reward });
      // A private notice to the real-name reporter(s); the phone is read only inside the notice port.
      if (patched("reward-notice")) {
        await Promise.all([state.order, ...state.repeats].filter((o) => o.realName && !o.anonymous).map((o) =>
          outbound.notifyReporter({ caseId: state.caseId, orderNo: o.orderNo, round: state.reopenCount, kind: "reward", message: `reward ${reward.amountYuan} yuan paid` })));
      }
    }
    return { rewardId, status: reward.status, amountYuan: reward.amountYuan };
  }, {
    validator: ({ rewardId, amountYuan }) => {
      const reward = state.rewards.find((r) => r.id === rewardId);
      if (!reward) throw fail(Failure.notFound, `no reward application ${rewardId}`);
      if (reward.status !== "pending") throw fail(Failure.invalidState, `reward ${rewardId} is already ${reward.status}`);
      if (amountYuan !== undefined && (!Number.isInteger(amountYuan) || amountYuan < 1 || amountYuan > state.policy.maxRewardYuan))
        throw fail(Failure.rule, `a reward is 1 to ${state.policy.maxRewardYuan} yuan`);
    },
  });

  setHandler(m.urgeSignal, async ({ by, note }) => {
    if (state.outcome) return;
    state.urgeCount++;
    const seq = await transition("urged", by, note);
    await outbound.raiseSupervision({ caseId: state.caseId, key: String(seq), kind: "urged", unitId: state.unitId, note });
  });

  setHandler(m.migrateToCaseMachineSignal, () => { migrate = true; });

  setHandler(m.calendarChangedSignal, async () => {
    if (state.deadline?.provisional && HANDLING_STAGES.includes(state.stage)) {
      state.deadline = await store.computeDeadline({ startAt: state.deadline.startAt, days: state.deadline.days });
      state.colour = colourAt(state.deadline, Date.now());
      state.overdue = state.colour === "red";
      deadlineVersion++;
      await transition("deadline_recomputed", undefined, "official calendar published");
    }
  });

  // ---- 1. Accept (受理): remit and jurisdiction, or return (退回) to the platform ----
  if (!input.resume) {
    const acceptance = await store.acceptOrder({ caseId: state.caseId, order: state.order });
    if (!acceptance.accepted) {
      state.stage = "returned";
      state.outcome = "returned";
      state.returnedAt = now();
      state.returnReason = acceptance.reason;
      await transition("returned", undefined, acceptance.reason);
      await outbound.sendPlatformFeedback({ caseId: state.caseId, orderNo: state.order.orderNo, kind: "returned", round: 0, body: { reason: acceptance.reason } });
      await condition(allHandlersFinished);
      return { caseId: state.caseId, outcome: "returned", reopenCount: 0 };
    }
    state.acceptedAt = now();
    await transition("accepted", undefined, acceptance.unitId);
    // ---- 2. Transfer (转办): the unit signs within signDays working days, or a supervisor is alerted ----
    await assign(acceptance.unitId!, undefined, "routing rules");
  }
  while (!state.signedAt) {
    const version = routeVersion;
    const moved = () => !!state.signedAt || routeVersion !== version;
    if (state.stage === "transferred" && !state.signOverdue) {
      if (!(await wait(moved, Date.parse(state.signDueAt!) - Date.now()))) {
        state.signOverdue = true;
        const seq = await transition("sign_overdue", undefined, state.unitId);
        await outbound.raiseSupervision({ caseId: state.caseId, key: String(seq), kind: "sign_overdue", unitId: state.unitId, note: "not signed in time" });
      }
    } else {
      await wait(moved);
    }
  }

  // ---- 3–6. Investigate, rectify, feed back, revisit; a rebound or dissatisfaction loops back ----
  for (;;) {
    if (state.stage !== "closed" && state.stage !== "revisit_pending") {
      const ledger = watchLedger();
      await wait(() => state.stage === "closed");
      await ledger;
    }
    if (state.stage === "closed") await sendFeedback(state.reopenCount);
    if (!(await revisit())) break;
  }
  // A pending reward or update must finish before the case completes.
  await condition(() => allHandlersFinished() && !state.rewards.some((r) => r.status === "pending" || r.status === "approved"));
  state.stage = "completed";
  state.outcome = "completed";
  await transition("completed");
  return { caseId: state.caseId, outcome: "completed", reopenCount: state.reopenCount };

  /** Moves the four-colour ledger along the deadline until the case closes; overdue raises supervision. */
  async function watchLedger(): Promise<void> {
    const closed = () => state.stage === "closed";
    // Signing and reopening compute the deadline in an activity: wait for it.
    await condition(() => closed() || !!state.deadline);
    while (!closed() && state.deadline) {
      const version = deadlineVersion;
      const wake = () => closed() || deadlineVersion !== version;
      const next = nextColourChange(state.deadline, Date.now());
      if (next === undefined) await condition(wake);
      else await condition(wake, Math.max(1, next - Date.now()));
      if (closed()) return;
      if (deadlineVersion !== version) continue;
      const colour = colourAt(state.deadline, Date.now());
      if (colour === state.colour) continue;
      state.colour = colour;
      if (colour === "red" && !state.overdue) {
        state.overdue = true;
        const seq = await transition("overdue", undefined, state.deadline.dueAt);
        // Overdue cases raise a supervision task for the city detachment (督办).
        await outbound.raiseSupervision({ caseId: state.caseId, key: String(seq), kind: "overdue", unitId: state.unitId, note: state.deadline.dueAt });
      } else {
        await transition(`colour_${colour}`);
      }
    }
  }

  /** Feedback to every order's reporter (unless anonymous) and to the platform, plus the enforcement entry. */
  async function sendFeedback(round: number): Promise<void> {
    const orders = [state.order, ...state.repeats];
    const feedback = state.feedback!;
    await Promise.all([
      ...orders.map((o) => outbound.sendPlatformFeedback({
        caseId: state.caseId, orderNo: o.orderNo, kind: "closed", round,
        body: { ...feedback, unitId: state.unitId, investigation: state.investigation, rectification: state.rectification },
      })),
      ...orders.filter((o) => !o.anonymous).map((o) => outbound.notifyReporter({
        caseId: state.caseId, orderNo: o.orderNo, round, message: feedback.reporterMessage ?? feedback.result,
      })),
      ...(state.investigation?.enterpriseEntered
        ? [outbound.enterEnforcementPlatform({ caseId: state.caseId, round, ref: state.investigation.enforcementPlatformRef! })]
        : []),
    ]);
    await transition("feedback_sent", undefined, `${orders.length} order(s)`);
  }

  /** Waits for the revisit (sampled cases must get one); returns true when the case reopened. */
  async function revisit(): Promise<boolean> {
    const reopenCount = state.reopenCount;
    const revisits = state.revisits.length;
    if (state.stage === "closed") {
      // Deterministic in workflow code: the SDK seeds Math.random per run.
      state.revisitSampled = Math.random() < state.policy.revisitSampleRate;
      const due = await store.computeDeadline({ startAt: state.closedAt!, days: state.policy.revisitAfterDays });
      state.revisitDueAt = due.dueAt;
      state.stage = "revisit_pending";
      await transition("revisit_scheduled", undefined, state.revisitSampled ? "sampled" : "not sampled");
    }
    const done = () => state.revisits.length > revisits;
    const arrived = await wait(done, Date.parse(state.revisitDueAt!) - Date.now());
    if (!arrived && state.revisitSampled) {
      await outbound.raiseSupervision({ caseId: state.caseId, key: state.revisitDueAt, kind: "revisit_due", unitId: state.unitId, note: state.revisitDueAt });
      await wait(done);
    }
    return state.reopenCount > reopenCount;
  }

}

