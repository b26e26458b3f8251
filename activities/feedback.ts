/**
 * Outbound effects ("双反馈、一录入" and supervision): hotline-platform feedback over signed HTTP,
 * reporter notices, enforcement-platform entries, supervision tasks, reward payments. Each is
 * idempotent by a key derived from the case, so activity retries never repeat an effect.
 */
import { createHmac } from "node:crypto";
import type { PrismaClient } from "../db/client";
import { log } from "../observability/log";
import { signEvidenceLink, type EvidenceLinkConfig } from "../security/evidence-links";

/** Settings of the outbound ports. */
export interface OutboundConfig {
  platformFeedbackUrl?: string;
  platformHmacSecret: string;
  /** Key and lifetime of the evidence links feedback carries (absent: evidence goes as hashes only). */
  evidenceLinks?: EvidenceLinkConfig;
}

/** An evidence file as the workflow lists it in feedback. */
type EvidenceFile = { id: string; sha256: string; mime: string; size: number; stage: string };

/** The feedback body with each evidence file given an expiring signed link (signed when sent: the workflow holds no key and no clock for it). */
export function withEvidenceLinks(body: Record<string, unknown>, links: EvidenceLinkConfig | undefined, nowMs = Date.now()): Record<string, unknown> {
  const files = body.evidenceFiles as EvidenceFile[] | undefined;
  if (!files?.length || !links) return body;
  return { ...body, evidenceFiles: files.map((f) => ({ ...f, ...signEvidenceLink(links, f.id, nowMs) })) };
}

/** Signature header value for a body: `sha256=<hex HMAC>`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Posts a JSON body signed with the shared secret (`x-signature`) and an idempotency key, as the hotline
 * platform and the report webhook expect; a non-2xx answer throws (the activity retries). Returns the status.
 */
export async function postSigned(doFetch: typeof fetch, url: string, body: string, secret: string, key: string, who: string): Promise<number> {
  const res = await doFetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature": signBody(body, secret), "idempotency-key": key },
    body,
    signal: AbortSignal.timeout(20_000),
  });
  if (!res.ok) throw new Error(`${who} answered ${res.status} for ${key}`);
  return res.status;
}

let warnedNoPlatform = false;

/** Outbound activities. */
export function createOutboundActivities(deps: { prisma: PrismaClient; config: OutboundConfig; fetch?: typeof fetch }) {
  const { prisma, config } = deps;
  const doFetch = deps.fetch ?? fetch;
  return {
    /** Posts feedback on one order to the hotline platform; a 2xx is recorded once, anything else retries. */
    async sendPlatformFeedback(input: {
      caseId: string;
      orderNo: string;
      kind: "returned" | "closed";
      round: number;
      body: Record<string, unknown>;
    }): Promise<void> {
      const id = `${input.orderNo}:${input.kind}:${input.round}`;
      if (await prisma.outboundFeedback.findUnique({ where: { id } })) return;
      let status = 0;
      if (config.platformFeedbackUrl) {
        const body = JSON.stringify({
          orderNo: input.orderNo,
          caseId: input.caseId,
          kind: input.kind,
          round: input.round,
          ...withEvidenceLinks(input.body, config.evidenceLinks),
        });
        status = await postSigned(doFetch, config.platformFeedbackUrl, body, config.platformHmacSecret, id, "hotline platform");
      } else {
        if (!warnedNoPlatform) log.warn("PLATFORM_FEEDBACK_URL is not set: feedback is recorded, not sent (warned once)");
        warnedNoPlatform = true;
        log.debug("feedback recorded, not sent", { caseId: input.caseId, orderNo: input.orderNo, kind: input.kind });
      }
      await prisma.outboundFeedback.createMany({ data: [{ id, orderNo: input.orderNo, kind: input.kind, status }], skipDuplicates: true });
    },

    /** Notifies the reporter of the findings (the phone is decrypted only in the SMS port, never logged). */
    async notifyReporter(input: { caseId: string; orderNo: string; round: number; message: string; kind?: "feedback" | "reward" }): Promise<void> {
      const id = `${input.orderNo}:${input.kind ?? "feedback"}:${input.round}`;
      await prisma.reporterNotice.createMany({ data: [{ id, caseId: input.caseId, orderNo: input.orderNo, round: input.round }], skipDuplicates: true });
      log.info("reporter notified", { caseId: input.caseId, orderNo: input.orderNo, kind: input.kind ?? "feedback" });
    },

    /** Records the enforcement-platform entry for an enterprise inspection. */
    async enterEnforcementPlatform(input: { caseId: string; round: number; ref: string }): Promise<void> {
      await prisma.supervisionTask.createMany({
        data: [{ id: `${input.caseId}:enforcement:${input.round}`, caseId: input.caseId, kind: "enforcement_entry", note: input.ref, resolvedAt: new Date() }],
        skipDuplicates: true,
      });
    },

    /** Opens a supervision task for the city detachment, once per case, kind and key (the transition's sequence). */
    async raiseSupervision(input: { caseId: string; kind: string; unitId?: string; note?: string; key?: string }): Promise<void> {
      const id = `${input.caseId}:${input.kind}:${input.key ?? input.note ?? ""}`;
      const res = await prisma.supervisionTask.createMany({
        data: [{ id, caseId: input.caseId, kind: input.kind, unitId: input.unitId ?? null, note: input.note ?? null }],
        skipDuplicates: true,
      });
      if (res.count) log.info("supervision task", { caseId: input.caseId, kind: input.kind });
    },

    /** Pays an approved reward through the payment ledger, once per reward id. */
    async payReward(input: { caseId: string; rewardId: string; amountYuan: number }): Promise<{ paymentRef: string; paidAt: string }> {
      const id = `${input.caseId}:${input.rewardId}`;
      const paymentRef = `pay-${id}`;
      const existing = await prisma.reward.findUnique({ where: { paymentRef } });
      if (existing?.paidAt) return { paymentRef, paidAt: existing.paidAt.toISOString() };
      const paidAt = new Date();
      // The workflow's projection of the approval may not have written the row yet: the payment ledger does not wait for it.
      await prisma.reward.upsert({
        where: { id },
        create: { id, caseId: input.caseId, amount: input.amountYuan, status: "paid", appliedAt: paidAt, paymentRef, paidAt },
        update: { paymentRef, paidAt, status: "paid" },
      });
      log.info("reward paid", { caseId: input.caseId, rewardId: input.rewardId, amountYuan: input.amountYuan });
      return { paymentRef, paidAt: paidAt.toISOString() };
    },
  };
}
