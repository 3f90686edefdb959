// The reader's notices: statements of reasons for decisions about their comments, with a way to
// ask for a review, and the warning they must acknowledge before posting again.

import { ApiError } from "./api.js";
import { h, sr, timeEl } from "./render.js";
import { strings, t } from "./i18n.js";

const POLL_MS = 60_000;
const STATEMENT_MAX = 1000;
let counter = 0;

/** The "Notices" button with its unread badge, and the panel it opens. */
export class Inbox {
  constructor(widget) {
    this.widget = widget;
    this.api = widget.api;
    this.unread = 0;
    this.timer = null;
    this.button = h(
      "button",
      {
        type: "button",
        class: "bl-btn bl-notices-btn",
        "data-role": "notices",
        "aria-haspopup": "dialog",
        hidden: true,
        onclick: () => this.open(),
      },
      (this.label = h("span", {}, "")),
    );
    this.badge = h("span", { class: "bl-badge", "aria-hidden": "true", hidden: true }, "");
    this.badgeSr = sr("");
    this.button.append(this.badge, this.badgeSr);
    this.onFocus = () => this.refresh();
  }

  /** Show the button for a signed-in reader and keep the badge fresh; hide it otherwise. */
  setSignedIn(signedIn) {
    this.button.hidden = !signedIn;
    window.clearInterval(this.timer);
    window.removeEventListener("focus", this.onFocus);
    if (!signedIn) {
      this.setUnread(0);
      return;
    }
    this.timer = window.setInterval(() => this.refresh(), POLL_MS);
    window.addEventListener("focus", this.onFocus);
    this.refresh();
  }

  async refresh() {
    if (!this.api.signedIn) return;
    try {
      const out = await this.api.get("/api/v1/me/notifications/unread-count");
      this.setUnread(out.unread_count);
    } catch {
      // The badge simply stays as it was; the next poll tries again.
    }
  }

  setUnread(n) {
    this.unread = Math.max(0, Number(n) || 0);
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = this.unread > 99 ? "99+" : String(this.unread);
    this.badgeSr.textContent = this.unread ? `, ${t(strings.noticesUnread, { n: this.unread })}` : "";
  }

