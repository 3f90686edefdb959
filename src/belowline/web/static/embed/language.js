// The reader's own language: a picker in "Your account" saves it (PUT /api/v1/me/locale) and the
// widget re-renders in it at once; on later visits a signed-in reader's choice wins over the
// page's data-locale and the site's default. Statements and emails follow it on the server.

import { LOCALES, direction, resolveLocale, strings, switchLocale, t } from "./i18n.js";
import { h } from "./render.js";

// Each language named in itself, so a reader finds theirs whatever the widget speaks now.
const ENDONYMS = {
  en: "English",
  fr: "Français",
  de: "Deutsch",
  es: "Español",
  cy: "Cymraeg",
  gd: "Gàidhlig",
  ar: "العربية",
};
const EVENT = "belowline:locale-changed";

/** Widget methods: choose, apply and follow the reader's language. */
export const language = {
  /** The page's own language when the reader has not chosen: data-locale, else the site's. */
  pageLocale() {
    return resolveLocale(this.root.dataset.locale || (this.site && this.site.locale) || "en");
  },

  languagePicker(status) {
    const mine = this.me && this.me.locale ? resolveLocale(this.me.locale) : "";
    const select = h(
      "select",
      { id: this.id("language"), class: "bl-select", "data-role": "language" },
      h(
        "option",
        { value: "", selected: mine ? null : true },
        t(strings.languageSite, { name: ENDONYMS[this.pageLocale()] }),
      ),
      LOCALES.map((tag) =>
        h("option", { value: tag, lang: tag, selected: tag === mine ? true : null }, ENDONYMS[tag]),
      ),
    );
    select.addEventListener("change", () => this.saveLanguage(select, status));
    return h(
      "div",
      { class: "bl-language" },
      h("label", { for: select.id, class: "bl-label" }, strings.languageLabel),
      select,
    );
  },

  /** Save the choice, switch every widget on the page to it, and reopen this panel there. */
  async saveLanguage(select, status) {
    select.disabled = true;
    let out;
    try {
      out = await this.api.request("PUT", "/api/v1/me/locale", { locale: select.value || null });
    } catch (err) {
      status.textContent = err.message || strings.genericError;
      select.disabled = false;
      return;
    }
    if (this.me) this.me.locale = out.locale;
    try {
      await this.useLocale(out.locale || this.pageLocale());
    } catch {
      // The new table did not load: the choice is saved, the widget stays as it is.
    }
    await this.rerender();
    await this.toggleAccount();
    this.accountPanel.querySelector('[data-role="language"]')?.focus();
    const saved = this.accountPanel.querySelector(".bl-account-status");
    if (saved) saved.textContent = strings.languageSaved;
  },

  /** Load `tag`'s table for the page and tell the other widgets to re-render in it. */
  async useLocale(tag) {
    const got = await switchLocale(new URL("./", import.meta.url).toString(), tag);
    this.setLang(got);
    window.dispatchEvent(new CustomEvent(EVENT, { detail: { from: this } }));
    return got;
  },

  setLang(tag) {
    this.locale = tag;
    this.root.setAttribute("lang", tag);
    this.root.setAttribute("dir", direction(tag));
  },

  /** After sign-in: the reader's saved language, if it is not the one showing. */
  async followReader() {
    const own = this.me && this.me.locale ? resolveLocale(this.me.locale) : null;
    if (!own || own === this.locale) return false;
    try {
      await this.useLocale(own);
    } catch {
      return false;
    }
    return true;
  },

  listenForLocale() {
    window.addEventListener(EVENT, (event) => {
      if (event.detail && event.detail.from !== this) this.rerender();
    });
  },

  /** Build the whole widget again in the current table: shell, thread, panels, live feed. */
  async rerender() {
    if (this.source) this.source.close();
    this.source = null;
    if (this.qa) {
      window.clearTimeout(this.qa.timer);
      // Q&A mode wraps these on the instance; the prototype's own come back with a fresh start.
      for (const name of ["insertTop", "insertReply", "update", "renderComposerArea"]) delete this[name];
      this.qa = null;
      this.root.classList.remove("bl-qa-mode");
    }
    await this.start();
  },
};
