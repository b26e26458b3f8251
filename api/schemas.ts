/** Zod schemas of every request and response body; types come from z.infer, OpenAPI from these. */
import { z } from "zod";
import { CHANNELS, ELEMENTS, KINDS, SOURCE_LINES, STAGES } from "../workflows/contract";
import { ACTION_NAMES, type ActionName } from "../workflows/case-rules";
import { knownUnits } from "../activities/routing";
import { evidenceRecordSchema } from "./evidence-schemas";

// PostgreSQL text cannot hold NUL: refuse it here (400) rather than fail on insert (was a 500, found by fuzzing).
const noNul = (v: string) => !v.includes("\u0000");
// A lone UTF-16 surrogate cannot be encoded as UTF-8: refuse it (400) rather than fail in Temporal's or the database's JSON (a 500).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (v: string) => !LONE_SURROGATE.test(v);
const text = (max = 2000) =>
  z.string().trim().min(1).max(max).refine(noNul, "must not contain NUL characters").refine(wellFormed, "must not contain lone UTF-16 surrogates");
const isoInstant = z.iso.datetime({ offset: true });
/** A query parameter PostgreSQL can hold: no NUL, no lone surrogate (a 400, not a 500 from the database). */
export const queryText = (max: number) =>
  z.string().max(max).refine(noNul, "must not contain NUL characters").refine(wellFormed, "must not contain lone UTF-16 surrogates");

/** The earliest plausible receipt of a work order; the latest is a day ahead of now (clock skew). */
export const EARLIEST_RECEIVED_AT = "2000-01-01T00:00:00+08:00";
const receivedAtSchema = isoInstant.refine((v) => {
  const t = Date.parse(v);
  return t >= Date.parse(EARLIEST_RECEIVED_AT) && t <= Date.now() + 86_400_000;
}, "must lie between 2000-01-01 and tomorrow");

/**
 * A phone number as the platform sends it (`+86-193-1234-5678`, `0391 1234567`), normalised to its
 * digits without the country code (`19312345678`), so masking and repeat detection see one form.
 */
export const phoneSchema = z
  .string()
  .regex(/^\+?[0-9 -]{5,24}$/, "digits, optionally + , spaces and -")
  .transform((v) => v.replace(/\D/g, "").replace(/^(0086|86)(?=1\d{10}$)/, ""))
  .refine((v) => v.length >= 5 && v.length <= 20, "5–20 digits");

/** A hotline work order as the platform integration posts it. */
export const orderSchema = z
  .object({
    orderNo: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, "4–64 letters, digits, '-' or '_'"),
    sourceLine: z.enum(SOURCE_LINES),
    channel: z.enum(CHANNELS),
    kind: z.enum(KINDS),
    receivedAt: receivedAtSchema,
    district: text(50),
    address: text(200),
    subject: z.object({ name: text(200), type: z.enum(["enterprise", "person"]) }),
    elements: z
      .array(z.enum(ELEMENTS))
      .min(1)
      .max(7)
      .refine((a) => new Set(a).size === a.length, "elements must not repeat"),
    industry: text(100).optional(),
    description: text(5000),
    reporter: z
      .object({
        anonymous: z.boolean(),
        name: text(50).optional(),
        phone: phoneSchema
          .optional()
          .describe(
            "The reporter's number; on an anonymous report a callback number only: kept encrypted for the unit's callback, never used to identify the reporter (no repeat matching, no notices).",
          ),
        realName: z.boolean().default(false),
      })
      .refine((r) => !r.anonymous || (!r.name && !r.realName), "an anonymous report carries no name or real-name flag (a callback phone is allowed)")
      .refine((r) => !r.realName || !!r.name, "a real-name report needs the reporter's name"),
    attachments: z
      .array(z.string().max(500).refine(noNul, "must not contain NUL characters").refine(wellFormed, "must not contain lone UTF-16 surrogates"))
      .max(50)
      .default([]),
    location: z
      .object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
      .strict()
      .optional()
      .describe(
        "Where the report was made, as WeChat and app reports carry it: strong evidence in repeat matching. Kept in the database only, never in Temporal.",
      ),
  })
  .strict();
/** A parsed work order. */
export type OrderBody = z.infer<typeof orderSchema>;

/** Intake response. */
export const intakeResponseSchema = z.object({
  caseId: z.string(),
  orderNo: z.string(),
  created: z.boolean(),
  repeatOf: z.string().optional(),
  repeatCount: z.number().optional(),
  escalated: z.boolean().optional(),
  /** A possible repeat: the order opened a new case, and a dispatcher decides whether it is this older case's problem. */
  possibleRepeatOf: z.string().optional(),
});

