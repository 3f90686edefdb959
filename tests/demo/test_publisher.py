"""The demo newspaper: pages, the publisher-side sign-in, and the SSO tokens it mints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.clock import FrozenClock
from belowline.demo import seed as demo_seed
from belowline.demo.content import ARTICLES
from belowline.demo.publisher import create_newspaper

SERVICE = "http://127.0.0.1:8000"
PAPER = "http://127.0.0.1:8001"
SECRET = "demo-secret-for-tests-0123456789abcdef"
HOT = ARTICLES[0].slug


@pytest.fixture
def seeded(session: Session, clock: FrozenClock) -> None:
    demo_seed.seed(
        session,
        newspaper_url=PAPER,
        origins=demo_seed.newspaper_origins("127.0.0.1", 8001),
        sso_secret=SECRET,
        now=clock(),
    )
    session.commit()


@pytest.fixture
def paper(clock: FrozenClock, tmp_path: Path) -> Iterator[TestClient]:
    app = create_newspaper(
        service_url=SERVICE,
        sso_secret=SECRET,
        secret_key="newspaper-cookie-key",
        data_dir=tmp_path,
        clock=clock,
    )
    with TestClient(app, base_url=PAPER) as c:
        yield c


def sign_in(paper: TestClient, email: str, password: str = demo_seed.PASSWORD) -> None:
    r = paper.post(
        "/signin",
        data={"email": email, "password": password, "next": f"/news/{HOT}"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/news/{HOT}"


def embed_token(paper: TestClient, slug: str = HOT) -> str | None:
    html = paper.get(f"/news/{slug}").text
    match = re.search(r'data-sso-token="([^"]+)"', html)
    return match.group(1) if match else None


def test_front_page_lists_every_story_with_count_slots(paper: TestClient) -> None:
    r = paper.get("/")
    assert r.status_code == 200
    for a in ARTICLES:
        assert f'href="/news/{a.slug}"' in r.text
        assert f'data-comment-count="{a.slug}"' in r.text
    assert "The Demo Gazette" in r.text
    assert f'<meta name="belowline-service" content="{SERVICE}">' in r.text
    sport = paper.get("/", params={"section": "Sport"})
    assert ARTICLES[0].slug in sport.text
    assert ARTICLES[1].slug not in sport.text
    assert paper.get("/", params={"section": "Nonsense"}).status_code == 404
    assert paper.get("/static/gazette.css").status_code == 200
    assert paper.get("/static/gazette.js").status_code == 200


def test_article_embeds_belowline_like_a_publisher(paper: TestClient) -> None:
    r = paper.get(f"/news/{HOT}")
    assert r.status_code == 200
    html = r.text
    assert '<div data-belowline data-site="demo-gazette"' in html
    assert f'data-story="{HOT}"' in html
    assert f'data-story-url="{PAPER}/news/{HOT}"' in html
    assert f'<script type="module" src="{SERVICE}/embed.js"></script>' in html
    assert "data-sso-token" not in html  # signed out: no identity to vouch for
    for paragraph in ARTICLES[0].paragraphs[:1]:
        assert paragraph.split(",")[0] in html
    csp = r.headers["content-security-policy"]
    assert f"script-src 'self' {SERVICE}" in csp
    assert f"connect-src 'self' {SERVICE}" in csp
    assert paper.get("/news/no-such-story").status_code == 404


def test_other_pages_render(paper: TestClient) -> None:
    for path in ("/signin", "/subscribe", "/about-comments"):
        r = paper.get(path)
        assert r.status_code == 200, path
    assert "Why are comments for subscribers?" in paper.get("/about-comments").text
    assert "sam@demo.test" in paper.get("/signin").text


def test_wrong_password_is_refused(paper: TestClient) -> None:
    r = paper.post("/signin", data={"email": "sam@demo.test", "password": "nope", "next": "/"})
    assert r.status_code == 200
    assert "don\u2019t match" in r.text or "don&#39;t match" in r.text
    assert "gazette_session" not in paper.cookies
    assert embed_token(paper) is None


def test_sign_in_mints_a_token_belowline_accepts(
    paper: TestClient, client: TestClient, seeded: None, clock: FrozenClock
) -> None:
    sign_in(paper, "sam@demo.test")
    token = embed_token(paper)
    assert token is not None
    claims = jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience="demo-gazette",
        options={"verify_exp": False, "verify_iat": False},  # minted on the frozen clock
    )
    assert claims["sub"] == "gazette-1001"
    assert claims["subscriber"] is True
    assert claims["exp"] - claims["iat"] == 600
    assert claims["iat"] == int(clock().timestamp())

    r = client.post("/api/v1/auth/sso", json={"site_id": "demo-gazette", "token": token})
    assert r.status_code == 200, r.text
    user = r.json()["user"]
    assert user["subscription"] == "active"
    assert user["display_name"] == "Sam Carter"
    assert user["email"] == "sam@demo.test"  # the seeded account, not a new one

    access = r.json()["access_token"]
    post = client.post(
        f"/api/v1/sites/demo-gazette/stories/{HOT}/comments",
        json={"body": "Signed in on the newspaper, posting below it.", "accept_terms_version": 1},
        headers={"Authorization": f"Bearer {access}"},
    )
    assert post.status_code == 201, post.text


@pytest.mark.parametrize(
    ("email", "state"), [("nina@demo.test", "none"), ("lee@demo.test", "lapsed")]
)
def test_non_subscribers_are_vouched_for_but_cannot_post(
    paper: TestClient, client: TestClient, seeded: None, email: str, state: str
) -> None:
    sign_in(paper, email)
    token = embed_token(paper)
    assert token is not None
    r = client.post("/api/v1/auth/sso", json={"site_id": "demo-gazette", "token": token})
    assert r.status_code == 200, r.text
    assert r.json()["user"]["subscription"] == state
    post = client.post(
        f"/api/v1/sites/demo-gazette/stories/{HOT}/comments",
        json={"body": "Trying without a subscription.", "accept_terms_version": 1},
        headers={"Authorization": f"Bearer {r.json()['access_token']}"},
    )
    assert post.status_code == 403
    assert post.json()["error"]["code"] == "subscription_required"


def test_subscribe_toggle_reaches_belowline(
    paper: TestClient, client: TestClient, seeded: None
) -> None:
    sign_in(paper, "nina@demo.test")
    r = paper.post("/subscribe/toggle", follow_redirects=False)
    assert r.status_code == 303
    assert "you are a subscriber" in paper.get("/subscribe").text
    token = embed_token(paper)
    assert token is not None
    r = client.post("/api/v1/auth/sso", json={"site_id": "demo-gazette", "token": token})
    assert r.json()["user"]["subscription"] == "active"

    paper.post("/subscribe/toggle")  # cancel again
    token = embed_token(paper)
    assert token is not None
    r = client.post("/api/v1/auth/sso", json={"site_id": "demo-gazette", "token": token})
    assert r.json()["user"]["subscription"] == "lapsed"


def test_sign_out_and_redirect_safety(paper: TestClient) -> None:
    r = paper.post(
        "/signin",
        data={"email": "sam@demo.test", "password": demo_seed.PASSWORD, "next": "//evil.test/x"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"
    assert embed_token(paper) is not None
    paper.post("/signout", data={"next": f"/news/{HOT}"})
    assert embed_token(paper) is None


def test_cross_site_form_posts_are_refused(paper: TestClient) -> None:
    r = paper.post(
        "/signin",
        data={"email": "sam@demo.test", "password": demo_seed.PASSWORD, "next": "/"},
        headers={"Origin": "http://evil.test"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert "gazette_session" not in paper.cookies
