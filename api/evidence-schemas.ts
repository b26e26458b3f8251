/** Zod schemas of the evidence routes: the upload's form fields, the item, the signed-link query. */
import { z } from "zod";
import { EVIDENCE_MIMES, EVIDENCE_STAGES } from "../workflows/case-evidence";

// Like the other bodies' text: PostgreSQL and Temporal's JSON hold neither NUL nor a lone UTF-16 surrogate.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const note = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((v) => !v.includes("\u0000") && !LONE_SURROGATE.test(v), "must not contain NUL characters or lone UTF-16 surrogates");

/** Form fields next to the `file` part of an upload. */
export const evidenceFormSchema = z.strictObject({
  stage: z.enum(EVIDENCE_STAGES).optional(),
  note: note.optional(),
});

/** An evidence item as the workflow recorded it (hash and metadata; no bytes, no file name). */
export const evidenceRecordSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  mime: z.enum(EVIDENCE_MIMES),
  size: z.number(),
  stage: z.enum(EVIDENCE_STAGES),
  thumbnail: z.boolean(),
  note: z.string().optional(),
  uploadedAt: z.string(),
  by: z.string(),
  round: z.number(),
});

/** Answer of an upload: the item and where to fetch it. */
export const evidenceUploadResponseSchema = evidenceRecordSchema.extend({ url: z.string(), thumbnailUrl: z.string().optional() });

/** An evidence id (derived from the case and the content hash). */
export const evidenceIdSchema = z.string().regex(/^ev-[0-9a-f]{32}$/, "not an evidence id");

/** The query of a signed link (both or neither). */
export const evidenceLinkQuerySchema = z.strictObject({
  exp: z
    .string()
    .regex(/^\d{1,12}$/, "seconds since the epoch")
    .transform(Number)
    .optional(),
  sig: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, "base64url")
    .optional(),
});
