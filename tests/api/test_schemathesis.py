"""Schemathesis against the generated schema: every operation, called with a key of each
scope, with a key without scopes and without a key. No server errors, every answer fits the
schema, and 401/403 exactly where the scopes say."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from api.models import Scope
from tests.api.conftest import build_organisation

# The scope each operation needs; a new operation without a line here fails the test below.
REQUIRED_SCOPE = {
    "/api/v1/teams/": Scope.TEAMS,
    "/api/v1/memberships/": Scope.TEAMS,
    "/api/v1/role-assignments/": Scope.ROLES,
    "/api/v1/role-changes/": Scope.ROLES,
    "/api/v1/objectives/": Scope.GOALS,
    "/api/v1/goals/": Scope.GOALS,
    "/api/v1/check-ins/": Scope.GOALS,
    "/api/v1/scan-results/": Scope.SCAN,
}
EXAMPLES = 12


@pytest.fixture
def keys(db, make_key):
    """{name: key}: one per scope, one with every scope, one without any."""
    build_organisation(teams=2, people=5)
    result = {scope: make_key(scope) for scope in Scope.values}
    result["all"] = make_key(*Scope.values)
    result["none"] = make_key()
    return result


@pytest.fixture
def api_schema(db):
    from zelfsturing.wsgi import application

    # As Django's test client does: a request through the WSGI handler must not close the
    # test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# (schemathesis' pytest plug-in, from_fixture, does not run on pytest 9: the operations are
# parametrised here and each one's strategy drawn with Hypothesis directly.)


def test_every_operation_has_its_scope_listed(api_schema):
    operations = {
        (result.ok().path, result.ok().method) for result in api_schema.get_all_operations()
    }
    assert operations == {(path, "get") for path in REQUIRED_SCOPE}


@pytest.mark.parametrize("path", REQUIRED_SCOPE)
def test_api_answers_as_the_schema_says(api_schema, keys, path):
    operation = api_schema[path]["GET"]
    required = REQUIRED_SCOPE[path]
    calls = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case):
        # Without a key: 401, in the error shape the schema gives.
        response = case.call(headers={"Authorization": ""})
        assert response.status_code == 401, response.text
        case.validate_response(response)
        for name, key in keys.items():
            headers = {"Authorization": f"Bearer {key}"}
            response = case.call(headers=headers)
            if name in ("all", required):
                # 404: a generated cursor that points to no page.
                assert response.status_code in (200, 400, 404), (name, case.query, response.text)
            else:
                assert response.status_code == 403, (name, response.text)
            # The key is explicit, so schemathesis also probes the address without it and
            # with a wrong one (its ignored_auth check).
            case.validate_response(response, headers=headers)
            calls.append(response.status_code)

    check()
    assert 200 in calls
    # Figures for the report (visible with -s): examples and calls of this operation.
    print(
        f"{path}: {len(calls) // len(keys)} examples, {len(calls) + len(calls) // len(keys)} calls"
    )
