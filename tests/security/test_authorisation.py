"""The authorisation matrix: every page of the project, as every persona, GET and POST,
against the one table in tests/security/authorisation_table.py."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.security.authorisation_table import (
    DENY,
    LOGIN,
    NO,
    OK,
    PERSONA_LABELS,
    TABLE,
    TOKEN,
    as_markdown,
)
from tests.security.patterns import build_url, project_patterns

DOC = Path(__file__).resolve().parents[2] / "docs" / "authorisation.md"
PATTERNS = project_patterns()
PERSONAS = [key for key, _label in PERSONA_LABELS]


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = response["Location"].split("?", 1)[0]
        return LOGIN if target == reverse(settings.LOGIN_URL) else OK
    if 200 <= status < 300 or status == 400:
        return OK
    if status in (403, 404):
        return DENY
    if status == 405:
        return NO
    if status == 401:
        return TOKEN
    return str(status)


def test_every_url_has_a_row_in_the_table():
    unnamed = [p.route for p in PATTERNS if not p.name]
    assert not unnamed, f"Give these URL patterns a name, then a row in the table: {unnamed}"
    missing = sorted({p.name for p in PATTERNS} - set(TABLE))
    assert not missing, (
        f"No authorisation rule for {missing}. Add a row per URL name to TABLE in "
        "tests/security/authorisation_table.py (who may GET and POST it), then regenerate "
        "docs/authorisation.md: .venv/bin/python -m tests.security.authorisation_table "
        "> docs/authorisation.md"
    )


def test_every_row_names_an_existing_url():
    stale = sorted(set(TABLE) - {p.name for p in PATTERNS})
    assert not stale, f"Rows for URLs that no longer exist, remove them: {stale}"


def test_documentation_matches_the_table():
    assert DOC.read_text(encoding="utf-8") == as_markdown(), (
        "docs/authorisation.md is out of date: .venv/bin/python -m "
        "tests.security.authorisation_table > docs/authorisation.md"
    )


CASES = [
    pytest.param(pattern, method, persona, id=f"{pattern.name}-{method}-{persona}")
    for pattern in PATTERNS
    if pattern.name in TABLE
    for method in ("get", "post")
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "method", "persona"), CASES)
def test_access(pattern, method, persona, samples, persona_client):
    row = TABLE[pattern.name]
    expected = dict(zip(PERSONAS, getattr(row, method), strict=True))[persona]
    url = build_url(pattern, samples, row.kwargs(samples))
    response = getattr(persona_client(persona), method)(url)
    assert outcome(response) == expected, (
        f"{method.upper()} {url} as {persona}: got {response.status_code} "
        f"({outcome(response)}), the table says {expected}"
    )


def test_deny_means_no_data(samples, persona_client):
    """A refused page does not leak the goal's title in its body."""
    response = persona_client("other_member").get(
        reverse("doelen:edit", kwargs={"pk": samples.goal.pk})
    )
    assert response.status_code in (403, 404)
    assert samples.goal.title not in response.content.decode()


def test_outcomes_are_the_known_ones():
    for name, row in TABLE.items():
        for outcomes in (row.get, row.post):
            assert len(outcomes) == len(PERSONAS), name
            assert set(outcomes) <= {OK, LOGIN, DENY, NO, TOKEN}, name
