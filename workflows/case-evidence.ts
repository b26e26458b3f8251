/**
 * Evidence items (佐证材料) a case carries: the content hash and metadata of each stored file, never
 * its bytes or its file name (a name can hold personal data). Pure: the rules and the closing check use it.
 */
import type { Stage } from "./contract";

/** The handling step a file documents (before/after photos go to investigation and rectification). */
export const EVIDENCE_STAGES = ["investigation", "rectification", "feedback"] as const;
/** The handling step of an evidence item. */
export type EvidenceStage = (typeof EVIDENCE_STAGES)[number];

/** Media types accepted as evidence (sniffed from the content by the API). */
export const EVIDENCE_MIMES = ["image/jpeg", "image/png", "application/pdf"] as const;
/** A media type accepted as evidence. */
export type EvidenceMime = (typeof EVIDENCE_MIMES)[number];

/** Evidence items a case may hold in one handling round (bounds the state carried over). */
export const MAX_EVIDENCE_PER_ROUND = 50;

/** One evidence item as the workflow records it. */
export interface EvidenceRecord {
  /** Derived from the case and the content hash: the same file attached twice to a case is one item. */
  id: string;
  sha256: string;
  mime: EvidenceMime;
  size: number;
  stage: EvidenceStage;
  /** Whether the store holds a thumbnail (images only). */
  thumbnail: boolean;
  note?: string;
  uploadedAt: string;
  /** Staff name of the uploader. */
  by: string;
  /** The handling round (reopenCount) it was attached in. */
  round: number;
}

/** The evidence stage a case stage documents by default. */
export function defaultEvidenceStage(stage: Stage): EvidenceStage {
  return stage === "rectifying" ? "rectification" : stage === "feedback" ? "feedback" : "investigation";
}

/** The evidence of the current handling round (a reopened case is investigated and documented again). */
export function roundEvidence(s: { evidence?: EvidenceRecord[]; reopenCount: number }): EvidenceRecord[] {
  return (s.evidence ?? []).filter((e) => e.round === s.reopenCount);
}
