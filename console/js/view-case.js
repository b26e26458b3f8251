// One case: header with ledger colour and stage, deadline and working days left, the order,
// reporter (masked as the API gives it; supervisors may reveal with a reason, audited), repeat
// reports, records, extensions, rewards, revisits, the stage timeline, the actions the signed-in
// role may take, and a link to the workflow in the Temporal UI.

import { actionForm, actionsFor } from "./actions.js";
import { evidenceList } from "./evidence.js";
import { calendarYear, get } from "./api.js";
import { append, card, dl, h, table } from "./dom.js";
import { fmtDateTime, fmtDue, fmtYuan, workingDaysLeft, yearsBetween } from "./format.js";
import { CHANNELS, ELEMENTS, EVENTS, EXTENSION_STATUS, KINDS, REWARD_STATUS, SOURCE_LINES, label, unitName } from "./labels.js";
import { colourBadge, errorBox, flags, flash, stageTag } from "./ui.js";

const SUCCESS = {
  sign: "已签收，办理时限开始计算",
  "send-back": "已退单",
  route: "已改派",
  investigation: "调查记录已提交",
  rectification: "整改情况已提交",
  "rectification-complete": "已报告整改完成",
  feedback: "已反馈并办结",
  extension: "延期申请已提交，等待督办人员审批",
  "extension-decision": "延期审批已完成",
  revisit: "回访结果已记录",
  reward: "奖励申请已提交，等待审批",
  "reward-decision": "奖励审批已完成",
  urge: "已发出催办",
};

async function deadlineBlock(state) {
  const d = state.deadline;
  if (!d) {
    return dl([
      ["办理时限", "签收后开始计算"],
      ["签收期限", state.signDueAt ? fmtDue(state.signDueAt) : "—"],
      ["签收情况", state.signedAt ? `已签收 ${fmtDateTime(state.signedAt)}` : state.signOverdue ? "签收超时" : "待签收"],
    ]);
  }
  const now = new Date();
  let left;
  try {
    const years = await Promise.all(yearsBetween(now, new Date(Date.parse(d.dueAt) - 1)).map((y) => calendarYear(y)));
    const isWorking = (day) => years.find((m) => m.has(day))?.get(day) ?? false;
    const w = workingDaysLeft(d.dueAt, now, isWorking);
    left = w.overdue
      ? h("strong", { class: "text-red", id: "days-left", "data-days-left": "-1" }, "已超期")
      : w.days === 0
        ? h("strong", { class: "text-red", id: "days-left", "data-days-left": "0" }, "今日 24:00 到期")
        : h("strong", { id: "days-left", "data-days-left": String(w.days) }, `剩余 ${w.days} 个工作日`);
  } catch (err) {
    left = h("span", { class: "muted" }, `无法计算剩余工作日（${err.message}）`);
  }
  const closed = !!state.closedAt || !!state.outcome;
  return dl([
    ["办理期限", h("span", { id: "due-at", "data-due-at": d.dueAt }, fmtDue(d.dueAt))],
    ["剩余时间", closed ? `已于 ${fmtDateTime(state.closedAt)} 办结` : left],
    ["办理时限", `${d.days} 个工作日（含批准延期 ${state.extensions.filter((e) => e.status === "approved").reduce((n, e) => n + e.days, 0)} 日）`],
    ["起算时间", fmtDateTime(d.startAt)],
    ["台账", colourBadge(state.colour, { withText: true })],
    ["节假日安排", d.provisional ? "当年官方放假安排尚未发布，暂按周末及法定节日计算" : "按国务院办公厅放假安排计算"],
  ]);
}

function reportersBlock(state, reporters, me, reload) {
  const rows = table(
    [
      { label: "工单号", cell: (r) => r.orderNo },
      { label: "方式", cell: (r) => (r.anonymous ? "匿名" : r.realName ? "实名" : "留名") },
      { label: "姓名", cell: (r) => h("span", { class: "pii" }, r.name ?? "—") },
      { label: "电话", cell: (r) => h("span", { class: "pii reporter-phone" }, r.phone ?? "—") },
    ],
    reporters ?? [],
    { empty: "无举报人信息" },
  );
  if (me.role !== "supervisor") {
    return [rows, h("p", { class: "muted" }, "举报人信息已按规定脱敏显示。")];
  }
  const reason = h("input", { id: "reveal-reason", name: "reason", maxlength: 200, placeholder: "如：奖励核实", autocomplete: "off" });
  const result = h("div", { class: "form-result" });
  const form = h(
    "form",
    { class: "inline-form", id: "reveal-form", novalidate: true },
    h("label", { for: "reveal-reason" }, "查看完整信息的事由"),
    reason,
    h("button", { type: "submit", class: "btn" }, "查看（记入审计）"),
    result,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      result.replaceChildren(h("span", { class: "field-error" }, "请填写事由"));
      return;
    }
    try {
      const full = await get(`/api/cases/${encodeURIComponent(state.caseId)}`, { reveal: "reporter", reason: why });
      reload(full.reporters);
    } catch (err) {
      result.replaceChildren(errorBox(err, "查看未成功"));
    }
  });
  return [rows, form];
}

