"""Application factory: wiring only."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import anyio
from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from belowline.accounts import api as accounts_api
from belowline.accounts.jwks import JwksCache
from belowline.accounts.throttle import LoginThrottle, MemoryStore, RedisStore
from belowline.appeals import api as appeals_api
from belowline.appeals import pages as appeals_pages
from belowline.audit import api as audit_api
from belowline.audit import pages as audit_pages
from belowline.clock import Clock, system_clock
from belowline.comments import api as comments_api
from belowline.comments import fastpath
from belowline.comments.cache import (
    LayeredPageCache,
    LocalPageCache,
    NullPageCache,
    PageCache,
)
from belowline.comments.posting import fastpath as post_fastpath
from belowline.comments.reading import renderpath
from belowline.comments.service import PostPolicy
from belowline.dashboard import language as dashboard_language
from belowline.dashboard import login as dashboard_login
from belowline.db import make_engine, make_sessionmaker
from belowline.decisions import api as decisions_api
from belowline.editorial import api as editorial_api
from belowline.editorial import pages as editorial_pages
from belowline.i18n import api as i18n_api
from belowline.learning import schedule
from belowline.live import sse
from belowline.live.bus import Bus, LocalBus
from belowline.live.redis_guard import RedisGuard
from belowline.mail import api as mail_api
from belowline.mail import pages as mail_pages
from belowline.metrics import api as metrics_api
from belowline.metrics import events as metrics_events
from belowline.metrics.middleware import RequestMetrics
from belowline.notices import api as notices_api
from belowline.notices import pages as notices_pages
from belowline.notifications import api as notifications_api
from belowline.outbox import periodic
from belowline.outbox.worker import Handler, OutboxWorker
from belowline.people import admin_api as people_admin_api
from belowline.people import api as people_api
from belowline.people import directory_pages as people_directory_pages
from belowline.people import invite_pages as people_invite_pages
from belowline.people import pages as people_pages
from belowline.policy import post_policy, semantic
from belowline.privacy import api as privacy_api
from belowline.privacy import retention
from belowline.qa import api as qa_api
from belowline.qa import pages as qa_pages
from belowline.queues import api as queues_api
from belowline.queues import pages as queues_pages
from belowline.queues.service import moderation_policy
from belowline.reports import api as reports_api
from belowline.rules import api as rules_api
from belowline.rules import pages as rules_pages
from belowline.sanctions import api as sanctions_api
from belowline.settings import Settings
from belowline.sites import api as sites_api
from belowline.sites import pages as sites_pages
from belowline.staffing import api as staffing_api
from belowline.staffing import pages as staffing_pages
from belowline.stories import api as stories_api
from belowline.stories.models import Site
from belowline.transparency import api as transparency_api
from belowline.transparency import pages as transparency_pages
from belowline.triage.pipeline import warm_up
from belowline.web import assets, docs, errors, system
from belowline.web.deps import RateLimiter
from belowline.web.input_guard import NulGuard
from belowline.web.middleware import ApiCors, BodyGuard, SecurityHeaders
from belowline.webhooks import api as webhooks_api
from belowline.webhooks import pages as webhooks_pages
from belowline.webhooks.delivery import WebhookSender
from belowline.webhooks.dispatch import WebhookDispatcher

DIGEST_JOB = "job.mail_digest"
RETENTION_JOB = "job.retention"
DAY = timedelta(days=1)
DESCRIPTION = "Comments and post-moderation for news publishers."
ROUTERS = (
    system.router,
    accounts_api.router,
    stories_api.router,
    comments_api.router,
    rules_api.router,
    reports_api.router,
    notices_api.router,  # before queues: /moderation/queues/notices is its own route
    queues_api.router,
    decisions_api.router,
    people_api.router,
    people_admin_api.router,
    sites_api.router,
    sanctions_api.router,
    audit_api.router,
    appeals_api.router,
    staffing_api.router,
    dashboard_login.router,
    dashboard_language.router,
    queues_pages.router,
    people_pages.router,
    people_directory_pages.router,
    people_invite_pages.router,
    audit_pages.router,
    rules_pages.router,
    appeals_pages.router,
    notices_pages.router,
    staffing_pages.router,
    sites_pages.router,
    notifications_api.router,
    mail_api.router,
    mail_pages.router,
    privacy_api.router,
    transparency_api.router,
    transparency_pages.router,
    i18n_api.router,
    webhooks_api.router,
    webhooks_pages.router,
    editorial_api.router,
    editorial_pages.router,
    qa_api.router,
    qa_pages.router,
    metrics_api.router,
    sse.router,
)


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, built once per process by an app of its own whose routes declare
    the error envelope on every status: declared on the serving app, it cost each app eleven
    pydantic adapters per route at its first requests, for what only this document reads."""
    app = FastAPI(
        title="Belowline", version="0.1.0", description=DESCRIPTION, docs_url=None, redoc_url=None
    )
    for router in ROUTERS:
        app.include_router(router, responses=errors.ERROR_RESPONSES)
    return app.openapi()


