// Evidence files (佐证材料) of a case: thumbnails on the case page (fetched with the bearer token and
// shown as blob: URLs, since an <img> cannot send the token) and an upload control that the
// investigation, rectification and feedback forms carry. The API sniffs the content, removes an
// image's location data and keeps only its hash in the case; the page shows what the API answered.

import { ApiError, session } from "./api.js";
import { h } from "./dom.js";
import { fmtDateTime } from "./format.js";
import { errorBox } from "./ui.js";

const STAGES = { investigation: "现场调查", rectification: "整改", feedback: "反馈" };
const ACCEPT = "image/jpeg,image/png,application/pdf";

/** Fetches an evidence file (or its thumbnail) with the token; resolves with a blob: URL. */
async function blobUrl(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session.token()}` }, cache: "no-store", credentials: "omit" });
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return URL.createObjectURL(await res.blob());
}

/** Uploads one file as multipart/form-data; resolves with the evidence item. */
async function uploadFile(caseId, file, stage, note) {
  const form = new FormData();
  form.append("stage", stage);
  if (note) form.append("note", note);
  form.append("file", file);
  let res;
  try {
    res = await fetch(`/api/cases/${encodeURIComponent(caseId)}/evidence`, {
      method: "POST",
      headers: { authorization: `Bearer ${session.token()}`, accept: "application/json" },
      body: form,
      cache: "no-store",
      credentials: "omit",
    });
  } catch (e) {
    throw new ApiError(0, { code: "network", message: `无法连接服务器：${e?.message ?? e}` });
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

const size = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

/** One item: its thumbnail (images) or a PDF tile, opening the file in a new tab on click. */
function tile(item) {
  const open = h("button", { type: "button", class: "evidence-open", title: "查看原文件" });
  if (item.thumbnail) {
    const img = h("img", { alt: `佐证材料 ${STAGES[item.stage] ?? item.stage}`, width: 120, height: 120, "data-loaded": "false" });
    blobUrl(`/api/evidence/${encodeURIComponent(item.id)}/thumbnail`).then(
      (url) => {
        img.src = url;
        img.dataset.loaded = "true";
      },
      () => (img.alt = "缩略图加载失败"),
    );
    open.append(img);
  } else {
    open.append(h("span", { class: "evidence-pdf" }, "PDF"));
  }
  open.addEventListener("click", async () => {
    // Opened before the fetch, so a popup blocker sees the click; the blob: page cannot reach back to this one.
    const win = window.open("", "_blank");
    if (win) win.opener = null;
    const url = await blobUrl(`/api/evidence/${encodeURIComponent(item.id)}`).catch(() => null);
    if (url && win) win.location.href = url;
    else win?.close();
  });
  return h(
    "li",
    { class: "evidence-item", "data-evidence-id": item.id, "data-mime": item.mime },
    open,
    h("span", { class: "evidence-meta" }, `${STAGES[item.stage] ?? item.stage} · ${size(item.size)}`),
    h("span", { class: "evidence-meta muted" }, `${fmtDateTime(item.uploadedAt)} ${item.by}`),
    item.note ? h("span", { class: "evidence-note" }, item.note) : null,
  );
}

/** The list of a case's evidence items (thumbnails), newest last. */
export function evidenceList(items) {
  return items?.length
    ? h("ul", { class: "evidence-list", id: "evidence-list" }, items.map(tile))
    : h("p", { class: "muted", id: "evidence-list" }, "尚无佐证材料。");
}

/**
 * The upload control of a form: a file picker, a note and an upload button; each upload is attached
 * at once (it does not wait for the form), and `onUploaded(item)` shows it on the page.
 */
export function evidenceUpload(state, stage, onUploaded) {
  const id = `evidence-file-${stage}`;
  const input = h("input", { type: "file", id, name: "evidence-file", accept: ACCEPT });
  const note = h("input", { type: "text", name: "evidence-note", maxlength: 500, placeholder: "说明（可选），如：整改前 / 整改后", autocomplete: "off" });
  const button = h("button", { type: "button", class: "btn" }, "上传");
  const result = h("div", { class: "form-result" });
  button.addEventListener("click", async () => {
    result.replaceChildren();
    const file = input.files?.[0];
    if (!file) {
      result.replaceChildren(h("span", { class: "field-error" }, "请选择文件"));
      return;
    }
    button.disabled = true;
    try {
      const item = await uploadFile(state.caseId, file, stage, note.value.trim());
      input.value = "";
      note.value = "";
      result.replaceChildren(h("span", { class: "muted evidence-uploaded" }, "已上传"));
      onUploaded(item);
    } catch (err) {
      result.replaceChildren(errorBox(err, "上传未成功"));
    } finally {
      button.disabled = false;
    }
  });
  return h(
    "fieldset",
    { class: "evidence-upload field-wide", "data-evidence-stage": stage },
    h("legend", null, "佐证材料（照片 JPEG/PNG 或 PDF；照片的位置信息会被去除）"),
    h("label", { for: id }, "选择文件"),
    input,
    note,
    button,
    result,
  );
}
