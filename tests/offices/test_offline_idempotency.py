"""The Idempotency-Key header on the person and contact API (issue 21): a retry creates nothing, a reused key is
refused, two requests with one key at the same moment create one record."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.idempotency import Answer, IdempotencyRecord, fingerprint, records_purge, run_once
from apps.offices import services
from apps.offices.models import Contact, Person
from tests.factories.offices import OfficeFactory, PersonFactory, counsellor

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client


def _person_body(office, name="Awa Sy"):
    return {"office": office.pk, "name_latin": name, "birth_year": 1990}


def test_a_replayed_person_create_returns_the_same_body_and_creates_nothing(api, office):
    key = str(uuid.uuid4())
    first = api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Person.objects.count() == 1


def test_a_replayed_contact_create_logs_one_contact(api, office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    body = {"person": person.pk, "channel": "hotline", "topics": ["remittances"], "summary": "Costs", "notes": "x"}
    key = "contact-1"
    answers = [api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY=key) for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert answers[2].json() == answers[0].json() and "notes" not in answers[2].json()
    assert Contact.objects.count() == 1


def test_a_replayed_person_edit_is_applied_once(api, office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    first = api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "+221 77 000"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="edit-1")  # fmt: skip
    again = api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "+221 77 000"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="edit-1")  # fmt: skip
    assert first.json()["version"] == 2 and again.json() == first.json()
    person.refresh_from_db()
    assert person.version == 2


def test_the_same_key_with_another_body_answers_422_in_the_error_shape(api, office):
    api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = api.post("/api/v1/persons/", _person_body(office, "Other"), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert Person.objects.count() == 1


def test_the_same_key_on_another_endpoint_answers_422(api, office, staff):
    person = PersonFactory(office=office, counsellor=staff)
    api.patch(f"/api/v1/persons/{person.pk}/", {"phone": "1"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    other = PersonFactory(office=office, counsellor=staff)
    response = api.patch(f"/api/v1/persons/{other.pk}/", {"phone": "1"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert response.status_code == 422


def test_keys_are_per_user(api, office, colleague):
    api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY="shared")
    other = APIClient()
    other.force_authenticate(colleague)
    response = other.post("/api/v1/persons/", _person_body(office, "Binta"), format="json",
                          HTTP_IDEMPOTENCY_KEY="shared")  # fmt: skip
    assert response.status_code == 201 and Person.objects.count() == 2


def test_an_error_answer_is_not_stored_so_the_corrected_request_may_use_the_key(api, office):
    bad = api.post("/api/v1/persons/", {"office": office.pk}, format="json", HTTP_IDEMPOTENCY_KEY="k3")
    assert bad.status_code == 400
    good = api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY="k3")
    assert good.status_code == 201


def test_an_over_long_key_is_refused_with_400(api, office):
    response = api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY="x" * 101)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Person.objects.exists()


def test_without_the_header_every_post_creates(api, office):
    api.post("/api/v1/persons/", _person_body(office), format="json")
    api.post("/api/v1/persons/", _person_body(office), format="json")
    assert Person.objects.count() == 2


def test_records_older_than_the_keep_period_are_purged(api, office, settings):
    settings.IDEMPOTENCY_KEEP_DAYS = 30
    api.post("/api/v1/persons/", _person_body(office), format="json", HTTP_IDEMPOTENCY_KEY="old")
    api.post("/api/v1/persons/", _person_body(office, "New"), format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(days=31))
    assert records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_the_purge_is_scheduled_daily():
    from diaspora_portal.celery import app

    schedule = app.conf.beat_schedule
    assert any(entry["task"] == "core.purge_idempotency_records" for entry in schedule.values())


def _advisory_lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_one_person():
    """The first request holds the key while it creates; the second, on its own connection, waits for it and
    then answers with the stored result."""
    office = OfficeFactory()
    user = counsellor(office)
    digest = fingerprint("test", {"name": "Awa"})
    outcomes = {}
    errors = []

    def create(name: str, wait_for_the_other: bool) -> None:
        try:

            def action() -> Answer:
                person = services.person_create(office=office, actor=user, name_latin="Awa Sy")
                if wait_for_the_other:  # hold the key until the other request is blocked on it
                    deadline = time.monotonic() + 10
                    while _advisory_lock_waiters() < 1 and time.monotonic() < deadline:
                        time.sleep(0.05)
                return Answer(201, {"id": person.pk})

            outcomes[name] = run_once(user=user, key="same", scope="test", digest=digest, action=action)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=create, args=("first", True))
    first.start()
    time.sleep(0.3)
    second = threading.Thread(target=create, args=("second", False))
    second.start()
    first.join(20)
    second.join(20)
    assert errors == []
    assert Person.objects.count() == 1
    assert outcomes["second"].replayed and outcomes["second"].body == outcomes["first"].body
