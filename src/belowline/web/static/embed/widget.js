// One comment section: the shell, its state, and start-up. The rest of the widget's behaviour
// lives in one module per concern, each a set of methods installed on Widget below:
//   identity.js  sign-in through the publisher, sign-out, who may post
//   gate.js      the area above the thread: who is signed in, the gate, the local sign-in form
//   composer.js  the comment form (new, reply, edit) and what happens when it is sent
//   editing.js   reply, edit and delete forms opened in a comment's slot
//   thread.js    pages of comments, nested replies, inserting and replacing cards
//   card.js      one comment's card and its action bar (reply, recommend, edit, delete, report)
//   report.js    the report dialog and marking a comment reported
//   notice.js    "Report to the newsroom": a notice from anyone, signed in or not
//   live.js      Server-Sent Events: new comments, edits, moderation; catching up after a drop
//   inbox.js     the reader's notices (statements of reasons, reviews) and warnings
//   account.js   "Your account": download my data, delete my account, email preferences
//   language.js  the reader's own language: the picker, switching and re-rendering every widget
//   mutes.js     muting another reader (from /me, applied here, never in the shared page)
//   permalink.js #comment-ID links: load the path to a comment, scroll to it, mark it
//   featured.js  the story's announcement and the Featured strip (badges.js: marks by names)
//   complaints.js a notice of complaint about the reader's comment, and their answer
//   qa.js        Q&A mode: questions and the experts' answers in place of the thread

import { account } from "./account.js";
import { Api, ApiError } from "./api.js";
import { card } from "./card.js";
import { complaints } from "./complaints.js";
import { composer } from "./composer.js";
import { editing } from "./editing.js";
import { featuring } from "./featured.js";
import { gate } from "./gate.js";
import { loadLocale, strings } from "./i18n.js";
import { identity } from "./identity.js";
import { Inbox } from "./inbox.js";
import { language } from "./language.js";
import { live } from "./live.js";
import { muting } from "./mutes.js";
import { permalinks } from "./permalink.js";
import { h, refreshTimes } from "./render.js";
import { notices } from "./notice.js";
import { qa } from "./qa.js";
import { reporting } from "./report.js";
import { thread } from "./thread.js";

const SORTS = ["newest", "oldest", "reactions", "replies"];
const ASSETS = new URL("./", import.meta.url).toString();
let widgetCount = 0;

export class Widget {
  constructor(root, base) {
    const data = root.dataset;
    this.root = root;
    this.uid = `bl${++widgetCount}`;
    this.siteId = data.site || "";
    this.storyId = data.story || "";
    this.storyTitle = data.storyTitle || document.title;
    this.storyUrl = data.storyUrl || window.location.href.split("#")[0];
    this.api = new Api(base, this.siteId);
    this.sort = SORTS.includes(data.sort) ? data.sort : "newest";
    this.nodes = new Map(); // comment id -> {data, li, article}
    this.reacted = new Set();
    this.reported = new Set();
    this.sources = new Map(); // comment id -> the markdown this reader wrote, for editing
    this.me = null;
    this.site = null;
    this.storyOpen = true;
    this.total = 0;
    this.nextCursor = null;
    this.waiting = []; // new top-level comments behind the "Show N new comments" bar
    this.announceCount = 0;
    this.announceTimer = null;
    this.seq = 0;
    this.inbox = new Inbox(this);
    this.revealed = new Set(); // muted readers' comments this reader chose to show
  }

  id(suffix) {
    return `${this.uid}-${suffix}`;
  }

  // ---------------------------------------------------------------- start-up

