import pytest

from ontwikkeling.reference import ensure_reference


@pytest.fixture(autouse=True)
def development_reference(db):
    """Themes, statements and responsibilities (a flush by a live-server test removes the
    rows the data migration created)."""
    ensure_reference()
