// api.js - the JSON API as the browser uses it: the session cookie goes
// by itself (HttpOnly, SameSite=Strict); unsafe requests repeat the CSRF
// token in X-CSRF-Token. The token lives in this module's memory only
// (never localStorage); after a reload it comes back from GET
// /api/session.

let csrf = "";

// The API's error: status, stable code, the input field at fault and the
// workflow's reason when the API names them (errors.js says them in the
// user's words; message is the server's, for the console's log only).
export class ApiError extends Error {
  constructor(status, code, message, field, reason) {
    super(message || code || String(status));
    this.status = status;
    this.code = code || "";
    this.field = field || "";
    this.reason = reason || "";
  }
}

export function setCsrf(tok) { csrf = tok || ""; }

// request(method, path, body?, headers?): the parsed JSON (or null for
// 204); throws ApiError with the API's code and message.
export async function request(method, path, body, headers) {
  const opt = { method, headers: { Accept: "application/json", ...(headers || {}) }, credentials: "same-origin" };
  if (method !== "GET" && method !== "HEAD" && csrf) opt.headers["X-CSRF-Token"] = csrf;
  if (body !== undefined && body !== null) {
    if (typeof body === "string" || body instanceof Blob) {
      opt.body = body;   // its Content-Type comes in headers
    } else {
      opt.body = JSON.stringify(body);
      opt.headers["Content-Type"] = "application/json";
    }
  }
  let resp;
  try {
    resp = await fetch(path, opt);
  } catch (e) {
    throw new ApiError(0, "network", String(e));
  }
  const etag = resp.headers.get("ETag");
  if (resp.status === 204) return null;
  let data = null;
  const ct = resp.headers.get("Content-Type") || "";
  if (ct.includes("json")) {
    try { data = await resp.json(); } catch (_) { data = null; }
  }
  if (!resp.ok) {
    const err = data && data.error ? data.error : {};
    throw new ApiError(resp.status, err.code || (resp.status === 404 ? "not_found" : "http"), err.message || resp.statusText, err.field, err.reason);
  }
  if (data && typeof data === "object" && etag) Object.defineProperty(data, "_etag", { value: etag });
  return data;
}

export const get = (p) => request("GET", p);
export const post = (p, b) => request("POST", p, b === undefined ? {} : b);
export const patch = (p, b, h) => request("PATCH", p, b, h);

// all(path): every item of a paginated list, following next_cursor
// (bounded, so a runaway list cannot hang the page).
export async function all(path, maxPages = 20) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const url = cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path;
    const page = await get(url);
    if (Array.isArray(page)) return page;
    out.push(...(page.items || []));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") u.set(k, v);
  const s = u.toString();
  return s ? "?" + s : "";
}
