// Q&A mode: on a story an editor switched to Q&A, the thread gives way to questions and their
// answers. Readers ask through the ordinary comment form (a top-level comment is a question);
// the story's experts answer here; an answered question shows the answer beneath it, marked
// "Answered"; readers filter to answered or unanswered. Nothing changes on other stories.

import { ApiError } from "./api.js";
import { strings, t } from "./i18n.js";
import { avatar, bodyEl, h, timeEl } from "./render.js";

const FILTERS = ["all", "unanswered", "answered"];
const STYLESHEET = "qa.css";

/** Widget methods: the Q&A view, installed after the first page of the thread has loaded. */
export const qa = {
  async startQa() {
    let data;
    try {
      data = await this.api.get(this.qaPath("all"));
    } catch {
      return; // a story not created yet, or a network failure: the ordinary thread stays
    }
    if (!data || data.mode === "off") return;
    loadStylesheet(this.api);
    this.qa = { filter: "all", data, cursor: data.next_cursor, timer: null };
    this.root.classList.add("bl-qa-mode");
    this.buildQa();
    this.composerArea.after(this.qaSection);
    this.relabelComposer();
    this.renderQa();
    // The thread's own updates still run (hidden); each one refreshes the questions too.
    for (const name of ["insertTop", "insertReply", "update"]) {
      const original = this[name];
      this[name] = (...args) => {
        const out = original.apply(this, args);
        this.relabelComposer(); // the composer resets its button's text after a post
        this.refreshQaSoon();
        return out;
      };
    }
    const render = this.renderComposerArea;
    this.renderComposerArea = (...args) => {
      const out = render.apply(this, args);
      this.relabelComposer();
      this.refreshQaSoon();
      return out;
    };
    if (this.source) this.source.addEventListener("message", () => this.refreshQaSoon());
  },

  qaPath(filter, cursor = null) {
    const q = new URLSearchParams({ filter, limit: "20" });
    if (cursor) q.set("cursor", cursor);
    return `${this.api.storyPath(this.storyId)}/qa?${q}`;
  },

  buildQa() {
    this.qaIntro = h("p", { class: "bl-qa-intro" });
    this.qaFilters = h(
      "div",
      { class: "bl-qa-filters", role: "group", "aria-label": strings.qaFilterLabel },
      FILTERS.map((f) =>
        h(
          "button",
          { type: "button", class: "bl-btn bl-qa-filter", "data-filter": f, onclick: () => this.filterQa(f) },
          strings.qaFilters[f],
        ),
      ),
    );
    this.qaCount = h("span", { class: "bl-qa-count", "data-role": "qa-count" });
    this.qaList = h("ol", { class: "bl-qa-list", "aria-labelledby": this.id("qa-heading") });
    this.qaMore = h(
      "button",
      { type: "button", class: "bl-btn bl-more", hidden: true, onclick: () => this.moreQa() },
      strings.qaMore,
    );
    this.qaSection = h(
      "section",
      { class: "bl-qa", "data-role": "qa", "aria-labelledby": this.id("qa-heading") },
      h(
        "header",
        { class: "bl-qa-head" },
        h("h3", { class: "bl-heading", id: this.id("qa-heading") }, strings.qaHeading),
        this.qaCount,
      ),
      this.qaIntro,
      this.qaFilters,
      this.qaList,
      h("div", { class: "bl-more-wrap" }, this.qaMore),
    );
  },

  /** The ordinary composer asks a question here: its label and button say so. */
  relabelComposer() {
    const label = this.composerArea.querySelector(".bl-composer-new .bl-label");
    if (label) label.textContent = strings.qaAsk;
    const textarea = this.composerArea.querySelector(".bl-composer-new textarea");
    if (textarea) textarea.placeholder = strings.qaPlaceholder;
    const submit = this.composerArea.querySelector('.bl-composer-new button[type="submit"]');
    if (submit && !submit.disabled) submit.textContent = strings.qaPost;
  },

  async filterQa(filter) {
    if (!FILTERS.includes(filter)) return;
    this.qa.filter = filter;
    await this.refreshQa();
  },

  refreshQaSoon() {
    if (!this.qa) return;
    window.clearTimeout(this.qa.timer);
    this.qa.timer = window.setTimeout(() => this.refreshQa(), 250);
  },

  async refreshQa() {
    if (this.qaList.querySelector("form")) return; // an expert is writing: do not pull the form away
    try {
      this.qa.data = await this.api.get(this.qaPath(this.qa.filter));
    } catch {
      return;
    }
    this.qa.cursor = this.qa.data.next_cursor;
    this.renderQa();
  },

  async moreQa() {
    if (!this.qa.cursor) return;
    this.qaMore.disabled = true;
    try {
      const page = await this.api.get(this.qaPath(this.qa.filter, this.qa.cursor));
      this.qa.cursor = page.next_cursor;
      for (const item of page.items) this.qaList.append(this.qaItem(item, page));
      this.qaMore.hidden = !this.qa.cursor;
    } finally {
      this.qaMore.disabled = false;
    }
  },

  renderQa() {
    const data = this.qa.data;
    const open = data.mode === "open";
    this.qaSection.dataset.mode = data.mode;
    this.qaIntro.textContent = open ? strings.qaIntro : strings.qaClosed;
    this.qaCount.textContent = t(strings.qaCount, { n: data.counts.all });
    for (const btn of this.qaFilters.querySelectorAll("button")) {
      const f = btn.dataset.filter;
      btn.setAttribute("aria-pressed", String(f === this.qa.filter));
      btn.textContent = `${strings.qaFilters[f]} (${data.counts[f]})`;
    }
    this.qaList.replaceChildren(...data.items.map((item) => this.qaItem(item, data)));
    if (!data.items.length) {
      this.qaList.append(
        h("li", { class: "bl-empty" }, this.qa.filter === "all" ? strings.qaEmpty : strings.qaEmptyFilter),
      );
    }
    this.qaMore.hidden = !this.qa.cursor;
  },

  qaItem(item, data) {
    const q = item.question;
    const li = h("li", {
      class: `bl-qa-item${item.answered ? " bl-qa-answered" : ""}`,
      "data-question-id": String(q.id),
      "data-answered": String(item.answered),
    });
    const badge = item.answered
      ? h("span", { class: "bl-qa-badge bl-qa-badge-ok", "data-role": "answered" }, strings.qaAnswered)
      : h("span", { class: "bl-qa-badge", "data-role": "unanswered" }, strings.qaUnanswered);
    li.append(
      h("article", { class: "bl-qa-question", id: this.id(`q${q.id}`), tabindex: "-1" }, meta(q, badge), bodyEl(q)),
    );
    if (item.answer) {
      const a = item.answer;
      const name = a.author ? a.author.display_name : strings.anonymous;
      li.append(
        h(
          "div",
          { class: "bl-qa-answer", role: "group", "aria-label": t(strings.qaAnswerFrom, { name }), "data-role": "answer" },
          meta(a, h("span", { class: "bl-qa-badge bl-qa-badge-expert" }, strings.qaExpert)),
          bodyEl(a),
        ),
      );
    } else if (data.viewer.expert && data.mode === "open") {
      const mine = item.assignee && this.me && item.assignee.id === this.me.id;
      const tools = h("div", { class: "bl-qa-tools" });
      if (mine) tools.append(h("span", { class: "bl-qa-badge bl-qa-badge-mine" }, strings.qaAssignedToYou));
      const name = q.author ? q.author.display_name : strings.anonymous;
      tools.append(
        h(
          "button",
          {
            type: "button",
            class: "bl-btn",
            "data-role": "answer-btn",
            "aria-label": t(strings.qaAnswerTo, { name }),
            onclick: () => this.answerForm(li, tools, q),
          },
          strings.qaAnswer,
        ),
      );
      li.append(tools);
    }
    return li;
  },

  answerForm(li, tools, q) {
    const fid = this.id(`qa${q.id}`);
    const name = q.author ? q.author.display_name : strings.anonymous;
    const textarea = h("textarea", { id: `${fid}-body`, class: "bl-input bl-textarea", rows: "4" });
    const error = h("div", { class: "bl-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.qaSendAnswer);
    const cancel = () => {
      form.remove();
      tools.hidden = false;
      tools.querySelector("button")?.focus();
    };
    const parts = [
      h("label", { for: textarea.id, class: "bl-label" }, t(strings.qaAnswerTo, { name })),
      textarea,
    ];
    if (this.needsTerms) parts.push(this.termsBox(fid));
    parts.push(
      error,
      h(
        "div",
        { class: "bl-form-actions" },
        submit,
        h("button", { type: "button", class: "bl-btn bl-btn-quiet", onclick: cancel }, strings.cancel),
      ),
    );
    const form = h("form", { class: "bl-composer bl-qa-answer-form", novalidate: true }, parts);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      if (!textarea.value.trim()) {
        error.textContent = strings.emptyBody;
        textarea.focus();
        return;
      }
      const terms = form.querySelector('[data-role="terms"] input');
      if (terms && !terms.checked) {
        error.textContent = strings.acceptRulesNeeded;
        return;
      }
      const payload = { body: textarea.value };
      if (terms) payload.accept_terms_version = this.me.current_terms_version;
      submit.disabled = true;
      try {
        await this.api.post(`/api/v1/qa/questions/${q.id}/answer`, payload);
      } catch (err) {
        submit.disabled = false;
        error.textContent = err instanceof ApiError ? err.message : strings.genericError;
        return;
      }
      if (terms) this.me.accepted_terms_version = this.me.current_terms_version;
      form.remove();
      this.announce(strings.qaAnswerPosted);
      await this.refreshQa();
      this.root.querySelector(`#${this.id(`q${q.id}`)}`)?.focus();
    });
    tools.hidden = true;
    li.append(form);
    textarea.focus();
  },
};

function meta(c, badge) {
  const name = c.author ? c.author.display_name : strings.anonymous;
  return h(
    "header",
    { class: "bl-meta" },
    avatar(c.author),
    h(
      "div",
      { class: "bl-meta-text" },
      h("span", { class: "bl-author", dir: "auto" }, name),
      timeEl(c.created_at),
      badge,
    ),
  );
}

function loadStylesheet(api) {
  if (document.querySelector(`link[data-belowline-css="${STYLESHEET}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = api.url(`static/embed/${STYLESHEET}`);
  link.setAttribute("data-belowline-css", STYLESHEET);
  document.head.append(link);
}
