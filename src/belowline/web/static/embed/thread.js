// The thread: pages of comments by sort, nested replies, and cards inserted or replaced in place.

import { ApiError } from "./api.js";
import { strings, t } from "./i18n.js";
import { h, icon } from "./render.js";

export const VISIBLE_DEPTH = 3; // levels of indentation; deeper replies line up with the third
export const PAGE_SIZE = 20;
const SKIP_AFTER = 5; // top-level comments before a "Skip past the comments" link is offered

/** Widget methods: load, page and update the list of comments. */
export const thread = {
  changeSort() {
    this.sort = this.sortSelect.value;
    this.loadFirstPage();
  },

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
    this.waiting = [];
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
  },

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
  },

  setCursor(cursor) {
    this.nextCursor = cursor || null;
    this.moreBtn.hidden = !this.nextCursor;
  },

  setTotal(n) {
    this.total = Math.max(0, n || 0);
    this.countEl.textContent = t(strings.count, { n: this.total });
  },

  updateEmpty() {
    this.skipLink.hidden = this.list.children.length < SKIP_AFTER;
    if (this.list.children.length) this.setStatus("");
    else this.setStatus(this.canWrite ? strings.emptyCanPost : strings.empty);
  },

  /** Append top-level comments (and their nested replies); returns the ids added. */
  appendItems(items) {
    const added = [];
    for (const c of items) {
      if (this.nodes.has(c.id)) continue;
      const arrived = this.list.querySelector(":scope > li.bl-arrived"); // shown early by showNew
      if (arrived) arrived.before(this.item(c, 0));
      else this.list.append(this.item(c, 0));
      added.push(c.id);
    }
    return added;
  },

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
  },

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
  },


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
  },

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
  },

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
  },

  focusComment(id) {
    const node = this.nodes.get(id);
    if (!node) return;
    node.article.focus({ preventScroll: true });
    const reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    node.article.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  },
};
