/**
 * Renderings of an issued report beside the CSV of reports.ts: an .xlsx workbook (exceljs) with the same rows as the
 * CSV, and an HTML document for reading and printing (Chinese labels, A4 print styles, inline SVG bar charts, fonts
 * that cover Chinese on every common system). Pure functions of the report's content: the archive stores their output.
 */
import ExcelJS from "exceljs";
import routing from "../../config/routing.json" with { type: "json" };
import { FIGURE_KEYS, type ConcentratedWarning, type Figures, type StatsGroup } from "./compute";
import { csvRows, type MonthlyReport, type QuarterlyReport } from "./reports";

/** An issued report's content: the monthly summary or the quarterly analysis. */
export type ReportContent = MonthlyReport | QuarterlyReport;

/** Chinese column labels of the figures. */
export const FIGURE_LABELS: Record<keyof Figures, string> = {
  received: "受理工单数",
  cases: "案件数",
  accepted: "受理案件",
  returned: "退回",
  onTimeAccepted: "按时签收",
  onTimeAcceptanceRate: "按时签收率",
  avgAcceptanceWorkingDays: "平均签收工作日",
  closed: "办结",
  onTimeClosed: "按时办结",
  onTimeCompletionRate: "按时办结率",
  avgCompletionWorkingDays: "平均办理工作日",
  overdue: "超期",
  extensions: "延期",
  repeatReports: "重复举报",
  escalated: "提级办理",
  revisits: "回访",
  satisfied: "满意",
  satisfactionRate: "满意率",
  rewardsPaid: "奖励笔数",
  rewardsPaidYuan: "奖励金额(元)",
};

const SECTION_LABELS: Record<string, string> = {
  totals: "合计",
  month: "月份",
  district: "县区",
  unit: "承办单位",
  kind: "类型",
  sourceLine: "热线",
  element: "污染要素",
  industry: "行业",
  channel: "渠道",
  concentrated: "集中举报预警",
};

/** 'monthly' | 'quarterly' and the period label of a content. */
export function describeContent(c: ReportContent): { kind: "monthly" | "quarterly"; period: string; title: string } {
  return "month" in c
    ? { kind: "monthly", period: c.month, title: `环境信访案件办理情况月报 ${c.month}` }
    : { kind: "quarterly", period: c.quarter, title: `环境信访案件季度分析报告 ${c.quarter}` };
}

const RATE_KEYS = new Set<string>(["onTimeAcceptanceRate", "onTimeCompletionRate", "satisfactionRate"]);

