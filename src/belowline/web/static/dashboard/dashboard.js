// The dashboard's behaviour: keyboard shortcuts, the help dialog, live queue updates (SSE),
// bulk selection, local times and the rules editor. htmx does the requests; this does the rest.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// When the links are wider than the bar (longer French or German labels) they scroll in it:
// bring the current page's link into view.
const navHere = $(".mainnav [aria-current]");
if (navHere) {
  const bar = navHere.parentElement;
  const left = navHere.getBoundingClientRect().left - bar.getBoundingClientRect().left;
  if (navHere.getBoundingClientRect().right > bar.getBoundingClientRect().right) bar.scrollLeft = left - 40;
}

// ------------------------------------------------------------------ announcements

let toastTimer = 0;
function announce(text) {
  const el = $("#announcer");
  if (!el) return;
  el.textContent = text;
  el.classList.add("is-shown");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove("is-shown"), 3500);
}

// ------------------------------------------------------------------ times

function pad(n) {
  return String(n).padStart(2, "0");
}

function localTimes(root = document) {
  const today = new Date().toDateString();
  for (const el of $$("time[data-local]", root)) {
    const d = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(d.getTime())) continue;
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    el.textContent =
      d.toDateString() === today
        ? hm
        : `${d.getDate()} ${d.toLocaleString(undefined, { month: "short" })} ${hm}`;
    el.title = d.toLocaleString();
  }
}

function elapsed(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

// The server renders each clock; the browser keeps it ticking from the server's offset.
const loadedAt = Date.now();
function tickClocks() {
  for (const el of $$(".sla[data-since]")) {
    const out = $("[data-elapsed]", el);
    if (!out) continue;
    if (!out.dataset.base) out.dataset.base = String(parseClock(out.textContent));
    const base = Number(out.dataset.base);
    if (!Number.isNaN(base)) out.textContent = elapsed(base + (Date.now() - loadedAt) / 1000);
  }
}

function parseClock(text) {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([dhms])/g)) {
    total += Number(n) * { d: 86400, h: 3600, m: 60, s: 1 }[unit];
  }
  return total;
}

// ------------------------------------------------------------------ current item

let currentId = null;

function items() {
  return $$("#items > .item");
}

function current() {
  return currentId ? document.getElementById(currentId) : null;
}

function setCurrent(el, { focus = true } = {}) {
  for (const other of $$("#items > .item.is-current")) other.classList.remove("is-current");
  if (!el) {
    currentId = null;
    return;
  }
  currentId = el.id;
  el.classList.add("is-current");
  if (focus) {
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }
}

function move(step) {
  const list = items();
  if (!list.length) return;
  const at = list.indexOf(current());
  const next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
  setCurrent(list[next]);
}

function openItems() {
  return items().filter((el) => !el.classList.contains("decided"));
}

// ------------------------------------------------------------------ actions

function act(kind) {
  const item = current() || openItems()[0];
  if (!item) return;
  if (!current()) setCurrent(item);
  const form = $("form.decide", item);
  if (!form) return;
  const rule = $("[data-rule]", form);
  // Removing and amending cite a rule; approving needs none.
  if (rule && !rule.value && kind !== "approve") {
    rule.focus();
    announce("Choose the rule first: press 1–9 or pick it from the list.");
    return;
  }
  if (kind === "amend") {
    const details = $("[data-amend]", form);
    details.open = true;
    const area = $("textarea", details);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    return;
  }
  // A click (not requestSubmit) so htmx sends the button's action along with the form;
  // processing first makes sure a row swapped in a moment ago is already wired to htmx.
  htmx.process(form);
  $(`[data-act="${kind}"]`, form).click();
}

function undo() {
  const here = current();
  const button = (here && $('[data-act="undo"]', here)) || $$('[data-act="undo"]').at(-1);
  if (!button) {
    announce("Nothing to undo here.");
    return;
  }
  htmx.process(button.closest("form"));
  button.click();
}

function pickRule(n) {
  const item = current() || openItems()[0];
  const rule = item && $("[data-rule]", item);
  if (!rule || n >= rule.options.length) return;
  if (!current()) setCurrent(item);
  rule.selectedIndex = n;
  announce(`Rule: ${rule.options[n].text.replace(/^\d+ · /, "")}`);
}

function toggleSelect() {
  const box = current() && $(".pick", current());
  if (!box) return;
  box.checked = !box.checked;
  updateBulk();
}

// ------------------------------------------------------------------ help dialog

function help() {
  return $("#help");
}

function openHelp() {
  const dialog = help();
  if (dialog && !dialog.open) {
    dialog.showModal();
    $("[data-help-close]", dialog).focus();
  }
}

// ------------------------------------------------------------------ keyboard

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape" && typing(event.target)) {
    const item = event.target.closest(".item");
    const details = event.target.closest("[data-amend]");
    if (details) details.open = false;
    if (item) setCurrent(item);
    else event.target.blur();
    return;
  }
  if (typing(event.target) || (help() && help().open)) return;
  const handlers = {
    j: () => move(1),
    k: () => move(-1),
    a: () => act("approve"),
    r: () => act("remove"),
    e: () => act("amend"),
    u: () => undo(),
    x: () => toggleSelect(),
    o: () => current() && $("[data-author-link]", current())?.click(),
    "?": () => openHelp(),
  };
  if (/^[1-9]$/.test(event.key) && $("#items")) {
    event.preventDefault();
    pickRule(Number(event.key));
    return;
  }
  const handler = handlers[event.key];
  if (handler && ($("#items") || event.key === "?")) {
    event.preventDefault();
    handler();
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-help-open]")) openHelp();
  if (event.target.closest("[data-help-close]")) help()?.close();
  const item = event.target.closest("#items > .item");
  if (item && item.id !== currentId) setCurrent(item, { focus: false });
});

