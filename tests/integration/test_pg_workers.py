"""Two server processes on PostgreSQL + Redis: each worker's cached answers follow the other's
writes at once (the answer's lookup is sent after the read arrived, never before)."""

from __future__ import annotations

import httpx
import pytest

from belowline.stories.story_token import sign_story_token
from tests.integration.conftest import Cluster
from tests.integration.test_sqlite_workers import COUNTS, PAGE, follows_the_other_workers_writes
from tests.integration.test_two_workers import _token

pytestmark = pytest.mark.integration
_WORDS = ("lovely", "odd", "brave", "late", "fair", "bold")


def test_each_workers_cached_page_follows_the_other_workers_writes(cluster: Cluster) -> None:
    follows_the_other_workers_writes(cluster)


def _story(cluster: Cluster) -> dict[str, object]:
    """What a first post on the story carries (the story is made from it)."""
    token = sign_story_token(secret=cluster.sso_secret, site_id="cluster", story_id="scale")
    return {
        "accept_terms_version": 1,
        "story_title": "Scale",
        "story_url": "https://times.example/scale",
        "story_token": token,
    }


def test_a_reader_who_just_posted_sees_it_on_the_next_read_from_either_worker(
    cluster: Cluster,
) -> None:
    """Read-after-write under a stream of cached reads: post on one worker, then read
    anonymously from both, each time with no wait."""
    a, b = cluster.urls
    # Two posts a reader, in their own words: triage holds a third in a minute, or a repeat,
    # as spam. Three readers: logins are limited to five a minute and the test above has two.
    readers = [_token(cluster, f"r-{i}", f"Reader {i}") for i in range(3)]
    with httpx.Client() as client:
        for i, word in enumerate(_WORDS):
            headers = {"Authorization": f"Bearer {readers[i // 2]}"}
            for url in (a, b):
                client.get(url + PAGE)  # keep both workers' answers hot
            writer, reader = (a, b) if i % 2 else (b, a)
            posted = client.post(
                writer + PAGE,
                json={"body": f"{word.title()} is what I think of this.", **_story(cluster)},
                headers=headers,
            )
            assert posted.status_code == 201, posted.text
            assert posted.json()["status"] == "published"
            total = client.get(writer + COUNTS).json()["scale"]
            for url in (reader, writer):
                page = client.get(url + PAGE).json()
                assert page["items"][0]["id"] == posted.json()["id"]
                assert page["total"] == total
                assert client.get(url + COUNTS).json() == {"scale": total}
