"""A return plan belongs to a desk's client (offices.Person); its counselling sessions are the client's contacts,
shown only to staff who may read the client; counsellors record the sheets they handed out at each contact."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import AuditEvent, Country
from apps.core.roles import Role
from apps.returns.models import ReturnPlan, SheetHandout
from apps.returns.services import contact_sheets_hand_out, return_plan_create
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, counsellor, manager
from tests.factories.returns import InfoSheetFactory, ReturnPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return OfficeFactory(organisation__name="Dakar return desk")


@pytest.fixture
def staff(office):
    return counsellor(office)


@pytest.fixture
def client_record(office):
    return PersonFactory(office=office, name_latin="Modou Fall")


def test_a_plan_is_created_for_a_client_of_the_desk_only(staff, office, client_record):
    senegal = Country.objects.get(pk="SN")
    plan = return_plan_create(
        actor=staff,
        desk=office.organisation,
        data={"kind": "employment", "destination_country": senegal, "person": client_record},
    )
    assert plan.person == client_record and plan.profile is None
    # A client of an office the counsellor does not work in is not acknowledged.
    with pytest.raises(Http404):
        return_plan_create(
            actor=staff,
            desk=office.organisation,
            data={"kind": "employment", "destination_country": senegal, "person": PersonFactory()},
        )
    # A client of another office the counsellor also works in belongs to that office's plans.
    other = OfficeFactory()
    both = counsellor(other)
    from apps.accounts.services import membership_grant

    membership_grant(user=both, role=Role.OFFICE_STAFF, organisation=office.organisation)
    with pytest.raises(ValidationError) as caught:
        return_plan_create(
            actor=both,
            desk=office.organisation,
            data={"kind": "employment", "destination_country": senegal, "person": PersonFactory(office=other)},
        )
    assert "person" in caught.value.message_dict


def test_creating_a_plan_from_a_person_page(client, staff, client_record):
    client.force_login(staff)
    url = reverse("returns:plan-create") + f"?person={client_record.pk}"
    assert "Modou Fall" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "desk": client_record.office.organisation_id,
            "person": client_record.pk,
            "kind": "employment",
            "destination_country": "SN",
            "needs": ["training"],
        },
    )
    plan = ReturnPlan.objects.get()
    assert (
        response.status_code == 302 and plan.person == client_record and plan.desk == client_record.office.organisation
    )
    page = client.get(reverse("returns:person-detail", args=[client_record.pk])).content.decode()
    assert f'href="{reverse("returns:plan-detail", args=[plan.pk])}"' in page


def test_person_pages_are_404_out_of_scope_and_403_for_other_roles(client, staff, client_record):
    stranger = PersonFactory()
    client.force_login(staff)
    assert client.get(reverse("returns:person-detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("returns:plan-create") + f"?person={stranger.pk}").status_code == 404
    assert client.get(reverse("returns:contact-sheets", args=[ContactFactory(person=stranger).pk])).status_code == 404
    client.force_login(user_with_role(Role.CONTENT_EDITOR))
    assert client.get(reverse("returns:person-detail", args=[client_record.pk])).status_code == 403
    assert (
        client.get(reverse("returns:contact-sheets", args=[ContactFactory(person=client_record).pk])).status_code == 403
    )


def test_the_plan_shows_the_clients_contacts_and_the_sheets_handed_out(client, staff, office, client_record):
    plan = ReturnPlanFactory(desk=office.organisation, person=client_record)
    contact = ContactFactory(person=client_record, staff=staff, summary="First visit about returning")
    ContactFactory(person=PersonFactory(office=office), summary="Someone else's visit")
    sheet = InfoSheetFactory(title_en="Bringing your diplomas home")
    contact_sheets_hand_out(contact=contact, actor=staff, sheets=[sheet])
    client.force_login(staff)
    page = client.get(reverse("returns:plan-detail", args=[plan.pk])).content.decode()
    assert "First visit about returning" in page and "Someone else" not in page
    assert "Bringing your diplomas home" in page and "Modou Fall" in page
    assert AuditEvent.objects.filter(action="offices.person.read", object_id=str(client_record.pk)).exists()
    api = APIClient()
    api.force_authenticate(staff)
    body = api.get(f"/api/v1/return-plans/{plan.pk}/contacts/").json()
    assert [c["id"] for c in body] == [contact.pk] and body[0]["sheets_handed_out"][0]["sheet"] == sheet.pk


def test_a_flagged_clients_sessions_are_hidden_from_other_counsellors_of_the_desk(client, office, staff):
    flagged = PersonFactory(office=office, vulnerabilities=["trafficking_victim"], counsellor=staff)
    plan = ReturnPlanFactory(desk=office.organisation, person=flagged)
    ContactFactory(person=flagged, staff=staff, summary="Confidential session")
    colleague = counsellor(office)
    client.force_login(colleague)
    page = client.get(reverse("returns:plan-detail", args=[plan.pk])).content.decode()
    assert "Confidential session" not in page and flagged.name_latin not in page
    assert 'data-testid="contacts-restricted"' in page
    api = APIClient()
    api.force_authenticate(colleague)
    assert api.get(f"/api/v1/return-plans/{plan.pk}/contacts/").status_code == 404
    client.force_login(manager(office))
    assert "Confidential session" in client.get(reverse("returns:plan-detail", args=[plan.pk])).content.decode()


def test_handing_out_sheets_records_who_and_when_once_per_sheet(staff, client_record):
    contact = ContactFactory(person=client_record, staff=staff)
    first, second = InfoSheetFactory(), InfoSheetFactory()
    assert len(contact_sheets_hand_out(contact=contact, actor=staff, sheets=[first])) == 1
    assert len(contact_sheets_hand_out(contact=contact, actor=staff, sheets=[first, second])) == 1
    handouts = SheetHandout.objects.filter(contact=contact).order_by("id")
    assert [h.sheet for h in handouts] == [first, second] and {h.handed_out_by for h in handouts} == {staff}
    assert all(h.created_at for h in handouts)
    with pytest.raises(ValidationError):
        contact_sheets_hand_out(contact=contact, actor=staff, sheets=[InfoSheetFactory(status="draft")])
    with pytest.raises(ValidationError):
        contact_sheets_hand_out(contact=contact, actor=staff, sheets=[])
    with pytest.raises(Http404):
        contact_sheets_hand_out(contact=contact, actor=counsellor(OfficeFactory()), sheets=[first])
    with pytest.raises(PermissionDenied):
        contact_sheets_hand_out(contact=contact, actor=user_with_role(Role.CONTENT_EDITOR), sheets=[first])


def test_the_hand_out_page_records_sheets_and_returns_to_the_person(client, staff, client_record):
    contact = ContactFactory(person=client_record, staff=staff)
    sheet = InfoSheetFactory(title_en="Visa rules")
    draft = InfoSheetFactory(title_en="Unpublished", status="draft")
    client.force_login(staff)
    url = reverse("returns:contact-sheets", args=[contact.pk])
    page = client.get(url).content.decode()
    assert "Visa rules" in page and "Unpublished" not in page
    assert client.post(url, {"sheets": [draft.pk]}).status_code == 200  # not a choice: the form says so
    response = client.post(url, {"sheets": [sheet.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("returns:person-detail", args=[client_record.pk])
    assert "Visa rules" in client.get(response["Location"]).content.decode()


def test_sheets_handed_out_are_named_alike_on_the_plan_and_hand_out_pages_marking_a_fallback_language(
    client, staff, office, client_record
):
    from django.utils import translation

    plan = ReturnPlanFactory(desk=office.organisation, person=client_record)
    contact = ContactFactory(person=client_record, staff=staff)
    both = InfoSheetFactory(title_en="Housing", title_fr="Logement", title_ar="السكن")
    english_only = InfoSheetFactory(title_en="Pension rights abroad", title_fr="", title_ar="")
    contact_sheets_hand_out(contact=contact, actor=staff, sheets=[both, english_only])
    staff.preferred_language = "ar"  # a signed-in user's pages are in their language
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    with translation.override("ar"):
        urls = [reverse("returns:plan-detail", args=[plan.pk]), reverse("returns:contact-sheets", args=[contact.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Content-Language"] == "ar", url
        html = response.content.decode()
        assert "السكن" in html and "Housing" not in html, url
        assert 'lang="en">Pension rights abroad</a>' in html, url
        assert f"#{english_only.pk}" not in html, url
    assert "Pension rights abroad (EN)" in client.get(urls[1]).content.decode()


def test_api_plan_person_is_limited_to_readable_client_records(staff, office, client_record):
    api = APIClient()
    api.force_authenticate(staff)
    data = {"desk": office.organisation_id, "kind": "employment", "destination_country": "SN"}
    assert api.post("/api/v1/return-plans/", data | {"person": PersonFactory().pk}, format="json").status_code == 400
    response = api.post("/api/v1/return-plans/", data | {"person": client_record.pk}, format="json")
    assert response.status_code == 201 and response.json()["person"] == client_record.pk


def test_api_plan_vacancies_are_those_at_the_destination_not_yet_matched(staff, office):
    from tests.factories.returns import VacancyFactory

    plan = ReturnPlanFactory(desk=office.organisation)
    there, matched = VacancyFactory(title="Here"), VacancyFactory(title="Taken")
    VacancyFactory(country_id="MA")
    plan.matched_vacancies.add(matched)
    api = APIClient()
    api.force_authenticate(staff)
    body = api.get(f"/api/v1/return-plans/{plan.pk}/vacancies/").json()
    assert [(row["id"], row["score"]) for row in body] == [(there.pk, 2)]
    assert api.get(f"/api/v1/return-plans/{ReturnPlanFactory().pk}/vacancies/").status_code == 404


def test_the_offices_timeline_shows_the_sheets_handed_out_at_each_contact(client, staff, client_record):
    contact = ContactFactory(person=client_record, staff=staff, summary="First visit")
    ContactFactory(person=client_record, staff=staff, summary="Second visit")
    sheet = InfoSheetFactory(title_en="Bringing your diplomas home")
    contact_sheets_hand_out(contact=contact, actor=staff, sheets=[sheet])
    client.force_login(staff)
    page = client.get(reverse("offices:person-detail", args=[client_record.pk])).content.decode()
    assert page.count("Bringing your diplomas home") == 1
    assert reverse("returns:info-sheet-detail", args=[sheet.pk]) in page
    assert reverse("returns:contact-sheets", args=[contact.pk]) in page


def test_the_timeline_names_sheets_in_the_pages_language_or_marks_the_language_it_falls_back_to(staff, client_record):
    from django.utils import translation

    from apps.offices.models import Referral
    from apps.offices.selectors import person_timeline
    from tests.factories.offices import ReferralFactory

    when = timezone.now() - dt.timedelta(days=1)
    older = ContactFactory(person=client_record, staff=staff, occurred_at=when - dt.timedelta(hours=1))
    newer = ContactFactory(person=client_record, staff=staff, occurred_at=when)
    referral = ReferralFactory(person=client_record, office=client_record.office, created_by=staff)
    Referral.objects.filter(pk=referral.pk).update(created_at=when)  # same instant as ``newer``
    both = InfoSheetFactory(title_en="Housing", title_fr="Logement", title_ar="السكن")
    english_only = InfoSheetFactory(title_en="Pensions", title_fr="", title_ar="")
    contact_sheets_hand_out(contact=newer, actor=staff, sheets=[both, english_only])
    with translation.override("fr"):
        timeline = person_timeline(user=staff, person=client_record)
    # newest first; at the same instant the contact comes before the referral
    assert [(entry["kind"], entry["item"].pk) for entry in timeline] == [
        ("contact", newer.pk),
        ("referral", referral.pk),
        ("contact", older.pk),
    ]
    sheets = [(sheet.pk, sheet.title, sheet.language) for sheet in timeline[0]["item"].sheets_handed_out]
    assert sheets == [(both.pk, "Logement", ""), (english_only.pk, "Pensions", "en")]
    assert timeline[0]["item"].staff == str(staff)
    assert timeline[1]["item"].organisation_name == referral.organisation.name
    assert timeline[2]["item"].sheets_handed_out == []
