"""Two applies of one checked plan at the same moment (a double click, two tabs): one
applies, the other is told it was already applied. Needs PostgreSQL (concurrent
connections and row locks)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from rollen.imports.jobs import (
    ImportAlreadyApplied,
    import_file_check,
    import_file_set_options,
    import_file_start_apply,
    import_file_store,
    import_file_table,
)
from rollen.imports.parse import guess_mapping
from rollen.models import ImportFile, ImportStatus
from teams.models import HR_GROUP, Employee, Membership
from tests.conftest import need_service
from tests.doelen.test_services_concurrency import run_together
from tests.factories import EmployeeFactory, TeamFactory

FILE = (
    "personeelsnummer;naam;e-mail;team\n"
    "P200;Dana Dekker;dana@example.org;Vergunningen\n"
    "P201;Eva Elders;eva@example.org;Vergunningen\n"
    "P201;Eva Elders;eva@example.org;Burgerzaken\n"
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    need_service(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://…)")


def test_parallel_applies_apply_once(postgres):
    # Not the hr fixture: an earlier transactional test's flush may have removed the groups.
    group, _created = Group.objects.get_or_create(name=HR_GROUP)
    hr = EmployeeFactory(username="hr-parallel")
    hr.groups.add(group)
    TeamFactory(name="Vergunningen", slug="vergunningen")
    TeamFactory(name="Burgerzaken", slug="burgerzaken")
    # No roles column: an earlier flush may have removed the four roles as well.
    job = import_file_store(data=FILE.encode(), filename="hr.csv", actor=hr)
    table = import_file_table(job)
    import_file_set_options(
        import_file=job, mapping=guess_mapping(table.header), deactivate_missing=False, encoding=""
    )
    job = import_file_check(import_file_id=job.pk, actor=hr)
    assert job.status == ImportStatus.CHECKED and not job.result["has_problems"]

    def go():
        import_file_start_apply(
            import_file=ImportFile.objects.get(pk=job.pk),
            actor=hr,
            fingerprint=job.result["fingerprint"],
            confirm_ends=True,
            accept_email_matches=True,
        )
        return "applied"

    results = run_together(go, go)
    told = [r for r in results if isinstance(r, ImportAlreadyApplied)]
    assert sorted(map(type, results), key=str) and len(told) == 1, results
    assert results.count("applied") == 1, results
    assert Employee.objects.filter(personnel_number__in=["P200", "P201"]).count() == 2
    assert Membership.objects.count() == 3
    assert ImportFile.objects.get(pk=job.pk).status == ImportStatus.APPLIED
