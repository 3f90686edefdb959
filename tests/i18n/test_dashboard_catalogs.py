"""The dashboard's catalogs: every string its templates translate, in every shipped language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from belowline.accounts.models import Role
from belowline.audit.pages import ACTION_LABELS
from belowline.dashboard.desk import COVERAGE_LABELS, LANGUAGE_NAMES, QUEUE_TABS, REASON_LABELS
from belowline.decisions.models import DecisionAction
from belowline.i18n.catalogs import DASHBOARD_LOCALES, po_path
from belowline.learning import adoption
from belowline.people.directory_pages import DONE as PEOPLE_DONE
from belowline.people.pages import DONE as RECORD_DONE
from belowline.people.pages import SANCTION_LABELS
from belowline.reports.models import ReportStatus
from belowline.sites.pages import LEVEL_LABELS, SIGNAL_LABELS
from belowline.staffing.overview import COVERAGE_LABELS as STAFFED_LABELS
from belowline.staffing.overview import QUEUE_LABELS as STAFFED_QUEUES
from belowline.staffing.pages import DAY_NAMES

TEMPLATES = Path(__file__).parents[2] / "src" / "belowline" / "dashboard" / "templates"
# The chrome and the main pages (queues, decisions, settings, sign-in): no English left in them.
TRANSLATED = [
    "layout.html",
    "_tabs.html",
    "_help.html",
    "queue.html",
    "_queue_main.html",
    "_items.html",
    "_item.html",
    "_decided.html",
    "settings.html",
    "_preview.html",
    "login.html",
    "error.html",
    # The secondary pages: people, stories, audit, transparency, schedule, webhooks, rules,
    # appeals, notices, Q&A.
    "people.html",
    "stories.html",
    "audit.html",
    "transparency.html",
    "schedule.html",
    "_block_row.html",
    "_exception_row.html",
    "webhooks.html",
    "rules.html",
    "_rule_row.html",
    "appeals.html",
    "notices.html",
    "qa.html",
    # The rest: invitation, search, thread, a person's record, Overview.
    "invite.html",
    "search.html",
    "thread.html",
    "user.html",
    "overview.html",
]
# Values the templates pass through _() at run time: labels kept in Python, enum values.
DYNAMIC = {
    "Queue",
    *(label for _key, label in QUEUE_TABS),
    *REASON_LABELS.values(),
    *COVERAGE_LABELS.values(),
    *LEVEL_LABELS.values(),
    *SIGNAL_LABELS.values(),
    *(r.value for r in Role),
    *(a.value for a in DecisionAction),
    *(s.value for s in ReportStatus),
    *ACTION_LABELS.values(),
    *PEOPLE_DONE.values(),
    *RECORD_DONE.values(),
    *SANCTION_LABELS.values(),
    *STAFFED_LABELS.values(),
    *STAFFED_QUEUES.values(),
    "All queues",
    *DAY_NAMES.values(),
    # What a defamation complaint's clock waits for (notices.defamation).
    "contact the poster or remove the statement",
    "remove the statement: the poster has not answered",
    "remove the statement: the poster asked for it",
    "set",
    "not set",
    "flag",
    "hold",
    # A training run's outcome on the Overview (staffing.outcomes translates it by these).
    *adoption.OUTCOMES,
    *adoption.MISSING,
    adoption.INTERVAL,
}
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def template_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(TEMPLATES), method_map=[("**.html", "jinja2")], options_map=options
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalog(locale: str) -> Catalog:
    with po_path(locale, "dashboard").open("rb") as f:
        return read_po(f, locale=locale)


def test_the_templates_translate_something() -> None:
    assert len(template_messages()) > 140
    assert set(LANGUAGE_NAMES) == set(DASHBOARD_LOCALES) == {"en", "fr", "de"}


@pytest.mark.parametrize("locale", [loc for loc in DASHBOARD_LOCALES if loc != "en"])
def test_every_dashboard_string_has_a_translation(locale: str) -> None:
    cat = catalog(locale)
    wanted = template_messages() | DYNAMIC
    missing, lost = [], []
    for message in sorted(wanted, key=str):
        msgid = message if isinstance(message, str) else message[0]
        entry = cat.get(msgid)
        if entry is None or entry.fuzzy:
            missing.append(msgid)
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if isinstance(message, tuple) and len(forms) != cat.num_plurals:
            missing.append(f"{msgid} (plural forms)")
        if not all(forms):
            missing.append(msgid)
            continue
        for form in forms:
            if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(form)):
                lost.append(f"{msgid!r} → {form!r}")
    assert not missing, f"{locale}: no translation for {missing}"
    assert not lost, f"{locale}: placeholders differ: {lost}"
    stale = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id} - {
        m if isinstance(m, str) else m[0] for m in wanted
    }
    assert not stale, f"{locale}: catalog entries no template uses: {sorted(stale)}"


def _untranslated_text(source: str) -> list[str]:
    """Words outside Jinja and tags, and literal aria-label/title/placeholder values."""
    literal = r'(?:aria-label|title|placeholder)="([^"{]*[A-Za-z][^"{]*)"'
    attrs = [v for v in re.findall(literal, source) if not v.startswith(("https://", "http://"))]
    # Macros write attributes, body_class a CSS class: neither is text a person reads.
    source = re.sub(r"\{% macro .*?\{% endmacro %\}", " ", source, flags=re.S)
    source = re.sub(r"\{% block body_class %\}.*?\{% endblock %\}", " ", source)
    text = re.sub(r"\{%-? *trans\b.*?\{%-? *endtrans *-?%\}", " ", source, flags=re.S)
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", text) if w not in {"Belowline", "Esc"}]
    return attrs + words


@pytest.mark.parametrize("name", TRANSLATED)
def test_no_english_is_left_outside_the_catalog(name: str) -> None:
    source = (TEMPLATES / "dashboard" / name).read_text("utf-8")
    assert _untranslated_text(source) == [], name


def test_the_checker_finds_a_bare_string() -> None:
    assert _untranslated_text('<p>{{ _("Fine") }}</p><b>Oops</b>') == ["Oops"]
    assert _untranslated_text('<i title="Not wrapped"></i>') == ["Not wrapped"]
    assert _untranslated_text("{% trans %}Wrapped{% endtrans %} bare") == ["bare"]
