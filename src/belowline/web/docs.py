"""/docs (Swagger UI) and /redoc from files shipped in a package, never a CDN: the API's
documentation works on an offline or self-hosted install, under the same CSP as every page."""

from __future__ import annotations

import copy
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from belowline.web.middleware import PAGE_CSP

ASSETS_URL = "/docs-assets"
ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{assets}/favicon.png"><link rel="stylesheet" href="{assets}/swagger-ui.css">
</head><body><div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{static}/docs/swagger-init.js"></script>
</body></html>
"""

_REDOC = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="{assets}/favicon.png"></head>
<body><redoc spec-url="{openapi}"></redoc>
<script src="{assets}/redoc.standalone.js"></script>
</body></html>
"""


def _page(request: Request, template: str, *, csp: str = PAGE_CSP) -> HTMLResponse:
    root = escape(request.scope.get("root_path", ""))
    return HTMLResponse(
        template.format(
            title=escape(request.app.title),
            assets=root + ASSETS_URL,
            static=root + "/static",
            openapi=root + escape(request.app.openapi_url or "/openapi.json"),
        ),
        headers={"content-security-policy": csp},
    )


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json; its start-up script is a file, so no inline script."""
    return _page(request, _SWAGGER)


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over /openapi.json; its search index runs in a worker it builds from a blob."""
    return _page(request, _REDOC, csp=PAGE_CSP + "; worker-src 'self' blob:")


def errors_as_json(spec: dict[str, Any]) -> dict[str, Any]:
    """Errors answer the JSON envelope on every route, HTML pages too; FastAPI files an error
    schema under the route's own media type, so put it back under application/json."""
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if status[:1] not in ("4", "5") or set(content) <= {"application/json"}:
                    continue
                schema = next((c["schema"] for c in content.values() if "schema" in c), None)
                if schema is not None:
                    response["content"] = {"application/json": {"schema": schema}}
    return spec


def install(app: FastAPI, *, document: Callable[[], dict[str, Any]] | None = None) -> None:
    """Serve the documentation pages and their packaged assets; keep the document truthful.

    `document` builds the OpenAPI document where the app's own routes do not hold all it says
    (app.py declares the error envelope on a document-only app); each app gets its own copy."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    build = app.openapi if document is None else lambda: copy.deepcopy(document())

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = errors_as_json(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
