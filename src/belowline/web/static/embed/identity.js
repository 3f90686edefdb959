// Who is reading: the publisher's single sign-on, the session, and what the reader may do.

/** Decode a JWT's payload without checking it: only to notice that the reader has changed. */
function jwtSubject(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part)).sub ?? null;
  } catch {
    return null;
  }
}

/** Widget methods: sign-in through the publisher's page, sign-out, permissions. */
export const identity = {
  async publisherToken() {
    if (this.root.dataset.ssoToken) return this.root.dataset.ssoToken;
    if (typeof window.belowlineSSO === "function") {
      try {
        return (await window.belowlineSSO()) || null;
      } catch {
        return null;
      }
    }
    return undefined; // the page offers no single sign-on
  },

  async authenticate() {
    const token = await this.publisherToken();
    const session = this.api.session;
    if (session && session.via === "sso") {
      // The publisher's page is the source of truth: signed out there, or someone else now.
      if (token === null || token === undefined) this.api.clearSession();
      else if (jwtSubject(token) !== session.sub) this.api.clearSession();
    }
    if (!this.api.signedIn && token) {
      try {
        await this.api.sso(token, { sub: jwtSubject(token) });
      } catch (err) {
        // Tell the publisher's developers why, without bothering the reader.
        console.warn(`Belowline: the sign-in token was refused (${err.code}): ${err.message}`);
        this.api.clearSession();
      }
    }
    this.me = null;
    if (this.api.signedIn) {
      try {
        this.me = await this.api.me();
      } catch {
        this.api.clearSession();
      }
    }
  },

  async reauthenticate() {
    await this.authenticate();
    if (await this.followReader()) {
      await this.rerender(); // someone else signed in, and they chose another language
      return;
    }
    this.renderComposerArea();
    await this.loadFirstPage();
  },

  async signOut() {
    this.api.clearSession();
    this.me = null;
    this.renderComposerArea();
    await this.loadFirstPage();
    this.composerArea.querySelector("a, button")?.focus();
  },

  get canWrite() {
    const me = this.me;
    if (!me || !me.subscriber || me.banned || !this.storyOpen) return false;
    if (me.suspended_until && Date.parse(me.suspended_until) > Date.now()) return false;
    return true;
  },

  get needsTerms() {
    const me = this.me;
    return Boolean(
      me && me.current_terms_version !== null && me.accepted_terms_version !== me.current_terms_version,
    );
  },
};
