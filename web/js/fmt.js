// fmt.js - how numbers, money, durations and dates read (DESIGN.md):
// dates dd/mm/aaaa HH:MM in Lima time, soles "S/ 1,234.50", tickets
// "#000123". The server already sends Lima-local text in *_local keys;
// Lima has no DST (UTC-5), so the fallback below is exact.
import { t, getLang } from "./i18n.js";

export function ticketNo(n) {
  return "#" + String(n).padStart(6, "0");
}

export function soles(cents) {
  if (cents === null || cents === undefined) return "—";
  const neg = cents < 0;
  const c = Math.abs(Math.round(cents));
  const whole = Math.floor(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (neg ? "-" : "") + "S/ " + whole + "." + String(c % 100).padStart(2, "0");
}

const LIMA_OFFSET_S = -5 * 3600;

// A UTC ISO instant as Lima "dd/mm/aaaa HH:MM".
export function limaTime(iso) {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const d = new Date(ms + LIMA_OFFSET_S * 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

// obj[key + "_local"] when the server gave it, else computed.
export function when(obj, key) {
  if (!obj) return "—";
  return obj[key + "_local"] || limaTime(obj[key]);
}

// A civil date "2026-11-25" as "25/11/2026".
export function civil(d) {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return d || "—";
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
}

// Today's Lima civil date as "YYYY-MM-DD" and month as "YYYY-MM".
export function limaToday() {
  const d = new Date(Date.now() + LIMA_OFFSET_S * 1000);
  return d.toISOString().slice(0, 10);
}
export function limaMonth() { return limaToday().slice(0, 7); }

// Seconds as "5 h 03 min" / "12 min" / "2 d 4 h".
// With business set, no days: 24 business hours are three working days,
// not one, so business time is said in hours.
export function dur(sec, business) {
  if (sec === null || sec === undefined) return "—";
  sec = Math.abs(Math.round(sec));
  const d = business ? 0 : Math.floor(sec / 86400), hh = Math.floor((sec - d * 86400) / 3600), mm = Math.floor((sec % 3600) / 60);
  if (d > 0) return `${d} d ${hh} h`;
  if (hh > 0) return `${hh} h ${String(mm).padStart(2, "0")} min`;
  if (mm > 0) return `${mm} min`;
  return `${sec % 60} s`;
}

// Hours with one decimal for hour banks: "12.5 h".
export function hours(sec) {
  if (sec === null || sec === undefined) return "—";
  const v = Math.round((sec / 3600) * 10) / 10;
  return v.toLocaleString(getLang() === "en" ? "en-US" : "es-PE") + " h";
}

export function pct(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  return Math.round(x * 100) + " %";
}

export { t };