  /** Open the panel: list the notices, then mark them read. */
  async open() {
    const id = `bl-inbox-${++counter}`;
    const list = h("ol", { class: "bl-inbox-list", "aria-labelledby": `${id}-title` });
    const status = h("p", { class: "bl-inbox-status", role: "status" }, strings.loading);
    const close = h(
      "button",
      { type: "button", class: "bl-btn bl-btn-quiet bl-inbox-close", onclick: () => finish() },
      strings.close,
    );
    const dialog = h(
      "dialog",
      { class: "bl-dialog bl-inbox", "aria-labelledby": `${id}-title`, "data-role": "inbox" },
      h(
        "div",
        { class: "bl-inbox-head" },
        h("h2", { class: "bl-dialog-title", id: `${id}-title` }, strings.noticesTitle),
        close,
      ),
      h("p", { class: "bl-dialog-intro" }, strings.noticesIntro),
      status,
      list,
    );
    const finish = () => {
      if (dialog.open) dialog.close();
      dialog.remove();
      if (this.button.isConnected) this.button.focus();
    };
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish();
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) finish();
    });
    this.finish = finish;
    this.widget.root.append(dialog);
    dialog.showModal();
    close.focus();

    let notices;
    let appeals;
    try {
      [notices, appeals] = await Promise.all([
        this.api.get("/api/v1/me/notifications?limit=50"),
        this.api.get("/api/v1/me/appeals").catch(() => ({ items: [] })),
      ]);
    } catch (err) {
      status.textContent = err.message || strings.genericError;
      return;
    }
    const byDecision = new Map();
    const bySanction = new Map();
    for (const a of appeals.items || []) {
      if (a.decision_id) byDecision.set(a.decision_id, a);
      if (a.sanction_id) bySanction.set(a.sanction_id, a);
    }
    status.textContent = notices.items.length ? "" : strings.noticesEmpty;
    for (const n of notices.items) {
      const appeal = n.decision_id ? byDecision.get(n.decision_id) : n.sanction_id ? bySanction.get(n.sanction_id) : null;
      list.append(this.notice(n, appeal, finish));
    }
    if (notices.unread_count) {
      try {
        await this.api.post("/api/v1/me/notifications/read-all", {});
        this.setUnread(0);
      } catch {
        // Still unread on the server; the badge stays honest.
      }
    }
  }

  /** One statement of reasons: what, on which comment, which rule, who, when, how to contest. */
  notice(n, appeal, finish) {
    const nid = `bl-notice-${++counter}`;
    const item = h("li", {
      class: `bl-notice-item${n.read ? "" : " bl-unread"}`,
      "data-notice-id": String(n.id),
      "aria-labelledby": `${nid}-title`,
    });
    const facts = h("dl", { class: "bl-notice-facts" });
    const fact = (label, ...value) => facts.append(h("dt", {}, label), h("dd", {}, ...value));
    if (n.rule) {
      fact(
        strings.noticeRule,
        h(
          "a",
          { href: `${this.api.rulesUrl(this.widget.locale)}#rule-${encodeURIComponent(n.rule.id)}`, target: "_blank", rel: "noopener" },
          n.rule.title,
          sr(` ${strings.newTab}`),
        ),
      );
    }
    if (n.kind !== "appeal") {
      fact(strings.noticeBy, n.automated ? strings.noticeAutomated : strings.noticeHuman);
    }
    fact(strings.noticeWhen, timeEl(n.created_at));
    const link = this.commentLink(n.comment_id, finish);
    if (link) fact(strings.noticeComment, link);

    item.append(
      h(
        "div",
        { class: "bl-notice-head" },
        h("h3", { class: "bl-notice-title", id: `${nid}-title` }, n.title),
        n.read ? null : h("span", { class: "bl-notice-new" }, strings.noticeNew),
      ),
      h("div", { class: "bl-notice-body" }, n.body.split("\n").map((line) => h("p", {}, line))),
      facts,
    );
    if (appeal) item.append(this.appealState(appeal));
    else if (n.contest && (n.decision_id || n.sanction_id)) item.append(this.contest(n, nid));
    return item;
  }

  commentLink(commentId, finish) {
    if (!commentId) return null;
    const node = this.widget.nodes.get(commentId);
    if (!node) return null;
    const anchor = node.article.id;
    return h(
      "a",
      {
        href: `#${anchor}`,
        "data-role": "notice-comment",
        onclick: (event) => {
          event.preventDefault();
          finish();
          this.widget.focusComment(commentId);
        },
      },
      strings.noticeSeeComment,
    );
  }

  appealState(appeal) {
    const text =
      appeal.status === "open"
        ? strings.appealOpen
        : appeal.status === "overturned"
          ? strings.appealOverturned
          : strings.appealUpheld;
    return h("p", { class: `bl-appeal-state bl-appeal-${appeal.status}`, "data-role": "appeal-state" }, text);
  }

  /** How to contest, with "Ask for a review" opening a short form in place. */
  contest(n, nid) {
    const box = h("div", { class: "bl-contest" }, h("p", { class: "bl-contest-text" }, n.contest));
    const ask = h(
      "button",
      {
        type: "button",
        class: "bl-btn bl-btn-primary",
        "data-role": "appeal",
        "aria-expanded": "false",
        "aria-controls": `${nid}-appeal`,
        onclick: () => openForm(),
      },
      strings.appealAsk,
    );
    box.append(ask);
    const openForm = () => {
      ask.hidden = true;
      ask.setAttribute("aria-expanded", "true");
      const textarea = h("textarea", {
        id: `${nid}-statement`,
        class: "bl-input",
        rows: "4",
        maxlength: String(STATEMENT_MAX),
        "aria-describedby": `${nid}-count`,
      });
      const count = h("p", { class: "bl-hint", id: `${nid}-count` }, `0 / ${STATEMENT_MAX}`);
      textarea.addEventListener("input", () => {
        count.textContent = `${textarea.value.length} / ${STATEMENT_MAX}`;
      });
      const error = h("div", { class: "bl-error", role: "alert" });
      const send = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.appealSend);
      const cancel = h(
        "button",
        {
          type: "button",
          class: "bl-btn bl-btn-quiet",
          onclick: () => {
            form.remove();
            ask.hidden = false;
            ask.setAttribute("aria-expanded", "false");
            ask.focus();
          },
        },
        strings.cancel,
      );
      const form = h(
        "form",
        { class: "bl-appeal-form", id: `${nid}-appeal`, novalidate: true },
        h("label", { for: textarea.id, class: "bl-label" }, strings.appealLabel),
        textarea,
        count,
        error,
        h("div", { class: "bl-form-actions" }, send, cancel),
      );
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        error.textContent = "";
        const statement = textarea.value.trim();
        if (!statement) {
          error.textContent = strings.appealEmpty;
          textarea.focus();
          return;
        }
        send.disabled = true;
        send.textContent = strings.reportSending;
        const body = { statement };
        if (n.decision_id) body.decision_id = n.decision_id;
        else body.sanction_id = n.sanction_id;
        let appeal;
        try {
          appeal = await this.api.post("/api/v1/me/appeals", body);
        } catch (err) {
          if (err instanceof ApiError && err.code === "already_appealed") {
            appeal = { status: "open" };
          } else {
            error.textContent = err.message || strings.genericError;
            send.disabled = false;
            send.textContent = strings.appealSend;
            return;
          }
        }
        const state = this.appealState(appeal);
        state.setAttribute("tabindex", "-1");
        state.setAttribute("role", "status");
        box.replaceWith(state);
        state.focus();
      });
      box.append(form);
      textarea.focus();
    };
    return box;
  }
}

