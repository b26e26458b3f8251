// The audit log for supervisors (GET /api/audit): who revealed which case's reporter, and why,
// filtered by person and case, newest first, a page at a time.

import { get } from "./api.js";
import { h, table } from "./dom.js";
import { fmtDateTime } from "./format.js";
import { ROLES, label } from "./labels.js";
import { errorBox } from "./ui.js";

const PAGE_SIZE = 50;

export async function auditView({ route, go }) {
  const q = route.query;
  const page = Math.max(1, Number(q.get("page") ?? 1) || 1);
  const params = new URLSearchParams();
  for (const k of ["actor", "caseId"]) if (q.get(k)) params.set(k, q.get(k));
  params.set("page", String(page));
  params.set("pageSize", String(PAGE_SIZE));
  const actor = h("input", { name: "actor", value: q.get("actor") ?? "", placeholder: "操作人", "aria-label": "操作人" });
  const caseId = h("input", { name: "caseId", value: q.get("caseId") ?? "", placeholder: "案件编号", "aria-label": "案件编号" });
  const form = h("form", { class: "filters", id: "audit-filters" }, actor, caseId, h("button", { type: "submit", class: "btn" }, "筛选"));
  const to = (p) => {
    const next = new URLSearchParams();
    if (actor.value.trim()) next.set("actor", actor.value.trim());
    if (caseId.value.trim()) next.set("caseId", caseId.value.trim());
    if (p > 1) next.set("page", String(p));
    go(`#/audit${next.toString() ? `?${next}` : ""}`);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    to(1);
  });
  let log;
  try {
    log = await get(`/api/audit?${params}`);
  } catch (err) {
    return h("div", { class: "view view-audit" }, h("h1", null, "审计日志"), form, errorBox(err, "审计日志加载失败"));
  }
  const pages = Math.max(1, Math.ceil(log.total / PAGE_SIZE));
  const prev = h("button", { type: "button", class: "btn", disabled: page <= 1 }, "上一页");
  const next = h("button", { type: "button", class: "btn", disabled: page >= pages }, "下一页");
  prev.addEventListener("click", () => to(page - 1));
  next.addEventListener("click", () => to(page + 1));
  return h(
    "div",
    { class: "view view-audit" },
    h("h1", null, "审计日志"),
    form,
    h(
      "section",
      { class: "card", id: "audit-log" },
      h("h2", { class: "card-title" }, `查看举报人信息的记录（共 ${log.total} 条）`),
      table(
        [
          { label: "时间", cell: (a) => fmtDateTime(a.at) },
          { label: "操作人", cell: (a) => a.actor },
          { label: "身份", cell: (a) => label(ROLES, a.role) },
          { label: "案件", cell: (a) => h("a", { href: `#/case/${encodeURIComponent(a.caseId)}`, class: "case-link" }, a.caseId) },
          { label: "事由", cell: (a) => a.reason },
        ],
        log.items,
        { empty: "暂无记录", rowAttrs: (a) => ({ "data-audit-id": String(a.id) }) },
      ),
      h("div", { class: "pager" }, prev, h("span", { class: "muted" }, `第 ${page} / ${pages} 页`), next),
    ),
  );
}
