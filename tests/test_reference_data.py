"""The data migrations hold frozen copies of the reference data (so they never import live
code); the live copies in */reference.py restore it after a flush. Both must agree: this test
reads what the migrations left in the test database (created by running every migration)."""

import pytest
from django.contrib.auth.models import Group

from doelen.models import OrganisationObjective
from doelen.reference import OBJECTIVES
from ontwikkeling.models import Responsibility, Statement, Theme
from ontwikkeling.reference import RESPONSIBILITIES, STATEMENTS, THEMES
from rollen.models import Role
from rollen.reference import ROLES
from teams.reference import GROUPS

pytestmark = pytest.mark.django_db


def _named(model):
    return [
        (row.slug, row.name_nl, row.name_en, row.description_nl, row.description_en)
        for row in model.objects.order_by("order")
    ]


def test_roles_from_the_migration_are_the_live_roles():
    assert _named(Role) == [tuple(role) for role in ROLES]


def test_objectives_from_the_migration_are_the_live_objectives():
    assert _named(OrganisationObjective) == [tuple(objective) for objective in OBJECTIVES]


def test_groups_from_the_migration_are_the_live_groups():
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(GROUPS)


def test_development_reference_from_the_migration_is_the_live_reference():
    themes = [(t.slug, t.name_nl, t.name_en) for t in Theme.objects.order_by("order")]
    assert themes == [tuple(theme) for theme in THEMES]
    for slug, statements in STATEMENTS.items():
        stored = Statement.objects.filter(theme__slug=slug).order_by("order")
        assert [(s.text_nl, s.text_en) for s in stored] == [tuple(s) for s in statements]
    responsibilities = [
        (r.slug, r.name_nl, r.name_en) for r in Responsibility.objects.order_by("order")
    ]
    assert responsibilities == [tuple(r) for r in RESPONSIBILITIES]
