"""Static files under content-hashed names, kept a year by browsers; compressed; ETags.

Built once per process from the packaged files. Every file is reachable at its own name (short-lived
cache, revalidated by ETag) and at ``name.<hash>.ext`` (immutable). A file's hash covers its bytes
and those of every file it references, so a change anywhere below the widget renames the widget.
References are quoted string literals in JavaScript that name a sibling file ("./card.js",
"widget.js", "locales/fr.json"); they are rewritten to the hashed names when the table is built.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import anyio
import brotli
from starlette.types import Receive, Scope, Send

from belowline.web.middleware import send_error

STATIC_DIR = Path(__file__).parent / "static"
HASH_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_LIVED = "public, max-age=300"
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
# Below this, compression saves less than the headers it adds.
MIN_COMPRESS_BYTES = 512
# Brotli's best quality takes ~0.4 s on htmx's 52 KB; large files get a fast quality instead.
BROTLI_BEST_UP_TO = 32_768
_LITERAL = re.compile(rb"""(["'])((?:\./|\.\./)*[A-Za-z0-9_\-./]+\.(?:js|css|json))\1""")


@dataclass
class Asset:
    """One file as served: the body with its references rewritten, and its hashed name."""

    path: str
    hashed_path: str
    body: bytes
    media_type: str
    digest: str
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False)

    def etag(self, encoding: str) -> str:
        return f'"{self.digest}"' if encoding == "identity" else f'"{self.digest}-{encoding}"'

    def encoded(self, encoding: str) -> bytes:
        """The body in `encoding`, compressed on first use and kept."""
        if encoding == "identity":
            return self.body
        if encoding not in self._encoded:
            if encoding == "br":
                quality = 11 if len(self.body) <= BROTLI_BEST_UP_TO else 5
                self._encoded[encoding] = brotli.compress(self.body, quality=quality)
            else:
                self._encoded[encoding] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return self._encoded[encoding]

    def is_ready(self, encoding: str) -> bool:
        return encoding == "identity" or encoding in self._encoded

    @property
    def compressible(self) -> bool:
        return len(self.body) >= MIN_COMPRESS_BYTES


def hashed_name(path: str, digest: str) -> str:
    """The hash goes before the last suffix: embed/widget.js → embed/widget.<hash>.js."""
    head, dot, ext = path.rpartition(".")
    return f"{head}.{digest}.{ext}" if dot else f"{path}.{digest}"


class AssetTable:
    """Every packaged static file by its plain and its hashed path."""

    def __init__(self, root: Path) -> None:
        raw = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")
        }
        refs = {path: _references(path, body, raw) for path, body in raw.items()}
        own = {path: hashlib.sha256(body).digest() for path, body in raw.items()}
        digests: dict[str, str] = {}
        for path in raw:
            h = hashlib.sha256(own[path])
            for dep in sorted(_closure(path, refs) - {path}):
                h.update(dep.encode() + own[dep])
            digests[path] = h.hexdigest()[:HASH_LENGTH]
        hashed = {path: hashed_name(path, digests[path]) for path in raw}
        self.by_path: dict[str, Asset] = {}
        self.by_hashed: dict[str, Asset] = {}
        for path, body in raw.items():
            asset = Asset(
                path=path,
                hashed_path=hashed[path],
                body=_rewrite(path, body, raw, hashed),
                media_type=MEDIA_TYPES.get(posixpath.splitext(path)[1], "application/octet-stream"),
                digest=digests[path],
            )
            self.by_path[path] = asset
            self.by_hashed[asset.hashed_path] = asset

    def url(self, path: str) -> str:
        """The long-cached URL of a packaged file ("dashboard/dashboard.css" → "/static/…")."""
        asset = self.by_path.get(path)
        return f"/static/{asset.hashed_path if asset else path}"

    def find(self, path: str) -> tuple[Asset, str] | None:
        """The asset at `path` and the Cache-Control it is served with, or None."""
        if path in self.by_hashed:
            return self.by_hashed[path], IMMUTABLE
        if path in self.by_path:
            return self.by_path[path], SHORT_LIVED
        return None


