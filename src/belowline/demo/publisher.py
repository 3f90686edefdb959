"""The Demo Gazette: a small newspaper that embeds Belowline exactly as a publisher would.

It owns its readers and their subscriptions, signs them in with its own cookie on its own
origin, and vouches for them to Belowline with a short-lived HS256 token in the embed.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from belowline.clock import Clock, system_clock
from belowline.demo.content import ARTICLES, WHY_SUBSCRIBERS, Article, article
from belowline.demo.seed import READERS, SITE_ID, SITE_NAME, DemoReader
from belowline.stories.story_token import sign_story_token

HERE = Path(__file__).parent
COOKIE = "gazette_session"
TOKEN_TTL = timedelta(minutes=10)
SESSION_TTL = 14 * 24 * 3600


@dataclass(frozen=True)
class Subscription:
    plan: str  # active | lapsed | none
    expires_at: datetime | None


class Subscriptions:
    """The newspaper's own subscription records, kept in a small JSON file."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data: dict[str, dict[str, Any]] = json.loads(self.path.read_text())
            return data
        except (OSError, ValueError):
            return {}

    def get(self, reader: DemoReader) -> Subscription:
        record = self._load().get(reader.email)
        if record is None:
            return self._initial(reader)
        expires = record.get("expires_at")
        return Subscription(
            plan=str(record["plan"]),
            expires_at=datetime.fromtimestamp(expires, tz=self.clock().tzinfo) if expires else None,
        )

    def _initial(self, reader: DemoReader) -> Subscription:
        now = self.clock()
        expires = {"active": now + timedelta(days=240), "lapsed": now - timedelta(days=27)}
        return Subscription(plan=reader.plan, expires_at=expires.get(reader.plan))

    def toggle(self, reader: DemoReader) -> Subscription:
        """Cancel an active subscription, or (re)start one for a month."""
        now = self.clock()
        current = self.get(reader)
        if current.plan == "active":
            new = Subscription("lapsed", now - timedelta(minutes=1))
        else:
            new = Subscription("active", now + timedelta(days=30))
        with self._lock:
            data = self._load()
            data[reader.email] = {
                "plan": new.plan,
                "expires_at": int(new.expires_at.timestamp()) if new.expires_at else None,
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(data, indent=2))
        return new


def sso_token(
    reader: DemoReader, sub: Subscription, *, secret: str, now: datetime, issuer: str
) -> str:
    """What a publisher's backend signs: who the reader is and what they have paid for."""
    claims: dict[str, Any] = {
        "sub": reader.external_id,
        "name": reader.name,
        "email": reader.email,
        "subscriber": sub.plan == "active",
        "iat": int(now.timestamp()),
        "exp": int((now + TOKEN_TTL).timestamp()),
        "aud": SITE_ID,
        "iss": issuer,
    }
    if sub.expires_at is not None:
        claims["subscription_expires_at"] = int(sub.expires_at.timestamp())
    return jwt.encode(claims, secret, algorithm="HS256")


