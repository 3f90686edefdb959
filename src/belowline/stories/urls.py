"""Story links are web addresses: only http(s) is stored, and only http(s) is ever rendered
as a link, so a `javascript:` URL can neither get in nor, if an old row has one, run."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator

WEB_SCHEMES = ("http", "https")


def is_web_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def _check(value: str) -> str:
    if value and not is_web_url(value):
        raise ValueError("must be an http or https address")
    return value.strip()


def safe_href(value: object) -> str:
    """The link target to render: the URL if it is a web address, else a harmless '#'."""
    return value if isinstance(value, str) and is_web_url(value) else "#"


StoryUrl = Annotated[str, AfterValidator(_check)]