@cache
def table(root: Path = STATIC_DIR) -> AssetTable:
    """One table per process and folder: hashing reads every file once, at start-up."""
    return AssetTable(root)


def static_url(path: str) -> str:
    """For templates: the hashed URL of a packaged file."""
    return table().url(path)


def _resolve(source: str, literal: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), literal))


def _references(path: str, body: bytes, files: dict[str, bytes]) -> set[str]:
    if not path.endswith(".js"):
        return set()
    found = {_resolve(path, m.group(2).decode()) for m in _LITERAL.finditer(body)}
    return {p for p in found if p in files and p != path}


def _closure(path: str, refs: dict[str, set[str]]) -> set[str]:
    seen = {path}
    todo = [path]
    while todo:  # iterative: ES modules may import each other in a circle
        for dep in refs[todo.pop()]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def _rewrite(path: str, body: bytes, files: dict[str, bytes], hashed: dict[str, str]) -> bytes:
    if not path.endswith(".js"):
        return body

    def swap(m: re.Match[bytes]) -> bytes:
        literal = m.group(2).decode()
        target = _resolve(path, literal)
        if target not in files or target == path:
            return m.group(0)
        head, _, _ = literal.rpartition("/")
        name = posixpath.basename(hashed[target])
        new = f"{head}/{name}" if head else name
        return m.group(1) + new.encode() + m.group(1)

    return _LITERAL.sub(swap, body)


def choose_encoding(accept_encoding: str) -> str:
    """br, then gzip, when the client accepts it (q > 0); else identity."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if name:
            accepted[name.strip().lower()] = q
    star = accepted.get("*", 0.0)
    for encoding in ("br", "gzip"):
        if accepted.get(encoding, star) > 0:
            return encoding
    return "identity"


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag in tags


def answer(
    asset: Asset, cache_control: str, headers: dict[str, str]
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for `asset`: compressed as the client allows, 304 if unchanged."""
    encoding = (
        choose_encoding(headers.get("accept-encoding", "")) if asset.compressible else "identity"
    )
    etag = asset.etag(encoding)
    out = [("cache-control", cache_control), ("etag", etag), ("vary", "Accept-Encoding")]
    if _matches(headers.get("if-none-match", ""), etag):
        return 304, out, b""
    body = asset.encoded(encoding)
    out += [("content-type", asset.media_type), ("content-length", str(len(body)))]
    if encoding != "identity":
        out.append(("content-encoding", encoding))
    return 200, out, body


async def respond(
    asset: Asset, cache_control: str, scope: Scope, send: Send, *, head_only: bool = False
) -> None:
    """Send `asset` (compressing on first use off the event loop)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    wanted = choose_encoding(headers.get("accept-encoding", ""))
    if asset.is_ready(wanted) or not asset.compressible:
        status, out, body = answer(asset, cache_control, headers)
    else:
        status, out, body = await anyio.to_thread.run_sync(answer, asset, cache_control, headers)
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in out]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if head_only else body})


class StaticAssets:
    """ASGI app for /static: plain names short-lived, hashed names immutable, 404 otherwise."""

    def __init__(self, assets: AssetTable) -> None:
        self.assets = assets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # noqa: ARG002
        path = _route_path(scope).lstrip("/")
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD"):
            await send_error(scope, send, 405, "method_not_allowed", "Static files are read-only.")
            return
        found = self.assets.find(path)
        if found is None:
            await send_error(scope, send, 404, "not_found", "No such file.")
            return
        asset, cache_control = found
        await respond(asset, cache_control, scope, send, head_only=method == "HEAD")


def _route_path(scope: Scope) -> str:
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    return path[len(root_path) :] if root_path and path.startswith(root_path) else path
