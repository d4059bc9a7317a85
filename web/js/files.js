// files.js - files for a reply or an internal note: the file picker,
// drag and drop onto the form, and pasted screenshots. Each file is
// uploaded as soon as it is chosen (POST /api/tickets/{n}/attachments,
// the upload-then-reference flow of docs/api.md); the reply or note then
// names the uploads ("attachments": [id, ...]). A file over the policy's
// max_attachment_bytes is refused here with a sentence naming the limit
// (the server refuses it too: 413 too_large, field "file").
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { request } from "./api.js";
import { explain } from "./app.js";

const PER_MESSAGE = 10;   // UPLOADS_PER_MESSAGE (src/app/ticket/uploads.h)

function size(n) {
  if (n >= 1024 * 1024) return (n / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
  return Math.max(1, Math.round(n / 1024)) + " KB";
}

// A name the server takes: no folders, no leading dot, no control
// characters; a pasted screenshot gets one with the time.
function plainName(file) {
  let name = (file.name || "").replace(/[\u0000-\u001f\u007f/\\]/g, "_").replace(/^\.+/, "");
  if (!name || name === "image.png") {
    const d = new Date();
    const p = (x) => String(x).padStart(2, "0");
    const ext = (file.type.split("/")[1] || "bin").replace(/[^a-z0-9]/g, "");
    name = `captura-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.${ext}`;
  }
  return name.slice(0, 200);
}

// fileBox(ticketBase, limits): { el, bind(form), ids(), reset() }.
// bind(form) makes the whole form a drop and paste target; ids() waits
// for the uploads under way and answers the ids of those that arrived.
export function fileBox(ticketBase, limitsP) {
  let items = [];   // { name, size, id, pending, el }
  const list = h("ul", { class: "files", "aria-live": "polite" });
  const msg = h("p", { class: "error", role: "alert" });
  const input = h("input", { type: "file", multiple: true, class: "file-input" });
  const label = h("label", { class: "file-pick button small" }, t("files.pick"), input);
  const el = h("div", { class: "filebox", "data-files": "0" }, h("div", { class: "file-tools" }, label,
    h("span", { class: "muted small" }, t("files.hint"))), list, msg);

  const count = () => { el.dataset.files = String(items.filter((i) => i.id).length); };

  async function add(file) {
    const lim = await limitsP;
    const max = lim && lim.max_attachment_bytes;
    const name = plainName(file);
    if (items.length >= PER_MESSAGE) { msg.textContent = t("files.too_many", PER_MESSAGE); return; }
    if (max && file.size > max) { msg.textContent = t("files.too_big", name, size(file.size), size(max)); return; }
    if (!file.size) { msg.textContent = t("files.empty", name); return; }
    const item = { name, size: file.size, id: 0, pending: null };
    const rm = h("button", { type: "button", class: "link small", "aria-label": t("files.remove", name) }, "✕");
    const state = h("span", { class: "muted small" }, t("files.sending"));
    item.el = h("li", { "data-name": name }, h("span", { class: "fname" }, name), " ", h("span", { class: "muted small" }, size(file.size)), " ", state, " ", rm);
    rm.addEventListener("click", () => { items = items.filter((i) => i !== item); item.el.remove(); count(); });
    items.push(item);
    list.append(item.el);
    item.pending = request("POST", `${ticketBase}/attachments?filename=${encodeURIComponent(name)}`, file,
      { "Content-Type": file.type || "application/octet-stream" })
      .then((r) => { item.id = r.id; state.textContent = ""; item.el.dataset.id = String(r.id); count(); })
      .catch((e) => {
        items = items.filter((i) => i !== item);
        item.el.remove();
        count();
        msg.textContent = `${name}: ${explain(e)}`;
      });
  }
  const addAll = (files) => { msg.textContent = ""; for (const f of files) add(f); };
  input.addEventListener("change", () => { addAll([...input.files]); input.value = ""; });

  function bind(form) {
    form.addEventListener("dragover", (ev) => {
      if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) { ev.preventDefault(); form.classList.add("dropping"); }
    });
    form.addEventListener("dragleave", () => form.classList.remove("dropping"));
    form.addEventListener("drop", (ev) => {
      form.classList.remove("dropping");
      if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
      ev.preventDefault();
      addAll([...ev.dataTransfer.files]);
    });
    form.addEventListener("paste", (ev) => {
      const files = ev.clipboardData ? [...ev.clipboardData.files] : [];
      if (!files.length) return;   // plain text pastes as usual
      ev.preventDefault();
      addAll(files);
    });
  }

  async function ids() {
    await Promise.all(items.map((i) => i.pending));
    return items.filter((i) => i.id).map((i) => i.id);
  }
  function reset() { items = []; list.replaceChildren(); msg.textContent = ""; count(); }
  return { el, bind, ids, reset };
}
