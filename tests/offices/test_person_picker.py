"""The quick-log's person picker: a server-side type-ahead over person_list's matching, for any office size."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent, Country
from apps.core.roles import Role
from apps.offices import selectors
from apps.offices.models import Contact, Person
from apps.offices.selectors.persons import _birth_year_in
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _picker(client, office, q):
    return client.get(reverse("offices:person-picker"), {"office": office.pk, "q": q})


def test_a_client_older_than_the_200_most_recent_is_found_by_typing(client, office, staff):
    oldest = PersonFactory(office=office, name_latin="Zeinab Kane", birth_year=1975)
    Person.objects.filter(pk=oldest.pk).update(updated_at=timezone.now() - dt.timedelta(days=900))
    PersonFactory.create_batch(210, office=office)
    client.force_login(staff)
    page = client.get(reverse("offices:quick-log")).content.decode()
    assert "Zeinab Kane" not in page and "Client Number" not in page  # no drop-down of the most recent clients
    body = _picker(client, office, "Zeinab").json()
    assert [r["id"] for r in body["results"]] == [oldest.pk]
    assert body["message"] == "1 client found."


def test_namesakes_are_told_apart_by_birth_year_phone_country_and_last_contact(client, office, staff):
    senegal = Country.objects.get(code="SN")
    one = PersonFactory(office=office, name_latin="Awa Sy", birth_year=1990, phone="+221 77 123 4567")
    two = PersonFactory(office=office, name_latin="Awa Sy", birth_year=1972, phone="", residence_country=senegal)
    ContactFactory(person=one, staff=staff, occurred_at=timezone.make_aware(dt.datetime(2026, 3, 2, 10)))
    client.force_login(staff)
    rows = {r["id"]: r["details"] for r in _picker(client, office, "Awa Sy").json()["results"]}
    # 2 March 2026, day first as every date of the portal's English pages (CLDR en_GB), never the US month first
    assert rows[one.pk] == f"born 1990 · …4567 · last contact 02/03/2026 · #{one.pk}"
    assert rows[two.pk] == f"born 1972 · Senegal · no contact yet · #{two.pk}"


@pytest.mark.parametrize("query", ["77 555", "+221775550000", "awa.sy@example.org", "Sy 1990", "Awa 1990"])
def test_a_client_is_found_by_phone_e_mail_or_name_with_birth_year(client, office, staff, query):
    target = PersonFactory(
        office=office, name_latin="Awa Sy", birth_year=1990, phone="+221 77 555 00 00", email="awa.sy@example.org"
    )
    PersonFactory(office=office, name_latin="Awa Sy", birth_year=1984, phone="+221 70 1", email="other@example.org")
    client.force_login(staff)
    found = [r["id"] for r in _picker(client, office, query).json()["results"]]
    assert target.pk in found
    if "1990" in query:
        assert found == [target.pk]


def test_a_phone_number_is_never_read_as_a_birth_year():
    assert _birth_year_in("+221 77 1990") == ("+221 77 1990", None)
    assert _birth_year_in("Awa Sy 1990") == ("Awa Sy", 1990)
    assert _birth_year_in("Awa 19901") == ("Awa 19901", None)


def test_the_picker_answers_only_for_the_users_office_and_readable_clients(client, office, other_office, staff):
    PersonFactory(office=other_office, name_latin="Awa Sy")
    PersonFactory(office=office, name_latin="Awa Sy", vulnerabilities=["medical"], counsellor=None)
    client.force_login(staff)
    assert _picker(client, office, "Awa Sy").json()["results"] == []  # flagged: its counsellor and manager only
    assert _picker(client, other_office, "Awa Sy").status_code == 404
    assert client.get(reverse("offices:person-picker"), {"office": "abc", "q": "Awa"}).status_code == 404
    client.force_login(user_with_role(Role.MEMBER))
    assert _picker(client, office, "Awa Sy").status_code == 403
    client.logout()
    assert _picker(client, office, "Awa Sy").status_code == 302


def test_a_short_query_reads_nothing_and_audits_nothing(client, office, staff):
    PersonFactory(office=office, name_latin="Awa Sy")
    client.force_login(staff)
    assert _picker(client, office, "A").json() == {"results": [], "message": ""}
    assert not AuditEvent.objects.filter(action="offices.person.list").exists()


def test_each_type_ahead_read_is_one_audit_event_with_the_query_and_the_count(client, office, staff):
    PersonFactory.create_batch(3, office=office, name_latin="Awa Sy")
    client.force_login(staff)
    _picker(client, office, "Awa")
    (event,) = AuditEvent.objects.filter(action="offices.person.list")
    assert event.extra["count"] == 3 and event.extra["filters"]["q"] == "Awa"
    assert event.extra["filters"]["picker"] == "quick-log"


def test_the_type_ahead_runs_the_same_queries_for_2_and_8_matches(client, office, staff):
    client.force_login(staff)
    PersonFactory.create_batch(2, office=office, name_latin="Awa Sy")
    _picker(client, office, "Awa")  # warm the session and the user's memberships
    with CaptureQueriesContext(connection) as few:
        assert len(_picker(client, office, "Awa").json()["results"]) == 2
    PersonFactory.create_batch(20, office=office, name_latin="Awa Sy")
    with CaptureQueriesContext(connection) as many:
        assert len(_picker(client, office, "Awa").json()["results"]) == selectors.PICKER_LIMIT
    assert len(few) == len(many)


def test_an_empty_type_ahead_says_so_and_what_to_do(client, office, staff):
    client.force_login(staff)
    body = _picker(client, office, "Zebulon").json()
    assert body == {
        "results": [],
        "message": "No client matches «Zebulon». Leave the search empty to add a new client.",
    }


# Without JavaScript -----------------------------------------------------------------------------------------

CONTACT = {"channel": "walk_in", "topics": ["pre_departure"], "summary": "Asked about visas"}


def test_without_javascript_find_lists_the_matches_and_keeps_what_was_typed(client, office, staff):
    awa = PersonFactory(office=office, name_latin="Awa Sy", birth_year=1990)
    client.force_login(staff)
    data = {"office": office.pk, "person_query": "Awa", **CONTACT, "summary": "Typed summary stays"}
    response = client.post(reverse("offices:quick-log"), {**data, "find_person": "find"})
    assert response.status_code == 200 and not Contact.objects.exists()
    body = response.content.decode()
    assert 'data-testid="picker-matches"' in body and f'value="{awa.pk}"' in body
    assert "Typed summary stays" in body and "is-invalid" not in body  # nothing is refused yet
    response = client.post(reverse("offices:quick-log"), {**data, "person": awa.pk})
    assert response.status_code == 302 and Contact.objects.get().person == awa


def test_a_chosen_client_hides_the_new_client_fields_until_changed(client, office, staff):
    awa = PersonFactory(office=office, name_latin="Awa Sy")
    client.force_login(staff)
    body = client.get(reverse("offices:quick-log"), {"person": awa.pk}).content.decode()
    assert 'data-testid="new-person" hidden' in body and "Awa Sy" in body
    response = client.post(
        reverse("offices:quick-log"), {"office": office.pk, "person": awa.pk, **CONTACT, "find_person": "change"}
    )
    body = response.content.decode()
    assert 'data-testid="new-person">' in body and 'data-testid="picker-chosen" hidden' not in body.replace(
        "hidden>", ""
    )
    assert not Contact.objects.exists()


def test_the_picker_s_matching_and_order_read_only_columns_of_the_office_s_covering_index(office, staff):
    """Wherever an office's clients lie in the table, letters typed ahead find the first lines by an index-only
    scan of the office's entries: every column of offices_person their matching, readability and order read is in
    offices_person_office_names (on a small test table the planner may read the table instead, so the columns are
    asserted, not the plan)."""
    with connection.cursor() as cursor:
        index = connection.introspection.get_constraints(cursor, "offices_person")["offices_person_office_names"]
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indexrelid = 'offices_person_office_names'::regclass"
        )
        covered = {row[0] for row in cursor.fetchall()}
    assert index["columns"][0] == "office_id"
    for query in ["moh", "محم", "abd", "خدي", "yo"]:
        sql = str(selectors.person_list(user=staff, office=office, query=query).values("pk")[:8].query)
        read = set(re.findall(r'"offices_person"\."(\w+)"', sql))
        assert read <= covered, (query, read - covered)


def test_the_picker_shows_the_first_matches_in_person_list_s_order(office, staff):
    for year in range(1970, 1982):
        PersonFactory(office=office, name_latin=f"Mohamed Diallo {year}", birth_year=year)
    PersonFactory(office=office, name_latin="Mohamed", birth_year=1990)  # the closest name ranks first
    expected = [p.pk for p in selectors.person_list(user=staff, office=office, query="Moh")[:8]]
    assert [c.pk for c in selectors.person_picker(user=staff, office=office, query="Moh")] == expected
    assert len(expected) == 8
