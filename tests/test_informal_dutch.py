"""Issue #16, language: informal "je" everywhere, including Django's own texts where the portal
shows them (password pages, password validation, log-in errors). Fails naming the formal
words it finds."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORMAL = re.compile(r"\b(?:[Uu]w|[Uu])\b")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def formal_words(html: str) -> list[str]:
    text = visible_text(html)
    return [text[max(0, m.start() - 40) : m.end() + 40].strip() for m in FORMAL.finditer(text)]


def test_password_pages_and_their_errors_say_je(client, client_for, member):
    pages = []
    logged_in = client_for(member)
    pages.append(logged_in.get(reverse("password_change")))
    pages.append(
        logged_in.post(
            reverse("password_change"),
            {"old_password": "fout", "new_password1": "123", "new_password2": "1234"},
        )
    )
    pages.append(client.get(reverse("password_reset")))
    pages.append(client.post(reverse("password_reset"), {"email": "niet-een-adres"}))
    pages.append(client.get(reverse("password_reset_done")))
    pages.append(client.get(reverse("login")))
    pages.append(client.post(reverse("login"), {"username": "x", "password": "y"}))
    found = []
    for response in pages:
        found += [
            f"{response.request['PATH_INFO']}: {w}" for w in formal_words(response.content.decode())
        ]
    assert found == [], "\n".join(found)
