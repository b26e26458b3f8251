/**
 * Workflow-test harness: a time-skipping test server, a worker with the real routing and calendar
 * activities and in-memory fakes for the database and outside systems (these tests mock activities).
 */
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import { randomUUID } from "node:crypto";
import type { Activities } from "../../activities";
import { createCalendarActivities } from "../../activities/calendar";
import type { CalendarStore } from "../../activities/calendar-store";
import { createRoutingActivities } from "../../activities/routing";
import { loadDefaultCalendar, type WorkingCalendar } from "../../calendar";
import { registerSearchAttributes } from "../../scripts/search-attributes";
import { testServerExecutable } from "../../scripts/temporal-executables";
import { workflowsPath } from "../../workers/worker";
import { caseWorkflowId, type CaseInput, type CasePolicy, type OrderSummary } from "../../workflows/contract";

/** A calendar store held in memory. */
export class MemoryCalendarStore {
  constructor(public cal: WorkingCalendar = loadDefaultCalendar()) {}
  async current() { return this.cal; }
  invalidate() {}
}

/** What the fake outbound activities saw. */
export interface Recorded { transitions: string[]; feedback: string[]; notices: string[]; supervision: string[]; payments: string[] }

/** Activities: real routing and calendar, in-memory read model and outbound ports. */
export function fakeActivities(calendars: MemoryCalendarStore, rec: Recorded): Activities {
  return {
    ...createRoutingActivities(),
    ...createCalendarActivities({ calendars: calendars as unknown as CalendarStore }),
    async recordTransition(t) { rec.transitions.push(t.type); },
    async sendPlatformFeedback(i) { rec.feedback.push(`${i.orderNo}:${i.kind}:${i.round}`); },
    async notifyReporter(i) { rec.notices.push(`${i.orderNo}:${i.round}`); },
    async enterEnforcementPlatform(i) { rec.supervision.push(`enforcement:${i.ref}`); },
    async raiseSupervision(i) { rec.supervision.push(i.kind); },
    async payReward(i) { rec.payments.push(i.rewardId); return { paymentRef: `pay-${i.rewardId}`, paidAt: new Date().toISOString() }; },
  } as Activities;
}

/** Default policy for tests. */
export const policy: CasePolicy = {
  signDays: 1, maxExtensions: 1, maxExtensionDays: 10, escalateAtRepeats: 3, revisitAfterDays: 5, revisitSampleRate: 1, maxRewardYuan: 50000,
};

/** A work order; override any field. */
export function order(over: Partial<OrderSummary> = {}): OrderSummary {
  return {
    orderNo: `T-${randomUUID().slice(0, 8)}`, sourceLine: "12345", channel: "phone", kind: "complaint",
    receivedAt: new Date().toISOString(), district: "解放区", address: "民主路1号", subjectName: "某化工厂", subjectType: "enterprise",
    elements: ["air"], industry: "化工", description: "夜间排放刺鼻气体", attachments: [], anonymous: false, realName: true, ...over,
  };
}

/** Input for caseWorkflow. */
export function caseInput(o: OrderSummary = order(), p: Partial<CasePolicy> = {}): CaseInput {
  return { caseId: caseWorkflowId(o.orderNo), order: o, policy: { ...policy, ...p } };
}

/** Starts the time-skipping server and a worker on a unique task queue. */
export async function startHarness() {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: testServerExecutable() } });
  await registerSearchAttributes(env.connection, "default");
  const calendars = new MemoryCalendarStore();
  const rec: Recorded = { transitions: [], feedback: [], notices: [], supervision: [], payments: [] };
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowsPath, activities: fakeActivities(calendars, rec),
  });
  const running = worker.run();
  return {
    env, calendars, rec, taskQueue,
    async stop() { worker.shutdown(); await running; await env.teardown(); },
  };
}
