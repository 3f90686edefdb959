// One comment section: sign-in, the thread, the composer, live updates.

import { Api, ApiError } from "./api.js";
import { strings, t } from "./i18n.js";
import {
  avatar,
  bodyEl,
  h,
  icon,
  reactControl,
  refreshTimes,
  setReactCount,
  sr,
  timeEl,
  tombTitle,
  tombstone,
} from "./render.js";
import { Inbox, showWarning } from "./inbox.js";
import { openReportDialog } from "./report.js";

const SORTS = ["newest", "oldest", "reactions", "replies"];
const VISIBLE_DEPTH = 3; // levels of indentation; deeper replies line up with the third
const PAGE_SIZE = 20;
let widgetCount = 0;

/** Decode a JWT's payload without checking it: only to notice that the reader has changed. */
function jwtSubject(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part)).sub ?? null;
  } catch {
    return null;
  }
}

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
    this.newWaiting = 0;
    this.announceCount = 0;
    this.announceTimer = null;
    this.seq = 0;
    this.inbox = new Inbox(this);
  }

  id(suffix) {
    return `${this.uid}-${suffix}`;
  }

  // ---------------------------------------------------------------- start-up

  async start() {
    this.buildShell();
    this.setStatus(strings.loading);
    try {
      const [site, story] = await Promise.all([
        this.api.site(),
        this.api.story(this.storyId).catch((err) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        }),
        this.authenticate(),
      ]);
      this.site = site;
      this.storyOpen = story ? story.open : true;
    } catch (err) {
      this.showLoadError(err);
      return;
    }
    this.renderComposerArea();
    await this.loadFirstPage();
    this.connectLive();
    if (!this.started) {
      this.started = true;
      window.setInterval(() => refreshTimes(this.root), 60_000);
      window.addEventListener("belowline:auth-changed", () => this.reauthenticate());
    }
  }

  buildShell() {
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
      ),
      this.composerArea,
      h(
        "div",
        { class: "bl-toolbar" },
        h("label", { for: this.id("sort"), class: "bl-toolbar-label" }, strings.sortLabel),
        this.sortSelect,
      ),
      this.newBar,
      this.list,
      this.status,
      h("div", { class: "bl-more-wrap" }, this.moreBtn),
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

  // ---------------------------------------------------------------- identity

  async publisherToken() {
    if (this.root.dataset.ssoToken) return this.root.dataset.ssoToken;
    if (typeof window.belowlineSSO === "function") {
      try {
        return (await window.belowlineSSO()) || null;
      } catch {
        return null;
      }
    }
    return undefined; // the page offers no single sign-on
  }

  async authenticate() {
    const token = await this.publisherToken();
    const session = this.api.session;
    if (session && session.via === "sso") {
      // The publisher's page is the source of truth: signed out there, or someone else now.
      if (token === null || token === undefined) this.api.clearSession();
      else if (jwtSubject(token) !== session.sub) this.api.clearSession();
    }
    if (!this.api.signedIn && token) {
      try {
        await this.api.sso(token, { sub: jwtSubject(token) });
      } catch (err) {
        // Tell the publisher's developers why, without bothering the reader.
        console.warn(`Belowline: the sign-in token was refused (${err.code}): ${err.message}`);
        this.api.clearSession();
      }
    }
    this.me = null;
    if (this.api.signedIn) {
      try {
        this.me = await this.api.me();
      } catch {
        this.api.clearSession();
      }
    }
  }

  async reauthenticate() {
    await this.authenticate();
    this.renderComposerArea();
    await this.loadFirstPage();
  }

  async signOut() {
    this.api.clearSession();
    this.me = null;
    this.renderComposerArea();
    await this.loadFirstPage();
    this.composerArea.querySelector("a, button")?.focus();
  }

  get canWrite() {
    const me = this.me;
    if (!me || !me.subscriber || me.banned || !this.storyOpen) return false;
    if (me.suspended_until && Date.parse(me.suspended_until) > Date.now()) return false;
    return true;
  }

  get needsTerms() {
    const me = this.me;
    return Boolean(
      me && me.current_terms_version !== null && me.accepted_terms_version !== me.current_terms_version,
    );
  }

  // ---------------------------------------------------------------- composer area

  renderComposerArea() {
    const area = this.composerArea;
    area.replaceChildren();
    const me = this.me;
    this.inbox.setSignedIn(Boolean(me));
    const local = Boolean(this.api.session && this.api.session.via === "local");
    if (me && (me.subscriber || local)) {
      const who = h(
        "p",
        { class: "bl-whoami" },
        t(strings.signedInAs, { name: me.display_name }),
      );
      if (local) {
        who.append(
          " · ",
          h(
            "button",
            { type: "button", class: "bl-link-btn", onclick: () => this.signOut() },
            strings.signOut,
          ),
        );
      }
      area.append(who);
    }
    if (me && Array.isArray(me.roles) && me.roles.includes("moderator")) {
      area.append(this.coverageBanner());
    }
    if (!this.storyOpen) {
      area.append(h("p", { class: "bl-notice" }, strings.closed));
      return;
    }
    if (me && me.banned) {
      area.append(h("p", { class: "bl-notice" }, strings.banned));
      return;
    }
    if (me && me.suspended_until && Date.parse(me.suspended_until) > Date.now()) {
      area.append(h("p", { class: "bl-notice" }, strings.suspended));
      return;
    }
    if (!me || !me.subscriber) {
      area.append(this.gate());
      return;
    }
    area.append(this.composer({ mode: "new" }));
  }

  /** For the site's moderators: who is watching now, e.g. "Full-time moderation until 18:00". */
  coverageBanner() {
    const banner = h("p", { class: "bl-coverage", "data-role": "coverage" });
    this.api
      .coverage()
      .then((out) => {
        banner.textContent = out.banner || "";
        banner.dataset.level = out.coverage || "";
      })
      .catch(() => banner.remove());
    return banner;
  }

  /** Why this reader cannot post, and where to go to change that. */
  gate() {
    const me = this.me;
    const lapsed = me && me.subscription === "lapsed";
    const subscribeUrl = this.root.dataset.subscribeUrl || (this.site && this.site.subscribe_url);
    const signinUrl = this.root.dataset.signinUrl || (this.site && this.site.signin_url);
    const links = h("div", { class: "bl-gate-actions" });
    if (subscribeUrl) {
      links.append(
        h(
          "a",
          { class: "bl-btn bl-btn-primary", href: subscribeUrl },
          lapsed ? strings.renew : strings.subscribe,
        ),
      );
    }
    if (!me) {
      if (this.root.hasAttribute("data-local-login")) {
        links.append(
          h(
            "button",
            {
              type: "button",
              class: "bl-btn",
              "aria-expanded": "false",
              "aria-controls": this.id("login"),
              onclick: (event) => this.toggleLogin(event.currentTarget),
            },
            strings.signIn,
          ),
        );
      } else if (signinUrl) {
        links.append(h("a", { class: "bl-btn", href: signinUrl }, strings.signIn));
      }
    }
    const body = [];
    if (lapsed) {
      body.push(h("p", {}, strings.gateLapsedBody));
    } else {
      if (me) body.push(h("p", {}, t(strings.gateSignedIn, { name: me.display_name })));
      body.push(h("p", {}, strings.gateBody));
    }
    return h(
      "section",
      { class: "bl-gate", "aria-labelledby": this.id("gate-title"), "data-role": "gate" },
      h(
        "h3",
        { class: "bl-gate-title", id: this.id("gate-title") },
        lapsed ? strings.gateLapsedTitle : strings.gateTitle,
      ),
      body,
      links,
      h("div", { id: this.id("login"), hidden: true, class: "bl-login" }),
    );
  }

  toggleLogin(button) {
    const box = this.composerArea.querySelector(`#${this.id("login")}`);
    const open = box.hidden;
    box.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) return;
    const error = h("div", { class: "bl-error", role: "alert" });
    const email = h("input", {
      type: "email",
      id: this.id("email"),
      class: "bl-input",
      autocomplete: "email",
      required: true,
    });
    const password = h("input", {
      type: "password",
      id: this.id("password"),
      class: "bl-input",
      autocomplete: "current-password",
      required: true,
    });
    const submit = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.signInSubmit);
    const form = h(
      "form",
      { class: "bl-login-form", novalidate: true },
      h("h4", { class: "bl-login-title" }, strings.signInTitle),
      h("div", { class: "bl-field" }, h("label", { for: email.id, class: "bl-label" }, strings.email), email),
      h(
        "div",
        { class: "bl-field" },
        h("label", { for: password.id, class: "bl-label" }, strings.password),
        password,
      ),
      error,
      h("div", { class: "bl-form-actions" }, submit),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      submit.disabled = true;
      submit.textContent = strings.signingIn;
      try {
        await this.api.login(email.value.trim(), password.value);
        this.me = await this.api.me();
      } catch (err) {
        error.textContent = err.message || strings.genericError;
        submit.disabled = false;
        submit.textContent = strings.signInSubmit;
        password.focus();
        return;
      }
      this.renderComposerArea();
      await this.loadFirstPage();
      (this.composerArea.querySelector("textarea") || this.composerArea.querySelector("a, button"))?.focus();
    });
    box.replaceChildren(form);
    email.focus();
  }

  /**
   * A comment form. mode "new" (top of the thread), "reply" (under `parent`), or "edit" (of `comment`).
   */
  composer({ mode, parent = null, comment = null, onCancel = null }) {
    const n = ++this.seq;
    const fid = this.id(`f${n}`);
    const max = (this.site && this.site.max_comment_length) || 3000;
    const parentName = parent && parent.author ? parent.author.display_name : strings.anonymous;
    const labelText =
      mode === "reply"
        ? t(strings.replyLabel, { name: parentName })
        : mode === "edit"
          ? strings.editLabel
          : strings.composerLabel;
    const submitText =
      mode === "reply" ? strings.postReply : mode === "edit" ? strings.save : strings.post;

    const textarea = h("textarea", {
      id: `${fid}-body`,
      class: "bl-input bl-textarea",
      rows: mode === "new" ? "4" : "3",
      placeholder: mode === "new" ? strings.placeholder : null,
      "aria-describedby": `${fid}-count ${mode === "edit" ? "" : `${fid}-notice`}`.trim(),
    });
    if (comment) textarea.value = comment.body_md || htmlToText(comment.body_html);
    const count = h("span", { class: "bl-counter", id: `${fid}-count` });
    const countSr = h("span", { class: "bl-sr", "aria-live": "polite" });
    let lastBand = "";
    const updateCount = () => {
      const len = [...textarea.value.trim()].length;
      count.textContent = t(strings.counter, { n: len, max });
      count.classList.toggle("bl-over", len > max);
      count.classList.toggle("bl-near", len <= max && len > max - 100);
      const band = len > max ? "over" : len > max - 100 ? "near" : "";
      if (band !== lastBand) {
        countSr.textContent =
          band === "over"
            ? t(strings.counterOver, { n: len - max })
            : band === "near"
              ? t(strings.counterLeft, { n: max - len })
              : "";
        lastBand = band;
      }
    };
    textarea.addEventListener("input", updateCount);
    updateCount();

    const error = h("div", { class: "bl-error", role: "alert", id: `${fid}-error` });
    const submit = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, submitText);
    const actions = h("div", { class: "bl-form-actions" }, submit);
    if (onCancel) {
      actions.append(
        h("button", { type: "button", class: "bl-btn bl-btn-quiet", onclick: onCancel }, strings.cancel),
      );
    }

    const parts = [
      h("label", { for: textarea.id, class: mode === "new" ? "bl-label bl-label-lg" : "bl-label" }, labelText),
      textarea,
      h("div", { class: "bl-form-meta" }, count, countSr),
    ];
    if (mode !== "edit") {
      parts.push(
        h(
          "p",
          { class: "bl-liability", id: `${fid}-notice` },
          `${strings.liability} `,
          h(
            "a",
            { href: this.api.rulesUrl(), target: "_blank", rel: "noopener" },
            strings.rulesLink,
            sr(` ${strings.newTab}`),
          ),
          ".",
        ),
      );
      if (this.needsTerms) parts.push(this.termsBox(fid));
    }
    parts.push(error, actions);
    const form = h("form", { class: `bl-composer bl-composer-${mode}`, novalidate: true }, parts);
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && onCancel) {
        event.preventDefault();
        onCancel();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit(form, { mode, parent, comment, textarea, error, submit, submitText, max });
    });
    return form;
  }

  termsBox(fid) {
    return h(
      "div",
      { class: "bl-terms", "data-role": "terms" },
      h("input", { type: "checkbox", id: `${fid}-terms`, class: "bl-checkbox" }),
      h("label", { for: `${fid}-terms` }, strings.acceptRules),
    );
  }

  showError(form, textarea, error, message) {
    error.textContent = message;
    textarea.setAttribute("aria-invalid", "true");
    textarea.setAttribute(
      "aria-describedby",
      `${textarea.getAttribute("aria-describedby") || ""} ${error.id}`.trim(),
    );
  }

  async submit(form, ctx) {
    const { mode, parent, comment, textarea, error, submit, submitText, max } = ctx;
    error.textContent = "";
    textarea.removeAttribute("aria-invalid");
    const body = textarea.value;
    const len = [...body.trim()].length;
    if (!len) {
      this.showError(form, textarea, error, strings.emptyBody);
      textarea.focus();
      return;
    }
    if (len > max) {
      this.showError(form, textarea, error, t(strings.tooLong, { n: len - max }));
      textarea.focus();
      return;
    }
    const terms = form.querySelector('[data-role="terms"] input');
    if (terms && !terms.checked) {
      error.textContent = strings.acceptRulesNeeded;
      terms.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = mode === "edit" ? strings.save : strings.posting;
    let result;
    try {
      if (mode === "edit") {
        result = await this.api.editComment(comment.id, body);
      } else {
        const payload = {
          body,
          parent_id: parent ? parent.id : null,
          story_title: this.storyTitle.slice(0, 500),
          story_url: this.storyUrl.slice(0, 1000),
        };
        if (terms) payload.accept_terms_version = this.me.current_terms_version;
        result = await this.api.postComment(this.storyId, payload);
      }
    } catch (err) {
      submit.disabled = false;
      submit.textContent = submitText;
      this.showError(form, textarea, error, err.message || strings.genericError);
      if (err instanceof ApiError) await this.afterWriteError(err, form);
      return;
    }
    if (terms) {
      this.me.accepted_terms_version = this.me.current_terms_version;
      for (const box of this.root.querySelectorAll('[data-role="terms"]')) box.remove();
    }
    if (mode === "edit") {
      this.sources.set(result.id, body);
      this.update(result);
      this.focusComment(result.id);
      this.announce(strings.editSaved);
      return;
    }
    let inserted;
    if (mode === "reply") {
      form.remove();
      inserted = this.insertReply(result, { fresh: true });
    } else {
      textarea.value = "";
      textarea.dispatchEvent(new Event("input"));
      submit.disabled = false;
      submit.textContent = submitText;
      inserted = this.insertTop(result, { fresh: true });
    }
    if (inserted && result.status === "published") this.setTotal(this.total + 1);
    this.sources.set(result.id, body);
    this.focusComment(result.id);
    this.announce(
      result.status === "held" ? strings.postedHeld : mode === "reply" ? strings.replyPosted : strings.posted,
    );
  }

  /** Keep the widget truthful after a refused write: new rules, lost session, lapsed access. */
  async afterWriteError(err, form) {
    if (err.code === "terms_not_accepted" && this.me) {
      try {
        this.me = await this.api.me();
      } catch {
        return;
      }
      if (!form.querySelector('[data-role="terms"]')) {
        const fid = `${form.querySelector("textarea").id}-x`;
        form.querySelector(".bl-error").before(this.termsBox(fid));
      }
    } else if (err.status === 401 || err.code === "subscription_required") {
      const draft = form.querySelector("textarea").value;
      await this.authenticate();
      this.renderComposerArea();
      const textarea = this.composerArea.querySelector("textarea");
      if (textarea) textarea.value = draft;
    } else if (err.code === "warning_not_acknowledged" && err.warning_id) {
      await showWarning(this.api, form, err.warning_id);
    } else if (err.code === "commenting_closed") {
      this.storyOpen = false;
      this.renderComposerArea();
    }
  }

  // ---------------------------------------------------------------- thread

  changeSort() {
    this.sort = this.sortSelect.value;
    this.loadFirstPage();
  }

  async loadFirstPage() {
    let page;
    this.setStatus(this.list.children.length ? "" : strings.loading);
    try {
      page = await this.api.comments(this.storyId, { sort: this.sort, limit: PAGE_SIZE });
    } catch (err) {
      if (err instanceof ApiError && err.code === "story_not_found") {
        page = { items: [], next_cursor: null, total: 0 };
      } else {
        this.showLoadError(err);
        return;
      }
    }
    this.nodes.clear();
    this.list.replaceChildren();
    this.newWaiting = 0;
    this.newBar.hidden = true;
    const viewer = page.viewer || {};
    this.reacted = new Set(viewer.reacted || []);
    this.appendItems(page.items);
    for (const held of viewer.pending || []) {
      if (held.parent_id && this.nodes.has(held.parent_id)) this.insertReply(held);
      else if (!held.parent_id) this.insertTop(held);
    }
    this.setTotal(page.total);
    this.setCursor(page.next_cursor);
    this.updateEmpty();
  }

  async loadMore() {
    if (!this.nextCursor) return;
    this.moreBtn.disabled = true;
    this.moreBtn.textContent = strings.loadingMore;
    let page;
    try {
      page = await this.api.comments(this.storyId, {
        sort: this.sort,
        cursor: this.nextCursor,
        limit: PAGE_SIZE,
      });
    } catch (err) {
      this.moreBtn.disabled = false;
      this.moreBtn.textContent = strings.loadMore;
      this.announce(err.message || strings.genericError);
      return;
    }
    for (const id of (page.viewer && page.viewer.reacted) || []) this.reacted.add(id);
    const added = this.appendItems(page.items);
    this.moreBtn.disabled = false;
    this.moreBtn.textContent = strings.loadMore;
    this.setCursor(page.next_cursor);
    if (added[0]) this.focusComment(added[0]);
  }

  setCursor(cursor) {
    this.nextCursor = cursor || null;
    this.moreBtn.hidden = !this.nextCursor;
  }

  setTotal(n) {
    this.total = Math.max(0, n || 0);
    this.countEl.textContent = t(strings.count, { n: this.total });
  }

  updateEmpty() {
    if (this.list.children.length) this.setStatus("");
    else this.setStatus(this.canWrite ? strings.emptyCanPost : strings.empty);
  }

  /** Append top-level comments (and their nested replies); returns the ids added. */
  appendItems(items) {
    const added = [];
    for (const c of items) {
      if (this.nodes.has(c.id)) continue;
      this.list.append(this.item(c, 0));
      added.push(c.id);
    }
    return added;
  }

  /** Build the list item for a comment and, recursively, its loaded replies. */
  item(c, level) {
    const li = h("li", { class: "bl-item", "data-level": String(Math.min(level, VISIBLE_DEPTH - 1)) });
    const article = this.article(c, level);
    const replies = h("ol", { class: level >= VISIBLE_DEPTH - 1 ? "bl-replies bl-flat" : "bl-replies" });
    li.append(article, replies);
    this.nodes.set(c.id, { data: c, li, article, replies, level });
    for (const r of c.replies || []) replies.append(this.item(r, level + 1));
    if (!replies.children.length) replies.hidden = true;
    if (c.more_replies_cursor) li.append(this.moreRepliesButton(c));
    return li;
  }

  moreRepliesButton(c) {
    const shown = (c.replies || []).length;
    const remaining = (c.reply_count || 0) - shown;
    const label = remaining > 0 ? t(strings.loadMoreReplies, { n: remaining }) : strings.loadMoreRepliesPlain;
    const wrap = h("div", { class: "bl-more-replies" });
    const btn = h(
      "button",
      { type: "button", class: "bl-link-btn", "data-role": "more-replies" },
      icon("reply"),
      label,
    );
    let cursor = c.more_replies_cursor;
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      let page;
      try {
        page = await this.api.replies(c.id, cursor);
      } catch (err) {
        btn.disabled = false;
        this.announce(err.message || strings.genericError);
        return;
      }
      const node = this.nodes.get(c.id);
      const added = [];
      for (const r of page.items) {
        if (this.nodes.has(r.id)) continue;
        node.replies.append(this.item(r, node.level + 1));
        added.push(r.id);
      }
      node.replies.hidden = !node.replies.children.length;
      cursor = page.next_cursor;
      if (cursor) {
        btn.disabled = false;
        btn.lastChild.textContent = strings.loadMoreRepliesPlain;
      } else {
        wrap.remove();
      }
      if (added[0]) this.focusComment(added[0]);
    });
    wrap.append(btn);
    return wrap;
  }

  article(c, level) {
    const me = this.me;
    const own = Boolean(me && c.author && c.author.id === me.id);
    const held = c.status === "held";
    // Someone else's comment hidden pending review keeps its place (and its replies) as a tombstone.
    const gone = c.status === "removed" || c.status === "deleted" || (held && !own);
    const name = c.author ? c.author.display_name : strings.anonymous;
    const nameId = this.id(`a${c.id}`);
    const classes = ["bl-comment"];
    if (own) classes.push("bl-own");
    if (held) classes.push("bl-pending");
    if (gone) classes.push("bl-gone");
    const article = h("article", {
      class: classes.join(" "),
      id: this.id(`c${c.id}`),
      tabindex: "-1",
      "data-comment-id": String(c.id),
      "data-status": c.status,
      "aria-labelledby": gone ? null : nameId,
      "aria-label": gone ? tombTitle(c) : null,
    });
    if (gone) {
      article.append(tombstone(c));
      return article;
    }
    const flags = [];
    if (c.moderator_edited) flags.push(h("span", { class: "bl-flag bl-flag-mod" }, strings.editedByModerator));
    else if (c.edited_at) flags.push(h("span", { class: "bl-flag" }, strings.edited));
    const meta = h(
      "header",
      { class: "bl-meta" },
      avatar(c.author),
      h(
        "div",
        { class: "bl-meta-text" },
        h("span", { class: "bl-author", id: nameId }, name),
        own ? h("span", { class: "bl-you" }, strings.you) : null,
        h("span", { class: "bl-dot", "aria-hidden": "true" }, "·"),
        timeEl(c.created_at),
        flags.length ? h("span", { class: "bl-dot", "aria-hidden": "true" }, "·") : null,
        flags,
      ),
    );
    article.append(meta);
    if (level >= VISIBLE_DEPTH && c.parent_id && this.nodes.has(c.parent_id)) {
      const parent = this.nodes.get(c.parent_id).data;
      const pname = parent.author ? parent.author.display_name : strings.anonymous;
      article.append(h("p", { class: "bl-context" }, icon("reply"), t(strings.inReplyTo, { name: pname })));
    }
    article.append(bodyEl(c));
    if (held) {
      article.append(
        h(
          "p",
          { class: "bl-pending-note" },
          icon("clock"),
          h("strong", {}, strings.awaitingReview),
          ` — ${strings.awaitingReviewHelp}`,
        ),
      );
    }
    article.append(this.actions(c, { own, held, name }));
    article.append(h("div", { class: "bl-slot" }));
    return article;
  }

  actions(c, { own, held, name }) {
    const bar = h("div", { class: "bl-actions" });
    const published = c.status === "published";
    if (published && this.canWrite) {
      bar.append(
        h(
          "button",
          {
            type: "button",
            class: "bl-action",
            "data-role": "reply",
            "aria-expanded": "false",
            "aria-label": t(strings.replyTo, { name }),
            onclick: (event) => this.openReply(c.id, event.currentTarget),
          },
          icon("reply"),
          strings.reply,
        ),
      );
    }
    const canReact = published && !own && this.canWrite;
    const react = reactControl(c, {
      canReact,
      pressed: this.reacted.has(c.id),
      onClick: (event) => this.toggleReaction(c.id, event.currentTarget),
    });
    if (react) bar.append(react);
    if (own && (published || held)) {
      const windowMs = ((this.site && this.site.edit_window_seconds) || 300) * 1000;
      const left = Date.parse(c.created_at) + windowMs - Date.now();
      if (!c.moderator_edited && left > 0) {
        bar.append(
          h(
            "button",
            {
              type: "button",
              class: "bl-action",
              "data-role": "edit",
              onclick: () => this.openEdit(c.id),
            },
            strings.edit,
          ),
        );
        window.setTimeout(() => this.expireEdit(c.id), left + 500);
      }
      bar.append(
        h(
          "button",
          {
            type: "button",
            class: "bl-action",
            "data-role": "delete",
            onclick: (event) => this.confirmDelete(c.id, event.currentTarget),
          },
          strings.del,
        ),
      );
    }
    if (published && !own && this.me) {
      if (this.reported.has(c.id)) {
        bar.append(h("span", { class: "bl-action bl-reported", "data-role": "reported" }, strings.reported));
      } else {
        bar.append(
          h(
            "button",
            {
              type: "button",
              class: "bl-action bl-action-end",
              "data-role": "report",
              "aria-label": t(strings.reportLabel, { name }),
              onclick: (event) => this.report(c.id, event.currentTarget),
            },
            icon("flag"),
            strings.report,
          ),
        );
      }
    }
    return bar;
  }

  expireEdit(id) {
    const node = this.nodes.get(id);
    if (!node) return;
    const slot = node.article.querySelector(".bl-slot");
    if (slot && slot.querySelector("form.bl-composer-edit")) return; // the server decides on save
    const btn = node.article.querySelector('[data-role="edit"]');
    if (btn) {
      const hadFocus = document.activeElement === btn;
      btn.remove();
      if (hadFocus) node.article.focus();
    }
  }

  // ---------------------------------------------------------------- insertions and updates

  insertTop(c, { fresh = false } = {}) {
    if (this.nodes.has(c.id)) {
      this.update(c);
      return false;
    }
    const li = this.item(c, 0);
    if (fresh) li.classList.add("bl-new");
    this.list.prepend(li);
    this.updateEmpty();
    return true;
  }

  insertReply(c, { fresh = false } = {}) {
    if (this.nodes.has(c.id)) {
      this.update(c);
      return false;
    }
    const parent = this.nodes.get(c.parent_id);
    if (!parent) return false;
    const li = this.item(c, parent.level + 1);
    if (fresh) li.classList.add("bl-new");
    parent.replies.append(li);
    parent.replies.hidden = false;
    parent.data.reply_count = (parent.data.reply_count || 0) + 1;
    return true;
  }

  /** Replace a comment's card with fresh data, keeping its replies and the reader's focus. */
  update(c) {
    const node = this.nodes.get(c.id);
    if (!node) return;
    const data = { ...node.data, ...c };
    delete data.replies;
    node.data = data;
    const hadFocus = node.article.contains(document.activeElement);
    const fresh = this.article(data, node.level);
    // Keep an open reply or edit form (and the reader's draft) across live updates.
    const oldSlot = node.article.querySelector(".bl-slot");
    const newSlot = fresh.querySelector(".bl-slot");
    if (oldSlot && newSlot && oldSlot.childElementCount) {
      newSlot.replaceWith(oldSlot);
      const body = fresh.querySelector(".bl-body");
      if (body && oldSlot.querySelector("form.bl-composer-edit")) body.hidden = true;
      if (oldSlot.querySelector("form.bl-composer-reply")) {
        fresh.querySelector('[data-role="reply"]')?.setAttribute("aria-expanded", "true");
      }
    }
    node.article.replaceWith(fresh);
    node.article = fresh;
    if (hadFocus && !fresh.contains(document.activeElement)) fresh.focus();
  }

  focusComment(id) {
    const node = this.nodes.get(id);
    if (!node) return;
    node.article.focus({ preventScroll: true });
    const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    node.article.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  }

  // ---------------------------------------------------------------- actions

  openReply(id, button) {
    const node = this.nodes.get(id);
    const slot = node.article.querySelector(".bl-slot");
    const existing = slot.querySelector("form");
    if (existing) {
      existing.querySelector("textarea").focus();
      return;
    }
    button.setAttribute("aria-expanded", "true");
    const close = () => {
      form.remove();
      const btn = this.nodes.get(id)?.article.querySelector('[data-role="reply"]');
      if (btn) {
        btn.setAttribute("aria-expanded", "false");
        btn.focus();
      }
    };
    const form = this.composer({ mode: "reply", parent: node.data, onCancel: close });
    slot.replaceChildren(form);
    form.querySelector("textarea").focus();
  }

  openEdit(id) {
    const node = this.nodes.get(id);
    const slot = node.article.querySelector(".bl-slot");
    if (slot.querySelector("form.bl-composer-edit")) return;
    const data = { ...node.data, body_md: this.sources.get(id) || node.data.body_md };
    const body = node.article.querySelector(".bl-body");
    const restore = () => {
      form.remove();
      if (body) body.hidden = false;
      const btn = this.nodes.get(id)?.article.querySelector('[data-role="edit"]');
      (btn || this.nodes.get(id)?.article)?.focus();
    };
    const form = this.composer({ mode: "edit", comment: data, onCancel: restore });
    if (body) body.hidden = true;
    slot.replaceChildren(form);
    const textarea = form.querySelector("textarea");
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  confirmDelete(id, button) {
    const node = this.nodes.get(id);
    const slot = node.article.querySelector(".bl-slot");
    const qid = this.id(`del${id}`);
    const keep = h(
      "button",
      {
        type: "button",
        class: "bl-btn bl-btn-quiet",
        onclick: () => {
          box.remove();
          button.focus();
        },
      },
      strings.confirmDeleteNo,
    );
    const yes = h(
      "button",
      {
        type: "button",
        class: "bl-btn bl-btn-danger",
        onclick: async () => {
          yes.disabled = true;
          try {
            const result = await this.api.deleteComment(id);
            this.update(result);
            this.setTotal(this.total - 1);
            this.focusComment(id);
            this.announce(strings.deleted);
          } catch (err) {
            yes.disabled = false;
            error.textContent = err.message || strings.genericError;
          }
        },
      },
      strings.confirmDeleteYes,
    );
    const error = h("div", { class: "bl-error", role: "alert" });
    const box = h(
      "div",
      { class: "bl-confirm", role: "group", "aria-labelledby": qid },
      h("p", { id: qid, class: "bl-confirm-q" }, strings.confirmDelete),
      h("div", { class: "bl-form-actions" }, yes, keep),
      error,
    );
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        box.remove();
        button.focus();
      }
    });
    slot.replaceChildren(box);
    yes.focus();
  }

  async toggleReaction(id, button) {
    if (button.disabled) return;
    button.disabled = true;
    try {
      const out = await this.api.react(id);
      if (out.reacted) this.reacted.add(id);
      else this.reacted.delete(id);
      const node = this.nodes.get(id);
      if (node) {
        node.data.reaction_count = out.reaction_count;
        setReactCount(node.article, out.reaction_count, out.reacted);
      }
    } catch (err) {
      this.announce(err.message || strings.genericError);
    } finally {
      button.disabled = false;
    }
  }

  async report(id, button) {
    const node = this.nodes.get(id);
    if (!node) return;
    const received = await openReportDialog(node.data, { api: this.api, root: this.root, opener: button });
    if (!received) return;
    this.reported.add(id);
    const label = h("span", { class: "bl-action bl-reported", "data-role": "reported", tabindex: "-1" }, strings.reported);
    if (button.isConnected) {
      button.replaceWith(label);
      label.focus();
    }
  }

  // ---------------------------------------------------------------- live updates

  connectLive() {
    if (!("EventSource" in window) || this.source) return;
    this.source = new EventSource(this.api.eventsUrl(this.storyId));
    let dropped = false;
    this.source.addEventListener("error", () => {
      dropped = true;
    });
    this.source.addEventListener("open", () => {
      if (dropped) this.catchUp();
      dropped = false;
    });
    this.source.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onLive(message);
    });
  }

  onLive(message) {
    const c = message && message.comment;
    if (!c || !c.id) return;
    const kind = String(message.type || "").replace(/^comment\./, "");
    const known = this.nodes.has(c.id);
    const author = c.author || (known ? this.nodes.get(c.id).data.author : null);
    if (this.me && author && author.id === this.me.id && !["created", "reacted", "deleted"].includes(kind)) {
      this.inbox.refresh(); // a moderator acted on my comment: a statement is waiting
    }
    if (kind === "reacted") {
      const node = this.nodes.get(c.id);
      if (node) {
        node.data.reaction_count = c.reaction_count;
        if (!setReactCount(node.article, c.reaction_count)) this.update(node.data);
      }
      return;
    }
    if (kind === "created" || ((kind === "approved" || kind === "restored") && !known)) {
      if (known) {
        this.update(c);
        return;
      }
      this.setTotal(this.total + 1);
      const mine = this.me && c.author && c.author.id === this.me.id;
      if (c.parent_id) {
        if (!this.nodes.has(c.parent_id)) return;
        this.insertReply(c, { fresh: true });
      } else if (this.sort === "newest") {
        this.insertTop(c, { fresh: true });
      } else {
        this.newWaiting += 1;
        this.newBar.hidden = false;
        this.newBar.textContent = t(strings.showNew, { n: this.newWaiting });
      }
      if (!mine) this.queueAnnouncement();
      return;
    }
    if (!known) return;
    if (kind === "held") {
      const node = this.nodes.get(c.id);
      const wasVisible = node.data.status === "published";
      const mine = this.me && node.data.author && node.data.author.id === this.me.id;
      this.update({ ...node.data, status: "held", body_html: mine ? node.data.body_html : "" });
      if (wasVisible) this.setTotal(this.total - 1);
      return;
    }
    if (kind === "removed" || kind === "deleted") {
      const wasVisible = this.nodes.get(c.id).data.status === "published";
      this.update(c);
      if (wasVisible) this.setTotal(this.total - 1);
      return;
    }
    this.update(c); // edited, approved, restored
  }

  /** After a dropped live connection: fold the first page back in without disturbing the reader. */
  async catchUp() {
    let page;
    try {
      page = await this.api.comments(this.storyId, { sort: this.sort, limit: PAGE_SIZE });
    } catch {
      return;
    }
    const walk = (items) => {
      for (const c of items) {
        const node = this.nodes.get(c.id);
        if (node) {
          const d = node.data;
          if (d.version !== c.version || d.status !== c.status) this.update(c);
          else if (d.reaction_count !== c.reaction_count) {
            this.onLive({ type: "comment.reacted", comment: c });
          }
        } else if (c.parent_id) {
          if (this.insertReply(c, { fresh: true })) continue;
        } else if (this.sort === "newest") {
          this.insertTop(c, { fresh: true });
        }
        walk(c.replies || []);
      }
    };
    walk([...page.items].reverse());
    this.setTotal(page.total);
  }

  queueAnnouncement() {
    this.announceCount += 1;
    window.clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(() => {
      this.announce(t(strings.newComments, { n: this.announceCount }));
      this.announceCount = 0;
    }, 1200);
  }

  async showNew() {
    this.sort = "newest";
    this.sortSelect.value = "newest";
    await this.loadFirstPage();
    const first = this.list.querySelector("article");
    if (first) first.focus();
  }
}

/** Plain text of sanitised HTML: for editing when the markdown source is not at hand. */
function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html || "", "text/html");
  return [...doc.body.children].map((el) => el.textContent).join("\n\n") || doc.body.textContent || "";
}
