// The widget's strings, dates and numbers in the reader's language. The string table of each
// locale is one JSON file in locales/ (fetched once per page, cached for a year under its
// content-hashed URL); modules read `strings.key` at render time, so filling the table in place
// before the first render is all a locale switch needs.

/** Locales with a complete catalog in locales/. */
export const LOCALES = ["en", "fr", "de", "es", "cy", "gd", "ar"];
const RTL = new Set(["ar", "he", "fa", "ur"]);

export const strings = {};
let locale = "en";
let plural = new Intl.PluralRules("en");
let numberFmt = new Intl.NumberFormat("en");
let rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
let dateFmt = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", year: "numeric" });
let fullFmt = new Intl.DateTimeFormat("en", { dateStyle: "long", timeStyle: "short" });
let loaded = null;

/** The catalog that serves `wanted` ("fr-CA" → "fr"), or English. */
export function resolveLocale(wanted) {
  const tag = String(wanted || "").trim().replace("_", "-").toLowerCase();
  if (LOCALES.includes(tag)) return tag;
  const lang = tag.split("-")[0];
  return LOCALES.includes(lang) ? lang : "en";
}

/** Load one locale's table (once per page; the first widget's locale wins). */
export function loadLocale(assets, wanted) {
  if (loaded) return loaded;
  const tag = resolveLocale(wanted);
  loaded = fetchTable(assets, tag)
    .catch(() => (tag === "en" ? Promise.reject(new Error("no catalog")) : fetchTable(assets, "en")))
    .then(({ tag: got, table }) => {
      Object.assign(strings, table);
      setFormats(got);
      return got;
    });
  return loaded;
}

/**
 * Switch the page's table to `wanted` (a signed-in reader's own choice). The table is shared by
 * every widget on the page, so each re-renders afterwards; later loads get this locale.
 */
export async function switchLocale(assets, wanted) {
  const tag = resolveLocale(wanted);
  if (loaded) await loaded.catch(() => null);
  if (tag === locale && Object.keys(strings).length) return tag;
  const { table } = await fetchTable(assets, tag);
  for (const key of Object.keys(strings)) delete strings[key];
  Object.assign(strings, table);
  setFormats(tag);
  loaded = Promise.resolve(tag);
  return tag;
}

// Spelled out so the server can rewrite each to its content-hashed name.
const CATALOGS = {
  en: "locales/en.json",
  fr: "locales/fr.json",
  de: "locales/de.json",
  es: "locales/es.json",
  cy: "locales/cy.json",
  gd: "locales/gd.json",
  ar: "locales/ar.json",
};

async function fetchTable(assets, tag) {
  const response = await fetch(new URL(CATALOGS[tag], assets).toString(), { credentials: "omit" });
  if (!response.ok) throw new Error(`catalog ${tag}: ${response.status}`);
  return { tag, table: await response.json() };
}

function setFormats(tag) {
  locale = tag;
  plural = new Intl.PluralRules(tag);
  numberFmt = new Intl.NumberFormat(tag);
  rtf = new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
  dateFmt = new Intl.DateTimeFormat(tag, { day: "numeric", month: "short", year: "numeric" });
  fullFmt = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeStyle: "short" });
}

export function currentLocale() {
  return locale;
}

/** "rtl" for right-to-left scripts, for the widget's `dir`. */
export function direction(tag = locale) {
  return RTL.has(tag.split("-")[0]) ? "rtl" : "ltr";
}

export function formatNumber(n) {
  return numberFmt.format(n);
}

/**
 * Fill `{name}` placeholders; pick a plural form when `entry` is an object: `none` for exactly
 * zero when the catalog has one, else the CLDR category (zero, one, two, few, many, other).
 */
export function t(entry, vars = {}) {
  let text = entry;
  if (entry && typeof entry === "object") {
    const n = Number(vars.n ?? 0);
    text = n === 0 && entry.none ? entry.none : (entry[plural.select(n)] ?? entry.other);
  }
  return String(text ?? "").replace(/\{(\w+)\}/g, (_, key) =>
    key in vars ? (typeof vars[key] === "number" ? numberFmt.format(vars[key]) : vars[key]) : `{${key}}`,
  );
}

/** "3 minutes ago" for recent times, a date for older ones. */
export function relativeTime(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const secs = Math.round((now - then) / 1000);
  if (secs < 45) return strings.justNow;
  const mins = Math.round(secs / 60);
  if (mins < 60) return rtf.format(-mins, "minute");
  const hours = Math.round(mins / 60);
  if (hours < 24) return rtf.format(-hours, "hour");
  const days = Math.round(hours / 24);
  if (days < 7) return rtf.format(-days, "day");
  return dateFmt.format(then);
}

/** The full date and time, for the tooltip. */
export function fullTime(iso) {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? "" : fullFmt.format(then);
}

/** "4:05" for a countdown of 245 seconds, with the locale's digits. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const two = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 });
  return `${numberFmt.format(Math.floor(s / 60))}:${two.format(s % 60)}`;
}
