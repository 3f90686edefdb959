"""Two server processes on one SQLite file: each worker's cached answers follow the other's writes.

A worker serves a hot page from its own memory while `PRAGMA data_version` says nothing was
committed; a post, an edit or a reaction made through the other worker must show at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from belowline.stories.story_token import sign_story_token
from tests.integration.conftest import Cluster, serve_cluster
from tests.integration.test_two_workers import _token

pytestmark = pytest.mark.integration
PAGE = "/api/v1/sites/cluster/stories/scale/comments"
COUNTS = "/api/v1/sites/cluster/counts?story=scale"


@pytest.fixture(scope="module")
def sqlite_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    data_dir: Path = tmp_path_factory.mktemp("sqlite-cluster")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BELOWLINE_")},
        "BELOWLINE_DATA_DIR": str(data_dir),
        "BELOWLINE_SECRET_KEY": "integration-secret-key-x" * 2,
        "BELOWLINE_RATE_LIMIT_POSTS": "1000/minute",
    }
    with serve_cluster(env) as cluster:
        yield cluster


def _hot(url: str) -> dict:
    """The page, read until this worker answers it from its own memory."""
    for _ in range(3):
        r = httpx.get(url + PAGE)
        if r.headers.get("x-cache") == "hit":
            return dict(r.json())
    raise AssertionError("the worker never served the page from its cache")


def test_each_workers_cached_page_follows_the_other_workers_writes(
    sqlite_cluster: Cluster,
) -> None:
    follows_the_other_workers_writes(sqlite_cluster)


def follows_the_other_workers_writes(cluster: Cluster) -> None:
    """Posts, an edit and a reaction through one worker show at once on the other's cached
    page and counts (also run on PostgreSQL by test_pg_workers.py)."""
    a, b = cluster.urls
    token = _token(cluster, "w-1", "Wendy")
    headers = {"Authorization": f"Bearer {token}"}
    first = httpx.post(
        a + PAGE,
        json={
            "body": "First.",
            "accept_terms_version": 1,
            "story_title": "Scale",
            "story_url": "https://times.example/scale",
            "story_token": sign_story_token(
                secret=cluster.sso_secret, site_id="cluster", story_id="scale"
            ),
        },
        headers=headers,
    )
    assert first.status_code == 201, first.text
    assert _hot(b)["total"] == 1
    assert httpx.get(b + COUNTS).json() == {"scale": 1}

    second = httpx.post(a + PAGE, json={"body": "Second."}, headers=headers)
    assert second.status_code == 201, second.text
    page = httpx.get(b + PAGE).json()  # at once, with no wait
    assert [c["body_html"] for c in page["items"]] == ["<p>Second.</p>", "<p>First.</p>"]
    assert httpx.get(b + COUNTS).json() == {"scale": 2}

    assert _hot(b)["total"] == 2
    cid = second.json()["id"]
    edited = httpx.patch(f"{a}/api/v1/comments/{cid}", json={"body": "Edited."}, headers=headers)
    assert edited.status_code == 200, edited.text
    assert httpx.get(b + PAGE).json()["items"][0]["body_html"] == "<p>Edited.</p>"

    assert _hot(b)["items"][1]["reaction_count"] == 0
    other = {"Authorization": f"Bearer {_token(cluster, 'w-2', 'Will')}"}
    liked = httpx.post(f"{b}/api/v1/comments/{first.json()['id']}/reactions", headers=other)
    assert liked.status_code == 200, liked.text
    assert _hot(a)["items"][1]["reaction_count"] == 1  # the writer's page, from the other side
