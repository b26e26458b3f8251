// The case ledger: filters (stage, kind, line, district, unit, colour, overdue, escalated, received
// range), the four-colour counts for the same filters, a page of cases, pagination.

import { get } from "./api.js";
import { h, table } from "./dom.js";
import { dayStart, fmtDateTime, fmtDue, nextDay } from "./format.js";
import { COLOUR_MEANING, COLOUR_ORDER, COLOURS, DISTRICTS, ELEMENTS, KINDS, SOURCE_LINES, STAGES, UNITS, label, unitName } from "./labels.js";
import { colourBadge, flags, stageTag } from "./ui.js";

const FILTERS = ["stage", "kind", "sourceLine", "district", "unitId", "colour", "overdue", "escalated", "from", "to"];
const PAGE_SIZES = [20, 50, 100, 200];

/** The API's query for the console's filters (dates are Beijing days; "to" is inclusive). */
function apiQuery(q, over = {}) {
  const p = Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? undefined]));
  Object.assign(p, over);
  const { from, to, ...rest } = p;
  return {
    ...rest,
    receivedFrom: from ? dayStart(from) : undefined,
    receivedTo: to ? dayStart(nextDay(to)) : undefined,
  };
}

function select(name, options, value, all = "全部") {
  return h(
    "select",
    { id: `flt-${name}`, name },
    h("option", { value: "" }, all),
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
  );
}

function field(name, text, control) {
  return h("div", { class: "field" }, h("label", { for: `flt-${name}` }, text), control);
}

export async function casesView({ me, route, go }) {
  const q = route.query;
  const page = Math.max(1, Number(q.get("page")) || 1);
  const pageSize = PAGE_SIZES.includes(Number(q.get("pageSize"))) ? Number(q.get("pageSize")) : 20;
  const isUnit = me.role === "unit";

  const [result, ...colourTotals] = await Promise.all([
    get("/api/cases", { ...apiQuery(q), page, pageSize }),
    ...COLOUR_ORDER.map((c) => get("/api/cases", { ...apiQuery(q, { colour: c }), pageSize: 1 }).then((r) => r.total)),
  ]);

  const navigate = (params) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") next.set(k, String(v));
    go(`#/cases${next.toString() ? `?${next}` : ""}`);
  };
  const current = () => Object.fromEntries([...q.entries()]);

  // Filters.
  const form = h(
    "form",
    { class: "filters card", id: "filters", novalidate: true },
    h(
      "div",
      { class: "filter-grid" },
      field("stage", "阶段", select("stage", Object.entries(STAGES), q.get("stage"))),
      field("kind", "类型", select("kind", Object.entries(KINDS), q.get("kind"))),
      field("sourceLine", "来源热线", select("sourceLine", Object.entries(SOURCE_LINES), q.get("sourceLine"))),
      field(
        "district",
        "区县",
        select(
          "district",
          Object.keys(DISTRICTS).map((d) => [d, d]),
          q.get("district"),
        ),
      ),
      isUnit ? null : field("unitId", "处置单位", select("unitId", Object.entries(UNITS), q.get("unitId"))),
      field(
        "colour",
        "台账颜色",
        select(
          "colour",
          COLOUR_ORDER.map((c) => [c, `${COLOURS[c]}（${COLOUR_MEANING[c]}）`]),
          q.get("colour"),
        ),
      ),
      field(
        "overdue",
        "超期",
        select(
          "overdue",
          [
            ["true", "已超期"],
            ["false", "未超期"],
          ],
          q.get("overdue"),
        ),
      ),
      field(
        "escalated",
        "提级办理",
        select(
          "escalated",
          [
            ["true", "是"],
            ["false", "否"],
          ],
          q.get("escalated"),
        ),
      ),
      field("from", "受理日期自", h("input", { id: "flt-from", name: "from", type: "date", value: q.get("from") ?? "" })),
      field("to", "至", h("input", { id: "flt-to", name: "to", type: "date", value: q.get("to") ?? "" })),
      field(
        "pageSize",
        "每页",
        h(
          "select",
          { id: "flt-pageSize", name: "pageSize" },
          PAGE_SIZES.map((n) => h("option", { value: String(n), selected: n === pageSize }, `${n} 条`)),
        ),
      ),
    ),
    h(
      "div",
      { class: "form-actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, "查询"),
      h("button", { type: "button", class: "btn", onclick: () => navigate({}) }, "重置"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    navigate({ ...data, page: 1 });
  });

  // Four-colour ledger at a glance (for the filters other than colour).
  const ledger = h(
    "div",
    { class: "ledger", "aria-label": "四色台账" },
    h("span", { class: "ledger-title" }, "四色台账"),
    COLOUR_ORDER.map((c, i) =>
      h(
        "a",
        {
          class: ["ledger-item", q.get("colour") === c ? "active" : null],
          href: "#",
          "data-colour": c,
          onclick: (e) => {
            e.preventDefault();
            navigate({ ...current(), colour: q.get("colour") === c ? "" : c, page: 1 });
          },
        },
        colourBadge(c),
        h("span", { class: "ledger-count" }, String(colourTotals[i])),
        h("span", { class: "muted" }, COLOUR_MEANING[c]),
      ),
    ),
  );

  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  const list = table(
    [
      { label: "台账", cell: (c) => colourBadge(c.colour), class: "c-colour" },
      { label: "案件编号", cell: (c) => h("a", { href: `#/case/${encodeURIComponent(c.id)}`, class: "case-link", "data-case-id": c.id }, c.id) },
      { label: "受理时间", cell: (c) => fmtDateTime(c.receivedAt) },
      { label: "类型", cell: (c) => label(KINDS, c.kind) },
      { label: "来源", cell: (c) => c.sourceLine },
      { label: "区县", cell: (c) => c.district },
      { label: "被举报对象", cell: (c) => c.subjectName },
      { label: "污染要素", cell: (c) => (c.elements ?? []).map((e) => label(ELEMENTS, e)).join("、") || "—" },
      { label: "阶段", cell: (c) => stageTag(c.stage) },
      { label: "处置单位", cell: (c) => unitName(c.unitId) },
      { label: "办理时限", cell: (c) => (c.dueAt ? fmtDue(c.dueAt) : "—") },
      { label: "标记", cell: (c) => flags(c) },
    ],
    result.items,
    { empty: "没有符合条件的案件", rowAttrs: (c) => ({ "data-case-id": c.id, class: `row-${c.colour}` }) },
  );

  const pager = h(
    "div",
    { class: "pager" },
    h("button", { type: "button", class: "btn", disabled: page <= 1, onclick: () => navigate({ ...current(), page: page - 1 }) }, "上一页"),
    h("span", { class: "pager-info" }, `共 ${result.total} 件，第 ${page} / ${pages} 页`),
    h("button", { type: "button", class: "btn", disabled: page >= pages, onclick: () => navigate({ ...current(), page: page + 1 }) }, "下一页"),
  );

  return h(
    "div",
    { class: "view view-cases" },
    h("h1", null, isUnit ? `案件台账 · ${unitName(me.unitId)}` : "案件台账"),
    form,
    ledger,
    h("div", { class: "card table-card" }, list, pager),
  );
}
