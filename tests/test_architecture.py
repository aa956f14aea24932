"""The layout rules of docs/architecture.md, read from the source: which way imports run, that
nothing imports the project package, that migrations do not import live code, and that no
module grows past about 400 lines."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import the apps before it in this list (and `common`).
ORDER = ["audit", "teams", "notifications", "rollen", "doelen", "afspraken", "ontwikkeling"]
TOP = ["dashboards", "portal", "api"]  # read every app above; nothing reads them, not each other
APPS = ORDER + TOP
PACKAGES = ["common", *APPS, "zelfsturing"]
MAX_LINES = 400


def _python_files(package: str):
    yield from sorted((ROOT / package).rglob("*.py"))


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _allowed(app: str) -> set[str]:
    if app in TOP:
        return {"common", *ORDER, app}
    return {"common", *ORDER[: ORDER.index(app) + 1]}


def _violations():
    for app in APPS:
        for path in _python_files(app):
            imported = _imported_top_levels(path) & set(PACKAGES)
            if "migrations" in path.parts:
                # A data migration must not import live code: the code changes, the migration
                # must not. (Schema migrations may name the app's managers and validators, as
                # Django writes them.)
                wrong = imported if "RunPython" in path.read_text(encoding="utf-8") else set()
            else:
                wrong = imported - _allowed(app)
            for name in sorted(wrong):
                yield f"{path.relative_to(ROOT)} imports {name}"


def test_imports_run_one_way():
    assert list(_violations()) == []


def test_common_imports_no_app():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _python_files("common")
        for name in sorted(_imported_top_levels(path) & set(PACKAGES) - {"common"})
    ]
    assert offenders == []


def test_no_app_imports_the_project_package():
    offenders = [
        str(path.relative_to(ROOT))
        for app in ["common", *APPS]
        for path in _python_files(app)
        if "zelfsturing" in _imported_top_levels(path)
    ]
    assert offenders == []


def test_no_module_passes_about_400_lines():
    too_long = {}
    for package in PACKAGES:
        for path in _python_files(package):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long[str(path.relative_to(ROOT))] = lines
    assert too_long == {}


@pytest.mark.parametrize("app", APPS)
def test_every_app_is_installed(app, settings):
    assert app in settings.INSTALLED_APPS
