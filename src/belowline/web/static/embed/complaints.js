// A notice of complaint about the reader's own comment (Defamation Act 2013 s.5): the
// particulars, and the answer the Regulations ask for — remove the statement, or object with a
// full name and postal address and say whether they may be given to the complainant.

import { ApiError } from "./api.js";
import { fullTime, strings, t } from "./i18n.js";
import { h } from "./render.js";

let counter = 0;

/** A deadline at local midnight reads as the end of the day before ("8 December, 23:59"). */
function dueText(iso) {
  const at = new Date(iso);
  if (at.getHours() === 0 && at.getMinutes() === 0) at.setTime(at.getTime() - 60_000);
  return fullTime(at.toISOString());
}

/** Widget methods: the complaints awaiting this reader's answer, shown above the thread. */
export const complaints = {
  async loadComplaints() {
    const area = this.complaintsEl;
    const seq = (this.complaintsSeq = (this.complaintsSeq || 0) + 1);
    if (!this.api.signedIn) {
      area.replaceChildren();
      area.hidden = true;
      return;
    }
    let out;
    try {
      out = await this.api.get("/api/v1/me/notices");
    } catch {
      return; // tried again at the next sign-in or page load; the email and inbox still say it
    }
    if (seq !== this.complaintsSeq) return; // a newer load won
    area.replaceChildren(...(out.items || []).map((n) => this.complaintPanel(n)));
    area.hidden = area.children.length === 0;
  },

  complaintPanel(n) {
    const id = `bl-complaint-${++counter}`;
    const who = n.complainant || strings.complaintSomeone;
    const title = (n.story && n.story.title) || "";
    const particulars = [
      [strings.complaintStatement, n.statement],
      [strings.complaintMeaning, n.meaning],
      [strings.complaintWhy, n.why_defamatory],
      [strings.complaintInaccurate, n.inaccurate],
    ].filter(([, v]) => v);
    const quoted = h("blockquote", { class: "bl-complaint-quote", dir: "auto" });
    quoted.innerHTML = n.comment_html || ""; // the reader's own comment, sanitised by the server
    const error = h("p", { class: "bl-form-error", role: "alert", id: `${id}-error` });
    const objectFields = h(
      "div",
      { class: "bl-complaint-object", hidden: true },
      h("label", { for: `${id}-name`, class: "bl-label" }, strings.complaintFullName),
      h("input", { id: `${id}-name`, name: "full_name", class: "bl-input", autocomplete: "name", maxlength: "200" }),
      h("label", { for: `${id}-address`, class: "bl-label" }, strings.complaintAddress),
      h("textarea", { id: `${id}-address`, name: "postal_address", class: "bl-input", rows: "3", autocomplete: "street-address", maxlength: "1000" }),
      h(
        "label",
        { class: "bl-check" },
        h("input", { type: "checkbox", name: "consent_disclosure" }),
        " ",
        strings.complaintConsent,
      ),
    );
    const choice = (value, label, hint) =>
      h(
        "div",
        { class: "bl-choice" },
        h("input", {
          type: "radio",
          id: `${id}-${value}`,
          name: `${id}-choice`,
          value,
          required: true,
          "aria-describedby": `${id}-${value}-hint`,
          onchange: () => {
            objectFields.hidden = value !== "object";
          },
        }),
        h(
          "span",
          {},
          h("label", { for: `${id}-${value}` }, h("strong", {}, label)),
          h("span", { class: "bl-choice-hint", id: `${id}-${value}-hint` }, hint),
        ),
      );
    const send = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.complaintSend);
    const form = h(
      "form",
      { class: "bl-complaint-form", novalidate: true, "aria-describedby": `${id}-error` },
      h(
        "fieldset",
        {},
        h("legend", {}, strings.complaintChoose),
        choice("remove", strings.complaintRemove, strings.complaintRemoveHint),
        choice("object", strings.complaintObject, strings.complaintObjectHint),
      ),
      objectFields,
      error,
      h("div", { class: "bl-form-actions" }, send),
    );
    const panel = h(
      "section",
      { class: "bl-complaint", "data-role": "complaint", "data-notice-id": String(n.id), "aria-labelledby": `${id}-title` },
      h("h3", { class: "bl-complaint-title", id: `${id}-title` }, strings.complaintTitle),
      h(
        "p",
        { class: "bl-complaint-lead" },
        t(strings.complaintLead, { who, title }),
        n.reply_due_at ? " " : "",
        n.reply_due_at ? h("strong", {}, t(strings.complaintDue, { when: dueText(n.reply_due_at) })) : "",
      ),
      quoted,
      h("dl", { class: "bl-complaint-facts" }, particulars.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { dir: "auto" }, v)])),
      form,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.answerComplaint(n, form, { panel, error, send });
    });
    return panel;
  },

  async answerComplaint(n, form, { panel, error, send }) {
    const picked = form.querySelector('input[type="radio"]:checked');
    error.textContent = "";
    if (!picked) {
      error.textContent = strings.complaintPick;
      form.querySelector('input[type="radio"]').focus();
      return;
    }
    const body = { choice: picked.value };
    if (picked.value === "object") {
      body.full_name = form.elements.full_name.value.trim();
      body.postal_address = form.elements.postal_address.value.trim();
      body.consent_disclosure = form.elements.consent_disclosure.checked;
      const missing = !body.full_name ? form.elements.full_name : !body.postal_address ? form.elements.postal_address : null;
      if (missing) {
        error.textContent = strings.complaintNeedsIdentity;
        missing.setAttribute("aria-invalid", "true");
        missing.focus();
        return;
      }
    }
    send.disabled = true;
    try {
      await this.api.post(`/api/v1/me/notices/${n.id}/reply`, body);
    } catch (err) {
      send.disabled = false;
      error.textContent = err instanceof ApiError && err.message ? err.message : strings.genericError;
      return;
    }
    const done = h(
      "p",
      { class: "bl-complaint-done", role: "status", tabindex: "-1" },
      picked.value === "remove" ? strings.complaintDoneRemove : strings.complaintDoneObject,
    );
    form.replaceWith(done);
    panel.classList.add("bl-complaint-answered");
    done.focus();
  },
};
