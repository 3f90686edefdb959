// "Report to the newsroom": a notice from anyone, signed in or not (EU DSA Art. 16), with the
// extra fields of a UK notice of complaint (Defamation Act 2013 s.5) when the reader asks for it.
// The form fetches a signed, timed token when it opens and carries a hidden honeypot field.

import { ApiError } from "./api.js";
import { h } from "./render.js";
import { strings, t } from "./i18n.js";

const REASONS = ["illegal", "defamation", "privacy", "copyright", "other"];
const UK_FIELDS = ["statement", "meaning", "why_defamatory", "inaccurate"];
let counter = 0;

function field(id, label, control, hint) {
  return h(
    "div",
    { class: "bl-field" },
    h("label", { for: id, class: "bl-label" }, label),
    control,
    hint ? h("p", { class: "bl-hint" }, hint) : null,
  );
}

function check(id, label, attrs = {}) {
  const box = h("input", { type: "checkbox", id, class: "bl-checkbox", ...attrs });
  return [box, h("label", { class: "bl-terms", for: id }, box, label)];
}

/** Open the notice form for `comment`; resolves when the dialog closes. */
export function openNoticeDialog(comment, { api, root, opener, location } = {}) {
  return new Promise((resolve) => {
    const id = `bl-notice-${++counter}`;
    let token = null;
    const finish = () => {
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve();
    };
    const input = (name, attrs = {}) =>
      h("input", { id: `${id}-${name}`, name, class: "bl-input", ...attrs });
    const area = (name, rows = 3) =>
      h("textarea", { id: `${id}-${name}`, name, class: "bl-input", rows: String(rows) });

    const reason = h(
      "select",
      { id: `${id}-reason`, name: "reason", class: "bl-input" },
      REASONS.map((r) => h("option", { value: r }, strings.noticeReasons[r])),
    );
    const explanation = area("explanation", 4);
    const name = input("name", { autocomplete: "name", maxlength: "200" });
    const email = input("email", { type: "email", autocomplete: "email", required: true });
    const where = input("location", { value: location || "" });
    const honeypot = input("website", { tabindex: "-1", autocomplete: "off" });
    const [goodFaith, goodFaithLabel] = check(`${id}-good-faith`, strings.noticeGoodFaith);
    const [uk, ukLabel] = check(`${id}-uk`, strings.noticeUk);
    const ukAreas = Object.fromEntries(UK_FIELDS.map((k) => [k, area(k, 2)]));
    const [unknown, unknownLabel] = check(`${id}-unknown`, strings.noticeUkPosterUnknown);
    const [share, shareLabel] = check(`${id}-share`, strings.noticeUkShare);
    const ukBox = h(
      "fieldset",
      { class: "bl-fieldset", hidden: true },
      h("legend", { class: "bl-label" }, strings.noticeUkTitle),
      UK_FIELDS.map((k) => field(`${id}-${k}`, strings.noticeUkFields[k], ukAreas[k])),
      unknownLabel,
      shareLabel,
    );
    const ukToggle = h("div", { hidden: true }, ukLabel);
    reason.addEventListener("change", () => {
      ukToggle.hidden = reason.value !== "defamation";
      ukBox.hidden = ukToggle.hidden || !uk.checked;
    });
    uk.addEventListener("change", () => {
      ukBox.hidden = !uk.checked;
    });

    const error = h("div", { class: "bl-error", role: "alert" });
    const send = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.noticeSend);
    const cancel = h("button", { type: "button", class: "bl-btn bl-btn-quiet", onclick: finish }, strings.cancel);
    const form = h(
      "form",
      { class: "bl-dialog-form", novalidate: true },
      h("h2", { class: "bl-dialog-title", id: `${id}-title` }, strings.noticeTitle),
      h("p", { class: "bl-dialog-intro" }, strings.noticeIntro),
      field(`${id}-reason`, strings.noticeReason, reason),
      ukToggle,
      ukBox,
      field(`${id}-explanation`, strings.noticeExplanation, explanation),
      field(`${id}-name`, strings.noticeName, name),
      field(`${id}-email`, strings.noticeEmail, email, strings.noticeEmailHint),
      field(`${id}-location`, strings.noticeLocation, where),
      h("div", { class: "bl-honeypot", "aria-hidden": "true" }, h("label", { for: `${id}-website` }, "Website"), honeypot),
      goodFaithLabel,
      error,
      h("div", { class: "bl-form-actions" }, send, cancel),
    );
    const dialog = h("dialog", { class: "bl-dialog bl-notice-dialog", "aria-labelledby": `${id}-title` }, form);
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish();
    });

    const byField = {
      reason, explanation, name, email, location: where, good_faith: goodFaith,
      "uk_complaint.poster_unknown": unknown,
      ...Object.fromEntries(UK_FIELDS.map((k) => [`uk_complaint.${k}`, ukAreas[k]])),
    };

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      for (const control of Object.values(byField)) control.removeAttribute("aria-invalid");
      send.disabled = true;
      send.textContent = strings.reportSending;
      const body = {
        comment_id: comment.id,
        reason: reason.value,
        explanation: explanation.value,
        name: name.value || undefined,
        email: email.value,
        location: where.value || undefined,
        good_faith: goodFaith.checked,
        website: honeypot.value || undefined,
        form_token: token || undefined,
      };
      if (!ukBox.hidden) {
        body.uk_complaint = Object.fromEntries(UK_FIELDS.map((k) => [k, ukAreas[k].value]));
        body.uk_complaint.poster_unknown = unknown.checked;
        body.uk_complaint.share_details = share.checked;
      }
      try {
        const out = await api.fileNotice(body);
        form.replaceChildren(
          h("h2", { class: "bl-dialog-title", id: `${id}-title` }, strings.noticeTitle),
          h("p", { class: "bl-dialog-thanks", role: "status" }, t(strings.noticeThanks, { id: out.id })),
          h("div", { class: "bl-form-actions" }, h("button", { type: "button", class: "bl-btn bl-btn-primary", onclick: finish }, strings.close)),
        );
        form.querySelector("button").focus();
      } catch (err) {
        const fields = (err instanceof ApiError && err.fields) || [];
        for (const f of fields) if (byField[f.field]) byField[f.field].setAttribute("aria-invalid", "true");
        const named = fields.map((f) => `${strings.noticeFieldNames[f.field] || f.field}: ${f.message}`);
        error.textContent = [err.message || strings.genericError, ...named].join(" · ");
        const first = fields.find((f) => byField[f.field]);
        if (first) byField[first.field].focus();
        send.disabled = false;
        send.textContent = strings.noticeSend;
      }
    });

    (root || document.body).append(dialog);
    dialog.showModal();
    reason.focus();
    api.noticeForm().then(
      (out) => { token = out.form_token; },
      () => { token = null; },
    );
  });
}

/** Widget method: the "Report to the newsroom" link on every comment, signed in or not. */
export const notices = {
  async reportToNewsroom(id, button) {
    const node = this.nodes.get(id);
    if (!node) return;
    const location = `${this.storyUrl}#${this.id(`c${id}`)}`;
    await openNoticeDialog(node.data, { api: this.api, root: this.root, opener: button, location });
  },
};
