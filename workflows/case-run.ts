/**
 * One run of a case workflow: its state, the one lock under which every handler and every step
 * of the main flow and the clocks changes it, and the two things the lock holder starts before it
 * lets go: the read-model projection and the outside effects it decided. Nothing else emits a
 * command: an activity's result only updates bookkeeping (or, for a payment, takes the lock like
 * everything else), so the commands follow the order of messages and timers, whatever order
 * activities finish in and however replay groups them; see docs/WORKFLOW.md "Concurrency".
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from "@temporalio/workflow";
import { Mutex } from "async-mutex";
import type { Activities } from "../activities";
import { Failure, SA, type CaseInput } from "./contract";
import type { Effect } from "./case-effects";
import { ACTIONS, RuleViolation, checkAction, type ActContext, type ActionName, type ActionRule, type DeadlineRequest } from "./case-rules";
import { initialState, readModelRow, resumedState, type CaseState, type DeadlineInfo } from "./case-state";
import { deadlineRecomputed, provisionalDeadline, rewardPaid } from "./case-steps";
import { caseView } from "./case-view";
import * as m from "./messages";

// Routing, the calendar and the read model: quick, retried until the database is back. Ordinary
// activities, not local ones: a local activity's result reaches the workflow at a moment that
// replay does not reproduce (and its write survives a discarded workflow task), while an ordinary
// one's is an event of the history, and only a committed workflow task schedules it.
const store = proxyActivities<Activities>({
  startToCloseTimeout: "30 seconds",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "30 seconds" },
});
// Outside systems (hotline platform, SMS, enforcement platform, payments): slower, patient retries.
const outbound = proxyActivities<Activities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "2 seconds", backoffCoefficient: 2, maximumInterval: "10 minutes" },
});

// Cases started before the policy named a bound (about 10–15 history events a transition).
const DEFAULT_TRANSITIONS_PER_RUN = 400;

/** A case run: state, lock, outbox and projector. */
export class CaseRun {
  readonly state: CaseState;
  private readonly lock = new Mutex();
  /** Highest sequence this run has sent to the read model (0: nothing yet; the first projection carries the whole timeline). */
  private projectedUpTo = 0;
  /** Highest sequence whose projection this run has seen written. */
  private projectedDone = 0;
  /** Projections and effects started and not yet done. */
  private inFlight = 0;
  /** Effects started by this run, and how many of them are done. */
  private effectsStarted = 0;
  private effectsDone = 0;
  private published = "";
  /** The sequence this run started from. */
  private readonly firstSeq: number;

  constructor(private readonly input: CaseInput) {
    this.state = input.resume ? resumedState(input.resume) : initialState(input);
    this.firstSeq = this.state.seq;
  }

  /** Registers every message handler (before the workflow's first await). */
  start(): void {
    setHandler(m.stateQuery, () => caseView(this.state));
    for (const [name, update] of Object.entries(m.actionUpdates) as [ActionName, (typeof m.actionUpdates)[keyof typeof m.actionUpdates]][])
      setHandler(update as never, ((input: unknown) => this.act(name, input)) as never, {
        validator: ((input: unknown) => this.validate(name, input)) as never,
      });
    setHandler(m.urgeSignal, async (input) => {
      await this.act("urge", input).catch((e) => this.refusedSignal("urge", e));
    });
    // A provisional deadline is computed again under the lock, so an extension approved meanwhile stays in it.
    setHandler(m.calendarChangedSignal, (input) => {
      if (!this.sealed(input)) return this.refusedSignal("calendarChanged", sealFailure());
      return this.exclusive(async () => {
        const req = provisionalDeadline(this.state);
        if (req) deadlineRecomputed(this.state, await this.deadline(req), Date.now(), this.now());
      });
    });
    setHandler(m.migrateToCaseMachineSignal, () => undefined); // already on the case machine
  }

  /** The time now, as the workflow sees it. */
  now(): string {
    return new Date(Date.now()).toISOString();
  }

