/** Unit: the catalogue action mergeInto (a confirmed repeat ends the newer case), as a pure function over a state. */
import { describe, expect, it } from "vitest";
import { ACTIONS, allowedActions, checkAction } from "../../workflows/case-rules";
import { readModelRow } from "../../workflows/case-state";
import { Failure } from "../../workflows/contract";
import { at, caseIn, dispatcher, nowMs, refusal, unit } from "./rule-fixtures";

describe("mergeInto", () => {
  it("ends an open case as merged into the older case, its deadline with it", () => {
    const s = caseIn("investigating");
    s.deadline = { startAt: at, days: 10, provisional: false, blueAt: at, yellowAt: at, dueAt: at };
    const input = { by: dispatcher, into: "case-OLDER-1", suggestionId: 7 };
    checkAction("mergeInto", s, input, nowMs);
    const out = ACTIONS.mergeInto.apply(s, input, { at, nowMs });
    expect(out.result).toEqual({ stage: "completed", mergedInto: "case-OLDER-1" });
    expect(s).toMatchObject({ stage: "completed", outcome: "merged", mergedInto: "case-OLDER-1" });
    expect(s.timeline.at(-1)).toMatchObject({ type: "merged", by: "调度员", note: "并入 case-OLDER-1（查重建议 7）" });
    expect(readModelRow(s)).toMatchObject({ stage: "completed", outcome: "merged", dueAt: null });
    // Ended: no further action, not even another merge.
    expect(refusal(() => checkAction("mergeInto", s, input, nowMs))).toBe(Failure.invalidState);
  });

  it("is refused for units, outside the open stages, and into the case itself; never offered as a console button", () => {
    expect(refusal(() => checkAction("mergeInto", caseIn("transferred"), { by: unit, into: "case-OLDER-1", suggestionId: 1 }, nowMs))).toBe(Failure.forbidden);
    expect(refusal(() => checkAction("mergeInto", caseIn("closed"), { by: dispatcher, into: "case-OLDER-1", suggestionId: 1 }, nowMs))).toBe(
      Failure.invalidState,
    );
    const s = caseIn("transferred");
    expect(refusal(() => checkAction("mergeInto", s, { by: dispatcher, into: s.caseId, suggestionId: 1 }, nowMs))).toBe(Failure.rule);
    expect(allowedActions(s, dispatcher, nowMs)).not.toContain("mergeInto");
  });
});
