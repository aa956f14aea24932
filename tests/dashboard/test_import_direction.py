"""Nothing reads the dashboards: the apps below them (and the model-free helpers) never
import `dashboards` or `portal`. Their bulk writes tell the dashboards through
`common.signals.rows_changed` instead (dashboards.freshness)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BELOW_THE_DASHBOARDS = ("teams", "rollen", "doelen", "ontwikkeling", "common", "audit")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", BELOW_THE_DASHBOARDS)
def test_apps_below_the_dashboards_do_not_import_them(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.split(".")[0] in {"dashboards", "portal", "zelfsturing"}
        )
        for path in (ROOT / app).rglob("*.py")
    }
    assert not {path: names for path, names in offending.items() if names}
