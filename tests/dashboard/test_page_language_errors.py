"""A service's error, shown as a flash on a dashboard page, is in the page's language."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.cast import Cast
from tests.dashboard.test_pages import sign_in


def test_a_refused_rule_id_is_explained_in_german(
    dash: Callable[[], TestClient], cast: Cast
) -> None:
    admin = dash()
    csrf = sign_in(admin, cast.admin)
    bad = {"csrf_token": csrf, "key": ["Bad Id!"], "title": ["X"], "text": ["Y"]}
    english = admin.post("/moderate/rules", data=bad)
    assert english.status_code == 422
    assert "Rule ids must be unique, lower-case letters, digits and hyphens." in english.text
    german = admin.post("/moderate/rules?lang=de", data=bad, headers={"Accept-Language": "de"})
    assert german.status_code == 422
    assert "Regelkennungen müssen eindeutig sein" in german.text
    assert "Rule ids must be unique" not in german.text
