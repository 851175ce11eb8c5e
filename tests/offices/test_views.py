"""Pages: permission matrix (wrong role 403, other office 404), restricted records, forms, PDF, dashboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.offices.models import Contact, Person, Referral
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(office, staff):
    person = PersonFactory(office=office, counsellor=staff, name_latin="Mamadou Sow")
    contact = ContactFactory(person=person, staff=staff, follow_up_due=timezone.localdate(), follow_up_assignee=staff)
    referral = ReferralFactory(person=person, created_by=staff)
    return {"person": person, "contact": contact, "referral": referral}


def _pages(record):
    p, c, r = record["person"], record["contact"], record["referral"]
    return {
        "quick-log": reverse("offices:quick-log"),
        "person-list": reverse("offices:person-list"),
        "person-detail": reverse("offices:person-detail", args=[p.pk]),
        "referral-create": reverse("offices:referral-create", args=[p.pk]),
        "contact-list": reverse("offices:contact-list"),
        "follow-ups": reverse("offices:follow-ups"),
        "referral-list": reverse("offices:referral-list"),
        "referral-detail": reverse("offices:referral-detail", args=[r.pk]),
        "dashboard": reverse("offices:dashboard"),
        "dashboard-csv": reverse("offices:dashboard-csv"),
        "follow-up-done": reverse("offices:follow-up-done", args=[c.pk]),
        "person-merge": reverse("offices:person-merge", args=[p.pk]),
        "contact-import": reverse("offices:contact-import"),
        "person-edit": reverse("offices:person-edit", args=[p.pk]),
        "follow-up-edit": reverse("offices:follow-up-edit", args=[c.pk]),
        "staff": reverse("offices:staff") + f"?office={p.office_id}",
        "staff-role": reverse("offices:staff-role", args=[_membership(p).pk]),
        "staff-end": reverse("offices:staff-end", args=[_membership(p).pk]),
    }


def _membership(person):
    return Membership.objects.get(user=person.counsellor, organisation=person.office.organisation)


POST_ONLY = {"follow-up-done", "person-merge", "staff-role", "staff-end"}
NEW_PAGES = ["person-edit", "follow-up-edit", "staff", "staff-role", "staff-end"]

# who → expected status per page (200 for GET pages, 302 for the POST actions that succeed)
MATRIX = {
    "counsellor": {"dashboard": 403, "dashboard-csv": 403, "follow-up-done": 302, "person-merge": 302,
                   "staff": 403, "staff-role": 403, "staff-end": 403},
    "manager": {"follow-up-done": 302, "person-merge": 302, "staff-role": 302, "staff-end": 302},
    "other-office counsellor": {
        "quick-log": 200, "person-list": 200, "contact-list": 200, "follow-ups": 200, "referral-list": 200,
        "person-detail": 404, "referral-create": 404, "referral-detail": 404, "follow-up-done": 404,
        "person-merge": 404, "dashboard": 403, "dashboard-csv": 403, "contact-import": 200,
        "person-edit": 404, "follow-up-edit": 404, "staff": 403, "staff-role": 403, "staff-end": 403,
    },
    "other-office manager": {
        "quick-log": 200, "person-list": 200, "contact-list": 200, "follow-ups": 200, "referral-list": 200,
        "person-detail": 404, "referral-create": 404, "referral-detail": 404, "follow-up-done": 404,
        "person-merge": 404, "dashboard": 200, "dashboard-csv": 200,
        "person-edit": 404, "follow-up-edit": 404, "staff": 404, "staff-role": 404, "staff-end": 404,
    },
    "member": dict.fromkeys(
        ["quick-log", "person-list", "person-detail", "referral-create", "contact-list", "follow-ups",
         "referral-list", "referral-detail", "dashboard", "dashboard-csv", "follow-up-done", "person-merge",
         "contact-import", *NEW_PAGES], 403
    ),
}  # fmt: skip


def _user(who, office, staff, boss, other_office):
    return {
        "counsellor": lambda: staff,
        "manager": lambda: boss,
        "other-office counsellor": lambda: user_with_role(Role.OFFICE_STAFF, organisation=other_office.organisation),
        "other-office manager": lambda: user_with_role(Role.OFFICE_MANAGER, organisation=other_office.organisation),
        "member": lambda: user_with_role(Role.MEMBER),
    }[who]()


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize(
    "page",
    ["quick-log", "person-list", "person-detail", "referral-create", "contact-list", "follow-ups", "referral-list",
     "referral-detail", "dashboard", "dashboard-csv", "follow-up-done", "person-merge", "contact-import",
     *NEW_PAGES],
)  # fmt: skip
def test_permission_matrix_of_the_pages(client, who, page, record, office, staff, boss, other_office):
    user = _user(who, office, staff, boss, other_office)
    client.force_login(user)
    url = _pages(record)[page]
    if page == "person-merge":
        duplicate = PersonFactory(office=office, counsellor=staff)
        response = client.post(url, {"duplicate": duplicate.pk})
    elif page in POST_ONLY:
        response = client.post(url)
    else:
        response = client.get(url)
    assert response.status_code == MATRIX[who].get(page, 200)


def test_anonymous_visitors_are_sent_to_sign_in_but_may_use_the_office_finder(client, record):
    for name, url in _pages(record).items():
        response = client.post(url) if name in POST_ONLY else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert client.get(reverse("offices:finder")).status_code == 200


def test_the_office_finder_filters_by_country_and_type_in_three_languages(client):
    OfficeFactory(organisation__name="Casablanca Centre", organisation__country_id="MA", country_id="MA",
                  type="resource_centre", municipality="Casablanca")  # fmt: skip
    OfficeFactory(organisation__name="Kayes Office", organisation__country_id="ML", country_id="ML")
    response = client.get(reverse("offices:finder"), {"country": "MA"})
    assert b"Casablanca Centre" in response.content and b"Kayes Office" not in response.content
    response = client.get(reverse("offices:finder"), {"type": "migration_office"})
    assert b"Kayes Office" in response.content and b"Casablanca Centre" not in response.content
    assert "Trouver un bureau de migration" in client.get("/fr/offices/").content.decode()
    arabic = client.get("/ar/offices/", {"type": "resource_centre"}).content.decode()
    assert 'dir="rtl"' in arabic and "البحث عن مكتب للهجرة" in arabic and "مركز موارد المهاجرين" in arabic


def test_a_flagged_record_is_hidden_from_other_counsellors_of_the_same_office(client, office, staff, colleague, boss):
    flagged = PersonFactory(office=office, counsellor=staff, vulnerabilities=["trafficking_victim"])
    ContactFactory(person=flagged, staff=staff)
    url = reverse("offices:person-detail", args=[flagged.pk])
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    assert flagged.name_latin.encode() not in client.get(reverse("offices:person-list")).content
    assert flagged.name_latin.encode() not in client.get(reverse("offices:contact-list")).content
    for user in (staff, boss):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"Trafficking victim" in response.content


def test_restricted_notes_are_shown_to_the_counsellor_and_manager_only(client, office, staff, colleague, boss):
    person = PersonFactory(office=office, counsellor=staff)
    ContactFactory(person=person, staff=colleague, notes="Employer keeps the passport")
    url = reverse("offices:person-detail", args=[person.pk])
    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 200 and b"Employer keeps the passport" not in response.content
    for user in (staff, boss):
        client.force_login(user)
        assert b"Employer keeps the passport" in client.get(url).content


def test_every_read_of_a_person_page_is_audited(client, record, staff):
    client.force_login(staff)
    client.get(reverse("offices:person-detail", args=[record["person"].pk]))
    client.get(reverse("offices:person-detail", args=[record["person"].pk]))
    assert AuditEvent.objects.filter(action="offices.person.read", object_id=str(record["person"].pk)).count() == 2


def test_the_receiving_organisation_sees_the_referred_person_and_updates_the_status(client, record):
    referral = record["referral"]
    receiver = user_with_role(Role.FOCAL_POINT, organisation=referral.organisation)
    client.force_login(receiver)
    url = reverse("offices:referral-detail", args=[referral.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"Mamadou Sow" in response.content
    assert AuditEvent.objects.filter(action="offices.person.read", actor_id=receiver.pk).exists()
    # nothing else: not the person's page, not the contacts
    assert client.get(reverse("offices:person-detail", args=[record["person"].pk])).status_code == 403
    assert client.post(url, {"status": "accepted"}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    other = ReferralFactory()
    assert client.get(reverse("offices:referral-detail", args=[other.pk])).status_code == 404


def test_the_referring_office_cannot_change_the_status(client, record, staff):
    client.force_login(staff)
    url = reverse("offices:referral-detail", args=[record["referral"].pk])
    assert client.post(url, {"status": "accepted"}).status_code == 403


def test_quick_log_with_a_new_person_records_the_contact(client, office, staff):
    client.force_login(staff)
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "name_latin": "Awa Sy", "birth_year": 2001, "channel": "family_report",
         "family_relationship": "sister", "topics": ["rights_protection"], "summary": "Sister has no news",
         "notes": "Last call from Agadez", "follow_up_due": timezone.localdate().isoformat(),
         "follow_up_assignee": staff.pk},
    )  # fmt: skip
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.person.name_latin == "Awa Sy" and contact.family_relationship == "sister"
    assert contact.follow_up_assignee == staff


def test_quick_log_warns_of_a_duplicate_and_keeps_what_was_typed(client, office, staff):
    existing = PersonFactory(office=office, name_latin="Awa Sy", phone="+221 77 123", counsellor=staff)
    client.force_login(staff)
    data = {"office": office.pk, "name_latin": "Awa Sy", "phone": "+221 77 123", "channel": "hotline",
            "topics": ["rights_protection"], "summary": "Typed summary stays"}  # fmt: skip
    response = client.post(reverse("offices:quick-log"), data)
    assert response.status_code == 200
    assert b'data-testid="duplicates"' in response.content and b"Typed summary stays" in response.content
    assert not Contact.objects.exists()
    response = client.post(reverse("offices:quick-log"), {**data, "use_person": existing.pk})
    assert response.status_code == 302
    assert Contact.objects.get().person == existing
    response = client.post(reverse("offices:quick-log"), {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name_latin="Awa Sy").count() == 2


def test_quick_log_errors_are_shown_at_the_field(client, office, staff):
    client.force_login(staff)
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "name_latin": "Awa", "channel": "walk_in", "topics": ["astrology"], "summary": "s",
         "follow_up_due": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "follow_up_assignee": staff.pk},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "topics" in form.errors and "follow_up_due" in form.errors
    assert not Contact.objects.exists()


def test_quick_log_refuses_a_person_of_another_office(client, office, other_office, staff):
    foreign = PersonFactory(office=other_office)
    client.force_login(staff)
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "person": foreign.pk, "channel": "walk_in", "topics": ["other"], "summary": "s"},
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not Contact.objects.exists()
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "use_person": foreign.pk, "name_latin": "x", "channel": "walk_in", "topics": ["other"],
         "summary": "s"},
    )  # fmt: skip
    assert response.status_code == 404


def test_the_dashboard_shows_charts_with_tables_and_exports_csv(client, office, boss, staff):
    person = PersonFactory(office=office)
    ContactFactory(person=person, channel="hotline", topics=["remittances"])
    ReferralFactory(person=person)
    client.force_login(boss)
    response = client.get(reverse("offices:dashboard"))
    assert response.status_code == 200
    assert b"Hotline" in response.content and b"<table" in response.content
    csv_body = client.get(reverse("offices:dashboard-csv")).content.decode()
    assert "Contacts by channel" in csv_body and ",Hotline,1" in csv_body and "Referrals,,Sent,1" in csv_body


@pytest.mark.parametrize(
    ("language", "header", "channel"),
    [("fr", "Mesure,Semaine du,Catégorie,Nombre", "Contacts par canal"), ("ar", "المقياس", "الخط الساخن")],
)
def test_the_dashboard_csv_speaks_the_managers_language_not_codes_with_dates_spreadsheets_read(
    client, office, boss, language, header, channel
):
    person = PersonFactory(office=office)
    ContactFactory(person=person, channel="hotline", topics=["remittances"])
    ReferralFactory(person=person)
    boss.preferred_language = language
    boss.save(update_fields=["preferred_language"])
    client.force_login(boss)
    csv_body = client.get(reverse("offices:dashboard-csv"), follow=True).content.decode()
    assert csv_body.startswith(header)
    assert channel in csv_body
    week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    assert f",{week.isoformat()}," in csv_body and "\u200f" not in csv_body and "\u200e" not in csv_body
    for code in ("contacts_by_channel", "hotline", "open_follow_ups", "referrals", "sent", "measure"):
        assert code not in csv_body


def test_marking_someone_elses_follow_up_done_is_refused(client, office, staff, colleague):
    person = PersonFactory(office=office)
    contact = ContactFactory(person=person, follow_up_due=timezone.localdate(), follow_up_assignee=staff)
    client.force_login(colleague)
    assert client.post(reverse("offices:follow-up-done", args=[contact.pk])).status_code == 403


@pytest.mark.browser
def test_the_referral_letter_prints_in_the_persons_language(client, record, staff):
    person = record["person"]
    person.preferred_language = "ar"
    person.save()
    client.force_login(staff)
    response = client.get(reverse("offices:referral-letter", args=[record["referral"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "-ar.pdf" in response["Content-Disposition"]


def test_the_referral_letter_template_is_rendered_in_the_persons_language(record):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("fr"):
        html = render_to_string(
            "offices/pdf/referral_letter.html", {"referral": record["referral"], "person": record["person"]}
        )
    assert 'lang="fr"' in html and "Mamadou Sow" in html


def test_the_client_list_finds_a_person_by_a_misspelt_name_or_phone(client, office, staff):
    PersonFactory(office=office, name_latin="Mohammed Ould Ahmed", phone="+221 77 555")
    PersonFactory(office=office, name_latin="Fatou Sarr")
    client.force_login(staff)
    body = client.get(reverse("offices:person-list"), {"q": "Mohamed"}).content.decode()
    assert "Mohammed Ould Ahmed" in body and "Fatou Sarr" not in body
    body = client.get(reverse("offices:person-list"), {"q": "77 555"}).content.decode()
    assert "Mohammed Ould Ahmed" in body and "Fatou Sarr" not in body
