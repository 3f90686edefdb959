// One comment's card: meta line, body or tombstone, and its action bar.

import { clock, fullTime, strings, t } from "./i18n.js";
import {
  avatar,
  bodyEl,
  h,
  icon,
  reactControl,
  setReactCount,
  timeEl,
  tombTitle,
  tombstone,
} from "./render.js";
import { badges } from "./badges.js";
import { permalinkHash } from "./permalink.js";
import { VISIBLE_DEPTH } from "./thread.js";


/** Widget methods: render a comment and the buttons a reader may use on it. */
export const card = {
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
    if (!own && c.author && this.isMuted(c.author.id) && !this.revealed.has(c.id)) {
      return this.mutedArticle(c);
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
        h("span", { class: "bl-author", id: nameId, dir: "auto" }, name),
        badges(c.author),
        own ? h("span", { class: "bl-you" }, strings.you) : null,
        h("span", { class: "bl-dot", "aria-hidden": "true" }, "·"),
        h(
          "a",
          {
            class: "bl-permalink",
            href: permalinkHash(c.id),
            "data-role": "permalink",
            "aria-label": t(strings.permalinkLabel, { name }),
          },
          timeEl(c.created_at),
        ),
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
  },

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
              "aria-label": t(strings.editFor, { when: fullTime(c.created_at) }),
              onclick: () => this.openEdit(c.id),
            },
            strings.edit,
          ),
          this.editCountdown(Date.parse(c.created_at) + windowMs),
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
            "aria-label": t(strings.deleteFor, { when: fullTime(c.created_at) }),
            onclick: (event) => this.confirmDelete(c.id, event.currentTarget),
          },
          strings.del,
        ),
      );
    }
    if (published && !own && this.me && c.author) bar.append(this.muteButton(c, name));
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
    if (published && !own) {
      bar.append(
        h(
          "button",
          {
            type: "button",
            class: "bl-action",
            "data-role": "notice",
            "aria-label": t(strings.noticeLinkLabel, { name }),
            onclick: (event) => this.reportToNewsroom(c.id, event.currentTarget),
          },
          strings.noticeLink,
        ),
      );
    }
    return bar;
  },

  /** "You can edit for 4:05", ticking until the window closes (or the card is replaced). */
  editCountdown(closesAt) {
    const el = h("span", { class: "bl-countdown", "data-role": "edit-countdown" });
    const tick = () => {
      const seconds = Math.ceil((closesAt - Date.now()) / 1000);
      if (seconds <= 0 || (!el.isConnected && el.dataset.started)) {
        el.remove();
        return;
      }
      el.dataset.started = "1";
      el.textContent = t(strings.editCountdown, { time: clock(seconds) });
      window.setTimeout(tick, 1000);
    };
    tick();
    return el;
  },

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
  },
};
