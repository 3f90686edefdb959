// The "Report this comment" dialog: a native modal <dialog>, so focus stays inside and Escape closes.

import { ApiError } from "./api.js";
import { h, sr } from "./render.js";
import { strings } from "./i18n.js";

const REASONS = ["abusive", "off_topic", "untrue", "spam", "other"];
const DETAIL_MAX = 500;
let counter = 0;

/**
 * Ask the reader why they report `comment`, send it, and thank them.
 * Resolves to true when a report was received (or one was already on file), false if cancelled.
 */
export function openReportDialog(comment, { api, root, opener } = {}) {
  return new Promise((resolve) => {
    const id = `bl-report-${++counter}`;
    let done = false;
    let received = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(result);
    };

    const error = h("div", { class: "bl-error", role: "alert", id: `${id}-err` });
    const detail = h("textarea", {
      id: `${id}-detail`,
      class: "bl-input",
      rows: "3",
      maxlength: String(DETAIL_MAX),
      "aria-describedby": `${id}-detail-count`,
    });
    const detailCount = h("p", { class: "bl-hint", id: `${id}-detail-count` }, `0 / ${DETAIL_MAX}`);
    const detailLabel = h("label", { for: `${id}-detail`, class: "bl-label" }, strings.reportDetail);
    detail.addEventListener("input", () => {
      detailCount.textContent = `${detail.value.length} / ${DETAIL_MAX}`;
    });

    const radios = REASONS.map((reason) =>
      h(
        "div",
        { class: "bl-radio" },
        h("input", {
          type: "radio",
          name: `${id}-reason`,
          id: `${id}-${reason}`,
          value: reason,
          onchange: () => {
            detailLabel.textContent =
              reason === "other" ? strings.reportDetailRequired : strings.reportDetail;
          },
        }),
        h("label", { for: `${id}-${reason}` }, strings.reportReasons[reason]),
      ),
    );
    const send = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.reportSend);
    const cancel = h(
      "button",
      { type: "button", class: "bl-btn bl-btn-quiet", onclick: () => finish(received) },
      strings.cancel,
    );
    const author = comment.author ? comment.author.display_name : strings.anonymous;

    const form = h(
      "form",
      { class: "bl-dialog-form", novalidate: true },
      h("h2", { class: "bl-dialog-title", id: `${id}-title` }, strings.reportTitle),
      h("p", { class: "bl-dialog-intro" }, strings.reportIntro, sr(` (${author})`)),
      h(
        "fieldset",
        { class: "bl-fieldset" },
        h("legend", { class: "bl-label" }, "Reason"),
        radios,
      ),
      h("div", { class: "bl-field" }, detailLabel, detail, detailCount),
      error,
      h("div", { class: "bl-form-actions" }, send, cancel),
    );

    const dialog = h(
      "dialog",
      { class: "bl-dialog", "aria-labelledby": `${id}-title` },
      form,
    );
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(received);
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) finish(received);
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[type=radio]:checked");
      error.textContent = "";
      if (!chosen) {
        error.textContent = strings.reportChoose;
        form.querySelector("input[type=radio]").focus();
        return;
      }
      const text = detail.value.trim();
      if (chosen.value === "other" && !text) {
        error.textContent = strings.reportDetailMissing;
        detail.focus();
        return;
      }
      send.disabled = true;
      send.textContent = strings.reportSending;
      try {
        await api.report(comment.id, chosen.value, text || undefined);
      } catch (err) {
        if (err instanceof ApiError && err.code === "already_decided") {
          showThanks(strings.reportAlreadyDecided);
          return;
        }
        if (!(err instanceof ApiError) || err.code !== "already_reported") {
          error.textContent = err.message || strings.genericError;
          send.disabled = false;
          send.textContent = strings.reportSend;
          return;
        }
      }
      showThanks();
    });

    function showThanks(message = strings.reportThanks) {
      received = true;
      const ok = h(
        "button",
        { type: "button", class: "bl-btn bl-btn-primary", onclick: () => finish(true) },
        strings.close,
      );
      form.replaceChildren(
        h("h2", { class: "bl-dialog-title", id: `${id}-title` }, strings.reportTitle),
        h("p", { class: "bl-dialog-thanks", role: "status" }, message),
        h("div", { class: "bl-form-actions" }, ok),
      );
      ok.focus();
    }

    (root || document.body).append(dialog);
    dialog.showModal();
    form.querySelector("input[type=radio]").focus();
  });
}

/** Widget method: open the dialog for a comment and mark it reported once received. */
export const reporting = {
  async report(id, button) {
    const node = this.nodes.get(id);
    if (!node) return;
    const received = await openReportDialog(node.data, { api: this.api, root: this.root, opener: button });
    if (!received) return;
    this.reported.add(id);
    const label = h("span", { class: "bl-action bl-reported", "data-role": "reported", tabindex: "-1" }, strings.reported);
    if (button.isConnected) {
      button.replaceWith(label);
      label.focus();
    }
  },
};
