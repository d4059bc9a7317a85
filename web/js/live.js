// live.js - the live queue (issue 19): one EventSource on /api/events per
// tab while someone is logged in; pages subscribe with onLive(fn) for the
// time they are shown. When the stream cannot be had (no EventSource, a
// refusal, too many streams) the pages are polled every POLL_MS instead.
// New items (tickets opened, client mail) count in the tab title until
// the user looks (a click, a key, the tab shown again); a new Crítica
// ticket raises a banner; an optional sound (off by default, kept in this
// browser) rings for new items.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { ticketNo } from "./fmt.js";

const POLL_MS = 15000;
const NEW_KINDS = new Set(["ticket.opened", "message.received", "ticket.client_replied"]);

let source = null;
let pollTimer = null;
let failures = 0;
let listeners = [];
const unseen = new Set();
let baseTitle = "";
let audio = null;

export function onLive(fn) { listeners.push(fn); }
// The router drops the last page's listeners before the next renders.
export function liveReset() { listeners = []; }

export function soundOn() { return localStorage.getItem("soporte.sound") === "on"; }
export function setSound(on) { localStorage.setItem("soporte.sound", on ? "on" : "off"); }

function emit(ev) {
  for (const fn of listeners) {
    try { fn(ev); } catch (e) { console.error(e); }
  }
}

// The page's title as the router set it, with the count of unseen items.
export function titleChanged() {
  baseTitle = document.title.replace(/^\(\d+\) /, "");
  showCount();
}
function showCount() {
  document.title = (unseen.size ? `(${unseen.size}) ` : "") + (baseTitle || document.title.replace(/^\(\d+\) /, ""));
}
function seen() {
  if (!unseen.size) return;
  unseen.clear();
  showCount();
}
addEventListener("click", seen, true);
addEventListener("keydown", seen, true);
document.addEventListener("visibilitychange", () => { if (!document.hidden) seen(); });

function ring() {
  if (!soundOn()) return;
  try {
    audio = audio || new AudioContext();
    const o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.15, audio.currentTime);
    g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    o.connect(g).connect(audio.destination);
    o.start();
    o.stop(audio.currentTime + 0.4);
  } catch (_) { /* no sound here: the title and the banner say it */ }
}

// A new Crítica ticket: a banner on every page until opened or dismissed.
function critical(ev) {
  const box = document.getElementById("live-alerts");
  if (!box || box.querySelector(`[data-number="${ev.number}"]`)) return;
  const no = ticketNo(ev.number);
  const item = h("div", { class: "live-critical", role: "alert", "data-number": ev.number },
    h("strong", null, t("live.critical", no)), " ",
    h("a", { href: "/tickets/" + ev.number }, t("live.open")), " ",
    h("button", { type: "button", class: "link", "aria-label": t("live.dismiss.label", no), onclick: () => item.remove() }, t("live.dismiss")));
  item.querySelector("a").addEventListener("click", () => item.remove());
  box.append(item);
}

// What others did is news; one's own changes only refresh the pages.
function onEvent(ev, staff) {
  if (NEW_KINDS.has(ev.kind) && !ev.mine) {
    unseen.add(ev.number);
    showCount();
    ring();
  }
  if (staff && ev.kind === "ticket.opened" && ev.severity === 1 && !ev.mine) critical(ev);
  emit(ev);
}

function poll() {
  if (pollTimer) return;
  document.body.dataset.live = "poll";
  pollTimer = setInterval(() => emit({ kind: "poll" }), POLL_MS);
}

export function liveStart(staff) {
  if (source || pollTimer) return;
  if (typeof EventSource === "undefined") { poll(); return; }
  source = new EventSource("/api/events");
  source.onopen = () => { failures = 0; document.body.dataset.live = "stream"; };
  source.onmessage = (m) => {
    let ev;
    try { ev = JSON.parse(m.data); } catch (_) { return; }
    onEvent(ev, staff);
  };
  // The browser reconnects by itself (with Last-Event-ID); a stream that
  // stays refused (401, 429: CLOSED) or keeps failing turns into polling.
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED || ++failures > 3) {
      source.close();
      source = null;
      poll();
    }
  };
}

export function liveStop() {
  if (source) source.close();
  source = null;
  clearInterval(pollTimer);
  pollTimer = null;
  unseen.clear();
  const box = document.getElementById("live-alerts");
  if (box) box.replaceChildren();
}
