"""The review pages of the offline sync (issue 21): a duplicate found at sync is merged (both histories kept) or
kept apart by the counsellor; an edit conflict is resolved field by field through person_update; access per
object."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.offices.models import Contact, Person, SyncConflict, SyncDuplicate
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _sync(user, items):
    api = APIClient()
    api.force_login(user)
    response = api.post("/api/v1/offline/sync/", {"device": str(uuid.uuid4()), "items": items}, format="json")
    assert response.status_code == 200
    return response.json()["results"]


def _item(kind, payload):
    return {"key": str(uuid.uuid4()), "kind": kind, "created_on_device": timezone.now().isoformat(),
            "payload": payload}  # fmt: skip


@pytest.fixture
def youssef(office, staff):
    person = PersonFactory(office=office, name_latin="Youssef El Amrani", birth_year=1988, counsellor=staff)
    ContactFactory(person=person, staff=staff, summary="Came in about a visa",
                   occurred_at=timezone.now() - dt.timedelta(days=40))  # fmt: skip
    return person


@pytest.fixture
def duplicate(office, staff, youssef) -> SyncDuplicate:
    new = _item("person.create", {"office": office.pk, "name_arabic": "يوسف العمراني", "birth_year": 1988})
    contact = _item("contact.create", {"person": {"ref": new["key"]}, "channel": "home_visit",
                                       "topics": ["pre_departure"], "summary": "Home visit in the village"})  # fmt: skip
    results = _sync(staff, [new, contact])
    assert results[0]["status"] == "duplicate"
    return SyncDuplicate.objects.get()


@pytest.fixture
def conflict(office, staff) -> SyncConflict:
    person = PersonFactory(office=office, counsellor=staff, name_latin="Awa Diallo")
    api = APIClient()
    api.force_login(staff)
    api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "+221 70 000 00 00"}, format="json")
    edit = {"id": person.pk, "base_version": 1, "base": {"phone": "", "sex": ""},
            "changes": {"phone": "+221 77 999 99 99", "sex": "female"}}  # fmt: skip
    [result] = _sync(staff, [_item("person.update", edit)])
    assert result["status"] == "conflict"
    return SyncConflict.objects.get()


def test_the_review_list_shows_what_waits_and_the_nav_links_to_it(client, staff, duplicate, conflict):
    client.force_login(staff)
    page = client.get(reverse("offices:offline-review")).content.decode()
    assert reverse("offices:offline-review-duplicate", args=[duplicate.pk]) in page
    assert reverse("offices:offline-review-conflict", args=[conflict.pk]) in page
    quick_log = client.get(reverse("offices:quick-log")).content.decode()
    assert 'data-testid="offline-review-link"' in quick_log and reverse("offices:offline-review") in quick_log


def test_the_nav_has_no_review_link_when_nothing_waits(client, staff):
    client.force_login(staff)
    assert 'data-testid="offline-review-link"' not in client.get(reverse("offices:quick-log")).content.decode()


def test_the_duplicate_page_shows_both_records_with_their_histories(client, staff, duplicate, youssef):
    client.force_login(staff)
    page = client.get(reverse("offices:offline-review-duplicate", args=[duplicate.pk])).content.decode()
    assert "يوسف العمراني" in page and "Youssef El Amrani" in page
    assert "Home visit in the village" in page and "Came in about a visa" in page


def test_same_person_merges_the_new_record_and_keeps_both_histories(client, staff, duplicate, youssef):
    client.force_login(staff)
    response = client.post(
        reverse("offices:offline-review-duplicate", args=[duplicate.pk]), {"decision": "same", "candidate": youssef.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into_id == youssef.pk
    assert Person.objects.get(pk=duplicate.person_id).merged_into_id == youssef.pk
    assert set(Contact.objects.filter(person=youssef).values_list("summary", flat=True)) == {
        "Came in about a visa",
        "Home visit in the village",
    }
    youssef.refresh_from_db()
    assert youssef.name_arabic == "يوسف العمراني"
    assert AuditEvent.objects.filter(action="offline.duplicate.decide").exists()
    assert AuditEvent.objects.filter(action="offices.person.merge").exists()


def test_different_people_are_kept_apart_and_it_is_recorded(client, staff, duplicate):
    client.force_login(staff)
    client.post(reverse("offices:offline-review-duplicate", args=[duplicate.pk]), {"decision": "apart"})
    duplicate.refresh_from_db()
    assert duplicate.status == "kept_apart" and duplicate.resolved_by == staff
    assert Person.objects.filter(merged_into__isnull=False).count() == 0
    assert client.get(reverse("offices:offline-review")).content.decode().count("review/duplicates/") == 0


def test_a_duplicate_decision_without_a_choice_keeps_the_page_with_the_error(client, staff, duplicate):
    client.force_login(staff)
    response = client.post(reverse("offices:offline-review-duplicate", args=[duplicate.pk]), {})
    assert response.status_code == 200 and 'class="text-danger small"' in response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.status == "pending"


def test_the_conflict_page_shows_start_server_and_device_values(client, staff, conflict):
    client.force_login(staff)
    page = client.get(reverse("offices:offline-review-conflict", args=[conflict.pk])).content.decode()
    assert "+221 70 000 00 00" in page and "+221 77 999 99 99" in page
    assert 'data-field="phone"' in page and "changed on both sides" in page


def test_resolving_a_conflict_applies_the_chosen_values_through_person_update(client, staff, conflict):
    client.force_login(staff)
    response = client.post(
        reverse("offices:offline-review-conflict", args=[conflict.pk]),
        {"version": 2, "phone": "device", "sex": "server"},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=conflict.person_id)
    assert (person.phone, person.sex, person.version) == ("+221 77 999 99 99", "", 3)
    conflict.refresh_from_db()
    assert conflict.status == "resolved" and conflict.resolution == {"phone": "device", "sex": "server"}
    assert AuditEvent.objects.filter(action="offline.conflict.resolve").exists()


def test_a_conflict_without_a_choice_keeps_what_was_chosen_and_says_what_is_missing(client, staff, conflict):
    client.force_login(staff)
    response = client.post(
        reverse("offices:offline-review-conflict", args=[conflict.pk]), {"version": 2, "sex": "server"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "This field is required." in page
    assert re.search(r'<input[^>]*name="sex" value="server"[^>]*checked', page)  # the choice made is kept
    assert Person.objects.get(pk=conflict.person_id).version == 2


def test_a_change_made_while_the_counsellor_looked_is_not_overwritten(client, staff, conflict):
    client.force_login(staff)
    person = Person.objects.get(pk=conflict.person_id)
    api = APIClient()
    api.force_login(staff)
    api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "+221 76 111"}, format="json")  # version 3
    response = client.post(
        reverse("offices:offline-review-conflict", args=[conflict.pk]),
        {"version": 2, "phone": "device", "sex": "device"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "changed again" in page and "+221 76 111" in page
    assert 'name="version" value="3"' in page
    person.refresh_from_db()
    assert person.phone == "+221 76 111"


def test_the_review_pages_are_in_french_and_arabic(client, staff, conflict):
    staff.preferred_language = "ar"
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    page = client.get(f"/ar/offices/offline/review/conflicts/{conflict.pk}/").content.decode()
    assert 'dir="rtl"' in page and "تعارض في التعديل" in page
    staff.preferred_language = "fr"
    staff.save(update_fields=["preferred_language"])
    client.force_login(staff)
    page = client.get("/fr/offices/offline/review/").content.decode()
    assert "Synchronisation hors ligne" in page


def test_another_office_gets_404_and_another_role_403(client, outsider, duplicate, conflict):
    client.force_login(outsider)
    for url in (reverse("offices:offline-review-duplicate", args=[duplicate.pk]),
                reverse("offices:offline-review-conflict", args=[conflict.pk])):  # fmt: skip
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "apart"}).status_code == 404
    assert "review/duplicates" not in client.get(reverse("offices:offline-review")).content.decode()
    client.force_login(user_with_role(Role.MEMBER))
    assert client.get(reverse("offices:offline-review-duplicate", args=[duplicate.pk])).status_code == 403


def test_a_colleague_sees_the_page_but_not_in_their_list_and_the_manager_lists_it(client, colleague, boss, duplicate):
    client.force_login(colleague)
    assert client.get(reverse("offices:offline-review-duplicate", args=[duplicate.pk])).status_code == 200
    assert "review/duplicates" not in client.get(reverse("offices:offline-review")).content.decode()
    client.force_login(boss)
    assert "review/duplicates" in client.get(reverse("offices:offline-review")).content.decode()


def _pending_reviews(office, staff, n):
    from apps.offices.models import SyncConflict, SyncDuplicate

    for _ in range(n):
        person = PersonFactory(office=office, counsellor=staff)
        other = PersonFactory(office=office, counsellor=staff)
        SyncDuplicate.objects.create(office=office, person=person, candidates=[{"id": other.pk, "reason": ""}],
                                     synced_by=staff, key=str(uuid.uuid4()))  # fmt: skip
        SyncConflict.objects.create(office=office, person=other, synced_by=staff, key=str(uuid.uuid4()),
                                    base_version=1, server_version=1, changes={"phone": "1"}, fields=["phone"])  # fmt: skip


def test_the_review_list_runs_the_same_number_of_queries_at_10_and_at_100_reviews(client, office, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    counts = []
    for n in (10, 90):
        _pending_reviews(office, staff, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("offices:offline-review")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
