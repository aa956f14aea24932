"""Security headers on every page, and pages that a strict Content-Security-Policy cannot
break: no inline script, no inline event handlers, no style attributes."""

import json
import re

import pytest

from tests.security.authorisation_table import OK, PERSONA_LABELS, TABLE
from tests.security.patterns import build_url, project_patterns
from tests.test_settings import PRODUCTION, run_manage

PERSONAS = [key for key, _label in PERSONA_LABELS]
REQUIRED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}


def parse_csp(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = set(words[1:])
    return directives


def assert_security_headers(response):
    csp = parse_csp(response["Content-Security-Policy"])
    for directive, sources in REQUIRED_CSP.items():
        assert csp.get(directive) == sources, (directive, csp.get(directive))
    assert not any("'unsafe-inline'" in s or "'unsafe-eval'" in s for s in csp.values()), csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def allowed_get_cases():
    """(pattern, persona) for each page, with the first persona that may GET it."""
    for pattern in project_patterns():
        row = TABLE.get(pattern.name)
        if row is None:
            continue
        persona = next((p for p, o in zip(PERSONAS, row.get, strict=True) if o == OK), None)
        if persona is not None:
            yield pytest.param(pattern, persona, id=pattern.name)


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "persona"), list(allowed_get_cases()))
def test_every_page_has_the_security_headers_and_no_inline_code(
    pattern, persona, samples, persona_client
):
    url = build_url(pattern, samples, TABLE[pattern.name].kwargs(samples))
    response = persona_client(persona).get(url, follow=True)
    assert response.status_code == 200, url
    assert_security_headers(response)
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), f"inline <script> on {url}"
        assert not EVENT_HANDLER.search(html), f"inline event handler on {url}"
        assert not STYLE_ATTRIBUTE.search(html), (
            f"style attribute on {url}: the CSP blocks it; use a class in static/css/portal.css"
        )
        assert not STYLE_ELEMENT.search(html), f"<style> element on {url}"
        assert 'name="htmx-config"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_error_pages_have_the_headers_too(persona, persona_client, member):
    client = persona_client(persona)
    for url in ["/bestaat-niet/", "/account/login/"]:
        assert_security_headers(client.get(url))
    if persona == "member":
        assert_security_headers(client.get("/audit/"))  # 403


def test_production_headers_and_cookies():
    """With production settings: HSTS, secure HttpOnly SameSite cookies, HTTPS redirect."""
    code = (
        "import json;from django.conf import settings as s;from django.test import Client;"
        "from django.test.utils import override_settings;"
        # collectstatic has not run: plain static storage, everything else as in production.
        "o=override_settings(STORAGES={**s.STORAGES,'staticfiles':{'BACKEND':"
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}});o.enable();"
        "c=Client(HTTP_HOST='zelfsturing.example.org');r=c.get('/account/login/',secure=True);"
        "print(json.dumps({'hsts':r.get('Strict-Transport-Security'),"
        "'plain':c.get('/account/login/').status_code,"
        "'csrf_cookie':dict(r.cookies['csrftoken']) if 'csrftoken' in r.cookies else None,"
        "'session':[s.SESSION_COOKIE_SECURE,s.SESSION_COOKIE_HTTPONLY,s.SESSION_COOKIE_SAMESITE],"
        "'csrf':[s.CSRF_COOKIE_SECURE,s.CSRF_COOKIE_HTTPONLY],"
        "'age':s.SESSION_COOKIE_AGE,'every':s.SESSION_SAVE_EVERY_REQUEST,"
        "'csp':r.get('Content-Security-Policy')}))"
    )
    result = run_manage("shell", "-c", code, env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert data["plain"] == 301  # http is redirected to https
    assert data["session"] == [True, True, "Lax"]
    assert data["csrf"] == [True, True]
    assert data["csrf_cookie"]["secure"] is True and data["csrf_cookie"]["samesite"] == "Lax"
    assert data["age"] == 8 * 60 * 60 and data["every"] is True
    assert "frame-ancestors 'none'" in data["csp"]


def test_idle_timeout_is_configurable():
    code = "from django.conf import settings as s;print(s.SESSION_COOKIE_AGE)"
    result = run_manage(
        "shell", "-c", code, env_overrides={**PRODUCTION, "SESSION_IDLE_TIMEOUT_MINUTES": "30"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1800"
