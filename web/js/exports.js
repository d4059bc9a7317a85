// exports.js - the console's export buttons (issue 18): plain links to
// the API's file routes (a GET with the session cookie), which answer
// with Content-Disposition: attachment, so the browser saves the file.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { qs } from "./api.js";

// exportButtons(path, params, formats): one link per format ("csv",
// "xlsx", "pdf") to path with params and format=..., in a labelled group.
export function exportButtons(path, params, formats = ["csv", "xlsx"], label = "export.group") {
  return h("div", { class: "exports no-print", role: "group", "aria-label": t(label) },
    formats.map((f) => h("a", {
      class: "button small", href: path + qs({ ...params, format: f }), download: "",
      "data-export": f,
    }, t("export." + f))));
}
