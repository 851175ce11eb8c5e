"""The offline sync API (issue 21), against real PostgreSQL: a queue of 20 contacts syncs exactly once, in order,
with the cross-script duplicate surfaced; a replay creates nothing; a cut batch resumes; old items, over-long
batches and reused keys are refused; every sync is audited."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.idempotency import IdempotencyRecord
from apps.core.models import AuditEvent
from apps.core.roles import Role
from apps.offices.models import Contact, Person, SyncConflict, SyncDuplicate
from tests.factories import user_with_role
from tests.factories.offices import ContactFactory, PersonFactory

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/offline/sync/"
DEVICE = str(uuid.uuid4())


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_login(staff)
    return client


def _now(days_ago: float = 0) -> str:
    return (timezone.now() - dt.timedelta(days=days_ago)).isoformat()


def _item(kind: str, payload: dict, *, key: str | None = None, days_ago: float = 0) -> dict:
    return {"key": key or str(uuid.uuid4()), "kind": kind, "created_on_device": _now(days_ago), "payload": payload}


def _new_client(office, name_latin="", name_arabic="", birth_year=1990, **extra) -> dict:
    return _item("person.create", {"office": office.pk, "name_latin": name_latin, "name_arabic": name_arabic,
                                   "birth_year": birth_year, **extra})  # fmt: skip


def _contact(person, summary="Visit", *, days_ago: float = 0, **extra) -> dict:
    payload = {"person": person, "channel": "home_visit", "topics": ["pre_departure"], "summary": summary, **extra}
    return _item("contact.create", payload, days_ago=days_ago)


def _sync(api, items, device=DEVICE):
    response = api.post(SYNC, {"device": device, "items": items}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _field_day_queue(office, existing) -> list[dict]:
    """A day in the field: 5 new clients (one is 'Youssef El Amrani' written in Arabic), 20 contacts: one for each
    new client (by reference to its queued creation) and 15 for clients the device had in its cache."""
    new = [
        _new_client(office, name_arabic="يوسف العمراني", birth_year=1988),
        _new_client(office, "Awa Diallo", birth_year=1995),
        _new_client(office, "Mamadou Sow", birth_year=1979),
        _new_client(office, "Khadija Benali", birth_year=2001),
        _new_client(office, "Ousmane Ba", birth_year=1992),
    ]
    queue = []
    for n, person_item in enumerate(new):
        queue += [person_item, _contact({"ref": person_item["key"]}, f"New client {n}")]
    queue += [_contact(existing[n % len(existing)].pk, f"Known client {n}") for n in range(15)]
    return queue


@pytest.fixture
def existing(office, staff):
    youssef = PersonFactory(office=office, name_latin="Youssef El Amrani", birth_year=1988, counsellor=staff)
    return [youssef, *(PersonFactory(office=office, counsellor=staff, birth_year=1960 + n) for n in range(3))]


def test_a_field_day_of_20_contacts_syncs_exactly_once_with_the_cross_script_duplicate_surfaced(
    api, office, staff, existing
):
    queue = _field_day_queue(office, existing)
    results = _sync(api, queue[:13]) + _sync(api, queue[13:])
    assert [r["key"] for r in results] == [item["key"] for item in queue]  # one answer per item, in order
    statuses = [r["status"] for r in results]
    assert statuses.count("created") == 24 and statuses.count("duplicate") == 1
    assert Contact.objects.count() == 20
    assert Person.objects.count() == 4 + 5
    duplicate = results[0]
    assert [d["id"] for d in duplicate["possible_duplicates"]] == [existing[0].pk]
    assert duplicate["possible_duplicates"][0]["name_latin"] == "Youssef El Amrani"
    review = SyncDuplicate.objects.get()
    assert duplicate["review_url"] == f"/offices/offline/review/duplicates/{review.pk}/"  # English: no prefix
    assert review.person_id == duplicate["object"]["id"] and review.status == "pending"
    # the contact queued with the new client's reference is the new client's
    assert Contact.objects.get(summary="New client 0").person_id == duplicate["object"]["id"]


def test_replaying_the_whole_queue_creates_nothing_and_answers_with_the_first_results(api, office, existing):
    queue = _field_day_queue(office, existing)
    first = _sync(api, queue[:13]) + _sync(api, queue[13:])
    again = _sync(api, queue[:13]) + _sync(api, queue[13:])
    assert {r["status"] for r in again} == {"replayed"}
    assert [r["original_status"] for r in again] == [r["status"] for r in first]
    assert [r["object"] for r in again] == [r["object"] for r in first]
    assert Contact.objects.count() == 20 and Person.objects.count() == 9
    assert SyncDuplicate.objects.count() == 1


def test_a_batch_cut_halfway_resumes_without_doubling(api, office, existing):
    """The server applied the first 7 items but the answer was lost: the device sends the whole batch again."""
    queue = _field_day_queue(office, existing)
    _sync(api, queue[:7])
    results = _sync(api, queue)
    assert [r["status"] for r in results[:7]] == ["replayed"] * 7
    assert "replayed" not in [r["status"] for r in results[7:]]
    assert Contact.objects.count() == 20 and Person.objects.count() == 9


def test_a_contact_for_a_client_not_yet_synced_may_be_sent_again_later(api, office):
    person_item = _new_client(office, "Awa Diallo")
    contact_item = _contact({"ref": person_item["key"]})
    [early] = _sync(api, [contact_item])
    assert early["status"] == "rejected" and early["code"] == "unknown_ref"
    results = _sync(api, [person_item, contact_item])
    assert [r["status"] for r in results] == ["created", "created"]
    assert Contact.objects.get().person_id == results[0]["object"]["id"]


def test_a_contact_for_a_refused_client_depends_on_rejected(api, office):
    person_item = _new_client(office)  # no name: refused
    results = _sync(api, [person_item, _contact({"ref": person_item["key"]})])
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert results[0]["code"] == "invalid" and "name_latin" in results[0]["errors"]
    assert results[1]["code"] == "depends_on_rejected"
    assert not Person.objects.exists() and not Contact.objects.exists()


def test_the_same_key_with_another_payload_is_refused_as_key_reused(api, office, existing):
    item = _contact(existing[0].pk, "First")
    _sync(api, [item])
    [result] = _sync(api, [{**item, "payload": {**item["payload"], "summary": "Changed"}}])
    assert result["status"] == "rejected" and result["code"] == "key_reused"
    assert Contact.objects.count() == 1


def test_an_item_older_than_the_limit_is_refused_with_a_translated_message(api, office, staff, existing, settings):
    settings.OFFLINE_MAX_AGE_DAYS = 14
    staff.preferred_language = "fr"
    staff.save(update_fields=["preferred_language"])
    old = _contact(existing[0].pk, days_ago=15)
    recent = _contact(existing[0].pk, days_ago=13)
    results = _sync(api, [old, recent])
    assert results[0]["status"] == "rejected" and results[0]["code"] == "too_old"
    assert "14 jours" in results[0]["message"]  # in the user's language, whatever the browser's
    assert results[1]["status"] == "created"
    assert Contact.objects.count() == 1


def test_a_batch_over_the_limit_is_a_400_in_the_error_shape(api, office, existing, settings):
    settings.OFFLINE_BATCH_MAX = 3
    response = api.post(SYNC, {"device": DEVICE, "items": [_contact(existing[0].pk) for _ in range(4)]},
                        format="json")  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert "items" in response.json()["error"]["fields"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"device": "not-a-uuid", "items": []}, {"device": DEVICE, "items": []},
     {"device": DEVICE, "items": [{"kind": "contact.create"}]}, {"device": DEVICE, "items": "x"}],
)  # fmt: skip
def test_a_malformed_envelope_is_a_400(api, body):
    response = api.post(SYNC, body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_every_sync_request_is_one_audit_event_with_the_device_and_the_count_per_status(api, office, existing):
    _sync(api, [_contact(existing[0].pk), _contact(existing[1].pk, days_ago=30)])
    event = AuditEvent.objects.get(action="offline.sync")
    assert event.extra["device"] == DEVICE
    assert event.extra["statuses"] == {"created": 1, "rejected": 1}


def test_restricted_notes_stay_write_only(api, office, existing):
    [result] = _sync(api, [_contact(existing[0].pk, notes="Confided in private")])
    assert "notes" not in result["object"]
    assert "Confided" not in str(IdempotencyRecord.objects.get().body)
    contact = Contact.objects.get()
    assert contact.notes_encrypted.startswith("gAAAA") and "Confided" not in contact.notes_encrypted


def test_another_offices_client_is_not_found_and_its_office_not_found(api, other_office):
    theirs = PersonFactory(office=other_office)
    results = _sync(api, [_contact(theirs.pk), _new_client(other_office, "Someone")])
    assert [r["code"] for r in results] == ["not_found", "not_found"]
    assert not Contact.objects.exists() and Person.objects.count() == 1


def test_a_follow_up_of_someone_else_is_forbidden_and_ones_own_is_done(api, office, staff, colleague, existing):
    theirs = ContactFactory(person=existing[0], follow_up_due=timezone.localdate(), follow_up_assignee=colleague)
    mine = ContactFactory(person=existing[0], follow_up_due=timezone.localdate(), follow_up_assignee=staff)
    results = _sync(api, [_item("followup.done", {"contact": theirs.pk}), _item("followup.done", {"contact": mine.pk})])
    assert results[0]["code"] == "forbidden" and results[1]["status"] == "done"
    mine.refresh_from_db()
    assert mine.follow_up_done_at is not None


def test_a_member_gets_403_and_an_anonymous_caller_403(office):
    member = APIClient()
    member.force_login(user_with_role(Role.MEMBER))
    assert member.post(SYNC, {"device": DEVICE, "items": []}, format="json").status_code == 403
    assert APIClient().get("/api/v1/offline/session/").status_code == 403


# Edits and conflicts ------------------------------------------------------------------------------------------


def _edit(person, base_version, base, changes):
    return _item("person.update", {"id": person.pk, "base_version": base_version, "base": base, "changes": changes})


def test_an_edit_of_an_unchanged_record_is_applied_and_bumps_the_version(api, office, existing):
    person = existing[1]
    [result] = _sync(api, [_edit(person, 1, {"phone": ""}, {"phone": "+221 77 123 45 67"})])
    assert result["status"] == "updated" and result["object"]["version"] == 2
    person.refresh_from_db()
    assert person.phone == "+221 77 123 45 67" and person.version == 2


def test_an_edit_of_other_fields_than_those_changed_on_the_server_is_applied(api, office, staff, existing):
    person = existing[1]
    api.patch(f"/api/v1/persons/{person.pk}/", {"email": "new@example.org"}, format="json")
    [result] = _sync(api, [_edit(person, 1, {"phone": "", "birth_year": person.birth_year},
                                 {"phone": "+221 77", "birth_year": str(person.birth_year)})])  # fmt: skip
    assert result["status"] == "updated"
    person.refresh_from_db()
    assert (person.phone, person.email, person.version) == ("+221 77", "new@example.org", 3)


def test_a_field_changed_on_both_sides_is_a_conflict_and_the_edit_is_kept_whole(api, office, staff, existing):
    person = existing[1]
    api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "+221 70 000 00 00"}, format="json")  # server: version 2
    edit = _edit(person, 1, {"phone": "", "sex": ""}, {"phone": "+221 77 999 99 99", "sex": "female"})
    [result] = _sync(api, [edit])
    assert result["status"] == "conflict"
    assert result["conflicts"] == [
        {"field": "phone", "label": "Phone", "base": "", "server": "+221 70 000 00 00", "device": "+221 77 999 99 99"}
    ]
    person.refresh_from_db()
    assert (person.phone, person.sex, person.version) == ("+221 70 000 00 00", "", 2)  # nothing applied
    conflict = SyncConflict.objects.get()
    assert conflict.changes == {"phone": "+221 77 999 99 99", "sex": "female"} and conflict.fields == ["phone"]
    assert result["review_url"] == f"/offices/offline/review/conflicts/{conflict.pk}/"
    [again] = _sync(api, [edit])
    assert again["status"] == "replayed" and SyncConflict.objects.count() == 1


def test_the_same_new_value_on_both_sides_is_no_conflict(api, office, existing):
    person = existing[1]
    api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "+221 70"}, format="json")
    [result] = _sync(api, [_edit(person, 1, {"phone": ""}, {"phone": "+221 70"})])
    assert result["status"] == "updated"


def test_an_edit_of_an_unknown_field_is_invalid(api, existing):
    [result] = _sync(api, [_edit(existing[1], 1, {}, {"office": 3})])
    assert result["code"] == "invalid" and "changes" in result["errors"]


# Session and picker cache --------------------------------------------------------------------------------------


def _session(user, device: str = DEVICE) -> dict:
    client = APIClient()
    client.force_login(user)  # a sign-in of its own: a new session each time
    response = client.get("/api/v1/offline/session/", {"device": device})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return response.json()


def test_the_session_gives_the_same_device_key_to_the_same_user_and_device_at_every_sign_in(office, staff):
    """Staff sessions end after 30 minutes without a request: after a day offline the counsellor signs in again and
    must get the key the queue was sealed with."""
    body = _session(staff)
    assert body["offices"] == [{"id": office.pk, "name": office.name}]
    assert (body["max_items"], body["max_age_days"], body["idle_minutes"], body["batch_max"]) == (300, 14, 30, 50)
    assert len(base64.urlsafe_b64decode(body["device_key"] + "=")) == 32
    again = _session(staff)  # another sign-in, the first session long gone
    assert (again["device_key"], again["key_id"]) == (body["device_key"], body["key_id"])
    events = AuditEvent.objects.filter(action="offline.session")
    assert events.count() == 2 and {e.extra["device"] for e in events} == {DEVICE}


def test_another_device_or_another_user_gets_another_device_key(office, staff, colleague):
    mine = _session(staff)
    other_device = _session(staff, str(uuid.uuid4()))
    other_user = _session(colleague)
    assert len({mine["device_key"], other_device["device_key"], other_user["device_key"]}) == 3
    assert len({mine["key_id"], other_device["key_id"], other_user["key_id"]}) == 3


def test_a_password_change_gives_every_device_of_the_user_a_new_key(office, staff):
    """The remedy for a lost device: the key its queue was sealed with is never handed out again."""
    before = _session(staff)
    staff.set_password("a new passphrase for the lost phone")
    staff.save()
    after = _session(staff)
    assert after["device_key"] != before["device_key"] and after["key_id"] != before["key_id"]


@pytest.mark.parametrize("query", [{}, {"device": "not-a-uuid"}])
def test_the_session_without_a_device_id_is_refused_in_the_error_shape(api, query):
    response = api.get("/api/v1/offline/session/", query)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and "device" in str(response.json())
    assert not AuditEvent.objects.filter(action="offline.session").exists()


def test_the_picker_cache_lists_the_offices_clients_without_contact_details(api, office, other_office, existing):
    response = api.get("/api/v1/offline/persons/", {"office": office.pk})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = response.json()["results"]
    assert {r["id"] for r in rows} == {p.pk for p in existing}
    assert set(rows[0]) == {"id", "name_latin", "name_arabic", "birth_year", "version"}
    assert AuditEvent.objects.filter(action="offices.person.list").count() == 1
    assert api.get("/api/v1/offline/persons/", {"office": other_office.pk}).status_code == 404
    assert api.get("/api/v1/offline/persons/", {"office": "x"}).status_code == 404


def test_the_picker_cache_lists_the_most_recently_contacted_first(api, office, staff, existing):
    _sync(api, [_contact(existing[2].pk)])
    rows = api.get("/api/v1/offline/persons/", {"office": office.pk}).json()["results"]
    assert rows[0]["id"] == existing[2].pk


def test_the_picker_cache_runs_the_same_number_of_queries_at_10_and_at_100_clients(api, office, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (10, 90):
        for _ in range(n):
            PersonFactory(office=office, counsellor=staff)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/offline/persons/", {"office": office.pk}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_picker_cache_stops_at_its_limit(api, office, staff, monkeypatch):
    from apps.offices.offline import selectors

    monkeypatch.setattr(selectors, "PERSONS_CACHE_LIMIT", 5)
    for _ in range(7):
        PersonFactory(office=office, counsellor=staff)
    assert len(api.get("/api/v1/offline/persons/", {"office": office.pk}).json()["results"]) == 5
    assert AuditEvent.objects.get(action="offices.person.list").extra["total"] == 7
