/**
 * The storm's rounds: for each stage a case passes through, the mix of ≥ 20 messages fired at it
 * at once. Conflicting actions are the point: most are meant to be refused (409/422/404), none may
 * break the case. `driveTo` moves a case forward between rounds with one action at a time.
 */
import type { Stage } from "../../workflows/contract";
import { stormTokens as t, type CaseApi, type CaseStatus } from "./storm-api";
import { investigationBody } from "../bench/load";

/** One message of a round: its kind (for the histogram) and how to send it. */
export interface Message {
  kind: string;
  send: () => Promise<string>;
}

/** A round: the stage it hits, an optional set-up at that stage, and its messages. */
export interface Round {
  stage: Stage;
  setup?: (c: CaseApi, s: CaseStatus) => Promise<unknown>;
  messages: (c: CaseApi, s: CaseStatus) => Message[];
}

const record = investigationBody;
const feedbackBody = { findings: "属实", handlingOpinion: "责令整改", evidence: ["p1"], result: "已整改", handler: "张三" };
const unit = (s: CaseStatus) => t.unit(s.unitId);
const pendingExtension = (s: CaseStatus) => s.extensions.find((e) => e.status === "pending")?.id ?? `ext-${s.extensions.length + 1}`;
const pendingReward = (s: CaseStatus) => s.rewards.find((r) => r.status === "pending")?.id ?? `reward-${s.rewards.length + 1}`;
const times = (n: number, f: (i: number) => Message): Message[] => Array.from({ length: n }, (_, i) => f(i));
const msg = (kind: string, send: () => Promise<string>): Message => ({ kind, send });

/** The messages a round is made of. */
const m = {
  route: (c: CaseApi, unitId = "branch-jiefang") => msg("route", () => c.act("route", t.dispatcher, { unitId, reason: "改派" })),
  sign: (c: CaseApi, s: CaseStatus) => msg("sign", () => c.act("sign", unit(s), {})),
  sendBack: (c: CaseApi, s: CaseStatus) => msg("send-back", () => c.act("send-back", unit(s), { reason: "不属本单位职责" })),
  repeat: (c: CaseApi) => msg("repeat order", () => c.repeat()),
  urge: (c: CaseApi) => msg("urge", () => c.act("urge", t.supervisor, { note: "请加快办理" })),
  calendar: (c: CaseApi) => msg("calendarChanged", () => c.calendar()),
  extension: (c: CaseApi, s: CaseStatus) =>
    msg("extension request", () => c.act("extensions", unit(s), { days: 3, reason: "等待检测报告" }, "extension request")),
  decideExtension: (c: CaseApi, s: CaseStatus, approve: boolean) =>
    msg(approve ? "extension approve" : "extension reject", () =>
      c.act(
        `extensions/${pendingExtension(s)}/decision`,
        approve ? t.supervisor : t.supervisorB,
        { approve, comment: approve ? "同意" : "不同意" },
        approve ? "extension approve" : "extension reject",
      ),
    ),
  reward: (c: CaseApi, s: CaseStatus) =>
    msg("reward application", () => c.act("rewards", unit(s), { amountYuan: 500, reason: "举报属实" }, "reward application")),
  decideReward: (c: CaseApi, s: CaseStatus, approve: boolean) =>
    msg(approve ? "reward approve" : "reward reject", () =>
      c.act(`rewards/${pendingReward(s)}/decision`, approve ? t.supervisor : t.supervisorB, { approve }, approve ? "reward approve" : "reward reject"),
    ),
  investigation: (c: CaseApi, s: CaseStatus) => msg("investigation", () => c.act("investigation", unit(s), record)),
  rectification: (c: CaseApi, s: CaseStatus) => msg("rectification", () => c.act("rectification", unit(s), { immediate: true, note: "当场整改" })),
  rectificationComplete: (c: CaseApi, s: CaseStatus) => msg("rectification/complete", () => c.act("rectification/complete", unit(s), { note: "整改完成" })),
  feedback: (c: CaseApi, s: CaseStatus) => msg("feedback", () => c.act("feedback", unit(s), feedbackBody)),
  revisit: (c: CaseApi, s: CaseStatus, how: "satisfied" | "rebound" | "dissatisfied") =>
    msg(`revisit ${how}`, () =>
      how === "satisfied"
        ? c.act("revisits", t.supervisor, { rebound: false, satisfied: true }, "revisit satisfied")
        : how === "rebound"
          ? c.act("revisits", unit(s), { rebound: true, satisfied: null }, "revisit rebound")
          : c.act("revisits", t.supervisorB, { rebound: false, satisfied: false }, "revisit dissatisfied"),
    ),
};

/** A pending extension request and a pending reward application, for the decision round. */
async function pendingDecisions(c: CaseApi, s: CaseStatus) {
  if (!s.extensions.some((e) => e.status !== "rejected")) await c.act("extensions", unit(s), { days: 3, reason: "等待检测报告" }, "drive extensions");
  if (s.rewards.length === 0) await c.act("rewards", unit(s), { amountYuan: 500, reason: "举报属实" }, "drive rewards");
}

