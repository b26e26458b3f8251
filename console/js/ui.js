// Shared pieces: ledger badges, stage tags, error boxes, the flash message.

import { h } from "./dom.js";
import { COLOUR_MEANING, COLOURS, ERROR_CODES, STAGES, label } from "./labels.js";

/** The four-colour ledger badge: 绿 / 蓝 / 黄 / 红. */
export function colourBadge(colour, { withText = false } = {}) {
  return h(
    "span",
    { class: ["badge", `badge-${colour}`], title: COLOUR_MEANING[colour] ?? colour, "data-colour": colour },
    label(COLOURS, colour),
    withText ? ` ${COLOUR_MEANING[colour] ?? ""}` : null,
  );
}

/** A stage tag. */
export function stageTag(stage) {
  return h("span", { class: ["tag", `stage-${stage}`], "data-stage": stage }, label(STAGES, stage));
}

/** Small flags: 超期, 提级, 重复 n. */
export function flags({ overdue, escalated, repeatCount }) {
  return [
    overdue ? h("span", { class: "flag flag-red" }, "超期") : null,
    escalated ? h("span", { class: "flag flag-orange" }, "提级") : null,
    repeatCount ? h("span", { class: "flag" }, `重复 ${repeatCount}`) : null,
  ];
}

/** An API error as the user sees it: what happened, the API's code and message, and each detail. */
export function errorBox(err, title = "操作未成功") {
  const details = Array.isArray(err?.details) ? err.details : err?.details ? [err.details] : [];
  return h(
    "div",
    { class: "error-box", role: "alert", "data-error-code": err?.code ?? "" },
    h("strong", null, title, "：", ERROR_CODES[err?.code] ?? "请求被拒绝"),
    h("div", { class: "error-line" }, h("code", null, err?.code ?? "error"), err?.status ? ` HTTP ${err.status}` : "", " — ", err?.message ?? String(err)),
    details.length
      ? h(
          "ul",
          { class: "error-details" },
          details.map((d) =>
            h(
              "li",
              null,
              typeof d === "object" && d !== null ? [d.path ? h("code", null, d.path) : null, d.path ? "：" : "", d.message ?? JSON.stringify(d)] : String(d),
            ),
          ),
        )
      : null,
  );
}

let flashTimer;
/** A short message at the top of the page. */
export function flash(text, kind = "ok") {
  const el = document.getElementById("flash");
  el.className = `flash flash-${kind}`;
  el.textContent = text;
  el.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    el.hidden = true;
  }, 8000);
}

/** "加载中…" placeholder. */
export const loading = (text = "加载中…") => h("p", { class: "loading" }, text);
