"""Schemathesis against the live schema, in-process through the WSGI app:
for every operation, bounded examples as the committee and as a secretary.
No 5xx, no response outside the schema, and most calls get past
authentication (the generated data is valid enough to reach the views)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from fourfirsts.accounts import services as accounts

STATUSES: list[int] = []


@pytest.fixture(autouse=True)
def keep_the_test_connection(db):
    """Like Django's test client, the in-process WSGI app must not close the
    connection that holds the test's transaction after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def settings_for_api(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FOURFIRSTS_API_RATE = "0"
    settings.FOURFIRSTS_INTAKE_RATE_LIMITS = False
    settings.ALLOWED_HOSTS = ["*"]
    return settings


@pytest.fixture
def tokens(cast, world):
    return [accounts.token_create(user=u, name="schemathesis")[1] for u in (cast.committee, cast.secretary_a)]


def _live_schema():
    from django.core.wsgi import get_wsgi_application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _live_schema()


@schema.parametrize()
@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_schema(case, tokens, settings_for_api):
    for token in tokens:
        # A generated body that is well formed may still break a rule (422) or name a
        # record the caller cannot see (404): those are answers, not failures.
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                          excluded_checks=[schemathesis.checks.positive_data_acceptance])
        STATUSES.append(response.status_code)


def test_most_generated_calls_get_past_authentication():
    if not STATUSES:
        pytest.skip("run with the schemathesis cases above")
    past = sum(1 for s in STATUSES if s != 401)
    assert past / len(STATUSES) > 0.9, f"{len(STATUSES) - past} of {len(STATUSES)} calls were refused as unauthenticated"