/** Chinese names of group keys in the document (the CSV and the workbook keep the keys, for machines). */
const KEY_LABELS: Record<string, Record<string, string>> = {
  kind: { consultation: "咨询", help: "求助", opinion: "意见", suggestion: "建议", complaint: "投诉", report: "举报" },
  channel: { phone: "电话", wechat: "微信", web: "网站", platform: "平台" },
  sourceLine: { "12345": "12345 政务热线", "12369": "12369 环保热线", "12314": "12314 水利监督" },
  element: { water: "水", air: "大气", noise: "噪声", solid_waste: "固体废物", construction: "建设项目", radiation: "辐射", other: "其他" },
  unit: Object.fromEntries(Object.entries(routing.districts).map(([district, unit]) => [unit, `${district}分局`])),
};
const label = (section: string, key: string) => KEY_LABELS[section]?.[key] ?? (key === "unknown" ? "未填写" : key === "unassigned" ? "未分派" : key);
const labelled = (section: string, groups: StatsGroup[]) => groups.map((g) => ({ key: label(section, g.key), figures: g.figures }));
/** 'YYYY-MM-DD' of a Shanghai ISO instant. */
const day = (iso: string) => iso.slice(0, 10);
/** The last day of a period [from, to): the day before `to` (to is 00:00 Shanghai of the next period's first day). */
const lastDay = (toIso: string) => new Date(Date.parse(`${toIso.slice(0, 10)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The report as a workbook: sheet 报表 with the CSV's rows (numbers as numbers, rates as percentages), Chinese headers. */
export async function toXlsx(content: ReportContent, opts: { version: number; issuedAt: Date }): Promise<Buffer> {
  const { title } = describeContent(content);
  const wb = new ExcelJS.Workbook();
  wb.creator = "环境信访案件系统";
  wb.created = opts.issuedAt;
  wb.modified = opts.issuedAt;
  const ws = wb.addWorksheet("报表", { views: [{ state: "frozen", ySplit: 3 }] });
  const [header, ...rows] = csvRows(content);
  ws.addRow([`${title}（第 ${opts.version} 版）`]).font = { bold: true, size: 14 };
  ws.addRow([`统计区间 ${content.period.from} 至 ${content.period.to}（不含）；统计时点 ${content.asOf}`]);
  const labels = header!.map((h) => SECTION_LABELS[h] ?? (FIGURE_LABELS as Record<string, string>)[h] ?? h);
  const head = ws.addRow(labels);
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: "middle" };
  for (const r of rows) {
    const cells = r.map((v, i) => {
      const col = header![i]!;
      if (i === 1) return SECTION_LABELS[v] ?? v;
      if ((FIGURE_KEYS as readonly string[]).includes(col) || col === "reports") return v === "" ? null : Number(v);
      return v;
    });
    const row = ws.addRow(cells);
    header!.forEach((col, i) => {
      if (RATE_KEYS.has(col)) row.getCell(i + 1).numFmt = "0.00%";
    });
  }
  ws.columns.forEach((c, i) => {
    c.width = i < 3 ? 14 : 11;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? "—" : String(v));
const cell = (k: keyof Figures, f: Figures) => (RATE_KEYS.has(k) ? pct(f[k]) : num(f[k]));

/** The columns shown in the document's tables (the full set is in the CSV and the workbook). */
const SHOWN: (keyof Figures)[] = [
  "received",
  "cases",
  "accepted",
  "closed",
  "onTimeCompletionRate",
  "avgCompletionWorkingDays",
  "overdue",
  "repeatReports",
  "satisfactionRate",
];

function table(firstColumn: string, rows: Array<{ key: string; figures: Figures }>): string {
  if (rows.length === 0) return `<p class="none">无数据</p>`;
  const th = [firstColumn, ...SHOWN.map((k) => FIGURE_LABELS[k])].map((h) => `<th>${esc(h)}</th>`).join("");
  const trs = rows.map((r) => `<tr><th scope="row">${esc(r.key)}</th>${SHOWN.map((k) => `<td>${cell(k, r.figures)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** A horizontal bar chart (inline SVG) of two series per row, e.g. cases received and closed. */
function barChart(title: string, rows: Array<{ key: string; a: number; b: number }>, legend: [string, string]): string {
  if (rows.length === 0) return "";
  const shown = rows.slice(0, 12);
  const max = Math.max(1, ...shown.flatMap((r) => [r.a, r.b]));
  const rowH = 26,
    left = 120,
    width = 640,
    barW = width - left - 60;
  const height = shown.length * rowH + 40;
  const bars = shown
    .map((r, i) => {
      const y = 30 + i * rowH;
      const wa = Math.round((r.a / max) * barW),
        wb = Math.round((r.b / max) * barW);
      return (
        `<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(r.key)}</text>` +
        `<rect x="${left}" y="${y + 2}" width="${wa}" height="10" fill="#3b6ea5"/><text x="${left + wa + 4}" y="${y + 11}" class="v">${r.a}</text>` +
        `<rect x="${left}" y="${y + 13}" width="${wb}" height="10" fill="#7fb069"/><text x="${left + wb + 4}" y="${y + 22}" class="v">${r.b}</text>`
      );
    })
    .join("");
  const lg =
    `<rect x="${left}" y="6" width="10" height="10" fill="#3b6ea5"/><text x="${left + 14}" y="15">${esc(legend[0])}</text>` +
    `<rect x="${left + 110}" y="6" width="10" height="10" fill="#7fb069"/><text x="${left + 124}" y="15">${esc(legend[1])}</text>`;
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}">${lg}${bars}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

const groupBars = (groups: Array<{ key: string; figures: Figures }>) => groups.map((g) => ({ key: g.key, a: g.figures.cases, b: g.figures.closed }));

function warnings(list: ConcentratedWarning[]): string {
  if (list.length === 0) return `<p class="none">本期无集中举报预警。</p>`;
  const trs = list
    .map((w) => `<tr><td>${w.key === "subject" ? "同一对象" : "同一地址"}</td><td>${esc(w.label)}</td><td>${esc(w.district)}</td><td>${w.reports}</td></tr>`)
    .join("\n");
  return `<table><thead><tr><th>类别</th><th>对象/地址</th><th>县区</th><th>举报次数</th></tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** The report as a self-contained HTML document (UTF-8, lang zh-CN) that reads on screen and prints on A4. */
export function toHtml(content: ReportContent, opts: { version: number; issuedAt: string }): string {
  const { title } = describeContent(content);
  const t = content.totals;
  const sections: string[] = [];
  sections.push(
    `<section><h2>一、总体情况</h2><p>本期受理工单 ${t.received} 件，涉及案件 ${t.cases} 件；办结 ${t.closed} 件，按时办结率 ${pct(t.onTimeCompletionRate)}；` +
      `超期 ${t.overdue} 件；重复举报 ${t.repeatReports} 件；回访满意率 ${pct(t.satisfactionRate)}；发放举报奖励 ${t.rewardsPaid} 笔、${t.rewardsPaidYuan} 元。</p>` +
      table("合计", [{ key: "全部", figures: t }]) +
      `</section>`,
  );
  if ("quarter" in content) {
    sections.push(
      `<section><h2>二、分月趋势</h2>${barChart(
        "各月案件数与办结数",
        content.monthly.map((m) => ({ key: m.month, a: m.totals.cases, b: m.totals.closed })),
        ["案件数", "办结数"],
      )}${table(
        "月份",
        content.monthly.map((m) => ({ key: m.month, figures: m.totals })),
      )}</section>`,
    );
    sections.push(
      `<section><h2>三、分县区</h2>${barChart("各县区案件数与办结数", groupBars(labelled("district", content.byDistrict)), ["案件数", "办结数"])}${table("县区", labelled("district", content.byDistrict))}</section>`,
    );
    sections.push(`<section><h2>四、分承办单位</h2>${table("承办单位", labelled("unit", content.byUnit))}</section>`);
    sections.push(
      `<section><h2>五、分污染要素</h2>${barChart("各污染要素案件数与办结数", groupBars(labelled("element", content.byElement)), ["案件数", "办结数"])}${table("污染要素", labelled("element", content.byElement))}</section>`,
    );
    sections.push(
      `<section><h2>六、分行业与渠道</h2>${table("行业", labelled("industry", content.byIndustry))}${table("渠道", labelled("channel", content.byChannel))}</section>`,
    );
    sections.push(`<section><h2>七、集中举报预警</h2>${warnings(content.concentrated)}</section>`);
  } else {
    sections.push(
      `<section><h2>二、分县区</h2>${barChart("各县区案件数与办结数", groupBars(labelled("district", content.byDistrict)), ["案件数", "办结数"])}${table("县区", labelled("district", content.byDistrict))}</section>`,
    );
    sections.push(
      `<section><h2>三、分类型、热线与污染要素</h2>${table("类型", labelled("kind", content.byKind))}${table("热线", labelled("sourceLine", content.bySourceLine))}${table("污染要素", labelled("element", content.byElement))}</section>`,
    );
    sections.push(`<section><h2>四、集中举报预警</h2>${warnings(content.concentrated)}</section>`);
  }
  const due = "dueBy" in content ? `；报送期限 ${esc(content.dueBy)}` : "";
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  @page { size: A4; margin: 18mm 15mm; }
  body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "SimSun", sans-serif;
         color: #222; max-width: 960px; margin: 0 auto; padding: 16px; line-height: 1.6; }
  h1 { font-size: 22px; text-align: center; margin-bottom: 4px; }
  .meta { text-align: center; color: #555; font-size: 13px; }
  h2 { font-size: 17px; border-bottom: 1px solid #999; padding-bottom: 2px; }
  table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 12px; }
  th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: right; }
  thead th { background: #eef2f7; text-align: center; }
  tbody th { text-align: left; font-weight: normal; }
  figure { margin: 8px 0; } figcaption { text-align: center; font-size: 12px; color: #555; }
  svg text { font-size: 12px; font-family: inherit; } svg text.v { font-size: 10px; fill: #333; }
  .none { color: #666; }
  section { break-inside: avoid-page; }
  @media print { body { max-width: none; padding: 0; } thead { display: table-header-group; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">第 ${opts.version} 版；统计区间 ${esc(day(content.period.from))} 至 ${esc(lastDay(content.period.to))}（北京时间，按收件时间）；统计时点 ${esc(content.asOf.slice(0, 16).replace("T", " "))}${due}；签发 ${esc(opts.issuedAt.slice(0, 16).replace("T", " "))}</p>
${sections.join("\n")}
<p class="meta">依据《焦作市12345便民服务热线生态环境问题举报投诉管理办法》第十五条、第十八条生成；不含举报人个人信息。</p>
</body>
</html>
`;
}