/**
 * The warning a reader must acknowledge before posting again, shown inside the composer.
 * Resolves once the reader has pressed "I understand" and the service has recorded it.
 */
export async function showWarning(api, form, warningId) {
  if (form.querySelector('[data-role="warning"]')) return;
  let notice = null;
  try {
    const out = await api.get("/api/v1/me/notifications?limit=200");
    notice = out.items.find((n) => n.sanction_id === warningId && n.kind === "sanction") || null;
  } catch {
    notice = null;
  }
  const wid = `bl-warning-${++counter}`;
  const error = h("div", { class: "bl-error", role: "alert" });
  const ok = h("button", { type: "button", class: "bl-btn bl-btn-primary", "data-role": "acknowledge" }, strings.warningAck);
  const box = h(
    "div",
    { class: "bl-warning", role: "group", "aria-labelledby": `${wid}-title`, "data-role": "warning" },
    h("p", { class: "bl-warning-title", id: `${wid}-title` }, notice ? notice.title : strings.warningTitle),
    notice ? notice.body.split("\n").map((line) => h("p", { class: "bl-warning-text" }, line)) : h("p", {}, strings.warningBody),
    error,
    h("div", { class: "bl-form-actions" }, ok),
  );
  form.querySelector(".bl-error")?.before(box);
  ok.focus();
  ok.addEventListener("click", async () => {
    ok.disabled = true;
    try {
      await api.post(`/api/v1/me/warnings/${warningId}/acknowledge`, {});
    } catch (err) {
      ok.disabled = false;
      error.textContent = err.message || strings.genericError;
      return;
    }
    const done = h("p", { class: "bl-hint bl-warning-done", role: "status" }, strings.warningDone);
    box.replaceWith(done);
    const formError = form.querySelector(".bl-error");
    if (formError) formError.textContent = "";
    const textarea = form.querySelector("textarea");
    textarea?.removeAttribute("aria-invalid");
    textarea?.focus();
  });
}
