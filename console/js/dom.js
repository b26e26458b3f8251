// Tiny DOM helpers: every text goes in as a text node (never as HTML), so data from the API can
// not inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Appends children, skipping null, undefined and false (arrays are flattened). */
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

function setProps(el, props) {
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.setAttribute("class", Array.isArray(v) ? v.filter(Boolean).join(" ") : v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value" && "value" in el) el.value = String(v);
    else if (k === "checked" || k === "selected" || k === "disabled") el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

/** An HTML element: h("a", { href: "#/x", class: "link" }, "text", child, ...). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, ...children);
  return el;
}

/** An SVG element, same signature as h(). */
export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  append(el, ...children);
  return el;
}

/** A titled section card. */
export function card(title, ...children) {
  return h("section", { class: "card" }, title ? h("h2", { class: "card-title" }, title) : null, ...children);
}

/** A definition list from [label, value] pairs (value may be a node); empty values show a dash. */
export function dl(pairs, cls = "kv") {
  return h(
    "dl",
    { class: cls },
    pairs.filter(Boolean).map(([k, v]) => [h("dt", null, k), h("dd", null, v === undefined || v === null || v === "" ? "—" : v)]),
  );
}

/** A table: columns [{ label, cell(row) → node|string, class? }], rows. */
export function table(columns, rows, { empty = "暂无数据", cls = "grid", rowAttrs } = {}) {
  return h(
    "table",
    { class: cls },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        columns.map((c) => h("th", { class: c.class, scope: "col" }, c.label)),
      ),
    ),
    h(
      "tbody",
      null,
      rows.length
        ? rows.map((r) =>
            h(
              "tr",
              rowAttrs ? rowAttrs(r) : null,
              columns.map((c) => h("td", { class: c.class }, c.cell(r))),
            ),
          )
        : h("tr", null, h("td", { colspan: String(columns.length), class: "empty" }, empty)),
    ),
  );
}