function recordBlocks(state) {
  const out = [];
  const i = state.investigation;
  if (i) {
    out.push(
      card(
        "现场调查记录",
        dl([
          ["主体名称", i.subjectName],
          ["地址", i.address],
          ["基本事实", i.facts],
          ["生产状况", i.productionStatus],
          ["污染防治设施", i.controlFacilities],
          ["排放情况", i.discharges],
          ["原因", i.cause],
          ["是否违法", i.violationFound ? "存在环境违法行为" : "未发现违法行为"],
          ["进入企业", i.enterpriseEntered ? `是（执法平台编号 ${i.enforcementPlatformRef ?? "—"}）` : "否"],
        ]),
      ),
    );
  }
  const r = state.rectification;
  if (r) {
    out.push(
      card(
        "整改情况",
        dl([
          ["方式", r.immediate ? "当场整改" : "限期整改"],
          ["说明", r.note],
          r.plan ? ["整改方案", `目标：${r.plan.goal}；措施：${r.plan.measures}；期限：${r.plan.deadline}；责任单位：${r.plan.responsibleUnit}`] : null,
          r.penaltyCase?.filed ? ["立案查处", r.penaltyCase.ref ?? "已立案"] : null,
          r.policeTransfer?.transferred ? ["移交公安", r.policeTransfer.ref ?? "已移交"] : null,
          state.rectificationCompletedAt ? ["整改销号", fmtDateTime(state.rectificationCompletedAt)] : null,
        ]),
      ),
    );
  }
  const f = state.feedback;
  if (f) {
    out.push(
      card(
        "反馈情况",
        dl([
          ["调查情况", f.findings],
          ["处理意见", f.handlingOpinion],
          ["证据材料", (f.evidence ?? []).join("；")],
          ["办理结果", f.result],
          ["承办人", f.handler],
          ["所属行业", f.industry],
          ["给举报人的反馈", f.reporterMessage],
        ]),
      ),
    );
  }
  return out;
}

