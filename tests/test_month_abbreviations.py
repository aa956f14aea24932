"""Issue #16, language: month abbreviations in lower case ("10 jun.", not "10 Jun").

Django's "M" format capitalises the abbreviation in every language ("Mrt", "Dec"); the portal
uses "N" (Dutch "mrt.", "dec."; English "March", "Dec.") or the full month "F". This test
reads every template and the app packages and fails naming each place that uses "M"."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
APPS = ["afspraken", "api", "audit", "common", "dashboards", "doelen", "notifications",
        "ontwikkeling", "portal", "rollen", "teams"]  # fmt: skip
DATE_FILTER = re.compile(r"""\|date:(["'])(.*?)\1""")
PY_FORMAT = re.compile(r"""(?:date_format|dateformat\.format)\([^)]*?(["'])(.*?)\1""")
STRFTIME = re.compile(r"""\.strftime\((["'])(.*?)\1""")


def _capital_month(fmt: str) -> bool:
    return re.search(r"(?<!\\)M", fmt) is not None


def test_no_template_or_module_formats_a_capitalised_month_abbreviation():
    found = []
    files = list((ROOT / "templates").rglob("*.html")) + list((ROOT / "templates").rglob("*.txt"))
    for app in APPS:
        files += list((ROOT / app).rglob("*.html")) + list((ROOT / app).rglob("*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        pattern = PY_FORMAT if path.suffix == ".py" else DATE_FILTER
        matches = [m for m in pattern.finditer(text) if _capital_month(m.group(2))]
        if path.suffix == ".py":  # strftime's %b is the English abbreviation, capitalised
            matches += [m for m in STRFTIME.finditer(text) if "%b" in m.group(2)]
        for match in matches:
            line = text[: match.start()].count("\n") + 1
            found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("fmt", ["j N Y", "N Y"])
def test_the_portal_format_gives_lower_case_dutch_abbreviations(fmt):
    import datetime

    with translation.override("nl"):
        html = Template("{{ d|date:fmt }}").render(
            Context({"d": datetime.date(2026, 12, 1), "fmt": fmt})
        )
    assert "1 dec" in html or "dec 2026" in html
    assert "Dec" not in html
