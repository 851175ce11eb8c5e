import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.returns.models import Event, EventRegistration, FundingOpportunity, InfoSheet, Vacancy
from tests.factories import user_with_role
from tests.factories.returns import (
    EventFactory,
    FundingOpportunityFactory,
    InfoSheetFactory,
    NetworkPartnerFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_role(api, role):
    user = user_with_role(role)
    api.force_authenticate(user)
    return user


# Pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["returns:partner-directory", "returns:vacancy-list"])
def test_directory_pages_are_for_office_staff_only(client, url_name):
    NetworkPartnerFactory()
    client.force_login(user_with_role(Role.MEMBER))
    assert client.get(reverse(url_name)).status_code == 403
    client.force_login(user_with_role(Role.OFFICE_MANAGER))
    assert client.get(reverse(url_name)).status_code == 200


def test_anonymous_visitors_are_sent_to_login_from_staff_pages(client):
    response = client.get(reverse("returns:partner-directory"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize(
    "url_name", ["returns:editor-funding-list", "returns:editor-event-list", "returns:editor-funding-create"]
)
def test_editor_pages_answer_403_to_office_staff(client, url_name):
    client.force_login(user_with_role(Role.OFFICE_STAFF))
    assert client.get(reverse(url_name)).status_code == 403


def test_unpublished_funding_and_draft_events_are_404_to_the_public(client):
    opportunity = FundingOpportunityFactory(status=FundingOpportunity.Status.DRAFT)
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("returns:funding-detail", args=[opportunity.pk])).status_code == 404
    assert client.get(reverse("returns:event-detail", args=[event.pk])).status_code == 404
    client.force_login(user_with_role(Role.MEMBER))
    assert client.post(reverse("returns:event-register", args=[event.pk])).status_code == 404


def test_public_pages_list_published_content_in_each_language(client):
    opportunity = FundingOpportunityFactory()
    event = EventFactory()
    for prefix, language in (("", "en"), ("/fr", "fr"), ("/ar", "ar")):
        funding_page = html.unescape(client.get(f"{prefix}/returns/funding/").content.decode())
        events_page = html.unescape(client.get(f"{prefix}/returns/events/").content.decode())
        assert getattr(opportunity, f"title_{language}") in funding_page
        assert getattr(event, f"title_{language}") in events_page


def test_office_staff_cannot_register_for_events(client):
    event = EventFactory()
    client.force_login(user_with_role(Role.OFFICE_STAFF))
    assert client.post(reverse("returns:event-register", args=[event.pk])).status_code == 403


def test_navigation_shows_each_role_its_entries(client):
    client.force_login(user_with_role(Role.CONTENT_EDITOR))
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("returns:editor-sheet-list") in html
    client.force_login(user_with_role(Role.MEMBER))
    html = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("returns:editor-sheet-list") not in html and reverse("returns:my-events") in html
    assert reverse("returns:partner-directory") not in html


def test_staff_add_a_vacancy_and_a_past_closing_date_is_refused(client):
    client.force_login(user_with_role(Role.OFFICE_STAFF))
    data = {
        "title": "Nurse",
        "employer": "Hôpital Principal",
        "country": "SN",
        "closing_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
    }
    response = client.post(reverse("returns:vacancy-create"), data)
    assert response.status_code == 200 and "The closing date has already passed." in response.content.decode()
    assert "Hôpital Principal" in response.content.decode()
    data["closing_date"] = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert client.post(reverse("returns:vacancy-create"), data).status_code == 302
    assert Vacancy.objects.get().title == "Nurse"


# API --------------------------------------------------------------------------------------------------------


def test_api_lists_only_published_sheets_to_the_public(api):
    published = InfoSheetFactory()
    InfoSheetFactory(status=InfoSheet.Status.DRAFT)
    response = api.get("/api/v1/info-sheets/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [published.pk]
    assert response.json()["results"][0]["available_languages"] == ["en", "fr", "ar"]


def test_api_draft_sheet_is_404_to_the_public(api):
    draft = InfoSheetFactory(status=InfoSheet.Status.DRAFT)
    response = api.get(f"/api/v1/info-sheets/{draft.pk}/")
    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_api_writes_are_403_for_other_roles_with_the_error_shape(api):
    as_role(api, Role.MEMBER)
    response = api.post("/api/v1/info-sheets/", {"kind": "first"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_api_editor_creates_a_sheet_and_bad_input_is_a_400_with_fields(api):
    as_role(api, Role.CONTENT_EDITOR)
    data = {"kind": "first", "country": "SN", "topic": "return", "status": "published", "title_en": "First steps"}
    response = api.post("/api/v1/info-sheets/", data, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "body_en" in response.json()["error"]["fields"]
    response = api.post("/api/v1/info-sheets/", data | {"body_en": "Register."}, format="json")
    assert response.status_code == 201
    assert response.json()["available_languages"] == ["en"]


def test_api_funding_publish_refuses_a_past_deadline(api):
    as_role(api, Role.CONTENT_EDITOR)
    opportunity = FundingOpportunityFactory(
        status=FundingOpportunity.Status.DRAFT, deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    response = api.post(f"/api/v1/funding-opportunities/{opportunity.pk}/publish/")
    assert response.status_code == 400
    assert "deadline" in response.json()["error"]["fields"]


def test_api_funding_create_refuses_negative_amounts(api):
    as_role(api, Role.CONTENT_EDITOR)
    data = {
        "title_en": "Loan",
        "funder": "Bank",
        "kind": "loan",
        "amount_min": "-1",
        "countries": ["SN"],
        "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    response = api.post("/api/v1/funding-opportunities/", data, format="json")
    assert response.status_code == 400 and "amount_min" in response.json()["error"]["fields"]


def test_api_vacancies_are_for_office_staff(api):
    VacancyFactory()
    assert api.get("/api/v1/vacancies/").status_code in (401, 403)
    as_role(api, Role.MEMBER)
    assert api.get("/api/v1/vacancies/").status_code == 403
    as_role(api, Role.OFFICE_STAFF)
    assert api.get("/api/v1/vacancies/").json()["count"] == 1


def test_api_member_registers_then_twice_is_a_400_then_cancels(api):
    event = EventFactory(capacity=1)
    member = as_role(api, Role.MEMBER)
    url = f"/api/v1/events/{event.pk}/registration/"
    assert api.post(url).status_code == 201
    response = api.post(url)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field_errors": ["You are already registered for this event."]}
    assert api.delete(url).status_code == 204
    assert EventRegistration.objects.get(user=member).status == "cancelled"


def test_api_capacity_below_registrations_is_a_400(api):
    event = EventFactory(capacity=2)
    for _ in range(2):
        member = as_role(api, Role.MEMBER)
        api.post(f"/api/v1/events/{event.pk}/registration/")
    assert EventRegistration.objects.filter(event=event, status="registered").count() == 2
    as_role(api, Role.CONTENT_EDITOR)
    response = api.patch(f"/api/v1/events/{event.pk}/", {"capacity": 1}, format="json")
    assert response.status_code == 400 and "capacity" in response.json()["error"]["fields"]
    assert member


def test_api_schema_names_the_returns_resources(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/info-sheets/", "/api/v1/funding-opportunities/", "/api/v1/vacancies/", "/api/v1/events/"):
        assert path in text
