"""Every operation of the OpenAPI schema, fuzzed with schemathesis as every role (and anonymously): no 5xx, and every answer
conforms to the schema (status code documented, content type and body as described).

The data is the demo data set (`load_demo_data`), so lists have rows and the demo users hold every role. The
number of examples per operation and role is bounded (``API_FUZZ_EXAMPLES``, default 8) so that this runs in
`make test`; raise it (and set API_FUZZ_COVERAGE=1) for a deeper run. Requests go to the Django WSGI application in process, inside the
test's transaction, so nothing is left behind.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.demo import DEMO_USERS
from apps.accounts.models import User
from apps.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
# Schemathesis' coverage phase (boundary values, missing and wrong-typed fields, as explicit examples) sends up to a
# thousand requests for a large body; `make test` leaves it out, API_FUZZ_COVERAGE=1 puts it in.
PHASES = [Phase.explicit, Phase.generate] if os.environ.get("API_FUZZ_COVERAGE") == "1" else [Phase.generate]

# One demo account per role (every role of the portal, from the demo data's own list), plus no account at all.
CALLERS: dict[str, str | None] = {"anonymous": None}
for _email, _name, _language, _role, _organisation in DEMO_USERS:
    CALLERS.setdefault(str(_role), _email)


def test_the_fuzz_calls_as_every_role():
    assert set(CALLERS) == {"anonymous", *(str(role) for role in Role)}


def _not_a_server_error(ctx, response, case):
    if response.status_code >= 500:
        raise AssertionError(f"{case.method} {case.formatted_path} answered {response.status_code}")
    return None


CHECKS = [_not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    from drf_spectacular.generators import SchemaGenerator

    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


schema = _schema()


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, without the end-of-request connection cleanup (as Django's test client does):
    it would close the connection that holds the test's transaction."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _token_for(email: str | None) -> dict:
    if email is None:
        return {}
    from apps.accounts.api_tokens import api_token_issue

    _token, raw = api_token_issue(user=User.objects.get(email=email), name="fuzz", scope="read_write", days=1)
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("caller", list(CALLERS))
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=PHASES,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_without_5xx_and_as_documented(case, caller, demo_data_committed, db, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers=_token_for(CALLERS[caller]), checks=CHECKS)