// Picking a rule in an item (by mouse, without focusing it) makes that item the current one.
document.addEventListener("change", (event) => {
  const item = event.target.closest?.("#items > .item");
  if (item && item.id !== currentId) setCurrent(item, { focus: false });
});

document.addEventListener("focusin", (event) => {
  const item = event.target.closest?.("#items > .item");
  if (item && item.id !== currentId) setCurrent(item, { focus: false });
});

// ------------------------------------------------------------------ bulk selection

function updateBulk() {
  const n = $$(".pick:checked").length;
  const count = $("[data-bulk-count]");
  // The page's language gives the pattern ("{n} selected", "{n} sélectionné(s)", …).
  if (count) count.textContent = (count.dataset.pattern || "{n} selected").replace("{n}", n);
  for (const b of $$("[data-bulk-button]")) b.disabled = n === 0;
}

document.addEventListener("change", (event) => {
  if (event.target.matches(".pick")) updateBulk();
  if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
});

// ------------------------------------------------------------------ after htmx swaps

document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.elt;
  localTimes(target.parentNode || document);
  updateBulk();
  if (target.id === "queue-main") {
    currentId = null;
    return;
  }
  const swapped = currentId && document.getElementById(currentId);
  if (!swapped) return;
  if (swapped.classList.contains("decided") && !$(".flash", swapped)) {
    // Decided: move on to the next item still waiting, so the hands never leave the keys.
    const next = openItems().find(
      (el) => swapped.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    setCurrent(next || swapped);
    const verdict = $(".verdict", swapped);
    if (verdict) announce(`${verdict.textContent.trim()}. Press u to undo.`);
  } else {
    setCurrent(swapped);
  }
});

document.addEventListener("htmx:responseError", (event) => {
  const text = event.detail.xhr.responseText || "";
  const doc = new DOMParser().parseFromString(text, "text/html");
  announce(doc.body.textContent.trim().slice(0, 200) || "That did not work; try again.");
});

// ------------------------------------------------------------------ live updates (SSE)

// An item the moderator is working on is never replaced under their hands.
function busy(item) {
  if (item.contains(document.activeElement)) return true;
  if ($("[data-amend][open]", item) || $(".flash", item) || item.classList.contains("htmx-request")) {
    return true;
  }
  return $$("form.decide select, form.decide input[type=text]", item).some((el) => el.value);
}

let refreshTimer = 0;

async function refreshQueue() {
  const main = $("#queue-main");
  const list = $("#items");
  if (!main || !list) return;
  htmx.trigger(document.body, "queue-changed");
  const query = new URLSearchParams(main.dataset.filter || "");
  query.set("queue", main.dataset.queue);
  const response = await fetch(`/moderate/items?${query}`, {
    headers: { "HX-Request": "true" },
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = doc.getElementById("items");
  if (!fresh) return;
  const seen = new Set();
  let added = 0;
  let before = null;
  for (const li of [...fresh.children].reverse()) {
    seen.add(li.id);
    const existing = document.getElementById(li.id);
    if (!existing) {
      li.classList.add("is-new");
      list.insertBefore(li, before);
      htmx.process(li);
      added += 1;
      before = li;
    } else {
      if (!existing.classList.contains("decided") && existing.dataset.rev !== li.dataset.rev && !busy(existing)) {
        existing.replaceWith(li);
        htmx.process(li);
        if (currentId === li.id) li.classList.add("is-current");
        before = li;
      } else {
        before = existing;
      }
    }
  }
  for (const old of items()) {
    if (!seen.has(old.id) && !old.classList.contains("decided") && !busy(old)) {
      if (currentId === old.id) move(1);
      old.remove();
    }
  }
  if (list.children.length) $("#empty")?.remove();
  localTimes(list);
  updateBulk();
  if (added) announce(added === 1 ? "1 new item in the queue" : `${added} new items in the queue`);
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshQueue().catch(() => {});
  }, 250);
}

function connect() {
  if (!$("#queue-main") || !window.EventSource) return;
  const source = new EventSource("/moderate/events");
  source.onmessage = (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (typeof message.type === "string" && message.type.startsWith("moderation.")) {
      scheduleRefresh();
    }
  };
  document.body.dataset.live = "connecting";
  source.onopen = () => {
    document.body.dataset.live = "on";
  };
  source.onerror = () => {
    document.body.dataset.live = "retrying";
  };
}

// ------------------------------------------------------------------ rules editor

function renumber(list) {
  $$(".rule-row", list).forEach((row, i) => {
    const num = $(".num", row);
    if (num) num.textContent = String(i + 1);
  });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-row]");
  if (!button) return;
  const list = $("#rule-rows");
  const row = button.closest(".rule-row");
  const op = button.dataset.row;
  if (op === "add") {
    const template = $("#rule-row-template");
    const clone = template.content.firstElementChild.cloneNode(true);
    list.append(clone);
    $("input", clone).focus();
  } else if (op === "remove" && row && $$(".rule-row", list).length > 1) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    $("[data-row='remove']", next)?.focus();
  } else if (op === "up" && row?.previousElementSibling) {
    row.previousElementSibling.before(row);
    button.focus();
  } else if (op === "down" && row?.nextElementSibling) {
    row.nextElementSibling.after(row);
    button.focus();
  }
  renumber(list);
});

// ------------------------------------------------------------------ start

function start() {
  localTimes();
  updateBulk();
  connect();
  setInterval(tickClocks, 30_000);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