  /**
   * Runs `fn` alone: no handler or step changes the state meanwhile. Before letting go it publishes
   * search attributes and memo, sends the new state to the read model and starts the queued effects.
   */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.lock.runExclusive(async () => {
      try {
        return await fn();
      } finally {
        this.publish();
        this.project();
        this.startEffects();
      }
    });
  }

  /** A deadline from the official calendar (holidays are data: computed in an activity, kept as instants). */
  deadline(req: DeadlineRequest): Promise<DeadlineInfo> {
    return store.computeDeadline(req);
  }

  /** The routing decision for the case's first order (runs started before patch `intake-one-activity`). */
  acceptance() {
    return store.acceptOrder({ caseId: this.state.caseId, order: this.state.order });
  }

  /** The routing decision for the case's first order with the unit's signing deadline, counted from `startAt`. */
  routing(startAt: string) {
    return store.routeOrder({ caseId: this.state.caseId, order: this.state.order, signing: { startAt, days: this.state.policy.signDays } });
  }

  /** Queues outside effects (the lock holder starts them before it lets go); returns the count at which they are all done. */
  enqueue(effects: Effect[] = []): number {
    this.state.outbox.push(...effects);
    return this.effectsDone + this.state.outbox.length;
  }

  /** Waits until the effects queued up to `mark` are done. */
  async effectsSettled(mark = this.effectsDone + this.state.outbox.length): Promise<void> {
    await condition(() => this.effectsDone >= mark);
  }

  /**
   * Whether continue-as-new is due: this run recorded the policy's number of transitions. Counted in
   * the state, not read from the history's length or Temporal's suggestion: those can differ between
   * a run and its replay (a workflow task for a rejected update leaves no event, and replay then
   * handles it together with the task before), and a decision on them would not replay.
   */
  private rollDue(): boolean {
    return this.state.seq - this.firstSeq >= (this.state.policy.continueAsNewAfterTransitions ?? DEFAULT_TRANSITIONS_PER_RUN);
  }

  /** Nothing in flight: no handler, no lock holder, no effect, no unwritten state. */
  idle(): boolean {
    return allHandlersFinished() && !this.lock.isLocked() && this.inFlight === 0 && this.state.outbox.length === 0 && this.projectedUpTo >= this.state.seq;
  }

  /**
   * Waits for `pred` or until the instant `untilMs` (false then). When the history grows long
   * meanwhile, waits for in-flight work to end and continues as new with the whole state.
   */
  async waitFor(pred: () => boolean, untilMs?: number): Promise<boolean> {
    const woke =
      untilMs === undefined
        ? await condition(() => pred() || this.rollDue()).then(() => true)
        : await condition(() => pred() || this.rollDue(), Math.max(1, untilMs - Date.now()));
    if (pred()) return true;
    if (!woke) return false;
    await condition(() => this.idle());
    return continueAsNew<(input: CaseInput) => Promise<unknown>>({ ...this.input, resume: this.state });
  }

  /** Waits until everything decided has been done and written. */
  async drained(): Promise<void> {
    await condition(() => this.idle());
  }

  /** Whether a message carries the case's seal (always, for a case started without one). */
  private sealed(input: unknown): boolean {
    return this.input.seal === undefined || (input as { seal?: unknown } | undefined)?.seal === this.input.seal;
  }

  /** The message's input without its seal; refused (Forbidden) when the seal is missing or wrong. */
  private unsealed(input: unknown): unknown {
    if (!this.sealed(input)) throw sealFailure();
    if (!input || typeof input !== "object" || !("seal" in input)) return input;
    const { seal: _seal, ...rest } = input as Record<string, unknown>;
    return rest;
  }

  /** An action's early check when its update arrives (a rejected update leaves no trace in the history). */
  private validate(name: ActionName, sealedInput: unknown): void {
    const input = this.unsealed(sealedInput);
    try {
      checkAction(name, this.state, input, Date.now());
    } catch (e) {
      throw asFailure(e);
    }
  }

  /** Takes an action under the lock: checks again, computes its deadline, applies it, queues its effects. */
  private async act(name: ActionName, sealedInput: unknown): Promise<unknown> {
    const input = this.unsealed(sealedInput);
    const rule = ACTIONS[name] as unknown as ActionRule<unknown, unknown>;
    let mark = 0;
    let seqAfter = 0;
    const result = await this.exclusive(async () => {
      try {
        checkAction(name, this.state, input, Date.now());
      } catch (e) {
        throw asFailure(e);
      }
      const at = this.now();
      let req = rule.deadline?.(this.state, input, at);
      if (req && rule.deadlinePatch && !patched(rule.deadlinePatch)) req = undefined;
      const ctx: ActContext = { at, nowMs: Date.now(), deadline: req && (await this.deadline(req)) };
      const outcome = rule.apply(this.state, input, ctx);
      mark = this.enqueue(outcome.effects);
      seqAfter = this.state.seq;
      return outcome.result;
    });
    // An attached evidence item is answered once its read-model row is written: the API serves the file by that row.
    if (name === "attachEvidence") await condition(() => this.projectedDone >= seqAfter);
    if (name !== "decideReward") return result;
    // An approved reward is answered once paid (the payment port is idempotent by reward id).
    await this.effectsSettled(mark);
    const { rewardId } = input as m.RewardDecisionInput;
    const reward = this.state.rewards.find((r) => r.id === rewardId)!;
    return { rewardId, status: reward.status, amountYuan: reward.amountYuan };
  }

  /** A signal cannot answer: a refused one is logged (no personal data) and leaves the case as it was. */
  private refusedSignal(name: string, e: unknown): void {
    if (!(e instanceof ApplicationFailure)) throw e;
    log.warn("signal refused", { caseId: this.state.caseId, signal: name, reason: e.message });
  }

  /** Starts every queued effect not yet started; each leaves the outbox when done (a payment's result comes back under the lock). */
  private startEffects(): void {
    for (const e of this.state.outbox.slice(this.effectsStarted - this.effectsDone)) {
      this.effectsStarted++;
      this.inFlight++;
      void this.perform(e).then(async (result) => {
        if (e.kind === "payReward")
          await this.exclusive(() => this.enqueue(rewardPaid(this.state, e.rewardId, result as { paidAt: string; paymentRef: string }, this.now())));
        this.state.outbox.splice(this.state.outbox.indexOf(e), 1);
        this.effectsDone++;
        this.inFlight--;
      });
    }
  }

  /** One effect as its activity. */
  private perform(e: Effect): Promise<unknown> {
    const caseId = this.state.caseId;
    switch (e.kind) {
      case "supervision":
        return outbound.raiseSupervision({ caseId, kind: e.supervision, key: e.key, unitId: e.unitId, note: e.note });
      case "platformFeedback":
        return outbound.sendPlatformFeedback({ caseId, orderNo: e.orderNo, kind: e.feedback, round: e.round, body: e.body });
      case "notifyReporter":
        return outbound.notifyReporter({ caseId, orderNo: e.orderNo, round: e.round, message: e.message, kind: e.notice });
      case "enforcementEntry":
        return outbound.enterEnforcementPlatform({ caseId, round: e.round, ref: e.ref });
      case "payReward":
        return outbound.payReward({ caseId, rewardId: e.rewardId, amountYuan: e.amountYuan });
    }
  }

  /** The single writer of the case's read-model rows: sends the latest state whenever it moved (projections may overlap; the newest wins). */
  private project(): void {
    const s = this.state;
    if (s.seq <= this.projectedUpTo) return;
    const events = s.timeline.filter((e) => e.seq > this.projectedUpTo);
    const seq = s.seq;
    this.projectedUpTo = seq;
    this.inFlight++;
    void store
      .projectCase({
        caseId: s.caseId,
        seq: s.seq,
        row: readModelRow(s),
        events,
        extensions: s.extensions,
        rewards: s.rewards,
        revisits: s.revisits,
        ...(s.evidence?.length ? { evidence: s.evidence } : {}),
      })
      .then(() => {
        this.inFlight--;
        this.projectedDone = Math.max(this.projectedDone, seq);
      });
  }

  /** What operators see in the Temporal UI and search: search attributes, memo, current details (no personal data). */
  private publish(): void {
    const s = this.state;
    const attributes = [
      { key: SA.stage, value: s.stage },
      { key: SA.unit, value: s.unitId ?? "" },
      { key: SA.colour, value: s.colour },
      { key: SA.escalated, value: s.escalated },
      { key: SA.repeatCount, value: s.repeats.length },
      { key: SA.orderNo, value: s.order.orderNo },
      ...(s.deadline ? [{ key: SA.dueAt, value: new Date(s.deadline.dueAt) }] : []),
    ];
    const summary = `${s.order.kind} · ${s.order.sourceLine} · ${s.order.district} · ${s.order.elements.join("+")} · ${s.stage}`;
    const published = JSON.stringify([attributes, summary]);
    if (published !== this.published) {
      this.published = published;
      upsertSearchAttributes(attributes);
      upsertMemo({ summary });
    }
    setCurrentDetails(
      [
        `stage: ${s.stage}`,
        `unit: ${s.unitId ?? "-"}`,
        `colour: ${s.colour}${s.overdue ? " (overdue)" : ""}`,
        `due: ${s.deadline?.dueAt ?? "-"}${s.deadline?.provisional ? " (provisional)" : ""}`,
        `repeats: ${s.repeats.length}${s.escalated ? " (escalated, branch head leads)" : ""}`,
        `extensions: ${s.extensions.map((e) => `${e.id} ${e.status}`).join(", ") || "-"}`,
        `rewards: ${s.rewards.map((r) => `${r.id} ${r.status}`).join(", ") || "-"}`,
      ].join("\n"),
    );
  }
}

/** A message that does not carry the case's seal did not come from the service. */
function sealFailure(): ApplicationFailure {
  return ApplicationFailure.create({ type: Failure.forbidden, message: "the message does not carry the case's seal", nonRetryable: true });
}

/** A rule's refusal as the update failure the API maps to HTTP. */
function asFailure(e: unknown): unknown {
  return e instanceof RuleViolation ? ApplicationFailure.create({ type: e.type, message: e.message, nonRetryable: true }) : e;
}
