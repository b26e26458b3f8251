// The actions on a case as forms: their fields and simple client-side checks that mirror
// api/schemas.ts (required, length, integer ranges, dates). Which of them the signed-in user may take
// now is the API's answer (allowedActions, from workflows/case-rules.ts); the API stays the judge:
// its rejection { code, message, details } is shown under the form.

import { api } from "./api.js";
import { h } from "./dom.js";
import { UNITS } from "./labels.js";
import { fmtYuan } from "./format.js";
import { errorBox } from "./ui.js";
import { evidenceUpload } from "./evidence.js";

const YES_NO = [
  ["true", "是"],
  ["false", "否"],
];
const pendingExtension = (s) => s.extensions.find((e) => e.status === "pending");
const pendingReward = (s) => s.rewards.find((r) => r.status === "pending");

/** Every action of the case API, in the order a case goes through them. */
export const ACTIONS = [
  {
    key: "sign",
    action: "sign",
    title: "签收",
    path: () => "sign",
    describe: "确认本单位接收该案件；办理时限自签收次日起按工作日计算。",
    submit: "确认签收",
    fields: [],
  },
  {
    key: "send-back",
    action: "sendBack",
    title: "退单",
    path: () => "send-back",
    describe: "不属于本单位管辖或职责的，说明理由退回调度重新派单。",
    submit: "退单",
    fields: [{ name: "reason", label: "退单理由", type: "textarea", required: true, max: 500 }],
  },
  {
    key: "route",
    action: "route",
    title: "改派",
    path: () => "route",
    describe: "将案件转办至其他处置单位。",
    submit: "改派",
    fields: [
      { name: "unitId", label: "处置单位", type: "select", required: true, max: 64, options: Object.entries(UNITS) },
      { name: "reason", label: "改派理由", type: "textarea", required: true, max: 500 },
    ],
  },
  {
    key: "investigation",
    action: "submitInvestigation",
    title: "现场调查记录",
    path: () => "investigation",
    evidenceStage: "investigation",
    describe: "逐项记录现场调查情况（主体名称、地址、基本事实、生产状况、治污设施、排放情况、原因）。",
    submit: "提交调查记录",
    fields: [
      { name: "subjectName", label: "被举报主体名称", required: true, max: 200, initial: (s) => s.order.subjectName },
      { name: "address", label: "地址", required: true, max: 200, initial: (s) => s.order.address },
      { name: "facts", label: "基本事实", type: "textarea", required: true, max: 2000 },
      { name: "productionStatus", label: "生产状况", required: true, max: 500 },
      { name: "controlFacilities", label: "污染防治设施", required: true, max: 500 },
      { name: "discharges", label: "排放情况", type: "textarea", required: true, max: 1000 },
      { name: "cause", label: "问题原因", type: "textarea", required: true, max: 1000 },
      { name: "violationFound", label: "是否存在环境违法行为", type: "bool", required: true },
      { name: "enterpriseEntered", label: "是否进入企业检查", type: "bool", required: true },
      {
        name: "enforcementPlatformRef",
        label: "省执法平台登记编号（扫码入企）",
        max: 100,
        required: (v) => v.enterpriseEntered === true,
        hint: "进入企业检查的必须填写",
      },
    ],
  },
  {
    key: "rectification",
    action: "submitRectification",
    title: "整改情况",
    path: () => "rectification",
    evidenceStage: "rectification",
    submit: "提交整改情况",
    describe: "能当场整改的当场整改；不能当场整改的制定整改方案（目标、措施、期限、责任单位），跟踪至闭环销号。",
    fields: [
      {
        name: "immediate",
        label: "整改方式",
        type: "select",
        required: true,
        options: [
          ["true", "当场整改完毕"],
          ["false", "制定整改方案，限期整改"],
        ],
      },
      { name: "note", label: "整改说明", type: "textarea", required: true, max: 2000 },
      { name: "plan.goal", label: "整改目标", max: 500, show: (v) => v.immediate === false, required: (v) => v.immediate === false },
      { name: "plan.measures", label: "整改措施", type: "textarea", max: 2000, show: (v) => v.immediate === false, required: (v) => v.immediate === false },
      { name: "plan.deadline", label: "整改期限", type: "date", show: (v) => v.immediate === false, required: (v) => v.immediate === false },
      { name: "plan.responsibleUnit", label: "责任单位", max: 200, show: (v) => v.immediate === false, required: (v) => v.immediate === false },
      { name: "penaltyCase.filed", label: "已立案查处", type: "check" },
      { name: "penaltyCase.ref", label: "立案编号", max: 100, show: (v) => v["penaltyCase.filed"] === true },
      { name: "policeTransfer.transferred", label: "涉嫌犯罪已移交公安", type: "check" },
      { name: "policeTransfer.ref", label: "移交文书编号", max: 100, show: (v) => v["policeTransfer.transferred"] === true },
    ],
    build: (v) => ({
      immediate: v.immediate,
      note: v.note,
      plan:
        v.immediate === false
          ? { goal: v["plan.goal"], measures: v["plan.measures"], deadline: v["plan.deadline"], responsibleUnit: v["plan.responsibleUnit"] }
          : undefined,
      penaltyCase: v["penaltyCase.filed"] ? { filed: true, ref: v["penaltyCase.ref"] } : undefined,
      policeTransfer: v["policeTransfer.transferred"] ? { transferred: true, ref: v["policeTransfer.ref"] } : undefined,
    }),
  },
  {
    key: "rectification-complete",
    action: "completeRectification",
    title: "整改销号",
    path: () => "rectification/complete",
    submit: "报告整改完成",
    describe: "整改方案全部完成后报告销号。",
    fields: [{ name: "note", label: "完成情况", type: "textarea", required: true, max: 2000 }],
  },
  {
    key: "feedback",
    action: "submitFeedback",
    title: "反馈办结（双反馈、一录入）",
    path: () => "feedback",
    evidenceStage: "feedback",
    describe: "向热线平台反馈调查情况、处理意见、证据、结果及承办人；向实名举报人反馈办理情况。",
    submit: "反馈并办结",
    fields: [
      { name: "findings", label: "调查情况", type: "textarea", required: true, max: 2000 },
      { name: "handlingOpinion", label: "处理意见", type: "textarea", required: true, max: 2000 },
      { name: "evidence", label: "证据材料（每行一项）", type: "lines", maxItems: 50, max: 500 },
      { name: "result", label: "办理结果", type: "textarea", required: true, max: 2000 },
      { name: "handler", label: "承办人", required: true, max: 50 },
      { name: "industry", label: "所属行业", max: 100, initial: (s) => s.order.industry },
      { name: "reporterMessage", label: "给举报人的反馈", type: "textarea", max: 2000 },
    ],
    build: (v) => ({ ...v, evidence: v.evidence ?? [] }),
  },
  {
    key: "extension",
    action: "requestExtension",
    title: "申请延期",
    path: () => "extensions",
    submit: "提交延期申请",
    describe: "不能在时限内办结的，须在期限届满前申请延期，由督办人员审批。",
    fields: [
      { name: "days", label: "延期天数（工作日）", type: "number", required: true, integer: true, min: 1, maxValue: 60 },
      { name: "reason", label: "延期理由", type: "textarea", required: true, max: 1000 },
    ],
  },
  {
    key: "extension-decision",
    action: "decideExtension",
    title: "审批延期申请",
    path: (s) => `extensions/${encodeURIComponent(pendingExtension(s).id)}/decision`,
    submit: "提交审批意见",
    describe: (s) => {
      const e = pendingExtension(s);
      return `申请延期 ${e.days} 个工作日：${e.reason}`;
    },
    fields: [
      {
        name: "approve",
        label: "审批结论",
        type: "select",
        required: true,
        options: [
          ["true", "批准"],
          ["false", "不批准"],
        ],
      },
      { name: "comment", label: "审批意见", type: "textarea", max: 1000 },
    ],
  },
  {
    key: "revisit",
    action: "submitRevisit",
    title: "回访",
    path: () => "revisits",
    describe: "回访举报人：问题是否反弹、是否满意。反弹或不满意的重新办理。",
    submit: "记录回访结果",
    fields: [
      { name: "rebound", label: "问题是否反弹", type: "bool", required: true },
      {
        name: "satisfied",
        label: "举报人是否满意",
        type: "select",
        required: true,
        options: [
          ["true", "满意"],
          ["false", "不满意"],
          ["null", "未能联系 / 匿名"],
        ],
      },
      { name: "note", label: "回访记录", type: "textarea", max: 1000 },
    ],
  },
  {
    key: "reward",
    action: "applyReward",
    title: "申请举报奖励",
    path: () => "rewards",
    submit: "提交奖励申请",
    describe: "实名举报经查属实的，可为举报人申请奖励；审批后线上一次发放，不暴露举报人身份。",
    fields: [
      { name: "amountYuan", label: "奖励金额（元）", type: "number", required: true, integer: true, min: 1 },
      { name: "reason", label: "申请理由", type: "textarea", required: true, max: 1000 },
    ],
  },
  {
    key: "reward-decision",
    action: "decideReward",
    title: "审批举报奖励",
    path: (s) => `rewards/${encodeURIComponent(pendingReward(s).id)}/decision`,
    submit: "提交审批意见",
    describe: (s) => {
      const r = pendingReward(s);
      return `申请奖励 ${fmtYuan(r.amountYuan)}：${r.reason}`;
    },
    fields: [
      {
        name: "approve",
        label: "审批结论",
        type: "select",
        required: true,
        options: [
          ["true", "批准并发放"],
          ["false", "不批准"],
        ],
      },
      { name: "amountYuan", label: "核定金额（元，留空按申请金额）", type: "number", integer: true, min: 1 },
      { name: "comment", label: "审批意见", type: "textarea", max: 1000 },
    ],
  },
  {
    key: "urge",
    action: "urge",
    title: "催办",
    path: () => "urge",
    submit: "发出催办",
    describe: "向处置单位发出催办，记入办理进程。",
    fields: [{ name: "note", label: "催办意见", type: "textarea", required: true, max: 1000 }],
  },
];

