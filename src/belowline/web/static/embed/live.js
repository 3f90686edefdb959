// Live updates over Server-Sent Events: new comments, edits, moderation, recommendations.

import { strings, t } from "./i18n.js";
import { setReactCount } from "./render.js";
import { PAGE_SIZE } from "./thread.js";

/** Widget methods: follow the story's event stream and catch up after a drop. */
export const live = {
  connectLive() {
    if (!("EventSource" in window) || this.source) return;
    this.source = new EventSource(this.api.eventsUrl(this.storyId, this.root.dataset.storyToken));
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
  },

  onLive(message) {
    const c = message && message.comment;
    if (!c || !c.id) return;
    const kind = String(message.type || "").replace(/^comment\./, "");
    const known = this.nodes.has(c.id);
    const author = c.author || (known ? this.nodes.get(c.id).data.author : null);
    if (this.me && author && author.id === this.me.id && !["created", "reacted", "deleted", "featured", "unfeatured"].includes(kind)) {
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
        this.waiting.push(c);
        this.newBar.hidden = false;
        this.newBar.textContent = t(strings.showNew, { n: this.waiting.length });
      }
      if (!mine) this.queueAnnouncement();
      return;
    }
    if (kind === "featured" || kind === "unfeatured" || (known && this.nodes.get(c.id).data.featured)) {
      this.loadFeatured(); // the strip follows the editors' choice (and a featured comment's fate)
    }
    if (!known) return;
    const node = this.nodes.get(c.id);
    const wasVisible = node.data.status === "published";
    if (kind === "held") {
      const mine = this.me && node.data.author && node.data.author.id === this.me.id;
      this.update({ ...node.data, status: "held", body_html: mine ? node.data.body_html : "" });
    } else {
      this.update(c); // edited, approved, restored, removed, deleted, (un)featured
    }
    // The count is of published comments: approving one held (even the reader's own) adds it.
    const isVisible = this.nodes.get(c.id).data.status === "published";
    if (wasVisible !== isVisible) this.setTotal(this.total + (isVisible ? 1 : -1));
  },

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
  },

  queueAnnouncement() {
    this.announceCount += 1;
    window.clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(() => {
      this.announce(t(strings.newComments, { n: this.announceCount }));
      this.announceCount = 0;
    }, 1200);
  },

  /** Show what the "Show N new comments" bar announced, in the reader's own sort. */
  async showNew() {
    const waiting = this.waiting;
    await this.loadFirstPage();
    if (this.sort === "oldest") {
      // The newest come last: after the loaded pages, ahead of any the reader loads later.
      for (const c of waiting) {
        if (this.nodes.has(c.id)) continue;
        const li = this.item(c, 0);
        li.classList.add("bl-arrived");
        this.list.append(li);
      }
      this.updateEmpty();
    }
    const shown = waiting.map((c) => this.nodes.get(c.id)).filter(Boolean);
    for (const node of shown) node.li.classList.add("bl-new");
    if (shown[0]) this.focusComment(shown[0].data.id);
    else this.list.querySelector("article")?.focus();
  },
};