class OriginRegistry:
    """Each site's allowed origins, refreshed every few seconds, for CORS decisions."""

    def __init__(self, engine: Engine, ttl: float = 5.0) -> None:
        self.engine = engine
        self.ttl = ttl
        self._by_site: dict[str, set[str]] = {}
        self._any: set[str] = set()
        self._loaded_at = 0.0

    def is_allowed(self, origin: str, site_id: str | None = None) -> bool:
        """An origin of that site; with no site named, an origin of any site."""
        now = time.monotonic()
        if now - self._loaded_at > self.ttl:
            try:
                with self.engine.connect() as conn:
                    rows = conn.execute(select(Site.id, Site.origins)).all()
            except SQLAlchemyError:
                if not self._loaded_at:
                    raise  # never loaded: the request answers 503 (web/errors.py)
                rows = None  # the database is away: the last known origins
            if rows is not None:
                self._by_site = {sid: {o.rstrip("/") for o in (row or [])} for sid, row in rows}
                self._any = set().union(*self._by_site.values())
            self._loaded_at = now
        allowed = self._any if site_id is None else self._by_site.get(site_id, set())
        return origin.rstrip("/") in allowed


def create_app(
    settings: Settings | None = None, *, clock: Clock = system_clock, engine: Engine | None = None
) -> FastAPI:
    """Build the Belowline ASGI app from settings."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = engine or make_engine(
        settings.effective_database_url,
        # Every gated request session holds a pooled connection: below that, overflow
        # connections were opened (and their pragmas run) and closed on every post.
        pool_size=max(settings.db_pool_size, settings.request_sessions + 2),
        max_overflow=settings.db_max_overflow,
        group_commit=settings.sqlite_group_commit,
    )
    bus: Bus = LocalBus()
    jwks = JwksCache()
    page_cache: PageCache = LocalPageCache() if settings.thread_cache else NullPageCache()
    limiter_uri = settings.redis_url or "memory://"
    redis_guard = RedisGuard()  # one per process: an outage is noticed and logged once
    if settings.redis_url:
        from belowline.live.redis_bus import RedisBus, RedisPageCache

        bus = RedisBus(settings.redis_url, guard=redis_guard)
        if settings.thread_cache:
            page_cache = LayeredPageCache(RedisPageCache(settings.redis_url, guard=redis_guard))

    # Work that can wait, by message kind; each domain that sends something adds its handler.
    outbox_handlers: dict[str, Handler] = {}
    sessions = make_sessionmaker(engine, public_url=settings.public_url)
    periodic_kinds: list[str] = []
    if settings.periodic_jobs:
        outbox_handlers[RETENTION_JOB] = periodic.periodic(
            sessions, kind=RETENTION_JOB, job=retention.run_retention, every=DAY, clock=clock
        )
        periodic_kinds.append(RETENTION_JOB)
        # Each site's abuse model learns from the day's decisions overnight (pure Python fit).
        outbox_handlers[schedule.RETRAIN_JOB] = periodic.periodic(
            sessions, kind=schedule.RETRAIN_JOB, job=schedule.run_retraining, every=DAY, clock=clock
        )
        periodic_kinds.append(schedule.RETRAIN_JOB)
    if settings.smtp_host:
        from belowline.mail import digest
        from belowline.mail.sender import SmtpSender

        outbox_handlers["email"] = SmtpSender(sessions=sessions, settings=settings, clock=clock)
        if settings.periodic_jobs:
            outbox_handlers[DIGEST_JOB] = periodic.periodic(
                sessions, kind=DIGEST_JOB, job=digest.run_digest, every=DAY, clock=clock
            )
            periodic_kinds.append(DIGEST_JOB)
    # Webhook deliveries are written in the event's transaction, sent by the outbox worker.
    WebhookDispatcher(clock).install(sessions)
    metrics_events.install(sessions)
    webhook_sender = WebhookSender(
        sessions,
        clock=clock,
        timeout=settings.webhook_timeout_seconds,
        allow_private=settings.webhook_allow_private_urls,
    )
    outbox_handlers["webhook"] = webhook_sender.deliver
    # The semantic triage tier scores after publishing, when its extra is installed.
    semantic_on = semantic.register(
        outbox_handlers, sessions=sessions, clock=clock, enabled=settings.semantic_tier
    )
    outbox_worker = OutboxWorker(sessions, outbox_handlers, clock=clock)

    def schedule_jobs() -> None:
        with sessions() as session:
            for kind in periodic_kinds:
                periodic.ensure_scheduled(session, kind=kind, now=clock())
            session.commit()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Load the triage models before the first comment arrives, not during it.
        await anyio.to_thread.run_sync(warm_up)
        if settings.release_memory_on_start:
            system.release_free_memory()
        await bus.start()
        async with anyio.create_task_group() as tasks:
            if settings.outbox_worker and outbox_worker.handlers:
                await anyio.to_thread.run_sync(schedule_jobs)
                tasks.start_soon(outbox_worker.run_forever)
                if semantic_on:  # load the model now, so the first batch is scored in seconds
                    tasks.start_soon(semantic.warm_up)
            try:
                yield
            finally:
                tasks.cancel_scope.cancel()
                await bus.stop()
                await webhook_sender.aclose()
                jwks.close()

    app = FastAPI(
        title="Belowline",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.engine = engine
    app.state.sessionmaker = sessions
    app.state.outbox_worker = outbox_worker
    app.state.bus = bus
    app.state.jwks = jwks
    app.state.page_cache = page_cache
    app.state.login_throttle = LoginThrottle(
        RedisStore(settings.redis_url, guard=redis_guard)
        if settings.redis_url
        else MemoryStore(time.time),
        enabled=settings.rate_limit_enabled,
    )
    app.state.rate_limiter = RateLimiter(
        limiter_uri, enabled=settings.rate_limit_enabled, guard=redis_guard
    )
    app.state.session_gates = {}  # web.deps: requests holding a session at once
    post: PostPolicy = post_policy.triage_policy
    edit: PostPolicy = post_policy.edit_policy
    if semantic_on:
        post, edit = semantic.after(post), semantic.after(edit)
    app.state.post_policy = moderation_policy(post)
    app.state.edit_policy = edit
    origins = OriginRegistry(engine)

    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)  # the error envelope is declared in the document alone
    # Hashed once per process; /static/x.<hash>.js is immutable, /static/x.js short-lived.
    app.mount("/static", assets.StaticAssets(assets.table()), name="static")
    docs.install(app, document=openapi_document)

    app.add_middleware(NulGuard)
    app.add_middleware(SecurityHeaders, hsts_seconds=settings.hsts_seconds)
    app.add_middleware(BodyGuard, max_bytes=settings.max_request_bytes)
    app.add_middleware(ApiCors, is_allowed=origins.is_allowed)
    app.add_middleware(RequestMetrics)
    # Outside everything, adding the headers the layers above would: anonymous pages are
    # rendered without the framework, and (with the cache on) cached answers served first.
    renderpath.wrap(
        app,
        engine=engine,
        cache=page_cache,
        is_allowed=origins.is_allowed,
        hsts_seconds=settings.hsts_seconds,
    )
    if settings.thread_cache:
        fastpath.wrap(
            app,
            engine=engine,
            cache=page_cache,
            is_allowed=origins.is_allowed,
            hsts_seconds=settings.hsts_seconds,
        )
    if settings.post_fast_path:  # outermost: a post meets no other layer
        post_fastpath.wrap(app, state=app.state, is_allowed=origins.is_allowed)
    return app
