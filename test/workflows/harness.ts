/**
 * Workflow-test harness: the time-skipping test server and a worker with the real activities on an
 * embedded, migrated database (a PostgreSQL server on a temporary directory). Outside systems stay local: no platform URL is configured,
 * so feedback is recorded, not sent. The calendar store is in memory so tests can publish a year.
 */
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { temporal } from "@temporalio/proto";
import { createActivities, type Activities } from "../../activities";
import { caseRow } from "../../api/intake";
import type { CalendarStore } from "../../activities/calendar-store";
import { createPrisma, type PrismaClient } from "../../db/client";
import { startEmbeddedPg } from "../../db/embedded-postgres";
import { migrateDeploy } from "../../db/migrate";
import { caseWorkflow } from "../../workflows/case.workflow";
import { loadDefaultCalendar, type WorkingCalendar } from "../../calendar";
import { registerSearchAttributes } from "../../scripts/search-attributes";
import { testServerExecutable } from "../../scripts/temporal-executables";
import { workflowsPath } from "../../workers/worker";
import { caseWorkflowId, type CaseInput, type CasePolicy, type OrderSummary } from "../../workflows/contract";

/** A calendar store held in memory. */
export class MemoryCalendarStore {
  constructor(public cal: WorkingCalendar = loadDefaultCalendar()) {}
  async current() {
    return this.cal;
  }
  invalidate() {}
}

/** What the outbound activities were asked to do. */
export interface Recorded {
  transitions: string[];
  feedback: string[];
  notices: string[];
  supervision: string[];
  payments: string[];
}

/**
 * Activities: the real ones (routing, calendar, read model and outbound ports writing to the
 * embedded database), wrapped to record their calls. Only the calendar store is in memory, so a
 * test can publish a year's schedule; `failFirstPayout` makes the first payout fail after paying.
 */
export function recordingActivities(
  prisma: PrismaClient,
  calendars: MemoryCalendarStore,
  rec: Recorded,
  opts: { failFirstPayout?: Set<string> } = {},
): Activities {
  const real = createActivities({ prisma, calendars: calendars as unknown as CalendarStore, outbound: { platformHmacSecret: "test" } });
  return {
    ...real,
    async recordTransition(t) {
      rec.transitions.push(t.type);
      return real.recordTransition(t);
    },
    async sendPlatformFeedback(i) {
      rec.feedback.push(`${i.orderNo}:${i.kind}:${i.round}`);
      return real.sendPlatformFeedback(i);
    },
    async notifyReporter(i) {
      rec.notices.push(`${i.orderNo}:${i.kind ?? "feedback"}:${i.round}`);
      return real.notifyReporter(i);
    },
    async enterEnforcementPlatform(i) {
      rec.supervision.push(`enforcement:${i.ref}`);
      return real.enterEnforcementPlatform(i);
    },
    async raiseSupervision(i) {
      rec.supervision.push(i.kind);
      return real.raiseSupervision(i);
    },
    async payReward(i) {
      rec.payments.push(i.rewardId);
      const paid = await real.payReward(i);
      // A crash after the payment but before the activity completed: the retry must not pay again.
      if (opts.failFirstPayout?.delete(`${i.caseId}:${i.rewardId}`)) throw new Error("worker crashed after paying");
      return paid;
    },
  };
}

/** The rows intake writes before a case workflow starts (the read model's parent rows). */
export async function seedCase(prisma: PrismaClient, input: CaseInput): Promise<void> {
  const o = input.order;
  await prisma.case.create({ data: caseRow(input.caseId, o, { subjectKey: `s-${o.orderNo}`, addressKey: `a-${o.orderNo}` }) });
  await prisma.hotlineOrder.create({
    data: {
      orderNo: o.orderNo,
      caseId: input.caseId,
      sourceLine: o.sourceLine,
      channel: o.channel,
      kind: o.kind,
      district: o.district,
      receivedAt: new Date(o.receivedAt),
      anonymous: o.anonymous,
      realName: o.realName,
    },
  });
}

/** Default policy for tests. */
export const policy: CasePolicy = {
  signDays: 1,
  maxExtensions: 1,
  maxExtensionDays: 10,
  escalateAtRepeats: 3,
  revisitAfterDays: 5,
  revisitSampleRate: 1,
  maxRewardYuan: 50000,
};

/** A work order; override any field. */
export function order(over: Partial<OrderSummary> = {}): OrderSummary {
  return {
    orderNo: `T-${randomUUID().slice(0, 8)}`,
    sourceLine: "12345",
    channel: "phone",
    kind: "complaint",
    receivedAt: new Date().toISOString(),
    district: "解放区",
    address: "民主路1号",
    subjectName: "某化工厂",
    subjectType: "enterprise",
    elements: ["air"],
    industry: "化工",
    description: "夜间排放刺鼻气体",
    attachments: [],
    anonymous: false,
    realName: true,
    ...over,
  };
}

/** Input for caseWorkflow. */
export function caseInput(o: OrderSummary = order(), p: Partial<CasePolicy> = {}): CaseInput {
  return { caseId: caseWorkflowId(o.orderNo), order: o, policy: { ...policy, ...p } };
}

/** Starts the time-skipping server, an embedded migrated database, and a worker on a unique task queue. */
export async function startHarness() {
  const [env, db] = await Promise.all([TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } }), startEmbeddedPg()]);
  await registerSearchAttributes(env.connection, "default");
  await migrateDeploy(db.url);
  const prisma = createPrisma(db.url, 4);
  const calendars = new MemoryCalendarStore();
  const rec: Recorded = { transitions: [], feedback: [], notices: [], supervision: [], payments: [] };
  const failFirstPayout = new Set<string>();
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities: recordingActivities(prisma, calendars, rec, { failFirstPayout }),
  });
  const running = worker.run();
  return {
    env,
    calendars,
    rec,
    taskQueue,
    prisma,
    failFirstPayout,
    /** Seeds the intake rows and starts the case workflow. */
    async start(input: CaseInput) {
      await seedCase(prisma, input);
      return env.client.workflow.start(caseWorkflow, { args: [input], taskQueue, workflowId: input.caseId });
    },
    /**
     * Ends a test's case once no activity of it is pending: the time-skipping server keeps a
     * terminated workflow's scheduled activity pending, and that stops time skipping for every test after it.
     */
    async finish(handle: { workflowId: string; terminate(reason?: string): Promise<unknown> }) {
      const pending = async () => ((await env.client.workflow.getHandle(handle.workflowId).describe()).raw.pendingActivities ?? []).length;
      for (let quiet = 0, i = 0; quiet < 2 && i < 200; i++) {
        quiet = (await pending()) === 0 ? quiet + 1 : 0;
        await new Promise((r) => setTimeout(r, 25));
      }
      await handle.terminate("test done");
    },
    async stop() {
      worker.shutdown();
      await running;
      await prisma.$disconnect();
      await env.teardown();
      await db.stop();
    },
  };
}

/** The prefix of histories recorded now: bumped with each patch, so older fixtures keep the code paths they took. */
export const RECORDING = "v6";

/** With RECORD_HISTORIES=1, keeps a finished case's history for the replay test (test/replay/histories/<RECORDING>-<name>.pb). */
export function keepHistory(history: temporal.api.history.v1.IHistory, name: string): void {
  if (process.env.RECORD_HISTORIES !== "1") return;
  mkdirSync("test/replay/histories", { recursive: true });
  writeFileSync(`test/replay/histories/${RECORDING}-${name}.pb`, temporal.api.history.v1.History.encode(history).finish());
}