/** The actions a role may take on a case in its current state. */
/** The forms of the actions the caller may take now: the API says which (allowedActions, from the case rules). */
export const actionsFor = (state) => ACTIONS.filter((a) => state.allowedActions.includes(a.action));

const fieldId = (action, name) => `f-${action.key}-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

function control(action, f, state) {
  const id = fieldId(action, f.name);
  const initial = f.initial?.(state);
  const common = { id, name: f.name, "aria-describedby": `${id}-err` };
  switch (f.type) {
    case "textarea":
      return h("textarea", { ...common, rows: 3, maxlength: f.max, value: initial ?? "" });
    case "lines":
      return h("textarea", { ...common, rows: 3, placeholder: "每行一项", value: initial ?? "" });
    case "number":
      return h("input", { ...common, type: "number", inputmode: "numeric", step: f.integer ? 1 : "any", min: f.min, max: f.maxValue, value: initial ?? "" });
    case "date":
      return h("input", { ...common, type: "date", value: initial ?? "" });
    case "check":
      return h("input", { ...common, type: "checkbox", checked: !!initial });
    case "bool":
    case "select": {
      const options = f.type === "bool" ? YES_NO : f.options;
      return h(
        "select",
        common,
        h("option", { value: "" }, "请选择"),
        options.map(([value, text]) => h("option", { value, selected: initial !== undefined && String(initial) === value }, text)),
      );
    }
    default:
      return h("input", { ...common, type: "text", maxlength: f.max, value: initial ?? "", autocomplete: "off" });
  }
}

/** Values of a form's fields: strings trimmed ("" → undefined), numbers, booleans, null, lists. */
function readValues(form, action) {
  const v = {};
  for (const f of action.fields) {
    const el = form.elements.namedItem(f.name);
    if (!el) continue;
    if (f.type === "check") {
      v[f.name] = el.checked;
      continue;
    }
    const raw = el.value.trim();
    if (raw === "") {
      v[f.name] = undefined;
      continue;
    }
    if (f.type === "number") v[f.name] = Number(raw);
    else if (f.type === "bool" || (f.type === "select" && ["true", "false", "null"].includes(raw))) v[f.name] = JSON.parse(raw);
    else if (f.type === "lines")
      v[f.name] = raw
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
    else v[f.name] = raw;
  }
  return v;
}

const shown = (f, v) => !f.show || f.show(v);
const required = (f, v) => (typeof f.required === "function" ? f.required(v) : !!f.required);

/** Client-side checks; returns { field: message }. */
export function validate(action, v) {
  const errors = {};
  for (const f of action.fields) {
    if (!shown(f, v) || f.type === "check") continue;
    const val = v[f.name];
    if (val === undefined) {
      if (required(f, v)) errors[f.name] = "此项为必填项";
      continue;
    }
    if (f.type === "number") {
      if (!Number.isFinite(val)) errors[f.name] = "请输入数字";
      else if (f.integer && !Number.isInteger(val)) errors[f.name] = "请输入整数";
      else if (f.min !== undefined && val < f.min) errors[f.name] = `不能小于 ${f.min}`;
      else if (f.maxValue !== undefined && val > f.maxValue) errors[f.name] = `不能大于 ${f.maxValue}`;
    } else if (f.type === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(val)) errors[f.name] = "日期格式应为 年-月-日";
    } else if (f.type === "lines") {
      if (f.maxItems && val.length > f.maxItems) errors[f.name] = `最多 ${f.maxItems} 项`;
      else if (f.max && val.some((l) => [...l].length > f.max)) errors[f.name] = `每项不能超过 ${f.max} 个字`;
    } else if (typeof val === "string" && f.max && [...val].length > f.max) {
      errors[f.name] = `不能超过 ${f.max} 个字`;
    }
  }
  return errors;
}

/** The request body: the action's own shape, or the values without empty ones. */
function bodyOf(action, v) {
  const raw = action.build ? action.build(v) : v;
  return JSON.parse(JSON.stringify(raw)); // drops undefined members
}

/** A form for one action; `onDone(action, result)` after the API accepted it. */
export function actionForm(action, state, onDone) {
  const result = h("div", { class: "form-result" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, action.submit ?? "提交");
  const wrappers = new Map();
  const form = h(
    "form",
    { class: "action-form card", "data-action": action.key, novalidate: true },
    h("h3", null, action.title),
    action.describe ? h("p", { class: "muted" }, typeof action.describe === "function" ? action.describe(state) : action.describe) : null,
    action.fields.map((f) => {
      const id = fieldId(action, f.name);
      const input = control(action, f, state);
      const w =
        f.type === "check"
          ? h(
              "div",
              { class: "field field-check", "data-field": f.name },
              h("label", { for: id }, input, " ", f.label),
              h("span", { class: "field-error", id: `${id}-err` }),
            )
          : h(
              "div",
              { class: ["field", f.type === "textarea" || f.type === "lines" ? "field-wide" : null], "data-field": f.name },
              h("label", { for: id }, f.label, f.required === true ? h("span", { class: "req", title: "必填" }, " *") : null),
              input,
              f.hint ? h("small", { class: "hint" }, f.hint) : null,
              h("span", { class: "field-error", id: `${id}-err` }),
            );
      wrappers.set(f.name, w);
      return w;
    }),
    // Files are attached on their own (each upload at once); the page shows them through the event.
    action.evidenceStage && state.allowedActions.includes("attachEvidence")
      ? evidenceUpload(state, action.evidenceStage, (item) => form.dispatchEvent(new CustomEvent("evidence-added", { bubbles: true, detail: item })))
      : null,
    h("div", { class: "form-actions" }, submit),
    result,
  );

  const refresh = () => {
    const v = readValues(form, action);
    for (const f of action.fields) wrappers.get(f.name).hidden = !shown(f, v);
  };
  form.addEventListener("change", refresh);
  refresh();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    result.replaceChildren();
    for (const w of wrappers.values()) {
      w.classList.remove("invalid");
      w.querySelector(".field-error").textContent = "";
    }
    const v = readValues(form, action);
    const errors = validate(action, v);
    if (Object.keys(errors).length) {
      for (const [name, msg] of Object.entries(errors)) {
        const w = wrappers.get(name);
        w.classList.add("invalid");
        w.querySelector(".field-error").textContent = msg;
      }
      result.replaceChildren(
        h(
          "div",
          { class: "error-box", role: "alert", "data-error-code": "client_validation" },
          h("strong", null, "请完善表单："),
          `${Object.keys(errors).length} 项需要修改`,
        ),
      );
      form.querySelector(".invalid input, .invalid select, .invalid textarea")?.focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const res = await api("POST", `/api/cases/${encodeURIComponent(state.caseId)}/${action.path(state)}`, bodyOf(action, v));
      onDone(action, res);
    } catch (err) {
      result.replaceChildren(errorBox(err, `${action.title}未成功`));
      for (const d of Array.isArray(err.details) ? err.details : []) {
        const w = wrappers.get(d?.path) ?? wrappers.get(String(d?.path ?? "").split(".")[0]);
        if (w) {
          w.classList.add("invalid");
          w.querySelector(".field-error").textContent = d.message ?? "";
        }
      }
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}
