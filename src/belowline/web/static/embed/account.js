// "Your account": the reader's own data — download it, delete the account, email preferences,
// and the language the widget speaks to them (language.js).

import { strings } from "./i18n.js";
import { h } from "./render.js";

const PREFS = ["email_replies", "email_decisions", "email_report_outcomes"];
const PREF_LABELS = {
  email_replies: "prefReplies",
  email_decisions: "prefDecisions",
  email_report_outcomes: "prefReportOutcomes",
};

/** Widget methods: the account panel under the header, for a signed-in reader. */
export const account = {
  buildAccount() {
    this.accountBtn = h(
      "button",
      {
        type: "button",
        class: "bl-btn bl-account-btn",
        "data-role": "account",
        "aria-expanded": "false",
        "aria-controls": this.id("account"),
        hidden: true,
        onclick: () => this.toggleAccount(),
      },
      strings.account,
    );
    this.accountPanel = h("section", {
      class: "bl-account",
      id: this.id("account"),
      "aria-labelledby": this.id("account-title"),
      "data-role": "account-panel",
      hidden: true,
    });
  },

  setAccountSignedIn(signedIn) {
    this.accountBtn.hidden = !signedIn;
    if (!signedIn) this.closeAccount();
  },

  closeAccount() {
    this.accountPanel.hidden = true;
    this.accountPanel.replaceChildren();
    this.accountBtn.setAttribute("aria-expanded", "false");
  },

  async toggleAccount() {
    if (!this.accountPanel.hidden) {
      this.closeAccount();
      this.accountBtn.focus();
      return;
    }
    this.accountBtn.setAttribute("aria-expanded", "true");
    const status = h("p", { class: "bl-account-status", role: "status" });
    const prefs = h("fieldset", { class: "bl-fieldset bl-prefs" }, h("legend", { class: "bl-label" }, strings.prefsTitle));
    const download = h(
      "button",
      { type: "button", class: "bl-btn", "data-role": "download", onclick: () => this.downloadData(status) },
      strings.downloadData,
    );
    const del = h(
      "button",
      { type: "button", class: "bl-btn bl-btn-danger", "data-role": "delete-account", onclick: () => this.confirmErase() },
      strings.deleteAccount,
    );
    this.accountPanel.replaceChildren(
      h("h3", { class: "bl-account-title", id: this.id("account-title") }, strings.account),
      this.languagePicker(status),
      prefs,
      h("div", { class: "bl-form-actions" }, download, del),
      status,
    );
    this.accountPanel.hidden = false;
    let current;
    try {
      current = await this.api.get("/api/v1/me/preferences");
    } catch (err) {
      status.textContent = err.message || strings.genericError;
      return;
    }
    for (const field of PREFS) {
      const box = h("input", {
        type: "checkbox",
        id: this.id(`pref-${field}`),
        "data-pref": field,
        checked: current[field] ? true : null,
      });
      box.addEventListener("change", async () => {
        box.disabled = true;
        try {
          const out = await this.api.request("PUT", "/api/v1/me/preferences", { [field]: box.checked });
          box.checked = Boolean(out[field]);
          status.textContent = strings.prefsSaved;
        } catch (err) {
          box.checked = !box.checked;
          status.textContent = err.message || strings.genericError;
        } finally {
          box.disabled = false;
        }
      });
      prefs.append(
        h("div", { class: "bl-check" }, box, h("label", { for: box.id }, strings[PREF_LABELS[field]])),
      );
    }
    prefs.querySelector("input")?.focus();
  },

  /** Fetch the export with the bearer token and hand it to the browser as a JSON file. */
  async downloadData(status) {
    status.textContent = strings.downloadPreparing;
    let data;
    try {
      data = await this.api.get("/api/v1/me/export");
    } catch (err) {
      status.textContent = err.message || strings.genericError;
      return;
    }
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: `belowline-${this.siteId}-my-data.json`, hidden: true });
    this.root.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status.textContent = strings.downloadReady;
  },

  /** A modal that says plainly what deleting the account does; then sign out and reload. */
  confirmErase() {
    const title = this.id("erase-title");
    const error = h("div", { class: "bl-error", role: "alert" });
    const yes = h("button", { type: "submit", class: "bl-btn bl-btn-danger", "data-role": "confirm-erase" }, strings.deleteAccountYes);
    const no = h("button", { type: "button", class: "bl-btn bl-btn-quiet" }, strings.deleteAccountNo);
    const form = h(
      "form",
      { class: "bl-dialog-form", method: "dialog" },
      h("h2", { class: "bl-dialog-title", id: title }, strings.deleteAccountTitle),
      h("p", {}, strings.deleteAccountBody),
      error,
      h("div", { class: "bl-form-actions" }, yes, no),
    );
    const dialog = h("dialog", { class: "bl-dialog", "aria-labelledby": title, "data-role": "erase-dialog" }, form);
    const close = () => {
      dialog.close();
      dialog.remove();
      this.accountBtn.focus();
    };
    no.addEventListener("click", close);
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      yes.disabled = true;
      try {
        await this.api.request("DELETE", "/api/v1/me", { confirm: true });
      } catch (err) {
        error.textContent = err.message || strings.genericError;
        yes.disabled = false;
        return;
      }
      dialog.close();
      dialog.remove();
      await this.signOut();
      this.announce(strings.accountDeleted);
    });
    this.root.append(dialog);
    dialog.showModal();
    no.focus();
  },
};
