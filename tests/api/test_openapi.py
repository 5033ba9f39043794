"""The API keeps to its OpenAPI description: schemathesis generates requests from it."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth

from portal.api.openapi import SPEC

MAX_EXAMPLES = 15


def test_the_description_is_served_to_signed_in_users(client, signed_in):
    """GET /api/v1/openapi.json answers the description; signed out it is 401 like the API."""
    assert client.get("/api/v1/openapi.json").status_code == 401
    signed_in("viewer")
    served = client.get("/api/v1/openapi.json").get_json()
    assert served["openapi"].startswith("3.") and set(served["paths"]) == set(SPEC["paths"])


def _operations():
    schema = schemathesis.openapi.from_dict(SPEC)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", _operations(), ids=lambda op: op.label)
def test_every_operation_conforms_and_never_fails(app, demo, client, auth, operation):
    """Generated requests, signed in, get answers that match the description and no 5xx."""
    auth.login("ledning@example.org", "narvard-demo")
    cookie = client.get_cookie("samverkan_session").value
    operation.schema.app = app

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        # The WSGI client keeps the cookie, so the replay without it that `ignored_auth`
        # makes would still be signed in; the signed-out test below covers that instead.
        response = case.call_and_validate(app=app, cookies={"samverkan_session": cookie},
                                          excluded_checks=[ignored_auth])
        assert response.status_code < 500, response.text[:500]

    check()


def test_signed_out_answers_are_described_too(app, demo):
    """Without the cookie every operation answers 401 with the described JSON error."""
    for operation in _operations():
        operation.schema.app = app
        case = operation.Case()
        response = case.call_and_validate(app=app)
        assert response.status_code == 401


def test_a_bad_as_of_gets_the_described_400(app, demo, client, auth):
    """A date that is not YYYY-MM-DD is answered 400 with the described JSON error."""
    auth.login("ledning@example.org", "narvard-demo")
    cookie = client.get_cookie("samverkan_session").value
    operation = next(op for op in _operations() if op.path == "/api/v1/findings")
    for value in ("2025-02-30", "tomorrow", "2025-1-1"):
        case = operation.Case(query={"as_of": value})
        response = case.call_and_validate(app=app, cookies={"samverkan_session": cookie},
                                          excluded_checks=[ignored_auth])
        assert response.status_code == 400


def test_the_described_as_of_is_the_portals_date_range():
    """The description promises what the API accepts: 1900-01-01 to 2199-12-31, no more."""
    import re
    from datetime import timedelta

    from portal.api.openapi import AS_OF_PATTERN
    from portal.dates import FIRST_DATE, LAST_DATE

    inside = (FIRST_DATE, LAST_DATE)
    outside = (FIRST_DATE - timedelta(days=1), LAST_DATE + timedelta(days=1))
    assert all(re.fullmatch(AS_OF_PATTERN, d.isoformat()) for d in inside)
    assert not any(re.fullmatch(AS_OF_PATTERN, d.isoformat()) for d in outside)
