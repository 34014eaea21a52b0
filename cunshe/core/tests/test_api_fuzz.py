"""The whole OpenAPI document under generated input, as several roles (issue 14, item 18): no operation answers 5xx
and every answer matches its documented schema. Schemathesis generates the requests from the document; the examples
per operation are few and fixed (derandomized), so the run is bounded and repeatable."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.accounts.services import token_issue

# Per operation and role, the documented examples and then generated ones. The whole document is the suite's
# longest test (eight took 193 s on SQLite, five 110 s, four 85 s); both databases' runs, with the backup checks
# beside them, must fit in CI's 20 minutes, which measured 19:07 and 19:52 with four (session 19): three.
EXAMPLES = 3
ROLES = [("county_organizer", COUNTY), ("town_officer", TOWN_A), ("village_cadre", VILLAGE_A)]


def fuzz(operation: Any, headers: list[dict[str, str]], failures: list[str], answers: dict[int, int]) -> None:
    """Call one operation with generated input as each role; record failures instead of stopping at the first."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        for auth in headers:
            case.headers = {**(case.headers or {}), **auth}
            response = case.call()
            answers[response.status_code] = answers.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} → {response.status_code}: {str(exc)[:300]}")
                return

    check()


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """The WSGI application closes the database connection when a request ends (close_old_connections); inside the
    test's transaction on PostgreSQL that closes it under the test. Django's test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.fuzz
def test_no_operation_answers_5xx_or_breaks_its_schema(
    zouping: Any, make_user: Any, make_person: Any, connection_kept: None
) -> None:
    for n in range(3):
        make_person(VILLAGE_A, name=f"模糊测试{n}")
    users = [make_user(role, region) for role, region in ROLES]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures: list[str] = []
    answers: dict[int, int] = {}
    # an Err (an operation the document describes badly) has no ok(): the test fails on it, as it should
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 100
    for operation in operations:
        # fresh tokens for each operation: DELETE /auth/token revokes the one it is called with
        headers = [{"Authorization": f"Bearer {token_issue(user=user)[1]}"} for user in users]
        fuzz(operation, headers, failures, answers)
    assert answers.get(200, 0) > 200, answers  # the roles were signed in: the operations really ran
    assert failures == [], "\n".join(failures[:40])
