// DOM building for the widget: small helpers and the comment card. No framework, no build step.

import { formatNumber, fullTime, relativeTime, strings, t } from "./i18n.js";

/** Create an element: h("button", {class: "x", onclick}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "text") {
      el.textContent = value;
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Text only screen readers hear. */
export function sr(text) {
  return h("span", { class: "bl-sr" }, text);
}

const ICONS = {
  up: '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><path d="M8 3.2 2.6 9.4h3.3V13h4.2V9.4h3.3z" fill="currentColor"/></svg>',
  reply: '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><path d="M6.5 4 2 8l4.5 4V9.6c3.3 0 5.5.9 7.5 3.4-.6-3.7-2.8-6.6-7.5-7.1z" fill="currentColor"/></svg>',
  flag: '<svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" focusable="false"><path d="M3 14V2.5h8.2l-1.3 2.8 1.3 2.8H4.5V14z" fill="currentColor"/></svg>',
  clock: '<svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" focusable="false"><circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 4.5V8l2.4 1.6" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>',
};

/** An inline icon from our own fixed set (never from data). */
export function icon(name) {
  const span = h("span", { class: "bl-icon", "aria-hidden": "true" });
  span.innerHTML = ICONS[name] || "";
  return span;
}

/** <time> with a relative label, refreshed by the widget's ticker. */
export function timeEl(iso) {
  return h("time", { datetime: iso, title: fullTime(iso), class: "bl-time" }, relativeTime(iso));
}

export function refreshTimes(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll("time.bl-time[datetime]")) {
    const label = relativeTime(el.getAttribute("datetime"), now);
    if (el.textContent !== label) el.textContent = label;
  }
}

const AVATAR_TONES = 7; // classes bl-av-0 … bl-av-6 in embed.css (no inline styles: host CSPs)

function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter(Boolean);
  const first = parts[0] ? [...parts[0]][0] : "?";
  const last = parts.length > 1 ? [...parts[parts.length - 1]][0] : "";
  return (first + last).toUpperCase();
}

export function avatar(author) {
  const id = author ? Number(author.id) || 0 : 0;
  return h(
    "span",
    { class: `bl-avatar bl-av-${id % AVATAR_TONES}`, "aria-hidden": "true" },
    author ? initials(author.display_name) : "",
  );
}

/** The recommend control: a toggle button, or a plain count when the reader cannot react. */
export function reactControl(c, { canReact, pressed, onClick }) {
  const n = c.reaction_count || 0;
  if (!canReact) {
    if (!n) return null;
    return h(
      "span",
      { class: "bl-react-count", "data-role": "react-count" },
      icon("up"),
      h("span", { "aria-hidden": "true", class: "bl-n" }, formatNumber(n)),
      sr(t(strings.recommendCount, { n })),
    );
  }
  const name = c.author ? c.author.display_name : strings.anonymous;
  return h(
    "button",
    {
      type: "button",
      class: "bl-action bl-react",
      "aria-pressed": pressed ? "true" : "false",
      "data-role": "react",
      title: t(strings.recommendLabel, { name }),
      onclick: onClick,
    },
    icon("up"),
    strings.recommend,
    h("span", { class: "bl-n", "data-role": "react-n" }, n ? formatNumber(n) : ""),
    sr(`, ${t(strings.recommendCount, { n })}`),
  );
}

/** Update the count in place; false when the card has no control to update. */
export function setReactCount(article, n, pressed) {
  const btn = article.querySelector('[data-role="react"]');
  if (btn) {
    btn.querySelector('[data-role="react-n"]').textContent = n ? formatNumber(n) : "";
    btn.querySelector(".bl-sr").textContent = `, ${t(strings.recommendCount, { n })}`;
    if (pressed !== undefined) btn.setAttribute("aria-pressed", pressed ? "true" : "false");
    return true;
  }
  const span = article.querySelector('[data-role="react-count"]');
  if (!span || !n) return false; // the caller rebuilds the card
  span.querySelector(".bl-n").textContent = formatNumber(n);
  span.querySelector(".bl-sr").textContent = t(strings.recommendCount, { n });
  return true;
}

/** Body of a visible comment: server-sanitised HTML, the only HTML we ever insert. */
export function bodyEl(c) {
  // Readers' words keep their own direction: an English comment stays left to right in Arabic.
  const div = h("div", { class: "bl-body", dir: "auto" });
  div.innerHTML = c.body_html || "";
  for (const a of div.querySelectorAll("a[href]")) {
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "nofollow ugc noopener noreferrer");
  }
  return div;
}

/** The "removed" or "deleted" placeholder that keeps a thread's shape. */
export function tombstone(c) {
  const removed = c.status === "removed";
  return h(
    "div",
    { class: "bl-tombstone" },
    h("p", { class: "bl-tomb-title" }, tombTitle(c)),
    removed && c.removal_reason ? h("p", { class: "bl-tomb-reason" }, c.removal_reason) : null,
  );
}

/** What a tombstone says: removed, deleted, or hidden while a moderator looks at it. */
export function tombTitle(c) {
  if (c.status === "removed") return strings.removedTitle;
  if (c.status === "held") return strings.heldTitle;
  return strings.deletedTitle;
}