  async start() {
    const sitePromise = this.api.site();
    sitePromise.catch(() => null); // a failure is reported below, once the strings are there
    await this.loadStrings(sitePromise);
    this.buildShell();
    this.setStatus(strings.loading);
    try {
      const [site, story] = await Promise.all([
        sitePromise,
        this.api.story(this.storyId).catch((err) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        }),
        this.authenticate(),
      ]);
      this.site = site;
      this.story = story;
      this.storyOpen = story ? story.open : true;
    } catch (err) {
      this.showLoadError(err);
      return;
    }
    if (await this.followReader()) this.buildShell(); // the reader chose another language
    this.renderComposerArea();
    this.renderAnnouncement(this.story);
    await Promise.all([this.loadFirstPage(), this.loadFeatured()]);
    await this.openPermalink();
    this.connectLive();
    if (!this.qa) await this.startQa();
    if (!this.started) {
      this.started = true;
      window.addEventListener("hashchange", () => this.openPermalink());
      window.setInterval(() => refreshTimes(this.root), 60_000);
      window.addEventListener("belowline:auth-changed", () => this.reauthenticate());
      this.listenForLocale();
    }
  }

  /**
   * The reader's language: data-locale on the embed, else the site's default, else English; a
   * signed-in reader's own choice (me.locale) replaces it once known (language.js).
   */
  async loadStrings(sitePromise) {
    let wanted = this.root.dataset.locale;
    if (!wanted) wanted = await sitePromise.then((site) => site.locale).catch(() => null);
    let tag = "en";
    try {
      tag = await loadLocale(ASSETS, wanted);
    } catch {
      // No table at all: the widget still runs, with its keys empty.
    }
    this.setLang(tag);
  }

  buildShell() {
    this.buildAccount();
    this.buildFeatured();
    this.complaintsEl = h("div", { class: "bl-complaints", "data-role": "complaints", hidden: true });
    this.root.classList.add("belowline");
    this.root.setAttribute("aria-labelledby", this.id("heading"));
    if (!this.root.hasAttribute("role")) this.root.setAttribute("role", "region");
    this.countEl = h("span", { class: "bl-count", id: this.id("count") });
    this.live = h("div", { class: "bl-sr", "aria-live": "polite", "aria-atomic": "true" });
    this.composerArea = h("div", { class: "bl-composer-area" });
    this.sortSelect = h(
      "select",
      { id: this.id("sort"), class: "bl-select", onchange: () => this.changeSort() },
      SORTS.map((s) =>
        h("option", { value: s, selected: s === this.sort ? true : null }, strings.sorts[s]),
      ),
    );
    this.newBar = h(
      "button",
      { type: "button", class: "bl-btn bl-newbar", hidden: true, onclick: () => this.showNew() },
      "",
    );
    this.skipTarget = h("span", { id: this.id("end"), tabindex: "-1", class: "bl-sr" }, strings.endOfComments);
    this.skipLink = h(
      "a",
      { class: "bl-skip", href: `#${this.id("end")}`, "data-role": "skip", hidden: true },
      strings.skipThread,
    );
    this.skipLink.addEventListener("click", (event) => {
      event.preventDefault();
      this.skipTarget.focus();
      this.skipTarget.scrollIntoView({ block: "nearest" });
    });
    this.list = h("ol", { class: "bl-list", "aria-labelledby": this.id("heading") });
    this.status = h("div", { class: "bl-status" });
    this.moreBtn = h(
      "button",
      { type: "button", class: "bl-btn bl-more", hidden: true, onclick: () => this.loadMore() },
      strings.loadMore,
    );
    this.root.replaceChildren(
      h(
        "header",
        { class: "bl-head" },
        h("h2", { class: "bl-heading", id: this.id("heading") }, strings.heading),
        this.countEl,
        this.inbox.button,
        this.accountBtn,
      ),
      this.accountPanel,
      this.announcementEl,
      this.complaintsEl,
      this.composerArea,
      this.featuredEl,
      h(
        "div",
        { class: "bl-toolbar" },
        h("label", { for: this.id("sort"), class: "bl-toolbar-label" }, strings.sortLabel),
        this.sortSelect,
      ),
      this.skipLink,
      this.newBar,
      this.list,
      this.status,
      h("div", { class: "bl-more-wrap" }, this.moreBtn),
      this.skipTarget,
      this.live,
    );
  }

  setStatus(text, { retry = false } = {}) {
    this.status.replaceChildren();
    if (!text) return;
    this.status.append(h("p", {}, text));
    if (retry) {
      this.status.append(
        h(
          "button",
          { type: "button", class: "bl-btn", onclick: () => this.start() },
          strings.retry,
        ),
      );
    }
  }

  showLoadError(err) {
    const message = err instanceof ApiError && err.status === 0 ? err.message : strings.loadFailed;
    this.setStatus(message, { retry: true });
  }

  announce(text) {
    this.live.textContent = "";
    window.setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }
}

// Each concern's methods share the widget's state through `this`; getters (canWrite) stay getters.
const PARTS = [identity, gate, composer, editing, thread, card, reporting, notices, live, account, language, muting, permalinks, featuring, complaints, qa];
for (const part of PARTS) {
  Object.defineProperties(Widget.prototype, Object.getOwnPropertyDescriptors(part));
}