/** Body of send-back. */
export const sendBackSchema = z.object({ reason: text(500) }).strict();
/** Body of re-routing. */
export const routeSchema = z
  .object({ unitId: z.enum(knownUnits() as [string, ...string[]], { error: "not a known handling unit (config/routing.json)" }), reason: text(500) })
  .strict();
/** Body of the investigation record. */
export const investigationSchema = z
  .object({
    subjectName: text(200),
    address: text(200),
    facts: text(),
    productionStatus: text(500),
    controlFacilities: text(500),
    discharges: text(1000),
    cause: text(1000),
    violationFound: z.boolean(),
    enterpriseEntered: z.boolean(),
    enforcementPlatformRef: text(100).optional(),
  })
  .strict();
/** Body of the rectification. */
export const rectificationSchema = z
  .object({
    immediate: z.boolean(),
    note: text(),
    plan: z
      .object({ goal: text(500), measures: text(), deadline: z.iso.date(), responsibleUnit: text(200) })
      .strict()
      .optional(),
    penaltyCase: z
      .object({ filed: z.boolean(), ref: text(100).optional() })
      .strict()
      .optional(),
    policeTransfer: z
      .object({ transferred: z.boolean(), ref: text(100).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((r) => r.immediate || r.plan, { message: "a rectification that is not immediate needs a plan", path: ["plan"] });
/** Body of rectification completion. */
export const rectificationCompleteSchema = z.object({ note: text() }).strict();
/** Body of feedback. */
export const feedbackSchema = z
  .object({
    findings: text(),
    handlingOpinion: text(),
    evidence: z.array(text(500)).max(50),
    result: text(),
    handler: text(50),
    industry: text(100).optional(),
    reporterMessage: text().optional(),
  })
  .strict();
/** Body of an extension request. */
export const extensionRequestSchema = z.object({ days: z.number().int().min(1).max(60), reason: text(1000) }).strict();
/** Body of a decision (extension). */
export const decisionSchema = z.object({ approve: z.boolean(), comment: text(1000).optional() }).strict();
/** Body of a reward decision. */
export const rewardDecisionSchema = decisionSchema.extend({ amountYuan: z.number().int().min(1).optional() }).strict();
/** Body of a revisit result. */
export const revisitSchema = z.object({ rebound: z.boolean(), satisfied: z.boolean().nullable(), note: text(1000).optional() }).strict();
/** Body of a reward application. */
export const rewardApplicationSchema = z.object({ amountYuan: z.number().int().min(1), reason: text(1000) }).strict();
/** Body of an urge. */
export const urgeSchema = z.object({ note: text(1000) }).strict();
/** An empty body (signing). */
export const emptySchema = z.object({}).strict();

/** Query of the case search. */
export const caseSearchSchema = z
  .object({
    stage: z.enum(STAGES).optional(),
    kind: z.enum(KINDS).optional(),
    sourceLine: z.enum(SOURCE_LINES).optional(),
    district: queryText(50).optional(),
    unitId: queryText(64).optional(),
    colour: z.enum(["green", "blue", "yellow", "red"]).optional(),
    overdue: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
    escalated: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional(),
    receivedFrom: isoInstant.optional(),
    receivedTo: isoInstant.optional(),
    page: z.coerce.number().int().min(1).max(100000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** A reveal reason says why: at least 4 characters with Chinese text, 10 without, and not one character repeated. */
export const revealReasonSchema = text(200).refine(
  (r) => r.length >= (/[\u3400-\u9fff]/.test(r) ? 4 : 10) && new Set(r.replace(/\s/g, "")).size >= 2,
  "give the reason for revealing the reporter (at least 4 Chinese characters or 10 letters)",
);

/** Query of the case view: supervisors may ask for unmasked reporter data with a reason (audited). */
export const caseViewSchema = z
  .object({ reveal: z.literal("reporter").optional(), reason: revealReasonSchema.optional() })
  .strict()
  .refine((q) => !q.reveal || q.reason, { message: "revealing the reporter requires a reason", path: ["reason"] });

/** Path parameter of a case. */
export const caseIdSchema = z.string().regex(/^case-[A-Za-z0-9_-]{4,64}$/, "not a case id");

const deadlineSchema = z.object({
  startAt: z.string(),
  days: z.number(),
  dueAt: z.string(),
  blueAt: z.string(),
  yellowAt: z.string(),
  provisional: z.boolean(),
});
const orderSummarySchema = z.object({
  orderNo: z.string(),
  sourceLine: z.enum(SOURCE_LINES),
  channel: z.enum(CHANNELS),
  kind: z.enum(KINDS),
  receivedAt: z.string(),
  district: z.string(),
  address: z.string(),
  subjectName: z.string(),
  subjectType: z.enum(["enterprise", "person"]),
  elements: z.array(z.enum(ELEMENTS)),
  industry: z.string().optional(),
  description: z.string(),
  attachments: z.array(z.string()),
  anonymous: z.boolean(),
  realName: z.boolean(),
});
const decided = { decidedAt: z.string().optional(), decidedBy: z.string().optional() };

/** The case view (GET /api/cases/{caseId}): the workflow's status DTO, the caller's allowed actions, masked reporters. */
export const caseViewResponseSchema = z.object({
  caseId: z.string(),
  order: orderSummarySchema,
  stage: z.enum(STAGES),
  outcome: z.enum(["returned", "completed", "merged"]).optional(),
  mergedInto: z.string().optional(),
  unitId: z.string().optional(),
  lead: z.enum(["unit", "branch_head"]).optional(),
  acceptedAt: z.string().optional(),
  signDueAt: z.string().optional(),
  signOverdue: z.boolean(),
  signedAt: z.string().optional(),
  sendBackReason: z.string().optional(),
  deadline: deadlineSchema.optional(),
  colour: z.enum(["green", "blue", "yellow", "red"]),
  overdue: z.boolean(),
  extensions: z.array(
    z.object({
      id: z.string(),
      days: z.number(),
      reason: z.string(),
      status: z.enum(["pending", "approved", "rejected"]),
      requestedAt: z.string(),
      requestedBy: z.string(),
      // The handling deadline an approval gives, computed with the request (absent for older requests).
      ifApproved: deadlineSchema.optional(),
      comment: z.string().optional(),
      ...decided,
    }),
  ),
  repeats: z.array(orderSummarySchema),
  escalated: z.boolean(),
  investigation: z.record(z.string(), z.unknown()).optional(),
  rectification: z.record(z.string(), z.unknown()).optional(),
  rectificationCompletedAt: z.string().optional(),
  feedback: z.record(z.string(), z.unknown()).optional(),
  closedAt: z.string().optional(),
  returnedAt: z.string().optional(),
  returnReason: z.string().optional(),
  revisitDueAt: z.string().optional(),
  revisitSampled: z.boolean(),
  revisits: z.array(
    z.object({ id: z.string(), at: z.string(), by: z.string(), rebound: z.boolean(), satisfied: z.boolean().nullable(), note: z.string().optional() }),
  ),
  reopenCount: z.number(),
  rewards: z.array(
    z.object({
      id: z.string(),
      amountYuan: z.number(),
      reason: z.string(),
      status: z.enum(["pending", "approved", "rejected", "paid"]),
      appliedAt: z.string(),
      paidAt: z.string().optional(),
      paymentRef: z.string().optional(),
      ...decided,
    }),
  ),
  urgeCount: z.number(),
  /** Evidence files' hashes and metadata (absent on cases that never had any). */
  evidence: z.array(evidenceRecordSchema).optional(),
  timeline: z.array(z.object({ seq: z.number(), at: z.string(), type: z.string(), by: z.string().optional(), note: z.string().optional() })),
  policy: z.record(z.string(), z.unknown()),
  allowedActions: z.array(z.enum(ACTION_NAMES as [ActionName, ...ActionName[]])),
  reporters: z.array(
    z.object({ orderNo: z.string(), anonymous: z.boolean(), realName: z.boolean(), name: z.string().nullable(), phone: z.string().nullable() }),
  ),
  temporalUiUrl: z.string(),
});

/** Fields of the case view a routing role (dispatcher, admin) does not get: the unit's records, reporters, rewards and revisits. */
export const HANDLING_FIELDS = ["investigation", "rectification", "feedback", "revisits", "rewards", "reporters", "evidence"] as const;

/** The case view for the dispatcher and admin: what routing needs, without the handling records and reporters. */
export const caseRoutingViewSchema = caseViewResponseSchema
  .omit(Object.fromEntries(HANDLING_FIELDS.map((f) => [f, true])) as { [K in (typeof HANDLING_FIELDS)[number]]: true })
  .extend({
    view: z.literal("routing"),
  });

/** The case view for the platform integration: its order's status and outcome only. */
export const caseStatusViewSchema = z.object({
  view: z.literal("status"),
  caseId: z.string(),
  orderNos: z.array(z.string()),
  stage: z.enum(STAGES),
  outcome: z.enum(["returned", "completed", "merged"]).optional(),
  mergedInto: z.string().optional(),
  acceptedAt: z.string().optional(),
  signedAt: z.string().optional(),
  closedAt: z.string().optional(),
  returnedAt: z.string().optional(),
  returnReason: z.string().optional(),
});

/** GET /api/cases/{caseId}: the view the caller's role may see. */
export const caseAnyViewResponseSchema = z.union([caseViewResponseSchema.extend({ view: z.literal("full") }), caseRoutingViewSchema, caseStatusViewSchema]);
