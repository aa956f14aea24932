"""`{% fixed_url %}` (portal/templatetags/portal_urls.py) gives what `{% url %}` gives."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import clear_script_prefix, path, set_script_prefix

BASE = Path(__file__).resolve().parent.parent / "templates" / "base.html"


def _render(source: str) -> str:
    return Template("{% load portal_urls %}" + source).render(Context())


def test_every_layout_link_matches_url_tag():
    names = set(re.findall(r"{% fixed_url '([^']+)' %}", BASE.read_text()))
    assert len(names) > 10
    for name in names:
        expected = Template(f"{{% url '{name}' %}}").render(Context())
        assert _render(f"{{% fixed_url '{name}' %}}") == expected
        assert _render(f"{{% fixed_url '{name}' %}}") == expected  # the remembered one


def test_follows_the_script_prefix():
    set_script_prefix("/sub/")
    try:
        assert _render("{% fixed_url 'home' %}") == "/sub/"
    finally:
        clear_script_prefix()
    assert _render("{% fixed_url 'home' %}") == "/"


def _view(request):  # pragma: no cover - never called
    raise AssertionError


urlpatterns = [path("elders/", _view, name="home")]


def test_follows_a_changed_url_configuration():
    assert _render("{% fixed_url 'home' %}") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert _render("{% fixed_url 'home' %}") == "/elders/"
    assert _render("{% fixed_url 'home' %}") == "/"


@pytest.mark.parametrize(
    "source", ["{% fixed_url %}", "{% fixed_url home %}", "{% fixed_url 'a' 'b' %}"]
)
def test_one_quoted_name(source):
    with pytest.raises(TemplateSyntaxError):
        _render(source)
