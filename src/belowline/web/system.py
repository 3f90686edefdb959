"""Operational routes: health and the embed script."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import text

from belowline.web import assets

router = APIRouter(tags=["system"])
STATIC_DIR = assets.STATIC_DIR


ROOT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Belowline</title><link rel="icon" href="data:,">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
a{color:#0b57d0}</style>
</head><body>
<h1>Belowline</h1>
<p>This is a Belowline comment service: self-hosted comments and moderation for news publishers.
Readers comment through the embed on the publisher's articles; moderators work here.</p>
<ul>
<li><a href="/moderate">The moderation dashboard</a> (staff sign in)</li>
<li><a href="/docs">The API documentation</a> (OpenAPI)</li>
<li><a href="/healthz">Health check</a></li>
</ul>
</body></html>
"""


@router.get("/", include_in_schema=False)
def root() -> HTMLResponse:
    """Say what this service is, with the ways in."""
    return HTMLResponse(ROOT_PAGE)


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 when the service can reach its database, 503 otherwise."""
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/embed.js", include_in_schema=False)
def embed_js(request: Request) -> Response:
    """The one script publishers include: short-lived, so pages pick up a new widget in minutes."""
    asset = assets.table(STATIC_DIR).by_path["embed/embed.js"]
    status, headers, body = assets.answer(asset, assets.SHORT_LIVED, dict(request.headers))
    return Response(body, status_code=status, headers=dict(headers))


def release_free_memory() -> None:
    """Hand glibc's free heap back to the OS: loading the models leaves ~18 MB of it per worker."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return
