"""Belowline's own HS256 tokens: interchangeable with PyJWT's, refused as PyJWT refused them."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import jwt
import pytest

from belowline.accounts import hs256
from belowline.accounts.tokens import decode_access_token, issue_access_token
from belowline.errors import Forbidden, NotAuthenticated
from belowline.stories.models import Site
from belowline.stories.story_token import sign_story_token, verify_story_token

SECRET = "a-site-secret-of-a-decent-length-" * 3
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_tokens_signed_here_and_by_pyjwt_read_the_same_both_ways() -> None:
    claims = {"sub": "7", "aud": ["x", "belowline-api"], "n": 1.5, "s": "é"}
    ours = hs256.encode(claims, SECRET)
    assert jwt.decode(ours, SECRET, algorithms=["HS256"], audience="x") == claims
    theirs = jwt.encode(claims, SECRET, algorithm="HS256")
    assert hs256.decode(theirs, SECRET) == claims


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode({"sub": "7"}, "another-secret-" * 5, algorithm="HS256"),
        jwt.encode({"sub": "7"}, SECRET, algorithm="HS512"),
        f"{_segment({'alg': 'none'})}.{_segment({'sub': '7'})}.",
        f"{_segment({'alg': 'HS256'})}.{_segment(['sub'])}.",
        "not.a.token",
        "two.parts",
        "a.b.c.d",
        jwt.encode({"sub": 7}, SECRET, algorithm="HS256"),  # PyJWT: sub must be a string
    ],
)
def test_a_wrong_key_algorithm_shape_or_subject_is_refused(token: str) -> None:
    with pytest.raises(hs256.TokenError):
        hs256.decode(token, SECRET)


def test_a_changed_payload_breaks_the_signature() -> None:
    head, _, signature = hs256.encode({"sub": "7", "site": "a"}, SECRET).split(".")
    forged = f"{head}.{_segment({'sub': '1', 'site': 'a'})}.{signature}"
    with pytest.raises(hs256.TokenError):
        hs256.decode(forged, SECRET)
    assert hs256.unverified_claims(forged) == {"sub": "1", "site": "a"}  # for CORS choice only


def test_access_tokens_check_audience_issuer_type_and_expiry() -> None:
    token = issue_access_token(secret=SECRET, user_id=7, site_id="s", now=NOW, ttl=60)
    assert decode_access_token(token, secret=SECRET, now=NOW).user_id == 7
    base = hs256.unverified_claims(token)
    for change in ({"aud": "other"}, {"iss": "other"}, {"typ": "refresh"}, {"exp": None}):
        bad = jwt.encode({**base, **change}, SECRET, algorithm="HS256")
        with pytest.raises(NotAuthenticated):
            decode_access_token(bad, secret=SECRET, now=NOW)
    with pytest.raises(NotAuthenticated):
        decode_access_token(token, secret=SECRET, now=datetime(2026, 1, 5, 12, 2, tzinfo=UTC))


def test_story_tokens_refuse_another_site_and_a_token_not_yet_valid() -> None:
    site = Site(id="site-a", sso_secret=SECRET)
    token = sign_story_token(secret=SECRET, site_id="site-a", story_id="st-1", title="T")
    assert verify_story_token(site, token, story_id="st-1", now=NOW).title == "T"
    claims = {"typ": "belowline-story", "aud": "site-a", "story": "st-1"}
    for extra in ({"aud": "site-b"}, {"nbf": int(time.time()) + 3600}, {"iat": "yesterday"}):
        bad = jwt.encode({**claims, **extra}, SECRET, algorithm="HS256")
        with pytest.raises(Forbidden):
            verify_story_token(site, bad, story_id="st-1", now=NOW)


def test_a_signed_token_with_an_infinite_expiry_is_refused_not_a_server_error() -> None:
    token = issue_access_token(secret=SECRET, user_id=7, site_id="s", now=NOW, ttl=60)
    head, payload, _ = token.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    claims = json.loads(raw)
    body = json.dumps({**claims, "exp": 0}).replace('"exp": 0', '"exp": 1e400')
    segment = base64.urlsafe_b64encode(body.encode()).rstrip(b"=").decode()
    signing_input = f"{head}.{segment}"
    signature = hs256._b64encode(hs256._signature(signing_input, SECRET))
    with pytest.raises(NotAuthenticated):
        decode_access_token(f"{signing_input}.{signature}", secret=SECRET, now=NOW)
