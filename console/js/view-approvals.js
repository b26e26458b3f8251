// Supervisors' approval queues: pending extension requests and reward applications
// (GET /api/approvals), each decided in place through the case's decision route.

import { api, get } from "./api.js";
import { h, table } from "./dom.js";
import { fmtDateTime, fmtDue, fmtYuan } from "./format.js";
import { KINDS, label, unitName } from "./labels.js";
import { colourBadge, errorBox, flags, flash, stageTag } from "./ui.js";

function caseCell(item) {
  return [
    h("a", { href: `#/case/${encodeURIComponent(item.caseId)}`, class: "case-link", "data-case-id": item.caseId }, item.caseId),
    h("div", { class: "muted" }, item.case.subjectName, " · ", item.case.district, " · ", label(KINDS, item.case.kind)),
  ];
}

// Items decided in this page: the queue is read from the read model, which follows the workflow a
// moment later, so a decided item is kept out of the list rather than shown again for a moment.
const decided = new Set();
const itemKey = (kind, item) => `${kind}:${item.caseId}:${item.itemId}`;

/** Approve / reject controls for one queue item. */
function decision(kind, item, me, refresh) {
  if (me.role !== "supervisor") return h("span", { class: "muted" }, "仅督办人员可审批");
  const comment = h("input", { name: "comment", class: "comment", maxlength: 1000, placeholder: "审批意见（可选）", "aria-label": "审批意见" });
  const amount =
    kind === "rewards"
      ? h("input", { name: "amountYuan", class: "amount", type: "number", min: 1, step: 1, value: String(item.amountYuan), "aria-label": "核定金额（元）" })
      : null;
  const result = h("div", { class: "form-result" });
  const send = async (approve, buttons) => {
    const body = { approve };
    const c = comment.value.trim();
    if (c) body.comment = c;
    if (amount && approve) {
      const n = Number(amount.value);
      if (!Number.isInteger(n) || n < 1) {
        result.replaceChildren(h("span", { class: "field-error" }, "核定金额应为正整数"));
        return;
      }
      if (n !== item.amountYuan) body.amountYuan = n;
    }
    for (const b of buttons) b.disabled = true;
    try {
      const res = await api("POST", `/api/cases/${encodeURIComponent(item.caseId)}/${kind}/${encodeURIComponent(item.itemId)}/decision`, body);
      flash(
        kind === "extensions"
          ? `${item.caseId}：延期申请${approve ? "已批准" : "未批准"}${res?.dueAt ? `，办理期限 ${fmtDue(res.dueAt)}` : ""}`
          : `${item.caseId}：奖励${approve ? (res?.status === "paid" ? `已批准并发放 ${fmtYuan(res.amountYuan)}` : "已批准") : "未批准"}`,
      );
      decided.add(itemKey(kind, item));
      refresh();
    } catch (err) {
      result.replaceChildren(errorBox(err, "审批未成功"));
      for (const b of buttons) b.disabled = false;
    }
  };
  const approveBtn = h("button", { type: "button", class: "btn btn-primary", "data-decision": "approve" }, "批准");
  const rejectBtn = h("button", { type: "button", class: "btn btn-danger", "data-decision": "reject" }, "不批准");
  approveBtn.addEventListener("click", () => void send(true, [approveBtn, rejectBtn]));
  rejectBtn.addEventListener("click", () => void send(false, [approveBtn, rejectBtn]));
  return h("div", { class: "decision" }, amount, comment, h("div", { class: "decision-buttons" }, approveBtn, rejectBtn), result);
}

export async function approvalsView({ me, refresh }) {
  let queues;
  try {
    queues = await get("/api/approvals");
  } catch (err) {
    return h("div", { class: "view" }, h("h1", null, "审批队列"), errorBox(err, "审批队列加载失败"));
  }
  const extensions = (queues.extensions ?? []).filter((e) => !decided.has(itemKey("extensions", e)));
  const rewards = (queues.rewards ?? []).filter((r) => !decided.has(itemKey("rewards", r)));
  return h(
    "div",
    { class: "view view-approvals" },
    h("h1", null, "审批队列"),
    h(
      "section",
      { class: "card", id: "queue-extensions" },
      h("h2", { class: "card-title" }, `待审批延期申请（${extensions.length}）`),
      table(
        [
          { label: "案件", cell: caseCell },
          { label: "台账", cell: (e) => [colourBadge(e.case.colour), " ", stageTag(e.case.stage), flags({ escalated: e.case.escalated })] },
          { label: "处置单位", cell: (e) => unitName(e.case.unitId) },
          { label: "申请延期", cell: (e) => `${e.days} 个工作日` },
          { label: "理由", cell: (e) => e.reason },
          { label: "申请时间", cell: (e) => fmtDateTime(e.requestedAt) },
          { label: "当前期限", cell: (e) => fmtDue(e.case.dueAt) },
          { label: "审批", cell: (e) => decision("extensions", e, me, refresh), class: "c-decision" },
        ],
        extensions,
        { empty: "暂无待审批的延期申请", rowAttrs: (e) => ({ "data-case-id": e.caseId, "data-item-id": e.itemId }) },
      ),
    ),
    h(
      "section",
      { class: "card", id: "queue-rewards" },
      h("h2", { class: "card-title" }, `待审批举报奖励（${rewards.length}）`),
      table(
        [
          { label: "案件", cell: caseCell },
          { label: "台账", cell: (r) => [colourBadge(r.case.colour), " ", stageTag(r.case.stage)] },
          { label: "处置单位", cell: (r) => unitName(r.case.unitId) },
          { label: "申请金额", cell: (r) => fmtYuan(r.amountYuan) },
          { label: "申请时间", cell: (r) => fmtDateTime(r.appliedAt) },
          { label: "审批", cell: (r) => decision("rewards", r, me, refresh), class: "c-decision" },
        ],
        rewards,
        { empty: "暂无待审批的奖励申请", rowAttrs: (r) => ({ "data-case-id": r.caseId, "data-item-id": r.itemId }) },
      ),
    ),
    h("p", { class: "muted" }, "奖励批准后即线上一次发放，全程不暴露举报人身份。"),
  );
}
