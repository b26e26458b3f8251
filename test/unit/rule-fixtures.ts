/** Shared fixtures of the catalogue's unit tests: actors, the instant they act at, a case in a stage, a refusal's type. */
import { expect } from "vitest";
import { RuleViolation } from "../../workflows/case-rules";
import { initialState, type CaseState } from "../../workflows/case-state";
import type { Actor } from "../../workflows/messages";
import { caseInput, order } from "../workflows/harness";

/** The case's unit. */
export const unit: Actor = { role: "unit", name: "张科员", unitId: "branch-jiefang" };
/** Another unit. */
export const otherUnit: Actor = { role: "unit", name: "王科员", unitId: "branch-macun" };
/** A supervisor. */
export const supervisor: Actor = { role: "supervisor", name: "李科长" };
/** A dispatcher. */
export const dispatcher: Actor = { role: "dispatcher", name: "调度员" };
/** The instant the tests act at. */
export const at = "2026-11-26T02:00:00.000Z";
/** `at` in milliseconds. */
export const nowMs = Date.parse(at);

/** A case in a stage, routed to the unit's branch-jiefang. */
export function caseIn(stage: CaseState["stage"], over: Partial<CaseState> = {}): CaseState {
  return { ...initialState(caseInput(order())), stage, unitId: "branch-jiefang", ...over };
}

/** The RuleViolation a check throws, or undefined when it passes. */
export function refusedWith(f: () => void): RuleViolation | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(RuleViolation);
    return e as RuleViolation;
  }
}

/** The failure type a check throws, or undefined when it passes. */
export const refusal = (f: () => void) => refusedWith(f)?.type;
