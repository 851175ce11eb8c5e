"""A counsellor's day: the quick-log asks for no follow-up unless one is wanted, imports never crash on a bad
cell, and empty lists say what happened and what to do next."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from apps.offices.importer import contact_log_import, read_rows
from apps.offices.models import Contact, Person
from tests.factories import user_with_role
from tests.factories.offices import PersonFactory

pytestmark = pytest.mark.django_db

QUICK_LOG = {"channel": "walk_in", "topics": ["pre_departure"], "summary": "Asked about visas"}


# Quick-log: no follow-up unless asked -----------------------------------------------------------------------


def test_the_quick_log_preselects_no_follow_up_assignee(client, office, staff):
    client.force_login(staff)
    form = client.get(reverse("offices:quick-log")).context["form"]
    assert form["follow_up_assignee"].value() in (None, "")
    assert form["follow_up_due"].value() in (None, "")


def test_a_contact_saved_as_the_form_comes_has_no_follow_up(client, office, staff):
    client.force_login(staff)
    page = client.get(reverse("offices:quick-log"))
    form = page.context["form"]
    # post back every field as the page rendered it, with only the required ones typed in
    data = {name: form[name].value() or "" for name in form.fields if name not in ("topics", "vulnerabilities")}
    data = {k: v for k, v in data.items() if v not in (None, False)}
    response = client.post(reverse("offices:quick-log"), {**data, "name_latin": "Awa Sy", **QUICK_LOG})
    assert response.status_code == 302, response.context["form"].errors
    contact = Contact.objects.get()
    assert contact.follow_up_due is None and contact.follow_up_assignee is None


def test_a_follow_up_date_alone_is_followed_up_by_the_counsellor_who_logs(client, office, staff):
    client.force_login(staff)
    due = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "name_latin": "Awa Sy", **QUICK_LOG, "follow_up_due": due.isoformat()},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.follow_up_due == due and contact.follow_up_assignee == staff


def test_an_assignee_without_a_date_asks_for_the_date(client, office, staff, colleague):
    client.force_login(staff)
    response = client.post(
        reverse("offices:quick-log"),
        {"office": office.pk, "name_latin": "Awa Sy", **QUICK_LOG, "follow_up_assignee": colleague.pk},
    )
    assert response.status_code == 200 and "follow_up_due" in response.context["form"].errors
    assert not Contact.objects.exists()


# Imports never crash ----------------------------------------------------------------------------------------

HEADER = "date,name_latin,birth_year,sex,phone,email,channel,family_relationship,topics,summary,follow_up_due\n"
GOOD = {"date": "2026-03-02", "name_latin": "Awa Sy", "birth_year": "1990", "sex": "f", "phone": "", "email": "",
        "channel": "walk_in", "family_relationship": "", "topics": "other", "summary": "ok", "follow_up_due": ""}  # fmt: skip
BAD_CELLS = {
    "date": ["2026-02-30", "2026-13-40", "2026-02-30 10:00", "2026-13-40T25:61", "30/02/2026", "tomorrow", "",
             "9999-99-99"],
    "birth_year": ["nineteen", "1990.5", "-3", "1800", "99999"],
    "sex": ["x", "42"],
    "email": ["not an e-mail"],
    "channel": ["pigeon", ""],
    "topics": ["astrology", ";;"],
    "summary": ["", "A" * 600],
    "follow_up_due": ["2026-02-30", "2026-13-40", "soon", "2000-01-01"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value"), [(column, value) for column, values in BAD_CELLS.items() for value in values]
)
def test_every_bad_cell_is_a_row_error_never_a_crash(office, staff, column, value):
    row = {**GOOD, column: value}
    text = HEADER + ",".join(f'"{row[name]}"' for name in HEADER.strip().split(",")) + "\n"
    report = contact_log_import(office=office, actor=staff, rows=read_rows("log.csv", text.encode()), dry_run=False)
    assert [r.ok for r in report.rows] == [False]
    assert report.rows[0].errors
    assert not Contact.objects.exists() and not Person.objects.exists()


def test_the_import_page_reports_impossible_dates_in_the_users_language(client, office, staff):
    client.force_login(staff)
    csv = HEADER + "2026-02-30,Awa Sy,,,,,walk_in,,other,a,\n2026-03-01,Ali Ba,,,,,walk_in,,other,b,2026-13-40\n"
    with translation.override("fr"):
        url = reverse("offices:contact-import")
    response = client.post(
        url,
        {"office": office.pk, "file": SimpleUploadedFile("log.csv", csv.encode()), "dry_run": ""},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.accepted, report.rejected) == (0, 2)
    body = response.content.decode()
    assert "AAAA-MM-JJ" in body or "la date" in body.lower()
    assert not Contact.objects.exists()


def test_a_single_full_name_column_is_filed_under_its_script(office, staff):
    csv = (
        "Date,Full name,Channel,Topics,Summary\n"
        "2026-03-02,Mamadou Sow,walk_in,other,Latin\n"
        "2026-03-02,محمد ولد أحمد,hotline,other,Arabic\n"
    )
    report = contact_log_import(office=office, actor=staff, rows=read_rows("log.csv", csv.encode()), dry_run=False)
    assert report.rejected == 0, [r.errors for r in report.rows]
    assert set(Person.objects.values_list("name_latin", "name_arabic")) == {
        ("Mamadou Sow", ""),
        ("", "محمد ولد أحمد"),
    }


# Empty states -----------------------------------------------------------------------------------------------


def test_an_empty_client_search_names_what_was_searched_and_what_to_do(client, office, staff):
    PersonFactory(office=office, name_latin="Fatou Sarr")
    client.force_login(staff)
    body = client.get(reverse("offices:person-list"), {"q": "Zebulon"}).content.decode()
    assert "No client matches «Zebulon»." in body and "No client yet" not in body
    assert reverse("offices:quick-log") in body


def test_an_office_without_clients_says_how_the_first_one_is_added(client, office, staff):
    client.force_login(staff)
    body = client.get(reverse("offices:person-list")).content.decode()
    assert "No client yet. A client is added when you log their first contact." in body


def test_a_focal_point_sees_the_referrals_without_the_office_tabs(client):
    from apps.core.roles import Role
    from tests.factories import OrganisationFactory

    focal = user_with_role(Role.FOCAL_POINT, organisation=OrganisationFactory())
    client.force_login(focal)
    body = client.get(reverse("offices:referral-list")).content.decode()
    for name in ("quick-log", "person-list", "contact-list", "follow-ups", "contact-import"):
        assert reverse(f"offices:{name}") not in body, name
    assert "?direction=sent" not in body


# Audit of list reads ----------------------------------------------------------------------------------------


@pytest.fixture
def api(staff):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(staff)
    return client


def _list_events(records):
    from apps.core.models import AuditEvent

    return list(AuditEvent.objects.filter(action=f"offices.{records}.list").order_by("id"))


def test_a_page_of_clients_read_is_one_audit_event_with_the_filter_and_the_count(client, office, staff):
    from tests.factories.offices import ContactFactory, ReferralFactory

    for n in range(30):
        person = PersonFactory(office=office, name_latin=f"Awa Sy{n}")
        ContactFactory(person=person, staff=staff)
        ReferralFactory(person=person, created_by=staff)
    client.force_login(staff)
    client.get(reverse("offices:person-list"), {"q": "Awa"})
    client.get(reverse("offices:contact-list"))
    client.get(reverse("offices:referral-list"), {"direction": "sent"})
    (persons,), (contacts,), (referrals,) = _list_events("person"), _list_events("contact"), _list_events("referral")
    assert persons.actor_id == staff.pk
    assert persons.extra == {"filters": {"q": "Awa", "page": "1"}, "count": 30, "total": 30}
    assert contacts.extra["count"] == 30 and contacts.extra["filters"]["office"] == str(office.pk)
    assert referrals.extra["filters"]["direction"] == "sent" and referrals.extra["count"] == 30


def test_each_api_list_read_is_one_audit_event_and_the_person_list_gives_no_full_record(api, office, staff):
    from tests.factories.offices import ContactFactory, ReferralFactory

    for n in range(30):
        person = PersonFactory(office=office, name_latin=f"Awa Sy{n}", phone=f"+221 77 {n}", email=f"a{n}@x.org")
        ContactFactory(person=person, staff=staff)
        ReferralFactory(person=person, created_by=staff)
    body = api.get("/api/v1/persons/", {"q": "Awa"}).json()
    assert len(body["results"]) == 25
    assert set(body["results"][0]) == {"id", "office", "name_latin", "name_arabic", "birth_year", "counsellor",
                                       "updated_at"}  # fmt: skip
    api.get("/api/v1/persons/", {"q": "Awa", "page": 2})
    api.get("/api/v1/contacts/")
    api.get("/api/v1/referrals/")
    first, second = _list_events("person")
    assert first.extra == {"filters": {"q": "Awa"}, "count": 25, "total": 30}
    assert second.extra == {"filters": {"q": "Awa", "page": "2"}, "count": 5, "total": 30}
    assert len(_list_events("contact")) == 1 and len(_list_events("referral")) == 1
