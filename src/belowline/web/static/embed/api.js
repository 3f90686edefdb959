// Talks to the Belowline API: bearer tokens kept in the host page's sessionStorage, no cookies.

import { strings } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    Object.assign(this, extra);
  }
}

const STORE_PREFIX = "belowline.session.";

export class Api {
  /** `base` ends with a slash: the service's root, taken from the script's own URL. */
  constructor(base, siteId) {
    this.base = base;
    this.siteId = siteId;
    this.storeKey = `${STORE_PREFIX}${new URL(base).host}.${siteId}`;
    this.session = this.loadSession();
  }

  url(path) {
    return new URL(path.replace(/^\//, ""), this.base).toString();
  }

  loadSession() {
    try {
      const raw = window.sessionStorage.getItem(this.storeKey);
      if (!raw) return null;
      const data = JSON.parse(raw);
      if (!data.token || !data.expiresAt || data.expiresAt < Date.now() + 30_000) return null;
      return data;
    } catch {
      return null;
    }
  }

  saveSession(tokenOut, via, extra = {}) {
    this.session = {
      token: tokenOut.access_token,
      expiresAt: Date.now() + tokenOut.expires_in * 1000,
      via,
      ...extra,
    };
    try {
      window.sessionStorage.setItem(this.storeKey, JSON.stringify(this.session));
    } catch {
      // Storage may be unavailable (private mode); the session then lasts for this page view.
    }
  }

  clearSession() {
    this.session = null;
    try {
      window.sessionStorage.removeItem(this.storeKey);
    } catch {
      // nothing stored
    }
  }

  get signedIn() {
    return Boolean(this.session && this.session.expiresAt > Date.now());
  }

  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.signedIn) headers.Authorization = `Bearer ${this.session.token}`;
    let response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        mode: "cors",
      });
    } catch {
      throw new ApiError(0, "network_error", strings.networkError);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const err = (data && data.error) || {};
      const { code, message, ...extra } = err;
      if (response.status === 401 && this.signedIn) this.clearSession();
      // Codes a reader meets have their message in the reader's language; others keep the server's.
      const local = strings.errors && code ? strings.errors[code] : null;
      throw new ApiError(response.status, code || "error", local || message || strings.genericError, extra);
    }
    return data;
  }

  get(path) {
    return this.request("GET", path);
  }

  post(path, body = {}) {
    return this.request("POST", path, body);
  }

  sso(token, extra = {}) {
    return this.post("/api/v1/auth/sso", { site_id: this.siteId, token }).then((out) => {
      this.saveSession(out, "sso", extra);
      return out.user;
    });
  }

  login(email, password) {
    return this.post("/api/v1/auth/login", { site_id: this.siteId, email, password }).then(
      (out) => {
        this.saveSession(out, "local");
        return out.user;
      },
    );
  }

  me() {
    return this.get("/api/v1/me");
  }

  coverage() {
    return this.get(`/api/v1/sites/${encodeURIComponent(this.siteId)}/moderation/coverage`);
  }

  site() {
    return this.get(`/api/v1/sites/${encodeURIComponent(this.siteId)}/public`);
  }

  storyPath(storyId) {
    return `/api/v1/sites/${encodeURIComponent(this.siteId)}/stories/${encodeURIComponent(storyId)}`;
  }

  story(storyId) {
    return this.get(this.storyPath(storyId));
  }

  comments(storyId, { sort, cursor, limit = 20 }) {
    const q = new URLSearchParams({ sort, limit: String(limit) });
    if (cursor) q.set("cursor", cursor);
    return this.get(`${this.storyPath(storyId)}/comments?${q}`);
  }

  replies(commentId, cursor) {
    const q = new URLSearchParams({ limit: "20" });
    if (cursor && cursor !== "start") q.set("cursor", cursor);
    return this.get(`/api/v1/comments/${commentId}/replies?${q}`);
  }

  postComment(storyId, payload) {
    return this.post(`${this.storyPath(storyId)}/comments`, payload);
  }

  editComment(id, body) {
    return this.request("PATCH", `/api/v1/comments/${id}`, { body });
  }

  deleteComment(id) {
    return this.request("DELETE", `/api/v1/comments/${id}`);
  }

  react(id) {
    return this.post(`/api/v1/comments/${id}/reactions`, {});
  }

  report(id, reason, detail) {
    const body = { reason };
    if (detail) body.detail = detail;
    return this.post(`/api/v1/comments/${id}/reports`, body);
  }

  noticeForm() {
    return this.get(`/api/v1/sites/${encodeURIComponent(this.siteId)}/notices/form`);
  }

  fileNotice(body) {
    return this.post(`/api/v1/sites/${encodeURIComponent(this.siteId)}/notices`, body);
  }

  eventsUrl(storyId, storyToken) {
    // The page's story token lets a story that does not exist yet be listened to.
    const query = storyToken ? `?story_token=${encodeURIComponent(storyToken)}` : "";
    return this.url(`${this.storyPath(storyId)}/events${query}`);
  }

  rulesUrl(lang) {
    const q = lang ? `?lang=${encodeURIComponent(lang)}` : "";
    return this.url(`/sites/${encodeURIComponent(this.siteId)}/rules${q}`);
  }
}
