// Muting another reader: their comments collapse for this reader only. The list comes with /me
// (so it follows the reader across devices) and is applied here, never in the shared page.

import { strings, t } from "./i18n.js";
import { h } from "./render.js";

/** Widget methods: who is muted, the collapsed card, and the mute/unmute buttons. */
export const muting = {
  isMuted(authorId) {
    const ids = (this.me && this.me.muted_user_ids) || [];
    return authorId != null && ids.includes(authorId);
  },

  /** The card that stands in for a muted reader's comment until "Show" is pressed. */
  mutedArticle(c) {
    const title = t(strings.mutedTitle, { name: c.author ? c.author.display_name : strings.anonymous });
    const article = h("article", {
      class: "bl-comment bl-muted",
      id: this.id(`c${c.id}`),
      tabindex: "-1",
      "data-comment-id": String(c.id),
      "data-status": c.status,
      "data-role": "muted",
      "aria-label": title,
    });
    article.append(
      h(
        "p",
        { class: "bl-muted-note" },
        title,
        " ",
        h(
          "button",
          {
            type: "button",
            class: "bl-link-btn",
            "data-role": "show-muted",
            onclick: () => {
              this.revealed.add(c.id);
              this.update({ id: c.id });
              this.nodes.get(c.id)?.article.focus();
            },
          },
          strings.mutedShow,
        ),
      ),
      h("div", { class: "bl-slot" }),
    );
    return article;
  },

  muteButton(c, name) {
    const muted = this.isMuted(c.author.id);
    return h(
      "button",
      {
        type: "button",
        class: "bl-action",
        "data-role": muted ? "unmute" : "mute",
        "aria-label": t(muted ? strings.unmuteLabel : strings.muteLabel, { name }),
        onclick: (event) => this.setMuted(c.author.id, !muted, event.currentTarget),
      },
      muted ? strings.unmute : strings.mute,
    );
  },

  async setMuted(userId, mute, button) {
    button.disabled = true;
    let out;
    try {
      const path = `/api/v1/me/mutes/${userId}`;
      out = await this.api.request(mute ? "PUT" : "DELETE", path);
    } catch (err) {
      button.disabled = false;
      this.announce(err.message || strings.genericError);
      return;
    }
    this.me.muted_user_ids = out.muted_user_ids;
    const name = button.closest("article")?.querySelector(".bl-author")?.textContent || strings.anonymous;
    let focusId = null;
    for (const [id, node] of this.nodes) {
      if (!node.data.author || node.data.author.id !== userId) continue;
      this.revealed.delete(id);
      if (node.article.contains(button)) focusId = id;
      this.update({ id });
    }
    this.announce(t(mute ? strings.mutedDone : strings.unmutedDone, { name }));
    if (focusId) this.nodes.get(focusId)?.article.focus();
  },
};
