/**
 * The status DTO of a case: what the `state` query answers and the API serves (with the caller's
 * allowedActions added), separate from the state a run carries over by continue-as-new.
 */
import type { LegacyCaseState } from "./case-state";

/** A case as readers see it: the state without the workflow's own bookkeeping (outbox, version). */
export type CaseView = Omit<LegacyCaseState, "seq">;

/** The view of a state (a copy: the caller may keep it). */
export function caseView(state: LegacyCaseState & { version?: number; outbox?: unknown }): CaseView {
  const { seq: _seq, version: _version, outbox: _outbox, ...view } = state;
  return JSON.parse(JSON.stringify(view));
}
