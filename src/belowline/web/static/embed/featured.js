// Above the thread: the newsroom's pinned announcement for the story, and the Featured strip of
// comments the editors chose (`sort=featured`), each linking to its place in the thread.

import { strings, t } from "./i18n.js";
import { badges } from "./badges.js";
import { permalinkHash } from "./permalink.js";
import { avatar, bodyEl, h, timeEl } from "./render.js";

const STRIP_SIZE = 6;

/** Widget methods: the announcement banner and the Featured strip. */
export const featuring = {
  buildFeatured() {
    this.announcementEl = h("aside", {
      class: "bl-announcement",
      "data-role": "announcement",
      "aria-label": strings.announcementLabel,
      hidden: true,
    });
    this.featuredEl = h("section", {
      class: "bl-featured",
      "data-role": "featured",
      "aria-labelledby": this.id("featured-h"),
      hidden: true,
    });
  },

  /** The story's announcement (server-rendered, sanitised markdown), or nothing. */
  renderAnnouncement(story) {
    const el = this.announcementEl;
    const note = story && story.announcement;
    el.replaceChildren();
    el.hidden = !(note && note.html);
    if (el.hidden) return;
    const body = h("div", { class: "bl-announcement-body", dir: "auto" });
    body.innerHTML = note.html;
    for (const a of body.querySelectorAll("a[href]")) {
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
    }
    el.append(
      h("span", { class: "bl-announcement-icon", "aria-hidden": "true" }, "i"),
      h(
        "div",
        { class: "bl-announcement-text" },
        h("p", { class: "bl-announcement-title" }, strings.announcementTitle),
        body,
      ),
    );
  },

  /** Load the featured comments; the strip stays hidden when there are none. */
  async loadFeatured() {
    let page;
    try {
      page = await this.api.comments(this.storyId, { sort: "featured", limit: STRIP_SIZE });
    } catch {
      this.featuredEl.hidden = true; // the thread below still works; the strip is a bonus
      return;
    }
    const items = (page.items || []).filter((c) => c.status === "published");
    this.featuredEl.replaceChildren();
    this.featuredEl.hidden = items.length === 0;
    if (!items.length) return;
    this.featuredEl.append(
      h(
        "header",
        { class: "bl-featured-head" },
        h("h3", { class: "bl-featured-title", id: this.id("featured-h") }, strings.featuredTitle),
        h("span", { class: "bl-featured-sub" }, strings.featuredSub),
      ),
      h("ol", { class: "bl-featured-list" }, items.map((c) => this.featuredCard(c))),
    );
  },

  featuredCard(c) {
    const name = c.author ? c.author.display_name : strings.anonymous;
    const body = bodyEl(c);
    body.classList.add("bl-featured-body");
    return h(
      "li",
      { class: "bl-featured-item", "data-featured-id": String(c.id) },
      h(
        "article",
        { class: "bl-featured-card", "aria-label": t(strings.featuredBy, { name }) },
        h(
          "header",
          { class: "bl-featured-meta" },
          avatar(c.author),
          h(
            "div",
            { class: "bl-meta-text" },
            h("span", { class: "bl-author", dir: "auto" }, name),
            badges(c.author),
            h("span", { class: "bl-featured-time" }, timeEl(c.created_at)),
          ),
        ),
        body,
        h(
          "a",
          { class: "bl-featured-link", href: permalinkHash(c.id), "data-role": "featured-link" },
          strings.featuredInThread,
        ),
      ),
    );
  },
};
