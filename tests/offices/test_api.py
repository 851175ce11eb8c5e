"""API: same scope as the pages, one error shape, in the OpenAPI schema."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.offices.models import Contact
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_offices_are_public_and_filtered_by_country(api):
    OfficeFactory(organisation__name="Kayes Office", organisation__country_id="ML", country_id="ML")
    OfficeFactory(organisation__name="Dakar Office")
    body = api.get("/api/v1/offices/", {"country": "ML"}).json()
    assert [o["name"] for o in body["results"]] == ["Kayes Office"]


@pytest.mark.parametrize("resource", ["persons", "contacts"])
def test_a_member_gets_403_on_office_resources(api, resource):
    api.force_authenticate(user_with_role(Role.MEMBER))
    response = api.get(f"/api/v1/{resource}/")
    assert response.status_code == 403 and "error" in response.json()


def test_a_member_without_organisation_gets_403_on_referrals(api):
    api.force_authenticate(user_with_role(Role.MEMBER))
    assert api.get("/api/v1/referrals/").status_code == 403


def test_staff_list_only_their_office_and_get_404_for_another(api, office, staff, other_office):
    mine = PersonFactory(office=office)
    theirs = PersonFactory(office=other_office)
    their_contact = ContactFactory(person=theirs)
    their_referral = ReferralFactory(person=theirs)
    api.force_authenticate(staff)
    assert [p["id"] for p in api.get("/api/v1/persons/").json()["results"]] == [mine.pk]
    for url in (f"/api/v1/persons/{theirs.pk}/", f"/api/v1/contacts/{their_contact.pk}/",
                f"/api/v1/referrals/{their_referral.pk}/", "/api/v1/persons/abc/"):  # fmt: skip
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"


def test_reading_a_person_through_the_api_is_audited_and_flags_shown_to_the_counsellor_only(
    api, office, staff, colleague
):
    person = PersonFactory(office=office, counsellor=staff, vulnerabilities=["medical"])
    api.force_authenticate(staff)
    body = api.get(f"/api/v1/persons/{person.pk}/").json()
    assert body["vulnerabilities"] == ["medical"]
    assert AuditEvent.objects.filter(action="offices.person.read", object_id=str(person.pk)).exists()
    api.force_authenticate(colleague)
    assert api.get(f"/api/v1/persons/{person.pk}/").status_code == 404
    plain = PersonFactory(office=office, counsellor=staff)
    assert "vulnerabilities" not in api.get(f"/api/v1/persons/{plain.pk}/").json()


def test_logging_a_contact_through_the_api(api, office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    api.force_authenticate(staff)
    response = api.post(
        "/api/v1/contacts/",
        {"person": person.pk, "channel": "hotline", "topics": ["remittances"], "summary": "Transfer costs",
         "notes": "secret", "follow_up_due": timezone.localdate().isoformat(), "follow_up_assignee": staff.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert "notes" not in response.json()
    assert Contact.objects.get().notes_encrypted.startswith("gAAAA")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"topics": ["astrology"]}, "topics"),
        ({"follow_up_due": "2000-01-01"}, "follow_up_due"),
        ({"notes": "x" * 1_000_000}, "notes"),
        ({"summary": "a\u202eb"}, "summary"),
    ],
)
def test_bad_contact_input_gets_one_error_shape_and_nothing_saved(api, office, staff, change, field):
    person = PersonFactory(office=office, counsellor=staff)
    api.force_authenticate(staff)
    data = {"person": person.pk, "channel": "hotline", "topics": ["remittances"], "summary": "ok",
            "follow_up_assignee": staff.pk, "follow_up_due": timezone.localdate().isoformat(), **change}  # fmt: skip
    response = api.post("/api/v1/contacts/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Contact.objects.exists()


def test_an_assignee_outside_the_office_is_refused(api, office, staff, outsider):
    person = PersonFactory(office=office, counsellor=staff)
    api.force_authenticate(staff)
    data = {"person": person.pk, "channel": "hotline", "topics": ["remittances"], "summary": "ok",
            "follow_up_assignee": outsider.pk, "follow_up_due": timezone.localdate().isoformat()}  # fmt: skip
    response = api.post("/api/v1/contacts/", data, format="json")
    assert response.status_code == 400 and "follow_up_assignee" in response.json()["error"]["fields"]


def test_a_contact_for_a_person_of_another_office_is_404(api, staff, other_office):
    person = PersonFactory(office=other_office)
    api.force_authenticate(staff)
    data = {"person": person.pk, "channel": "hotline", "topics": ["remittances"], "summary": "ok"}
    assert api.post("/api/v1/contacts/", data, format="json").status_code == 404


def test_creating_a_person_in_another_office_is_404(api, staff, other_office):
    api.force_authenticate(staff)
    response = api.post("/api/v1/persons/", {"office": other_office.pk, "name_latin": "Awa"}, format="json")
    assert response.status_code == 404


def test_referral_created_by_staff_and_status_set_by_the_receiving_side(api, office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    partner = user_with_role(Role.FOCAL_POINT)
    organisation = partner.memberships.get().organisation
    api.force_authenticate(staff)
    response = api.post(
        "/api/v1/referrals/",
        {"person": person.pk, "organisation": organisation.pk, "reason": "Training", "consent_given": True},
        format="json",
    )
    assert response.status_code == 201
    referral_id = response.json()["id"]
    assert api.post(f"/api/v1/referrals/{referral_id}/status/", {"status": "accepted"}).status_code == 403
    api.force_authenticate(partner)
    assert [r["id"] for r in api.get("/api/v1/referrals/").json()["results"]] == [referral_id]
    assert api.get(f"/api/v1/persons/{person.pk}/").status_code == 403  # the referral shares nothing else
    response = api.post(f"/api/v1/referrals/{referral_id}/status/", {"status": "completed"})
    assert response.status_code == 400 and "status" in response.json()["error"]["fields"]
    assert api.post(f"/api/v1/referrals/{referral_id}/status/", {"status": "accepted"}).json()["status"] == "accepted"


def test_offices_resources_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/offices/", "/api/v1/persons/", "/api/v1/contacts/", "/api/v1/referrals/",
                 "/api/v1/referrals/{id}/status/"):  # fmt: skip
        assert path in schema
