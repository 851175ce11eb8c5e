"""Staff pages and API of the skills bank: permissions, constant query counts, exports, verification."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.skills.models import ProfileVerification
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db

SEARCH = reverse("skills:staff-search")
API = "/api/v1/profiles/"


@pytest.fixture
def staff():
    return user_with_role(Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"))


@pytest.fixture
def manager():
    return user_with_role(Role.OFFICE_MANAGER, organisation=OrganisationFactory(country_id="SN"))


def profiles_with_skills(count: int):
    tax = taxonomy()
    for n in range(count):
        listed_profile(
            first_name=f"Karim{n}",
            job_title="Water engineer",
            skills=["water-treatment", "software-development"],
            sectors=["water"],
            occupations=["2142"],
            languages=["fr", "ar"],
        )
    return tax


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MEMBER, Role.CONTENT_EDITOR])
def test_search_page_and_api_refuse_roles_without_search_rights(client, role):
    client.force_login(user_with_role(role))
    assert client.get(SEARCH, {"q": "x"}).status_code == 403
    response = client.get(API, {"q": "x"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(SEARCH).status_code == 302
    assert client.get(API).status_code in (401, 403)


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_search_page_and_api_run_the_same_number_of_queries_for_10_and_100_results(client, staff):
    client.force_login(staff)
    profiles_with_skills(10)
    page_10 = count_queries(client, SEARCH, {"q": "water", "page": 1})
    api_10 = count_queries(client, API, {"q": "water", "page_size": 100})
    assert client.get(API, {"q": "water", "page_size": 100}).json()["count"] == 10
    profiles_with_skills(90)
    from apps.skills import views_staff

    views_staff.PAGE_SIZE, size = 100, views_staff.PAGE_SIZE
    try:
        page_100 = count_queries(client, SEARCH, {"q": "water", "page": 1})
    finally:
        views_staff.PAGE_SIZE = size
    api_100 = count_queries(client, API, {"q": "water", "page_size": 100})
    assert client.get(API, {"q": "water", "page_size": 100}).json()["count"] == 100
    assert page_10 == page_100
    assert api_10 == api_100


def test_search_page_shows_highlighted_escaped_results(client, staff):
    listed_profile(first_name="Mohamed", last_name="<script>alert(1)</script>", first_name_ar="محمد")
    client.force_login(staff)
    response = client.get(SEARCH, {"q": "Mohammed"})
    body = response.content.decode()
    assert "<mark>Mohamed</mark>" in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "1 profile found" in body


def test_search_page_in_french_and_arabic(client, staff):
    listed_profile(first_name="Karim")
    client.force_login(staff)
    staff.preferred_language = "fr"
    staff.save(update_fields=["preferred_language"])
    body = client.get("/fr" + SEARCH, {"q": "Karim"}).content.decode()
    assert "1 profil trouvé" in body and "Recherche dans la banque de compétences" in body
    staff.preferred_language = "ar"
    staff.save(update_fields=["preferred_language"])
    body = client.get("/ar" + SEARCH, {"q": "Karim"}).content.decode()
    assert 'dir="rtl"' in body and "البحث في بنك الكفاءات" in body


def test_search_page_keeps_what_was_typed_and_says_what_is_wrong(client, staff):
    client.force_login(staff)
    response = client.get(SEARCH, {"q": "ingénieur", "occupation": "22x"})
    body = response.content.decode()
    assert 'value="ingénieur"' in body and 'value="22x"' in body
    assert "An ISCO-08 code has 1 to 4 digits" in body


def test_api_answers_400_with_field_errors_for_bad_filters(client, staff):
    client.force_login(staff)
    response = client.get(API, {"occupation": "abc", "skill": "nope", "available_from": "2027-13-45"})
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"occupation", "skill", "available_from"}


def test_api_returns_ranked_results_with_highlights(client, staff):
    listed_profile(first_name="Mohamed", last_name="Benali", first_name_ar="محمد")
    client.force_login(staff)
    data = client.get(API, {"q": "محمد"}).json()
    assert data["count"] == 1
    assert data["results"][0]["highlight"]["name_ar"] == "<mark>محمد</mark>"


def test_a_profile_outside_the_staff_members_scope_is_not_found(client, staff):
    morocco = listed_profile(origin_country_id="MA")
    unlisted = listed_profile(consent_listed=False)
    client.force_login(staff)
    for profile in (morocco, unlisted):
        assert client.get(reverse("skills:staff-profile", args=[profile.pk])).status_code == 404
        assert client.get(f"{API}{profile.pk}/").status_code == 404


def test_export_is_for_managers_and_coordinators_only(client, staff):
    listed_profile(first_name="Karim")
    client.force_login(staff)
    assert client.get(reverse("skills:staff-search-export", args=["csv"]), {"q": "Karim"}).status_code == 403
    assert "export-csv" not in client.get(SEARCH, {"q": "Karim"}).content.decode()


def test_csv_export_neutralises_formulas_and_is_audited(client, manager):
    listed_profile(first_name='=HYPERLINK("http://x")', last_name="Karim", job_title="+33 engineer", employer="@corp")
    client.force_login(manager)
    response = client.get(reverse("skills:staff-search-export", args=["csv"]), {"q": "Karim"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][7] == "'+33 engineer" and rows[1][8] == "'@corp"
    event = AuditEvent.objects.get(action="profile.export")
    assert event.extra["count"] == 1 and event.actor_id == manager.pk


def test_xlsx_export_holds_the_result_list(client):
    coordinator = user_with_role(Role.COORDINATOR)
    listed_profile(first_name="Karim", last_name="-1+1")
    client.force_login(coordinator)
    response = client.get(reverse("skills:staff-search-export", args=["xlsx"]), {"q": "Karim"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert values[1] == "Karim" and values[2] == "'-1+1"


def test_staff_verify_a_profile_and_the_history_says_who_what_and_when(client, staff):
    profile = listed_profile()
    client.force_login(staff)
    url = reverse("skills:staff-profile", args=[profile.pk])
    response = client.post(url, {"checks": ["identity_document", "diploma"], "note": "Seen in Dakar"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.verified_at is not None and profile.verified_by == staff
    verification = ProfileVerification.objects.get(profile=profile)
    assert verification.checks == ["diploma", "identity_document"] and verification.note == "Seen in Dakar"
    assert AuditEvent.objects.filter(action="profile.verify", object_id=str(profile.pk)).exists()
    assert "Verified on" in client.get(url).content.decode()


def test_verification_requires_saying_what_was_checked(client, staff):
    profile = listed_profile()
    client.force_login(staff)
    response = client.post(reverse("skills:staff-profile", args=[profile.pk]), {"checks": [], "note": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    profile.refresh_from_db()
    assert profile.verified_at is None


def test_admin_action_verifies_through_the_same_service(client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    admin = user_with_role(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    profile = listed_profile()
    client.force_login(admin)
    url = reverse("admin:skills_diasporaprofile_changelist")
    response = client.post(url, {"action": "mark_verified", ACTION_CHECKBOX_NAME: [profile.pk]})
    assert response.status_code == 200 and b"what was checked" in response.content.lower()
    client.post(url, {"action": "mark_verified", ACTION_CHECKBOX_NAME: [profile.pk], "apply": "1", "checks": ["phone"]})
    assert ProfileVerification.objects.get(profile=profile).verified_by == admin


def test_taxonomy_api_is_public_and_translated(client):
    taxonomy()
    data = client.get("/api/v1/taxonomy/skills/", {"q": "trait"}, HTTP_ACCEPT_LANGUAGE="fr").json()
    labels = [row["label"] for row in data["results"]]
    # The full vocabulary is loaded too: the forgiving search finds ours among the French labels.
    assert "Traitement de l'eau" in labels
    data = client.get("/api/v1/taxonomy/occupations/", {"q": "221"}, HTTP_ACCEPT_LANGUAGE="ar").json()
    from apps.skills.models import Occupation

    arabic = Occupation.objects.get(code="2211").label_ar
    assert {"code": "2211", "label": arabic, "level": 4, "parent": "221"} in data["results"]
    for name in ("sectors", "languages", "education-levels", "education-fields"):
        assert client.get(f"/api/v1/taxonomy/{name}/").status_code == 200


def test_the_openapi_schema_lists_the_staff_and_taxonomy_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/profiles/", "/api/v1/taxonomy/occupations/", "/api/v1/taxonomy/education-fields/"):
        assert path in schema
