// Above the thread: who is signed in, the moderators' coverage banner, the subscribers' gate
// and the local sign-in form, or the composer for a reader who may post.

import { strings, t } from "./i18n.js";
import { h } from "./render.js";

/** Widget methods: the composer area and why a reader cannot post. */
export const gate = {
  renderComposerArea() {
    const area = this.composerArea;
    area.replaceChildren();
    const me = this.me;
    this.inbox.label.textContent = strings.notices; // the inbox is built before the strings load
    this.inbox.setSignedIn(Boolean(me));
    this.loadComplaints();
    this.setAccountSignedIn(Boolean(me));
    const local = Boolean(this.api.session && this.api.session.via === "local");
    if (me && (me.subscriber || local)) {
      const who = h(
        "p",
        { class: "bl-whoami" },
        t(strings.signedInAs, { name: me.display_name }),
      );
      if (local) {
        who.append(
          " · ",
          h(
            "button",
            { type: "button", class: "bl-link-btn", onclick: () => this.signOut() },
            strings.signOut,
          ),
        );
      }
      area.append(who);
    }
    if (me && Array.isArray(me.roles) && me.roles.includes("moderator")) {
      area.append(this.coverageBanner());
    }
    if (!this.storyOpen) {
      area.append(h("p", { class: "bl-notice" }, strings.closed));
      return;
    }
    if (me && me.banned) {
      area.append(h("p", { class: "bl-notice" }, strings.banned));
      return;
    }
    if (me && me.suspended_until && Date.parse(me.suspended_until) > Date.now()) {
      area.append(h("p", { class: "bl-notice" }, strings.suspended));
      return;
    }
    if (!me || !me.subscriber) {
      area.append(this.gate());
      return;
    }
    area.append(this.composer({ mode: "new" }));
  },

  /** For the site's moderators: who is watching now, e.g. "Full-time moderation until 18:00". */
  coverageBanner() {
    const banner = h("p", { class: "bl-coverage", "data-role": "coverage" });
    this.api
      .coverage()
      .then((out) => {
        banner.textContent = out.banner || "";
        banner.dataset.level = out.coverage || "";
      })
      .catch(() => banner.remove());
    return banner;
  },

  /** Why this reader cannot post, and where to go to change that. */
  gate() {
    const me = this.me;
    const lapsed = me && me.subscription === "lapsed";
    const subscribeUrl = this.root.dataset.subscribeUrl || (this.site && this.site.subscribe_url);
    const signinUrl = this.root.dataset.signinUrl || (this.site && this.site.signin_url);
    const links = h("div", { class: "bl-gate-actions" });
    if (subscribeUrl) {
      links.append(
        h(
          "a",
          { class: "bl-btn bl-btn-primary", href: subscribeUrl },
          lapsed ? strings.renew : strings.subscribe,
        ),
      );
    }
    if (!me) {
      if (this.root.hasAttribute("data-local-login")) {
        links.append(
          h(
            "button",
            {
              type: "button",
              class: "bl-btn",
              "aria-expanded": "false",
              "aria-controls": this.id("login"),
              onclick: (event) => this.toggleLogin(event.currentTarget),
            },
            strings.signIn,
          ),
        );
      } else if (signinUrl) {
        links.append(h("a", { class: "bl-btn", href: signinUrl }, strings.signIn));
      }
    }
    const body = [];
    if (lapsed) {
      body.push(h("p", {}, strings.gateLapsedBody));
    } else {
      if (me) body.push(h("p", {}, t(strings.gateSignedIn, { name: me.display_name })));
      body.push(h("p", {}, strings.gateBody));
    }
    return h(
      "section",
      { class: "bl-gate", "aria-labelledby": this.id("gate-title"), "data-role": "gate" },
      h(
        "h3",
        { class: "bl-gate-title", id: this.id("gate-title") },
        lapsed ? strings.gateLapsedTitle : strings.gateTitle,
      ),
      body,
      links,
      h("div", { id: this.id("login"), hidden: true, class: "bl-login" }),
    );
  },

  toggleLogin(button) {
    const box = this.composerArea.querySelector(`#${this.id("login")}`);
    const open = box.hidden;
    box.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) return;
    const error = h("div", { class: "bl-error", role: "alert" });
    const email = h("input", {
      type: "email",
      id: this.id("email"),
      class: "bl-input",
      autocomplete: "email",
      required: true,
    });
    const password = h("input", {
      type: "password",
      id: this.id("password"),
      class: "bl-input",
      autocomplete: "current-password",
      required: true,
    });
    const submit = h("button", { type: "submit", class: "bl-btn bl-btn-primary" }, strings.signInSubmit);
    const form = h(
      "form",
      { class: "bl-login-form", novalidate: true },
      h("h4", { class: "bl-login-title" }, strings.signInTitle),
      h("div", { class: "bl-field" }, h("label", { for: email.id, class: "bl-label" }, strings.email), email),
      h(
        "div",
        { class: "bl-field" },
        h("label", { for: password.id, class: "bl-label" }, strings.password),
        password,
      ),
      error,
      h("div", { class: "bl-form-actions" }, submit),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      submit.disabled = true;
      submit.textContent = strings.signingIn;
      try {
        await this.api.login(email.value.trim(), password.value);
        this.me = await this.api.me();
      } catch (err) {
        error.textContent = err.message || strings.genericError;
        submit.disabled = false;
        submit.textContent = strings.signInSubmit;
        password.focus();
        return;
      }
      this.renderComposerArea();
      await this.loadFirstPage();
      (this.composerArea.querySelector("textarea") || this.composerArea.querySelector("a, button"))?.focus();
    });
    box.replaceChildren(form);
    email.focus();
  },
};
