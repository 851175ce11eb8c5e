"""Personal access tokens for other systems: issue, use, expiry, revocation, scope, roles, rate and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.api_tokens import ApiTokenThrottle, api_token_issue
from apps.accounts.models import ApiToken
from apps.accounts.services import membership_revoke
from apps.core.models import AuditEvent
from apps.core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"


def api(raw: str | None = None, header: str | None = None, ip: str = "203.0.113.50") -> APIClient:
    client = APIClient(REMOTE_ADDR=ip)
    if header is not None or raw is not None:
        client.credentials(HTTP_AUTHORIZATION=header if header is not None else f"Bearer {raw}")
    return client


def assert_error(response, status: int, code: str | None = None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture
def analyst(client):
    user = user_with_role(Role.ANALYST, email="stats@example.org")
    client.force_login(user)
    return user


def create_on_the_page(client, **data) -> str:
    response = client.post(PAGE, {"name": "Statistics office", "scope": "read", "days": 30, **data})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.get(response["Location"])
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    start = html.index('data-testid="token-secret"')
    return html[start:].split("<code", 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_a_token_made_on_the_page_is_shown_once_and_kept_only_as_a_hash(client, analyst):
    assert client.get(PAGE).status_code == 200
    raw = create_on_the_page(client)
    assert raw.startswith("dep_")
    token = ApiToken.objects.get(user=analyst)
    assert token.name == "Statistics office" and token.scope == "read"
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    with connection.cursor() as cursor:  # nowhere in the table, nor in the audit log
        cursor.execute(
            "SELECT row_to_json(t)::text FROM accounts_apitoken t UNION ALL "
            "SELECT row_to_json(e)::text FROM core_auditevent e"
        )
        assert not any(raw in row[0] or raw.split("_", 2)[2] in row[0] for row in cursor.fetchall())
    again = client.get(PAGE).content.decode()
    assert raw not in again and "Statistics office" in again
    assert AuditEvent.objects.filter(action="api_token.create", actor_id=analyst.pk).count() == 1


def test_a_token_calls_the_api_as_its_user_and_every_use_is_audited(analyst):
    token, raw = api_token_issue(user=analyst, name="HR", scope="read", days=10)
    for _ in range(2):
        body = api(raw).get("/api/v1/me/").json()
        assert body["email"] == analyst.email and body["roles"] == ["analyst"]
    uses = AuditEvent.objects.filter(action="api_token.use", object_id=str(token.pk))
    assert uses.count() == 2
    assert {(e.summary, e.ip_address, e.actor_id) for e in uses} == {("GET /api/v1/me/", "203.0.113.50", analyst.pk)}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_token_is_refused_with_401(analyst):
    token, raw = api_token_issue(user=analyst, name="HR", scope="read", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    error = assert_error(api(raw).get("/api/v1/me/"), 401, "authentication_failed")
    assert "expired" in error["message"]
    refused = AuditEvent.objects.get(action="api_token.refused", object_id=str(token.pk))
    assert refused.summary == "GET /api/v1/me/" and refused.actor_id == analyst.pk
    assert not AuditEvent.objects.filter(action="api_token.use").exists()


def test_a_token_revoked_on_the_page_stops_working_and_another_users_token_cannot_be_revoked(client, analyst):
    raw = create_on_the_page(client)
    token = ApiToken.objects.get(user=analyst)
    assert api(raw).get("/api/v1/me/").status_code == 200
    other_token, other_raw = api_token_issue(user=user_with_role(Role.ANALYST), name="Theirs", scope="read", days=10)
    assert client.post(reverse("accounts:api-token-revoke", args=[other_token.pk])).status_code == 404
    assert client.get(reverse("accounts:api-token-revoke", args=[token.pk])).status_code == 405
    assert client.post(reverse("accounts:api-token-revoke", args=[token.pk])).status_code == 302
    error = assert_error(api(raw).get("/api/v1/me/"), 401)
    assert "revoked" in error["message"]
    assert api(other_raw).get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


def test_a_read_only_token_cannot_write_and_a_read_write_token_can(analyst):
    _token, read = api_token_issue(user=analyst, name="Reader", scope="read", days=10)
    _token, write = api_token_issue(user=analyst, name="Writer", scope="read_write", days=10)
    refused = api(read).patch("/api/v1/me/", {"preferred_language": "fr"}, format="json")
    assert_error(refused, 403, "permission_denied")
    analyst.refresh_from_db()
    assert analyst.preferred_language == "en"
    assert AuditEvent.objects.filter(action="api_token.use", summary="PATCH /api/v1/me/").count() == 1
    assert api(write).patch("/api/v1/me/", {"preferred_language": "fr"}, format="json").status_code == 200


def test_a_token_has_only_its_users_roles_of_the_moment(analyst):
    _token, raw = api_token_issue(user=analyst, name="Stats", scope="read", days=10)
    assert api(raw).get("/api/v1/reports/").status_code == 200
    membership_revoke(membership=analyst.memberships.get(role=Role.ANALYST))
    assert_error(api(raw).get("/api/v1/reports/"), 403)


def test_each_token_has_its_own_rate_whatever_address_it_comes_from(analyst, monkeypatch):
    monkeypatch.setattr(ApiTokenThrottle, "THROTTLE_RATES", {"api_token": "3/min"})
    _token, busy = api_token_issue(user=analyst, name="Busy", scope="read", days=10)
    _token, calm = api_token_issue(user=analyst, name="Calm", scope="read", days=10)
    codes = [api(busy, ip=f"198.51.100.{n}").get("/api/v1/me/").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert_error(api(busy).get("/api/v1/me/"), 429, "throttled")
    assert api(calm).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer dep_000000000000_nothing", "Bearer not-ours", "Bearer dep_x", "Token abc"],
)
def test_wrong_tokens_are_refused_with_the_error_shape_never_a_5xx(header, analyst):
    response = api(header=header).get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert_error(response, response.status_code)


def test_the_plain_text_tokens_of_the_admin_no_longer_open_the_api(analyst):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=analyst)
    assert api(header=f"Token {token.key}").get("/api/v1/me/").status_code in (401, 403)


def test_members_and_anonymous_visitors_cannot_make_tokens(client):
    assert client.get(PAGE).status_code == 302
    member = user_with_role(Role.MEMBER)
    client.force_login(member)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"name": "x", "scope": "read", "days": 5}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_bad_form_keeps_what_was_typed_and_says_why_in_french(client, analyst):
    response = client.post("/fr" + PAGE, {"name": "Système RH du ministère", "scope": "read_write", "days": 0})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Système RH du ministère" in html
    assert "supérieure ou égale à 1" in html
    assert not ApiToken.objects.exists()


def test_the_api_docs_describe_the_token_with_an_example(client):
    schema = client.get("/api/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["accessToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "Authorization: Bearer dep_" in schema["info"]["description"]
