// The dashboard: current cases by stage and by ledger colour (counts from GET /api/cases with
// pageSize=1), and — when GET /api/stats answers — on-time completion by district and warnings on
// concentrated reports for a period.

import { ApiError, get } from "./api.js";
import { barChart } from "./charts.js";
import { card, dl, h, table } from "./dom.js";
import { fmtDate, fmtRate, nextDay, shanghaiDay } from "./format.js";
import { COLOUR_MEANING, COLOUR_ORDER, COLOURS, STAGE_ORDER, STAGES } from "./labels.js";
import { errorBox } from "./ui.js";
import { reportsSection } from "./view-reports.js";

const total = (params) => get("/api/cases", { ...params, pageSize: 1 }).then((r) => r.total);

function daysBefore(day, n) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d - n)).toISOString().slice(0, 10);
}

async function statsSection(from, to) {
  let stats;
  try {
    // The period is [from 00:00, the day after `to` 00:00) in Beijing time.
    stats = await get("/api/stats", { groupBy: "district", from, to: nextDay(to) });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      return h("p", { class: "empty-state", id: "stats-empty" }, "暂无统计", err.status === 403 ? "（当前身份无权查看统计）" : "");
    }
    return errorBox(err, "统计加载失败");
  }
  const t = stats?.totals ?? {};
  const groups = Array.isArray(stats?.groups) ? stats.groups : [];
  const concentrated = Array.isArray(stats?.concentrated) ? stats.concentrated : [];
  return h(
    "div",
    { id: "stats" },
    dl(
      [
        ["受理件数", t.received ?? t.cases],
        ["案件数", t.cases],
        ["办结", t.closed],
        ["按时办结率", fmtRate(t.onTimeCompletionRate)],
        ["按时签收率", fmtRate(t.onTimeAcceptanceRate)],
        ["超期", t.overdue],
        ["提级办理", t.escalated],
        ["重复举报", t.repeatReports],
      ],
      "kv kv-inline",
    ),
    groups.length
      ? barChart({
          title: "各区县按时办结率",
          items: groups.map((g) => ({
            label: g.key,
            value: g.figures?.onTimeCompletionRate ?? null,
            text:
              typeof g.figures?.onTimeCompletionRate === "number"
                ? `${fmtRate(g.figures.onTimeCompletionRate)}（${g.figures.onTimeClosed ?? "?"}/${g.figures.closed ?? "?"}）`
                : "无办结",
            cls: typeof g.figures?.onTimeCompletionRate === "number" && g.figures.onTimeCompletionRate < 0.9 ? "bar-warn" : "bar-ok",
          })),
          max: 1,
          labelWidth: 110,
          barWidth: 300,
        })
      : h("p", { class: "muted" }, "本期无分区统计"),
    h("h3", null, "集中举报预警"),
    table(
      [
        { label: "类别", cell: (w) => (w.key === "subject" ? "同一主体" : w.key === "address" ? "同一地址" : w.key) },
        { label: "对象", cell: (w) => w.label },
        { label: "区县", cell: (w) => w.district },
        { label: "举报次数", cell: (w) => String(w.reports) },
        { label: "涉及案件", cell: (w) => (w.caseIds ?? []).map((id) => h("a", { href: `#/case/${encodeURIComponent(id)}`, class: "chip" }, id)) },
      ],
      concentrated,
      { empty: "本期无集中举报预警" },
    ),
  );
}

export async function dashboardView({ route, go }) {
  const today = shanghaiDay(new Date());
  const from = /^\d{4}-\d{2}-\d{2}$/.test(route.query.get("from") ?? "") ? route.query.get("from") : daysBefore(today, 29);
  const to = /^\d{4}-\d{2}-\d{2}$/.test(route.query.get("to") ?? "") ? route.query.get("to") : today;

  const [byStage, byColour, overdue, escalated, stats, reports] = await Promise.all([
    Promise.all(STAGE_ORDER.map((s) => total({ stage: s }))),
    Promise.all(COLOUR_ORDER.map((c) => total({ colour: c }))),
    total({ overdue: "true" }),
    total({ escalated: "true" }),
    statsSection(from, to),
    reportsSection(),
  ]);
  const all = byStage.reduce((a, b) => a + b, 0);

  const period = h(
    "form",
    { class: "period", id: "period", novalidate: true },
    h("label", { for: "p-from" }, "统计期间"),
    h("input", { id: "p-from", name: "from", type: "date", value: from }),
    h("span", null, "至"),
    h("input", { id: "p-to", name: "to", type: "date", value: to }),
    h("button", { type: "submit", class: "btn" }, "更新"),
  );
  period.addEventListener("submit", (e) => {
    e.preventDefault();
    const d = new FormData(period);
    go(`#/dashboard?from=${encodeURIComponent(String(d.get("from") ?? ""))}&to=${encodeURIComponent(String(d.get("to") ?? ""))}`);
  });

  return h(
    "div",
    { class: "view view-dashboard" },
    h("h1", null, "统计看板"),
    h(
      "div",
      { class: "stat-tiles" },
      h("a", { class: "tile", href: "#/cases" }, h("span", { class: "tile-value", id: "tile-all" }, String(all)), h("span", null, "全部案件")),
      h("a", { class: "tile tile-red", href: "#/cases?overdue=true" }, h("span", { class: "tile-value" }, String(overdue)), h("span", null, "超期案件")),
      h("a", { class: "tile tile-orange", href: "#/cases?escalated=true" }, h("span", { class: "tile-value" }, String(escalated)), h("span", null, "提级办理")),
    ),
    h(
      "div",
      { class: "two-col" },
      card(
        "案件阶段分布（当前）",
        barChart({
          title: "各阶段案件数",
          items: STAGE_ORDER.map((s, i) => ({ label: STAGES[s], value: byStage[i], cls: "bar-stage" })),
        }),
      ),
      card(
        "四色台账（当前）",
        barChart({
          title: "各颜色案件数",
          items: COLOUR_ORDER.map((c, i) => ({ label: `${COLOURS[c]} · ${COLOUR_MEANING[c]}`, value: byColour[i], cls: `bar-${c}` })),
          labelWidth: 150,
        }),
      ),
    ),
    card(`办理统计（${fmtDate(`${from}T00:00:00+08:00`)} — ${fmtDate(`${to}T00:00:00+08:00`)}）`, period, stats),
    reports ? card("法定报表（月报、季度分析报告）", reports) : null,
  );
}
