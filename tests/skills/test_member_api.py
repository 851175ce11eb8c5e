"""/api/v1/me/profile/: the member's own profile only; 400 with field errors; in the OpenAPI schema."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.skills.models import DiasporaProfile
from tests.factories import UserFactory, user_with_role
from tests.factories.skills import ProfileFactory, member, taxonomy

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/profile/"


@pytest.fixture
def api():
    return APIClient()


def signed_in(api, user):
    api.force_authenticate(user)
    return api


def test_get_returns_the_members_own_profile_and_never_another(api):
    mine = ProfileFactory(first_name="Awa")
    ProfileFactory(first_name="Other")
    data = signed_in(api, mine.user).get(URL).json()
    assert data["id"] == mine.pk and data["first_name"] == "Awa"
    assert data["consents"] == {"listed": False, "expert_contact": False, "newsletter_email": False, "sms": False}
    assert 0 <= data["completeness"]["score"] <= 100 and data["completeness"]["missing"]


def test_a_member_without_a_profile_gets_404_in_the_error_shape(api):
    response = signed_in(api, member()).get(URL)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_anonymous_and_non_members_are_refused(api):
    assert api.get(URL).status_code in (401, 403)
    assert signed_in(api, user_with_role(Role.OFFICE_STAFF)).get(URL).status_code == 403
    assert signed_in(api, UserFactory()).get(URL).status_code == 403


def test_patch_creates_then_updates_the_profile_with_rows(api):
    tax = taxonomy()
    user = member()
    signed_in(api, user)
    response = api.patch(URL, {"first_name": "Youssef", "last_name": "El Amrani"}, format="json")
    assert response.status_code == 200, response.json()
    response = api.patch(
        URL,
        {
            "residence_country": "BE",
            "phone": "0470 12 34 56",
            "occupations": ["2142"],
            "sectors": ["water"],
            "skills": [{"skill": tax["skill2"].code, "kind": "formal"}, {"proposed_text": "Drip", "kind": "informal"}],
            "languages": [{"language": "ar", "level": "native"}],
            "engagement_interests": ["mentoring"],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["phone"] == "+32470123456"
    assert data["occupations"] == ["2142"] and data["sectors"] == ["water"]
    assert len(data["skills"]) == 2
    profile = DiasporaProfile.objects.get(user=user)
    assert DiasporaProfile.objects.filter(pk=profile.pk, search_vector="irrigation").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": "+221 12"}, "phone"),
        ({"date_of_birth": (date.today() + timedelta(days=3)).isoformat()}, "date_of_birth"),
        ({"available_from": "2027-05-01", "available_to": "2027-01-01"}, "available_to"),
        ({"skills": [{"skill": "no-such-skill", "kind": "formal"}]}, "skills"),
        ({"first_name": "x" * 10_000}, "first_name"),
        ({"last_name": "Di\u202eop"}, "last_name"),
        ({"occupations": ["9999"]}, "occupations"),
    ],
)
def test_bad_input_is_a_400_with_the_field_errors(api, payload, field):
    profile = ProfileFactory()
    response = signed_in(api, profile.user).patch(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and field in body["fields"]
    profile.refresh_from_db()
    assert profile.phone == "" and profile.date_of_birth is None


def test_errors_come_in_the_users_language(api):
    profile = ProfileFactory(user=member(preferred_language="fr"))
    response = signed_in(api, profile.user).patch(URL, {"phone": "+221 12"}, format="json")
    assert "numéro" in response.json()["error"]["fields"]["phone"][0]


def test_the_profile_endpoint_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/me/profile/" in response.content.decode()


@pytest.mark.parametrize("field", ["skills", "languages", "education", "occupations", "sectors"])
def test_oversized_lists_are_refused_before_any_lookup(api, field, django_assert_max_num_queries):
    user = member()
    ProfileFactory(user=user)
    signed_in(api, user)
    rows = [{"name": f"row {i}"} for i in range(500)] if field not in ("occupations", "sectors") else ["x"] * 500
    with django_assert_max_num_queries(15):  # 500 rows would be 500 lookups
        response = api.patch(URL, {field: rows}, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
