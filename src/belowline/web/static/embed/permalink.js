// Permalinks: every comment links to #comment-ID; opening the page with that hash loads the
// path to the comment (its ancestors) if it is not on the first page, scrolls to it and marks it.

import { strings } from "./i18n.js";

const HASH = /^#comment-(\d+)$/;

export function permalinkHash(id) {
  return `#comment-${id}`;
}

/** Widget methods: follow the page's #comment-ID. */
export const permalinks = {
  async openPermalink() {
    const match = HASH.exec(window.location.hash || "");
    if (!match) return false;
    const id = Number(match[1]);
    if (!this.nodes.has(id)) {
      let out;
      try {
        out = await this.api.get(`/api/v1/comments/${id}/context`);
      } catch (err) {
        this.announce(err.status === 404 ? strings.permalinkGone : err.message || strings.genericError);
        return false;
      }
      if (out.story_id !== this.storyId) return false;
      this.insertPath([...out.ancestors, out.comment]);
    }
    const node = this.nodes.get(id);
    if (!node) return false;
    for (const old of this.root.querySelectorAll(".bl-target")) old.classList.remove("bl-target");
    node.article.classList.add("bl-target");
    node.article.setAttribute("data-permalinked", "true");
    node.article.focus({ preventScroll: true });
    node.article.scrollIntoView({ block: "center" });
    return true;
  },

  /** Insert a root-first chain of comments, each under the one before, without recounting. */
  insertPath(chain) {
    let parent = null;
    for (const c of chain) {
      if (this.nodes.has(c.id)) {
        parent = this.nodes.get(c.id);
        continue;
      }
      if (!parent) {
        const li = this.item({ ...c, replies: [], more_replies_cursor: null }, 0);
        li.classList.add("bl-linked");
        this.list.prepend(li);
      } else {
        const li = this.item({ ...c, replies: [], more_replies_cursor: null }, parent.level + 1);
        parent.replies.append(li);
        parent.replies.hidden = false;
      }
      parent = this.nodes.get(c.id);
    }
    this.updateEmpty();
  },
};