/** The rounds, in the order a case meets their stages. */
export const ROUNDS: Round[] = [
  {
    // The first finding: many routes at once on a sent-back case. No signing here, so the
    // next round always finds the case transferred or sent back, never signed already.
    stage: "sent_back",
    messages: (c, s) => [
      ...times(12, (i) => m.route(c, i % 4 === 3 ? "branch-macun" : "branch-jiefang")),
      ...times(3, () => m.sendBack(c, s)),
      ...times(4, () => m.repeat(c)),
      ...times(2, () => m.urge(c)),
      m.calendar(c),
    ],
  },
  {
    stage: "transferred",
    messages: (c, s) => [
      ...times(8, () => m.sign(c, s)),
      ...times(6, () => m.sendBack(c, s)),
      ...times(3, () => m.route(c, s.unitId)),
      ...times(2, () => m.repeat(c)),
      ...times(2, () => m.urge(c)),
      m.extension(c, s),
    ],
  },
  {
    stage: "investigating",
    messages: (c, s) => [
      ...times(6, () => m.extension(c, s)),
      ...times(4, () => m.investigation(c, s)),
      ...times(3, () => m.reward(c, s)),
      ...times(3, () => m.repeat(c)),
      ...times(2, () => m.urge(c)),
      ...times(2, () => m.calendar(c)),
      m.sign(c, s),
    ],
  },
  {
    // Two supervisors approve and reject the same extension and the same reward at once.
    stage: "rectifying",
    setup: pendingDecisions,
    messages: (c, s) => [
      ...times(5, () => m.decideExtension(c, s, true)),
      ...times(5, () => m.decideExtension(c, s, false)),
      ...times(3, () => m.decideReward(c, s, true)),
      ...times(2, () => m.decideReward(c, s, false)),
      ...times(2, () => m.rectification(c, s)),
      m.extension(c, s),
      m.urge(c),
      m.calendar(c),
      m.repeat(c),
    ],
  },
  {
    stage: "feedback",
    messages: (c, s) => [
      ...times(6, () => m.feedback(c, s)),
      ...times(3, () => m.extension(c, s)),
      m.decideExtension(c, s, true),
      m.decideExtension(c, s, false),
      ...times(2, () => m.reward(c, s)),
      ...times(3, () => m.urge(c)),
      ...times(2, () => m.calendar(c)),
      ...times(3, () => m.repeat(c)),
      m.rectificationComplete(c, s),
    ],
  },
  {
    stage: "revisit_pending",
    messages: (c, s) => [
      ...times(5, () => m.revisit(c, s, "satisfied")),
      ...times(3, () => m.revisit(c, s, "rebound")),
      ...times(2, () => m.revisit(c, s, "dissatisfied")),
      ...times(3, () => m.urge(c)),
      ...times(3, () => m.repeat(c)),
      ...times(2, () => m.decideReward(c, s, true)),
      ...times(2, () => m.extension(c, s)),
    ],
  },
];

// How far along a stage is, for driving forward (sent_back sits before transferred: a route leads on).
const rank: Partial<Record<Stage, number>> = {
  accepted: 0,
  sent_back: 1,
  transferred: 2,
  investigating: 3,
  rectifying: 4,
  feedback: 5,
  closed: 6,
  revisit_pending: 7,
};

/** Whether a case in `stage` is past `target`, so that round can no longer be fired at it. */
export function isPast(stage: Stage, target: Stage): boolean {
  return target === "sent_back" ? stage !== "transferred" && stage !== "accepted" : !(stage in rank) || rank[stage]! > rank[target]!;
}

/** The one action that moves a case on from its stage (none where the workflow moves by itself). */
function forward(c: CaseApi, s: CaseStatus, target: Stage): Promise<string> | undefined {
  const u = unit(s);
  switch (s.stage) {
    case "transferred":
      return target === "sent_back" ? c.act("send-back", u, { reason: "不属本单位职责" }, "drive send-back") : c.act("sign", u, {}, "drive sign");
    case "sent_back":
      return c.act("route", t.dispatcher, { unitId: "branch-jiefang", reason: "改派" }, "drive route");
    case "investigating":
      return c.act("investigation", u, record, "drive investigation");
    case "rectifying":
      return s.rectification
        ? c.act("rectification/complete", u, { note: "整改完成" }, "drive rectification/complete")
        : c.act("rectification", u, { immediate: true, note: "当场整改" }, "drive rectification");
    case "feedback":
      return c.act("feedback", u, feedbackBody, "drive feedback");
    default:
      return undefined;
  }
}

/**
 * Drives the case towards `target` one action at a time (at most 40 looks and 5 refused steps, within
 * `ms`); answers its view once it is there, past it or stuck, or the label of a failed view.
 */
export async function driveTo(c: CaseApi, target: Stage, ms = 30_000): Promise<CaseStatus | string> {
  const end = Date.now() + ms;
  let refused = 0;
  let s = await c.view();
  for (let i = 0; i < 40 && refused < 5 && Date.now() < end && typeof s !== "string" && s.stage !== target && !isPast(s.stage, target); i++) {
    const step = forward(c, s, target);
    const answer = step && (await step);
    if (answer && answer !== "200") refused++;
    // Refused (e.g. the read model still shows the old unit), or a stage the workflow leaves by itself: look again shortly.
    if (answer !== "200") await new Promise((r) => setTimeout(r, 300));
    s = await c.view();
  }
  return s;
}