export async function caseView({ me, route, refresh }) {
  const caseId = route.arg;
  const state = await get(`/api/cases/${encodeURIComponent(caseId)}`);
  // The dispatcher's and admin's view leaves out the handling records, rewards, revisits and reporters.
  const limited = state.view !== "full";
  state.rewards ??= [];
  state.revisits ??= [];
  const o = state.order;
  const root = h("div", { class: "view view-case", "data-case-id": state.caseId, "data-stage": state.stage });

  const reportersHolder = h("div", { id: "reporters" });
  const showReporters = (reporters) => reportersHolder.replaceChildren(...reportersBlock(state, reporters, me, showReporters));
  if (limited) reportersHolder.replaceChildren(h("p", { class: "muted" }, "当前身份不查看举报人信息。"));
  else showReporters(state.reporters);

  const onDone = (action, result) => {
    let msg = SUCCESS[action.key] ?? "操作已完成";
    if (action.key === "extension-decision" && result?.dueAt) msg += `，办理期限：${fmtDue(result.dueAt)}`;
    if (action.key === "reward-decision" && result?.status) msg += `，状态：${label(REWARD_STATUS, result.status)}`;
    flash(msg);
    refresh();
  };
  const actions = actionsFor(state);
  // Evidence files (佐证材料): thumbnails, updated in place when a form uploads one.
  const evidence = state.evidence ?? [];
  const evidenceHolder = h("div", { id: "evidence" }, evidenceList(evidence));
  root.addEventListener("evidence-added", (e) => {
    if (!evidence.some((x) => x.id === e.detail.id)) evidence.push(e.detail);
    evidenceHolder.replaceChildren(evidenceList(evidence));
  });

  append(
    root,
    h(
      "div",
      { class: "case-head" },
      h(
        "div",
        null,
        h("h1", null, colourBadge(state.colour), " ", state.caseId),
        h("p", { class: "case-sub" }, o.subjectName, " · ", o.district, " · ", label(KINDS, o.kind), " · 工单 ", o.orderNo),
      ),
      h(
        "div",
        { class: "case-head-right" },
        stageTag(state.stage),
        flags({ overdue: state.overdue, escalated: state.escalated, repeatCount: state.repeats.length }),
        state.urgeCount ? h("span", { class: "flag flag-orange" }, `已催办 ${state.urgeCount} 次`) : null,
        state.mergedInto
          ? h(
              "span",
              { class: "flag", id: "merged-into" },
              "已并入 ",
              h("a", { href: `#/case/${encodeURIComponent(state.mergedInto)}`, class: "case-link" }, state.mergedInto),
            )
          : null,
        state.temporalUiUrl
          ? h(
              "a",
              { class: "btn btn-ghost", id: "temporal-link", href: state.temporalUiUrl, target: "_blank", rel: "noopener noreferrer" },
              "在 Temporal 中查看工作流 ↗",
            )
          : null,
      ),
    ),
    h(
      "div",
      { class: "two-col" },
      card("办理时限", await deadlineBlock(state)),
      card(
        "工单信息",
        dl([
          ["来源", `${label(SOURCE_LINES, o.sourceLine)} · ${label(CHANNELS, o.channel)}`],
          ["受理时间", fmtDateTime(o.receivedAt)],
          ["区县", o.district],
          ["地址", o.address],
          ["被举报对象", `${o.subjectName}（${o.subjectType === "enterprise" ? "企业" : "个人"}）`],
          ["污染要素", o.elements.map((e) => label(ELEMENTS, e)).join("、")],
          ["所属行业", o.industry],
          ["处置单位", unitName(state.unitId)],
          ["举报内容", o.description],
        ]),
      ),
    ),
    card(
      "可办理的操作",
      actions.length
        ? h(
            "div",
            { class: "actions", id: "actions" },
            actions.map((a) => actionForm(a, state, onDone)),
          )
        : h("p", { class: "muted", id: "actions" }, "当前阶段没有您可以办理的操作。"),
    ),
    h(
      "div",
      { class: "two-col" },
      card("举报人", reportersHolder),
      card(
        `重复举报（${state.repeats.length}）`,
        table(
          [
            { label: "工单号", cell: (r) => r.orderNo },
            { label: "受理时间", cell: (r) => fmtDateTime(r.receivedAt) },
            { label: "来源", cell: (r) => r.sourceLine },
            { label: "地址", cell: (r) => r.address },
            { label: "内容", cell: (r) => r.description },
          ],
          state.repeats,
          { empty: "无重复举报" },
        ),
      ),
    ),
    ...recordBlocks(state),
    limited ? null : card("佐证材料", evidenceHolder),
    h(
      "div",
      { class: "two-col" },
      card(
        "延期申请",
        table(
          [
            { label: "编号", cell: (e) => e.id, class: "nowrap" },
            { label: "天数", cell: (e) => `${e.days} 个工作日`, class: "nowrap" },
            { label: "理由", cell: (e) => e.reason },
            { label: "申请", cell: (e) => `${fmtDateTime(e.requestedAt)} ${e.requestedBy ?? ""}` },
            {
              label: "状态",
              class: "nowrap",
              cell: (e) => h("span", { class: ["status", `status-${e.status}`], "data-extension-status": e.status }, label(EXTENSION_STATUS, e.status)),
            },
            { label: "审批", cell: (e) => (e.decidedAt ? `${fmtDateTime(e.decidedAt)} ${e.decidedBy ?? ""} ${e.comment ?? ""}` : "—") },
          ],
          state.extensions,
          { empty: "无延期申请", cls: "grid", rowAttrs: (e) => ({ "data-extension-id": e.id }) },
        ),
      ),
      card(
        "举报奖励",
        table(
          [
            { label: "编号", cell: (r) => r.id, class: "nowrap" },
            { label: "金额", cell: (r) => fmtYuan(r.amountYuan), class: "nowrap" },
            { label: "理由", cell: (r) => r.reason },
            {
              label: "状态",
              class: "nowrap",
              cell: (r) => h("span", { class: ["status", `status-${r.status}`], "data-reward-status": r.status }, label(REWARD_STATUS, r.status)),
            },
            {
              label: "审批 / 发放",
              cell: (r) => [r.decidedAt ? `${fmtDateTime(r.decidedAt)} ${r.decidedBy ?? ""}` : "—", r.paidAt ? `；发放 ${fmtDateTime(r.paidAt)}` : ""],
            },
          ],
          state.rewards,
          { empty: "无奖励申请", rowAttrs: (r) => ({ "data-reward-id": r.id }) },
        ),
      ),
    ),
    state.revisits.length
      ? card(
          "回访记录",
          table(
            [
              { label: "时间", cell: (v) => fmtDateTime(v.at) },
              { label: "回访人", cell: (v) => v.by },
              { label: "反弹", cell: (v) => (v.rebound ? "是" : "否") },
              { label: "满意", cell: (v) => (v.satisfied === null ? "未能联系" : v.satisfied ? "满意" : "不满意") },
              { label: "记录", cell: (v) => v.note ?? "—" },
            ],
            state.revisits,
          ),
        )
      : null,
    card(
      "办理进程",
      h(
        "ol",
        { class: "timeline", id: "timeline" },
        [...state.timeline]
          .reverse()
          .map((t) =>
            h(
              "li",
              { class: ["tl", `tl-${t.type}`], "data-type": t.type },
              h("time", { datetime: t.at }, fmtDateTime(t.at)),
              h("span", { class: "tl-type" }, label(EVENTS, t.type)),
              t.by ? h("span", { class: "tl-by" }, t.by) : null,
              t.note ? h("span", { class: "tl-note" }, t.note) : null,
            ),
          ),
      ),
    ),
  );
  return root;
}
