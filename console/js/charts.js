// Horizontal bar charts drawn as inline SVG (no library).

import { svg } from "./dom.js";

/**
 * items: [{ label, value (number|null), cls? (bar colour class), text? (value label) }]
 * max: the value of a full bar (default: the largest value); format(v): the value label.
 */
export function barChart({ title, items, max, format = (v) => String(v), labelWidth = 120, barWidth = 340 }) {
  const rowH = 30,
    pad = 6,
    valueW = 90;
  const width = labelWidth + barWidth + valueW;
  const height = items.length * rowH + pad * 2;
  const top = max ?? Math.max(1, ...items.map((i) => (typeof i.value === "number" ? i.value : 0)));
  const root = svg(
    "svg",
    {
      class: "chart",
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": title,
      preserveAspectRatio: "xMinYMin meet",
    },
    svg("title", null, title),
  );
  // Grid lines at quarters.
  for (let q = 0; q <= 4; q++) {
    const x = labelWidth + (barWidth * q) / 4;
    root.append(svg("line", { class: "chart-grid", x1: x, x2: x, y1: pad, y2: height - pad }));
  }
  items.forEach((item, i) => {
    const y = pad + i * rowH;
    const has = typeof item.value === "number";
    const w = has && top > 0 ? Math.max(item.value > 0 ? 2 : 0, (Math.min(item.value, top) / top) * barWidth) : 0;
    root.append(
      svg("text", { class: "chart-label", x: labelWidth - 8, y: y + rowH / 2, "text-anchor": "end", "dominant-baseline": "middle" }, item.label),
      svg(
        "rect",
        { class: ["chart-bar", item.cls], x: labelWidth, y: y + 5, width: w.toFixed(1), height: rowH - 10, rx: 3 },
        svg("title", null, `${item.label}：${item.text ?? (has ? format(item.value) : "无数据")}`),
      ),
      svg(
        "text",
        { class: "chart-value", x: labelWidth + w + 6, y: y + rowH / 2, "dominant-baseline": "middle" },
        item.text ?? (has ? format(item.value) : "—"),
      ),
    );
  });
  return root;
}
