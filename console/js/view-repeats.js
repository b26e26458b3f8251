// The review queue of possible repeats (查重复核): intake found an older open case that may be the
// same problem told in other words; a dispatcher or supervisor confirms (the newer case's orders join
// the older case and the newer case ends as merged) or rejects (both stay). A person as subject is
// confidential: the API sends neither name nor address, and the queue says so.

import { api, get } from "./api.js";
import { h, table } from "./dom.js";
import { fmtDateTime } from "./format.js";
import { ELEMENTS, label } from "./labels.js";
import { errorBox, flash, stageTag } from "./ui.js";

/** The matcher's reasons (matching/score.ts) in Chinese. */
const REASONS = {
  "same name": "名称相同",
  "similar name": "名称相近",
  "different name": "名称不同",
  "same house number": "门牌号相同",
  "another house": "门牌号不同",
  "same intersection": "同一路口",
  "on a road of the intersection": "位于路口所在道路",
  "same road": "同一道路",
  "same area": "同一村庄/园区/小区",
  "another area": "不同村庄/园区/小区",
  "same town": "同一乡镇/街道",
  "similar address": "地址相近",
  "same address": "地址相同（密文比对）",
  "same trade": "行业相同",
  "different trade": "行业不同",
  "neighbouring district": "相邻县区",
  "reported points close": "上报位置相近",
  "reported points some way apart": "上报位置相距较远",
  "reported points far apart": "上报位置相距很远",
};
const STATUS = { pending: "待复核", confirmed: "已确认重复", rejected: "已否定", obsolete: "已失效" };

// Suggestions decided on this page: the list is read again at once, and a decided one is not shown twice.
const decided = new Set();

function side(c) {
  if (!c) return h("span", { class: "muted" }, "—");
  const who =
    c.subjectType === "person"
      ? h("span", { class: "muted confidential" }, "个人（保密，仅以密文比对）")
      : [h("strong", null, c.subjectName), h("div", null, c.address)];
  return [
    h("a", { href: `#/case/${encodeURIComponent(c.caseId)}`, class: "case-link", "data-case-id": c.caseId }, c.caseId),
    h("div", null, who),
    h(
      "div",
      { class: "muted" },
      c.district,
      " · ",
      c.elements.map((e) => label(ELEMENTS, e)).join("、"),
      " · ",
      fmtDateTime(c.receivedAt),
      " · 重复 ",
      String(c.repeatCount),
      " 件 ",
    ),
    stageTag(c.stage),
  ];
}

function decision(item, refresh) {
  const comment = h("input", { name: "comment", class: "comment", maxlength: 1000, placeholder: "复核意见（可选）", "aria-label": "复核意见" });
  const result = h("div", { class: "form-result" });
  const send = async (verb, buttons) => {
    const body = {};
    const c = comment.value.trim();
    if (c) body.comment = c;
    for (const b of buttons) b.disabled = true;
    try {
      const res = await api("POST", `/api/repeat-suggestions/${item.id}/${verb}`, body);
      flash(
        verb === "confirm"
          ? `已确认重复：${item.newer?.caseId} 并入 ${res.candidateId}${res.repeatCount !== undefined ? `（重复 ${res.repeatCount} 件${res.escalated ? "，已提级办理" : ""}）` : ""}`
          : `已否定：${item.newer?.caseId} 与 ${item.older?.caseId} 分别办理`,
      );
      decided.add(item.id);
      refresh();
    } catch (err) {
      result.replaceChildren(errorBox(err, "复核未成功"));
      for (const b of buttons) b.disabled = false;
    }
  };
  const confirmBtn = h("button", { type: "button", class: "btn btn-primary", "data-decision": "confirm" }, "确认重复并案");
  const rejectBtn = h("button", { type: "button", class: "btn btn-danger", "data-decision": "reject" }, "不是重复");
  confirmBtn.addEventListener("click", () => void send("confirm", [confirmBtn, rejectBtn]));
  rejectBtn.addEventListener("click", () => void send("reject", [confirmBtn, rejectBtn]));
  return h("div", { class: "decision" }, comment, h("div", { class: "decision-buttons" }, confirmBtn, rejectBtn), result);
}

export async function repeatsView({ route, refresh }) {
  const asked = route.query.get("status");
  const status = asked && STATUS[asked] ? asked : "pending";
  let list;
  try {
    list = await get(`/api/repeat-suggestions?status=${status}&pageSize=100`);
  } catch (err) {
    return h("div", { class: "view" }, h("h1", null, "查重复核"), errorBox(err, "查重复核队列加载失败"));
  }
  const items = list.items.filter((i) => !decided.has(i.id) || status !== "pending");
  const tabs = h(
    "p",
    { class: "tabs" },
    Object.entries(STATUS).map(([k, v]) =>
      h("a", { href: `#/repeats?status=${k}`, class: k === status ? "active" : null, "aria-current": k === status ? "page" : null }, v, " "),
    ),
  );
  return h(
    "div",
    { class: "view view-repeats" },
    h("h1", null, "查重复核"),
    tabs,
    h(
      "section",
      { class: "card", id: "queue-repeats" },
      h("h2", { class: "card-title" }, `${STATUS[status]}（${status === "pending" ? items.length : list.total}）`),
      table(
        [
          { label: "新案件", cell: (i) => side(i.newer) },
          { label: "疑似重复的在先案件", cell: (i) => side(i.older) },
          {
            label: "依据",
            cell: (i) => [h("div", null, i.reasons.map((r) => REASONS[r] ?? r).join("；")), h("div", { class: "muted" }, `得分 ${i.score.toFixed(2)}`)],
          },
          {
            label: status === "pending" ? "复核" : "结论",
            cell: (i) =>
              status === "pending"
                ? decision(i, refresh)
                : [
                    h("div", null, STATUS[i.status]),
                    h("div", { class: "muted" }, i.decidedBy ?? "", " ", i.decidedAt ? fmtDateTime(i.decidedAt) : ""),
                    i.comment ? h("div", null, i.comment) : null,
                  ],
            class: "c-decision",
          },
        ],
        items,
        { empty: "暂无待复核的疑似重复件", rowAttrs: (i) => ({ "data-suggestion-id": String(i.id) }) },
      ),
    ),
    h(
      "p",
      { class: "muted" },
      "确认后，新案件的工单并入在先案件（计入重复举报次数，满三次提级办理），新案件以“并案”结束；否定后两案分别办理。每次复核均记入审计日志，并留作查重样本。",
    ),
  );
}
