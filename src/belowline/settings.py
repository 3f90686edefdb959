"""Typed settings from `BELOWLINE_*` environment variables and an optional TOML file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEV_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused outside dev


class Settings(BaseSettings):
    """Everything an operator can set; passed into `create_app`, never imported as a global."""

    model_config = SettingsConfigDict(
        env_prefix="BELOWLINE_",
        toml_file=os.environ.get("BELOWLINE_CONFIG", "belowline.toml"),
        extra="ignore",
    )

    environment: Literal["dev", "test", "production"] = "dev"
    data_dir: Path = Path("./.belowline")
    database_url: str | None = None
    redis_url: str | None = None
    secret_key: str = DEV_SECRET
    public_url: str = "http://127.0.0.1:8000"
    access_token_ttl_seconds: int = 3600
    sso_leeway_seconds: int = 30
    max_request_bytes: int = 64 * 1024
    db_pool_size: int = 5
    db_max_overflow: int = 10
    # SQLite: concurrent posts share one commit's fsync (each still answered only after it).
    sqlite_group_commit: bool = True
    # Requests holding a database session at once per worker; the rest wait in the event loop,
    # holding neither a thread nor a pooled connection (keep it below the pool's size).
    request_sessions: int = 8
    thread_cache: bool = True
    # Posts answered by the pure-ASGI post path (comments/posting/fastpath.py); off, every
    # post goes through the FastAPI route (the same steps, answers and headers).
    post_fast_path: bool = True
    # Threads per worker that run the fast path's posts (one runs Python while another waits
    # for its commit); posts beyond them wait in the event loop, holding no session.
    post_threads: int = 3
    rate_limit_enabled: bool = True
    rate_limit_posts: str = "10/minute"
    rate_limit_login: str = "20/minute"
    rate_limit_reports: str = "30/minute"
    rate_limit_exports: str = "5/hour"
    # The outbox worker (email, webhooks) runs in every serving process unless turned off.
    outbox_worker: bool = True
    # Periodic jobs (daily reply digest, retention purge) ride on the outbox worker.
    periodic_jobs: bool = True
    # The semantic triage tier (after publishing, on the outbox worker), with `belowline[semantic]`
    # installed. Off by default: it catches more hate but flags more innocent comments
    # (docs/triage.md has the figures).
    semantic_tier: bool = False
    # Hand the heap freed after loading the models back to the OS when a worker starts.
    release_memory_on_start: bool = True
    # Strict-Transport-Security max-age in seconds; 0 sends none (plain-http development).
    hsts_seconds: int = Field(default=0, ge=0, le=2 * 365 * 86400)
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_use_tls: bool = False  # implicit TLS (port 465); STARTTLS is used when offered
    mail_from: str = "comments@localhost"
    # /metrics answers loopback clients, or anyone sending `Authorization: Bearer <token>`.
    metrics_token: str | None = None
    # Webhooks may reach loopback/private addresses only when this is true (SSRF guard).
    webhook_allow_private_urls: bool = False
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    trusted_hosts: list[str] = Field(default_factory=lambda: ["*"])

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - not used: no .env files
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls),
            file_secret_settings,
        )

    @model_validator(mode="after")
    def _enforce_non_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("Set BELOWLINE_SECRET_KEY before running in production.")
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to SQLite inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'belowline.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")
