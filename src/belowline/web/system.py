"""Operational routes: health and the embed script."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import text

router = APIRouter(tags=["system"])
STATIC_DIR = Path(__file__).parent / "static"


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
def embed_js() -> FileResponse:
    """The one script publishers include."""
    return FileResponse(
        STATIC_DIR / "embed" / "embed.js",
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )
