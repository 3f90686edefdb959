"""Counting in Welsh (six plural forms) and Scottish Gaelic (four): the readers catalog's own
Plural-Forms picks the form, in the catalog and in a statement or digest a reader receives."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from belowline.i18n.catalogs import _compiled, po_path
from belowline.i18n.readers import DOMAIN, ReaderText
from belowline.mail.digest import run_digest
from tests.cast import Cast, decide, post, report
from tests.mail.test_recipient_language import _inbox, _site_speaks
from tests.notices.helpers import emails

NS = (0, 1, 2, 3, 11, 20)
REPLIES = ("%(num)s new reply to your comments:", "%(num)s new replies to your comments:")
READERS = (
    "It came to us because %(num)s reader reported it.",
    "It came to us because %(num)s readers reported it.",
)
# The form each n takes: Welsh zero, one, two, few (3), many (6), other; Gaelic one (1, 11),
# two (2, 12), few (3-10, 13-19), other; Spanish one, other.
FORM = {"cy": [0, 1, 2, 3, 5, 5], "gd": [3, 0, 1, 2, 0, 3], "es": [1, 0, 1, 1, 1, 1]}
SAID = {
    "cy": {
        REPLIES: [
            "0 o atebion newydd i’ch sylwadau:",
            "1 ateb newydd i’ch sylwadau:",
            "2 ateb newydd i’ch sylwadau:",
            "3 ateb newydd i’ch sylwadau:",
            "11 o atebion newydd i’ch sylwadau:",
            "20 o atebion newydd i’ch sylwadau:",
        ],
        READERS: [
            "Daeth i’n sylw gan fod 0 o ddarllenwyr wedi adrodd amdano.",
            "Daeth i’n sylw gan fod 1 darllenydd wedi adrodd amdano.",
            "Daeth i’n sylw gan fod 2 ddarllenydd wedi adrodd amdano.",
            "Daeth i’n sylw gan fod 3 darllenydd wedi adrodd amdano.",
            "Daeth i’n sylw gan fod 11 o ddarllenwyr wedi adrodd amdano.",
            "Daeth i’n sylw gan fod 20 o ddarllenwyr wedi adrodd amdano.",
        ],
    },
    "gd": {
        REPLIES: [
            "0 freagairt ùr dha na beachdan agad:",
            "1 fhreagairt ùr dha na beachdan agad:",
            "2 fhreagairt ùr dha na beachdan agad:",
            "3 freagairtean ùra dha na beachdan agad:",
            "11 fhreagairt ùr dha na beachdan agad:",
            "20 freagairt ùr dha na beachdan agad:",
        ],
        READERS: [
            "Thàinig e thugainn oir rinn 0 leughadair gearan mu dheidhinn.",
            "Thàinig e thugainn oir rinn 1 leughadair gearan mu dheidhinn.",
            "Thàinig e thugainn oir rinn 2 leughadair gearan mu dheidhinn.",
            "Thàinig e thugainn oir rinn 3 leughadairean gearan mu dheidhinn.",
            "Thàinig e thugainn oir rinn 11 leughadair gearan mu dheidhinn.",
            "Thàinig e thugainn oir rinn 20 leughadair gearan mu dheidhinn.",
        ],
    },
}


@pytest.mark.parametrize("locale", sorted(FORM))
def test_the_catalogs_plural_rule_picks_each_form(locale: str) -> None:
    catalog = _compiled(po_path(locale, DOMAIN), locale)
    rule = catalog.plural  # type: ignore[attr-defined]  # compiled from its Plural-Forms
    assert [rule(n) for n in NS] == FORM[locale]


@pytest.mark.parametrize("locale", sorted(SAID))
@pytest.mark.parametrize("message", [REPLIES, READERS], ids=["replies", "readers"])
def test_counted_sentences_take_the_right_form(locale: str, message: tuple[str, str]) -> None:
    t = ReaderText(locale)
    assert [t.plural(*message, n) for n in NS] == SAID[locale][message]


def test_a_welsh_statement_counts_two_reporters_with_the_dual(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "cy")
    cid = post(client, cast, cast.author, "The councillor's figures are invented.")
    for reader in (cast.reader, cast.reader2):
        assert report(client, cast, reader, cid).status_code == 201
    assert decide(client, cast, cast.mod, cid, action="remove").status_code == 201
    body = _inbox(client, cast)["body"]
    assert "Daeth i’n sylw gan fod 2 ddarllenydd wedi adrodd amdano." in body


def test_a_gaelic_digest_counts_three_replies_with_the_few_form(
    client: TestClient, cast: Cast, session: Session
) -> None:
    _site_speaks(session, "gd")
    prefs = {"email_replies": True, "digest": "daily"}
    assert client.put("/api/v1/me/preferences", json=prefs, headers=cast.h(cast.author)).is_success
    parent = post(client, cast, cast.author, "The bridge is worth every penny.")
    post(client, cast, cast.reader, "Not at that price.", parent_id=parent)
    post(client, cast, cast.reader2, "A century, at least.", parent_id=parent)
    post(client, cast, cast.reader, "And the upkeep?", parent_id=parent)
    cast.clock.advance(hours=1)
    assert run_digest(session, now=cast.clock()) == 1
    session.commit()
    [digest] = [m for m in emails(session, cast.author.email) if m["digest"]]
    assert digest["text"].startswith("3 freagairtean ùra dha na beachdan agad:")