class GazetteHeaders:
    """The newspaper's CSP: its own origin plus the comment service, nothing else."""

    def __init__(self, app: ASGIApp, *, service_origin: str) -> None:
        self.app = app
        svc = service_origin
        self.csp = (
            f"default-src 'self'; script-src 'self' {svc}; connect-src 'self' {svc}; "
            f"style-src 'self' 'unsafe-inline' {svc}; img-src 'self' data: {svc}; "
            f"font-src 'self' {svc}; frame-src {svc}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'"
        ).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        (b"content-security-policy", self.csp),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    ],
                }
            await send(message)

        await self.app(scope, receive, send_headers)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _safe_next(target: str | None) -> str:
    """Only ever send the reader back to a page on this newspaper."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def typeset(text: str) -> str:
    """Curly quotes and apostrophes, as a newspaper prints them."""
    text = re.sub(r'(^|[\s(])"', "\\1\u201c", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def _ago(then: datetime, now: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours ago"
    return then.strftime("%-d %B %Y")


def create_newspaper(
    *,
    service_url: str,
    sso_secret: str,
    secret_key: str,
    data_dir: Path,
    clock: Clock = system_clock,
    published: dict[str, datetime] | None = None,
) -> FastAPI:
    """Build the newspaper app; `service_url` is where Belowline answers."""
    service_url = service_url.rstrip("/")
    app = FastAPI(title=SITE_NAME, docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["typeset"] = typeset
    signer = URLSafeTimedSerializer(secret_key, salt="demo-gazette-session")
    subs = Subscriptions(data_dir / "gazette-subscriptions.json", clock)
    readers = {r.email: r for r in READERS}

    def published_at(a: Article) -> datetime:
        if published and a.slug in published:
            return published[a.slug]
        return clock() - timedelta(hours=a.hours_ago)

    def reader_of(request: Request) -> DemoReader | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            email = signer.loads(raw, max_age=SESSION_TTL)
        except BadSignature:
            return None
        return readers.get(str(email))

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        reader = reader_of(request)
        now = clock()
        base = {
            "site_name": SITE_NAME,
            "site_id": SITE_ID,
            "service_url": service_url,
            "reader": reader,
            "subscription": subs.get(reader) if reader else None,
            "today": now.strftime("%A %-d %B %Y"),
            "sections": sorted({a.section for a in ARTICLES}),
            "ago": lambda a: _ago(published_at(a), now),
            "iso": lambda a: published_at(a).isoformat(),
        }
        return templates.TemplateResponse(request, name, {**base, **context})

    def check_origin(request: Request) -> None:
        origin = request.headers.get("origin")
        if origin and origin != _origin(str(request.base_url)):
            raise HTTPException(status_code=403, detail="Cross-site form posts are refused.")

    @app.get("/", response_class=HTMLResponse)
    def front(request: Request, section: str | None = None) -> HTMLResponse:
        stories = [a for a in ARTICLES if section is None or a.section == section]
        if not stories:
            raise HTTPException(status_code=404)
        return page(request, "front.html", lead=stories[0], rest=stories[1:], section=section)

    @app.get("/news/{slug}", response_class=HTMLResponse)
    def story(request: Request, slug: str) -> HTMLResponse:
        art = article(slug)
        if art is None:
            raise HTTPException(status_code=404)
        reader = reader_of(request)
        token = None
        if reader is not None:
            token = sso_token(
                reader,
                subs.get(reader),
                secret=sso_secret,
                now=clock(),
                issuer=_origin(str(request.base_url)),
            )
        more = [a for a in ARTICLES if a.slug != slug]
        return page(
            request,
            "article.html",
            article=art,
            sso_token=token,
            story_token=sign_story_token(
                secret=sso_secret,
                site_id=SITE_ID,
                story_id=art.slug,
                title=art.headline,
                url=str(request.url_for("story", slug=slug)),
            ),
            story_url=str(request.url_for("story", slug=slug)),
            more=more,
        )

    @app.get("/signin", response_class=HTMLResponse)
    def signin_form(
        request: Request, next_url: str | None = Query(None, alias="next")
    ) -> HTMLResponse:
        target = next_url or request.headers.get("referer", "")
        if target.startswith(_origin(str(request.base_url))):
            target = target[len(_origin(str(request.base_url))) :]
        return page(request, "signin.html", next=_safe_next(target), error=None, readers=READERS)

    @app.post("/signin", response_model=None)
    def signin(
        request: Request,
        email: str = Form(""),
        password: str = Form(""),
        next_url: str = Form("/", alias="next"),
    ) -> Response:
        check_origin(request)
        reader = readers.get(email.strip().lower())
        if reader is None or password != reader.password:
            return page(
                request,
                "signin.html",
                next=_safe_next(next_url),
                error="That email and password don't match a Gazette account.",
                readers=READERS,
            )
        response = RedirectResponse(_safe_next(next_url), status_code=303)
        response.set_cookie(
            COOKIE, signer.dumps(reader.email), max_age=SESSION_TTL, httponly=True, samesite="lax"
        )
        return response

    @app.post("/signout")
    def signout(request: Request, next_url: str = Form("/", alias="next")) -> RedirectResponse:
        check_origin(request)
        response = RedirectResponse(_safe_next(next_url), status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/subscribe", response_class=HTMLResponse)
    def subscribe_page(request: Request) -> HTMLResponse:
        return page(request, "subscribe.html", why=WHY_SUBSCRIBERS)

    @app.post("/subscribe/toggle")
    def toggle(request: Request) -> RedirectResponse:
        check_origin(request)
        reader = reader_of(request)
        if reader is None:
            return RedirectResponse("/signin?next=/subscribe", status_code=303)
        subs.toggle(reader)
        return RedirectResponse("/subscribe", status_code=303)

    @app.get("/about-comments", response_class=HTMLResponse)
    def about_comments(request: Request) -> HTMLResponse:
        return page(request, "about_comments.html", why=WHY_SUBSCRIBERS)

    @app.post("/hooks/belowline", status_code=204)
    async def belowline_hook(request: Request) -> Response:
        """The newsroom's receiver for Belowline's webhooks (the demo just accepts them)."""
        await request.body()
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(GazetteHeaders, service_origin=_origin(service_url))
    return app
