// What opens in a comment's slot: the reply form, the edit form, the delete confirmation.

import { strings } from "./i18n.js";
import { h } from "./render.js";

/** Widget methods: reply to, edit and delete a comment in place. */
export const editing = {
  expireEdit(id) {
    const node = this.nodes.get(id);
    if (!node) return;
    const slot = node.article.querySelector(".bl-slot");
    if (slot && slot.querySelector("form.bl-composer-edit")) return; // the server decides on save
    node.article.querySelector('[data-role="edit-countdown"]')?.remove();
    const btn = node.article.querySelector('[data-role="edit"]');
    if (btn) {
      const hadFocus = document.activeElement === btn;
      btn.remove();
      if (hadFocus) node.article.focus();
    }
  },

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
  },

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
  },

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
            // The live "deleted" event may have come first and lowered the count already.
            const wasVisible = this.nodes.get(id)?.data.status === "published";
            this.update(result);
            if (wasVisible) this.setTotal(this.total - 1);
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
  },
};
