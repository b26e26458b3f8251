// The console's shell: sign-in with a pasted bearer token, hash routes, navigation by role.
//   #/login  #/cases?…filters  #/dashboard  #/case/<caseId>  #/approvals  #/audit?actor=&caseId=&page=  #/repeats

import { api, ApiError, codecSession, session } from "./api.js";
import { h } from "./dom.js";
import { ROLES, label, unitName } from "./labels.js";
import { errorBox, loading } from "./ui.js";
import { approvalsView } from "./view-approvals.js";
import { auditView } from "./view-audit.js";
import { caseView } from "./view-case.js";
import { casesView } from "./view-cases.js";
import { dashboardView } from "./view-dashboard.js";
import { repeatsView } from "./view-repeats.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");

const SUPERVISING = ["supervisor", "admin"];
const views = {
  cases: { title: "案件台账", render: casesView },
  dashboard: { title: "统计看板", render: dashboardView },
  approvals: { title: "审批队列", render: approvalsView, roles: SUPERVISING },
  audit: { title: "审计日志", render: auditView, roles: ["supervisor"] },
  repeats: { title: "查重复核", render: repeatsView, roles: ["dispatcher", "supervisor"] },
  case: { title: "案件详情", render: caseView },
};

function parseRoute() {
  const raw = location.hash.replace(/^#/, "") || "/cases";
  const [path, qs = ""] = raw.split("?");
  const [name = "cases", ...rest] = path.split("/").filter(Boolean);
  return { name, arg: rest.length ? decodeURIComponent(rest.join("/")) : undefined, query: new URLSearchParams(qs) };
}

/** Navigates to a route (re-renders when it is the current one). */
export function go(hash) {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

function signOut() {
  session.clear();
  void codecSession(null);
  go("#/login");
}

function renderChrome(me, route) {
  document.body.dataset.role = me?.role ?? "";
  nav.replaceChildren(
    ...(me
      ? Object.entries(views)
          .filter(([name, v]) => name !== "case" && (!v.roles || v.roles.includes(me.role)))
          .map(([name, v]) =>
            h("a", { href: `#/${name}`, class: route.name === name ? "active" : null, "aria-current": route.name === name ? "page" : null }, v.title),
          )
      : []),
  );
  who.replaceChildren(
    ...(me
      ? [
          h("span", { class: "who-role", "data-role": me.role }, label(ROLES, me.role)),
          h("span", { class: "who-name" }, me.unitId ? unitName(me.unitId) : me.name),
          h("button", { type: "button", class: "btn btn-ghost", id: "sign-out", onclick: signOut }, "退出"),
        ]
      : []),
  );
}

function loginView() {
  const input = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    placeholder: "请粘贴访问令牌",
    "aria-describedby": "token-hint",
  });
  const result = h("div", { class: "form-result" });
  const button = h("button", { type: "submit", class: "btn btn-primary", id: "sign-in" }, "登录");
  const form = h(
    "form",
    { class: "card login", id: "login-form", novalidate: true },
    h("h2", { class: "card-title" }, "登录督办台"),
    h(
      "div",
      { class: "field field-wide" },
      h("label", { for: "token" }, "访问令牌（Bearer Token）"),
      input,
      h("small", { class: "hint", id: "token-hint" }, "令牌由系统管理员分配，仅保存在本浏览器标签页中，关闭标签页即退出。"),
    ),
    h("div", { class: "form-actions" }, button),
    result,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) {
      result.replaceChildren(h("div", { class: "error-box", role: "alert" }, "请先粘贴访问令牌"));
      return;
    }
    button.disabled = true;
    try {
      const me = await api("GET", "/api/me", undefined, token);
      session.start(token, me);
      await codecSession(token);
      go("#/cases");
    } catch (err) {
      result.replaceChildren(errorBox(err, "登录未成功"));
    } finally {
      button.disabled = false;
    }
  });
  queueMicrotask(() => input.focus());
  return form;
}

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  const route = parseRoute();
  const me = session.me();
  if (!me && route.name !== "login") {
    location.replace("#/login");
    return;
  }
  if (me && route.name === "login") {
    location.replace("#/cases");
    return;
  }
  renderChrome(me, route);
  main.dataset.view = route.name;
  main.setAttribute("aria-busy", "true");
  main.replaceChildren(loading());
  try {
    let node;
    if (route.name === "login") node = loginView();
    else {
      const view = views[route.name];
      if (!view) node = h("div", { class: "card" }, "页面不存在。", h("a", { href: "#/cases" }, "返回案件台账"));
      else if (view.roles && !view.roles.includes(me.role)) node = h("div", { class: "card" }, "当前身份无权查看此页面。");
      else {
        document.title = `${view.title} · 生态环境投诉案件督办台`;
        node = await view.render({ me, route, go, refresh: () => go(location.hash) });
      }
    }
    if (seq === renderSeq) main.replaceChildren(node);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session.clear();
      location.replace("#/login");
      return;
    }
    if (seq === renderSeq) main.replaceChildren(errorBox(err, "页面加载失败"));
  } finally {
    if (seq === renderSeq) main.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", () => void render());
void render();
