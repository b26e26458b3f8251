// The statutory reports card for supervisors and admins: notices of newly issued reports (月报 / 季度分析报告,
// issued by the report schedules) with their downloads (CSV, Excel, HTML), from GET /api/reports/notices and
// GET /api/reports/archive. Downloads go through fetch with the bearer token, then open as a blob.

import { api, ApiError, get, session } from "./api.js";
import { h, table } from "./dom.js";

const KIND = { monthly: "月报", quarterly: "季度分析报告" };
const FORMAT = { csv: "CSV", xlsx: "Excel", html: "报告", json: "JSON" };

async function download(link, name) {
  const res = await fetch(link, { headers: { authorization: `Bearer ${session.token()}` }, cache: "no-store", credentials: "omit" });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  const url = URL.createObjectURL(await res.blob());
  const a = h("a", { href: url, download: name, target: "_blank", rel: "noopener" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The card's content, or null when the principal may not see reports (403) or none were issued. */
export async function reportsSection() {
  let archive, notices;
  try {
    [archive, notices] = await Promise.all([get("/api/reports/archive"), get("/api/reports/notices")]);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
    return h("p", { class: "muted" }, "报表加载失败");
  }
  const unread = new Set((notices?.notices ?? []).filter((n) => !n.read).map((n) => n.reportId));
  const rows = (archive?.reports ?? []).slice(0, 12);
  return h(
    "div",
    { id: "reports" },
    unread.size ? h("p", { class: "notice", id: "reports-unread" }, `有 ${unread.size} 份新签发的报表待查阅`) : null,
    table(
      [
        { label: "报表", cell: (r) => `${KIND[r.kind] ?? r.kind} ${r.period}` },
        { label: "版本", cell: (r) => `第 ${r.version} 版${r.superseded ? "（已更新）" : ""}` },
        { label: "签发时间", cell: (r) => r.issuedAt.slice(0, 16).replace("T", " ") },
        {
          label: "下载",
          cell: (r) =>
            r.formats
              .filter((f) => f !== "json")
              .map((f) =>
                h(
                  "button",
                  {
                    type: "button",
                    class: "btn btn-small",
                    onclick: () => void download(r.links[f], `${r.kind}-${r.period}-v${r.version}.${f}`).catch((e) => alert(e.message)),
                  },
                  FORMAT[f] ?? f,
                ),
              ),
        },
        {
          label: "",
          cell: (r) =>
            unread.has(r.id)
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "btn btn-small",
                    onclick: async (e) => {
                      await api("POST", `/api/reports/notices/${r.id}/read`).catch(() => undefined);
                      e.target.replaceWith("已读");
                    },
                  },
                  "标记已读",
                )
              : "",
        },
      ],
      rows,
      { empty: "尚未签发报表（每月1日、每季度首日自动生成）" },
    ),
  );
}
