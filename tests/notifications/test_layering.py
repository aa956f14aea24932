"""notifications sits below doelen and ontwikkeling: it imports neither (nor anything above
them), and the two apps know nothing of each other's kinds."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from notifications.models import ReminderLog

ROOT = Path(settings.BASE_DIR)


def imported_modules(app: str, *, migrations: bool = True) -> dict[str, set[str]]:
    """{file: top-level modules it imports} for every Python file of `app`."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if not migrations and "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    assert found, f"no Python files found in {app}/"
    return found


def offending(app: str, forbidden: set[str], **kwargs) -> dict[str, set[str]]:
    def bad(module: str) -> bool:
        return any(module == top or module.startswith(top + ".") for top in forbidden)

    found = imported_modules(app, **kwargs)
    return {
        path: {m for m in names if bad(m)} for path, names in found.items() if any(map(bad, names))
    }


ABOVE_NOTIFICATIONS = {"rollen", "doelen", "ontwikkeling", "dashboards", "portal", "zelfsturing"}


def test_notifications_imports_no_app_above_it():
    assert offending("notifications", ABOVE_NOTIFICATIONS) == {}


def test_the_check_catches_a_forbidden_import(tmp_path, monkeypatch):
    """The check above can fail: a file importing doelen is reported."""
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "bad.py").write_text("from doelen.reminders import KINDS\nimport os\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert offending("fake", ABOVE_NOTIFICATIONS) == {
        "fake/bad.py": {"doelen.reminders", "doelen.reminders.KINDS"}
    }


@pytest.mark.parametrize(
    ("app", "other", "other_kinds"),
    [
        ("doelen", "ontwikkeling", ("scan_invitation", "scan_reminder")),
        ("ontwikkeling", "doelen.reminders", ('"daily"', '"digest"')),
    ],
)
def test_doelen_and_ontwikkeling_know_nothing_of_each_others_kinds(app, other, other_kinds):
    assert offending(app, {other}, migrations=False) == {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue  # history: doelen/0009 once listed the scan kinds
        text = path.read_text()
        assert not [k for k in other_kinds if k in text], path


def test_the_log_lists_no_kinds_in_the_database():
    """A kind check constraint would have to name every app's kinds (see ReminderLog)."""
    conditions = [
        str(c.condition) for c in ReminderLog._meta.constraints if hasattr(c, "condition")
    ]
    assert not [c for c in conditions if "kind__in" in c]
    assert not ReminderLog._meta.get_field("kind").choices
