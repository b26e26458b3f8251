/** Unit: the evidence action, the closing rule's evidence requirement and the signed links, as pure functions (no server, no mocks). */
import { describe, expect, it } from "vitest";
import { ACTIONS, checkAction } from "../../workflows/case-rules";
import { MAX_EVIDENCE_PER_ROUND, type EvidenceRecord } from "../../workflows/case-evidence";
import { initialState, type CaseState } from "../../workflows/case-state";
import type { EvidenceInput, InvestigationRecord } from "../../workflows/messages";
import { checkEvidenceLink, signEvidenceLink } from "../../security/evidence-links";
import { caseInput, order } from "../workflows/harness";
import { at, nowMs, refusedWith, unit } from "./rule-fixtures";

const record: InvestigationRecord = {
  subjectName: "化工厂",
  address: "建设路",
  facts: "夜间排放",
  productionStatus: "生产中",
  controlFacilities: "未运行",
  discharges: "废气",
  cause: "设施故障",
  violationFound: true,
  enterpriseEntered: false,
};
const feedback = { by: unit, findings: "属实", handlingOpinion: "责令整改", evidence: [], result: "已整改", handler: "张三" };
const item = (id: string, round = 0): EvidenceRecord => ({
  id,
  sha256: "a".repeat(64),
  mime: "image/jpeg",
  size: 10,
  stage: "investigation",
  thumbnail: true,
  uploadedAt: at,
  by: unit.name,
  round,
});
const input = (evidenceId: string): EvidenceInput => ({ by: unit, evidenceId, sha256: "b".repeat(64), mime: "image/png", size: 5, thumbnail: true });

/** A case in the feedback stage after an investigation that found a violation (or not). */
function closing(required: boolean | undefined, violationFound = true, over: Partial<CaseState> = {}): CaseState {
  const s = initialState(caseInput(order()));
  return {
    ...s,
    policy: { ...s.policy, evidenceRequiredOnViolation: required },
    stage: "feedback",
    unitId: unit.unitId,
    investigation: { ...record, violationFound },
    ...over,
  };
}
const refusal = (f: () => void) => {
  const e = refusedWith(f);
  return e && `${e.type}: ${e.message}`;
};

describe("closing with a violation found", () => {
  it("needs an evidence item of the current round when the policy asks for it", () => {
    expect(refusal(() => checkAction("submitFeedback", closing(true), feedback, nowMs))).toBe("BusinessRule: closing requires: evidence");
    expect(refusal(() => checkAction("submitFeedback", closing(true, true, { evidence: [item("ev-1")] }), feedback, nowMs))).toBeUndefined();
    // A reopened case is documented again: the first round's photos do not close the second.
    expect(refusal(() => checkAction("submitFeedback", closing(true, true, { reopenCount: 1, evidence: [item("ev-1", 0)] }), feedback, nowMs))).toMatch(
      /evidence/,
    );
  });

  it("closes as before without a violation, and for cases whose policy predates the rule", () => {
    expect(refusal(() => checkAction("submitFeedback", closing(true, false), feedback, nowMs))).toBeUndefined();
    expect(refusal(() => checkAction("submitFeedback", closing(undefined), feedback, nowMs))).toBeUndefined();
    expect(refusal(() => checkAction("submitFeedback", closing(false), feedback, nowMs))).toBeUndefined();
  });
});

describe("attachEvidence", () => {
  it("records the hash and metadata once per id, in the handling stages, for the case's unit only", () => {
    const s = closing(true, true, { stage: "rectifying" });
    const first = ACTIONS.attachEvidence.apply(s, input("ev-x"), { at, nowMs });
    expect(first.result).toMatchObject({ id: "ev-x", stage: "rectification", round: 0, by: unit.name, mime: "image/png" });
    const seq = s.seq;
    expect(ACTIONS.attachEvidence.apply(s, input("ev-x"), { at, nowMs }).result).toBe(first.result);
    expect([s.evidence!.length, s.seq]).toEqual([1, seq]);
    expect(s.timeline.at(-1)).toMatchObject({ type: "evidence_attached", note: "rectification: image/png" });
    expect(refusal(() => checkAction("attachEvidence", s, { ...input("ev-y"), by: { ...unit, unitId: "branch-macun" } }, nowMs))).toMatch(/^Forbidden/);
    expect(refusal(() => checkAction("attachEvidence", s, { ...input("ev-y"), by: { role: "supervisor", name: "李" } }, nowMs))).toMatch(/^Forbidden/);
    expect(refusal(() => checkAction("attachEvidence", { ...s, stage: "closed" }, input("ev-y"), nowMs))).toMatch(/^InvalidState/);
  });

  it("bounds the items of a round", () => {
    const full = closing(true, true, { evidence: Array.from({ length: MAX_EVIDENCE_PER_ROUND }, (_, i) => item(`ev-${i}`)) });
    expect(refusal(() => checkAction("attachEvidence", full, input("ev-new"), nowMs))).toMatch(/^BusinessRule: at most/);
    // The same file again is still answered.
    expect(refusal(() => checkAction("attachEvidence", full, input("ev-0"), nowMs))).toBeUndefined();
  });
});

describe("signed evidence links", () => {
  const config = { secret: "a-secret-of-sixteen+", ttlMs: 3_600_000, baseUrl: "https://api.example.invalid/" };
  const parts = (url: string) => {
    const u = new URL(url);
    return { id: decodeURIComponent(u.pathname.split("/").at(-1)!), exp: Number(u.searchParams.get("exp")), sig: u.searchParams.get("sig")! };
  };

  it("are valid for their id until they expire, and for nothing else", () => {
    const { url, expiresAt } = signEvidenceLink(config, "ev-1", nowMs);
    expect(url.startsWith("https://api.example.invalid/api/evidence/ev-1?exp=")).toBe(true);
    const { id, exp, sig } = parts(url);
    expect(expiresAt).toBe(new Date(exp * 1000).toISOString());
    expect(checkEvidenceLink(config.secret, id, exp, sig, nowMs)).toBeUndefined();
    expect(checkEvidenceLink(config.secret, id, exp, sig, nowMs + 3_600_000)).toBe("expired");
    expect(checkEvidenceLink(config.secret, "ev-2", exp, sig, nowMs)).toBe("invalid");
    expect(checkEvidenceLink(config.secret, id, exp + 1, sig, nowMs)).toBe("invalid");
    expect(checkEvidenceLink("another-secret-16+", id, exp, sig, nowMs)).toBe("invalid");
    expect(checkEvidenceLink(config.secret, id, exp, sig.slice(1), nowMs)).toBe("invalid");
  });
});
