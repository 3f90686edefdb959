// The comment form for new comments, replies and edits: counter, terms, submit, refusals.

import { ApiError } from "./api.js";
import { strings, t } from "./i18n.js";
import { showWarning } from "./inbox.js";
import { h, sr } from "./render.js";

/** Widget methods: build a comment form and send it. */
export const composer = {
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

    const preview = h("div", {
      class: "bl-preview",
      id: `${fid}-preview`,
      "data-role": "preview",
      role: "region",
      "aria-label": strings.previewLabel,
      hidden: true,
    });
    actions.append(this.previewButton(textarea, preview, error));
    const parts = [
      h("label", { for: textarea.id, class: mode === "new" ? "bl-label bl-label-lg" : "bl-label" }, labelText),
      textarea,
      h("div", { class: "bl-form-meta" }, count, countSr),
      formattingHelp(),
      preview,
    ];
    if (mode !== "edit") {
      parts.push(
        h(
          "p",
          { class: "bl-liability", id: `${fid}-notice` },
          `${strings.liability} `,
          h(
            "a",
            { href: this.api.rulesUrl(this.locale), target: "_blank", rel: "noopener" },
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
  },

  /** "Preview": the server renders the text exactly as it would a posted comment. */
  previewButton(textarea, preview, error) {
    const btn = h(
      "button",
      { type: "button", class: "bl-btn bl-btn-quiet", "data-role": "preview-btn", "aria-controls": preview.id },
      strings.preview,
    );
    btn.addEventListener("click", async () => {
      if (!preview.hidden) {
        preview.hidden = true;
        btn.textContent = strings.preview;
        textarea.focus();
        return;
      }
      error.textContent = "";
      if (!textarea.value.trim()) {
        error.textContent = strings.previewEmpty;
        return;
      }
      btn.disabled = true;
      try {
        const out = await this.api.post("/api/v1/preview", { body: textarea.value });
        preview.innerHTML = out.body_html; // sanitised by the server's renderer, as in the thread
        preview.hidden = false;
        btn.textContent = strings.write;
      } catch (err) {
        error.textContent = err.message || strings.genericError;
      } finally {
        btn.disabled = false;
      }
    });
    textarea.addEventListener("input", () => {
      if (preview.hidden) return;
      preview.hidden = true;
      btn.textContent = strings.preview;
    });
    return btn;
  },

  termsBox(fid) {
    return h(
      "div",
      { class: "bl-terms", "data-role": "terms" },
      h("input", { type: "checkbox", id: `${fid}-terms`, class: "bl-checkbox" }),
      h("label", { for: `${fid}-terms` }, strings.acceptRules),
    );
  },

  showError(form, textarea, error, message) {
    error.textContent = message;
    textarea.setAttribute("aria-invalid", "true");
    textarea.setAttribute(
      "aria-describedby",
      `${textarea.getAttribute("aria-describedby") || ""} ${error.id}`.trim(),
    );
  },

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
          story_token: this.root.dataset.storyToken || null,
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
      form.remove(); // closed before the card is rebuilt, so the new text shows
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
  },

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
  },
};

/** Plain text of sanitised HTML: for editing when the markdown source is not at hand. */
function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html || "", "text/html");
  return [...doc.body.children].map((el) => el.textContent).join("\n\n") || doc.body.textContent || "";
}

/** What the composer understands: the same small markdown subset the server renders. */
function formattingHelp() {
  const items = ["bold", "italic", "link", "quote", "list", "code"];
  return h(
    "details",
    { class: "bl-format-help", "data-role": "format-help" },
    h("summary", {}, strings.formatHelp),
    h("ul", {}, items.map((key) => h("li", {}, strings.formatItems[key]))),
  );
}
