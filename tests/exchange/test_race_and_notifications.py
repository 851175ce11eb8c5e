"""Two deciders at once, the messages each person gets in their language, and the weekly reminders."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.exchange import services
from apps.exchange.models import Decision, ExchangeRequest, State
from apps.exchange.tasks import REMINDER_LOCK, send_decision_reminders
from apps.outreach.models import Delivery
from tests.factories import user_with_role
from tests.notifications import notifications_deliver

from .conftest import in_state


def _slow_audit(monkeypatch):
    """Hold the row lock a little longer, so the second decider surely arrives while the first is deciding."""
    original = services.audit_record

    def slow(**kwargs):
        time.sleep(0.4)
        return original(**kwargs)

    monkeypatch.setattr(services, "audit_record", slow)


def _run_together(*callables):
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def run(index, fn):
        try:
            barrier.wait()
            results[index] = fn()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_approvers_endorsing_at_once_exactly_one_wins_and_the_other_gets_a_conflict(cast, study_visit, monkeypatch):
    second_sn = user_with_role(Role.APPROVER, cast.approver_sn.memberships.first().organisation)
    in_state(study_visit, State.SUBMITTED)
    _slow_audit(monkeypatch)

    results = _run_together(
        lambda: services.exchange_request_endorse(
            exchange_request=ExchangeRequest.objects.get(pk=study_visit.pk), actor=cast.approver_sn
        ),
        lambda: services.exchange_request_endorse(
            exchange_request=ExchangeRequest.objects.get(pk=study_visit.pk), actor=second_sn
        ),
    )

    wins = [r for r in results if isinstance(r, Decision)]
    conflicts = [r for r in results if isinstance(r, services.TransitionConflictError)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    assert "Endorsed" in conflicts[0].message
    assert Decision.objects.filter(request=study_visit).count() == 1
    study_visit.refresh_from_db()
    assert study_visit.state == State.ENDORSED


@pytest.mark.django_db(transaction=True)
def test_an_endorsement_racing_a_rejection_through_the_api_answers_409_to_the_loser(cast, study_visit, monkeypatch):
    second_sn = user_with_role(Role.APPROVER, cast.approver_sn.memberships.first().organisation)
    in_state(study_visit, State.SUBMITTED)
    _slow_audit(monkeypatch)
    url = f"/api/v1/exchange-requests/{study_visit.pk}/transitions/"

    def post(user, action):
        client = APIClient()
        client.force_authenticate(user)
        return client.post(url, {"action": action, "comment": "Not a priority."}, format="json")

    responses = _run_together(lambda: post(cast.approver_sn, "endorse"), lambda: post(second_sn, "reject"))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409], [getattr(r, "data", r) for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["error"]["code"] == "conflict"
    assert "Reload" in loser.json()["error"]["message"]
    assert Decision.objects.filter(request=study_visit).count() == 1


def test_submitting_tells_the_approvers_of_the_requesting_country_in_their_language(
    cast, study_visit, django_capture_on_commit_callbacks
):
    cast.approver_sn.preferred_language = "fr"
    cast.approver_sn.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_request_submit(exchange_request=study_visit, actor=cast.focal)
    notifications_deliver()
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients == [cast.approver_sn.email]
    assert "attend votre décision" in mail.outbox[0].subject
    assert f"/fr/exchange/{study_visit.pk}/" in mail.outbox[0].body


def test_every_decision_is_told_to_the_requester_and_the_next_deciders(
    cast, study_visit, django_capture_on_commit_callbacks
):
    cast.focal.preferred_language = "ar"
    cast.focal.save()
    in_state(study_visit, State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_request_endorse(exchange_request=study_visit, actor=cast.approver_sn, comment="Bien.")
    notifications_deliver()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {cast.focal.email, cast.approver_ma.email}
    assert "Bien." in by_recipient[cast.focal.email].body
    assert "مؤيَّد" in by_recipient[cast.focal.email].subject or "طلب" in by_recipient[cast.focal.email].subject


def test_a_decider_is_reminded_after_7_days_then_weekly_and_never_twice_in_a_week(
    cast, study_visit, django_capture_on_commit_callbacks
):
    in_state(study_visit, State.SUBMITTED)
    now = timezone.now()
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(state_changed_at=now - timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exchange_request_send_reminders(now=now) == 0
    assert notifications_deliver() == []

    later = now + timedelta(days=1, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exchange_request_send_reminders(now=later) == 1
        assert services.exchange_request_send_reminders(now=later + timedelta(hours=1)) == 0
    assert [m.to[0] for m in notifications_deliver()] == [cast.approver_sn.email]
    assert "Reminder" in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        assert services.exchange_request_send_reminders(now=later + timedelta(days=6)) == 0
        assert services.exchange_request_send_reminders(now=later + timedelta(days=7)) == 1
    assert len(notifications_deliver()) == 2


def test_a_decision_resets_the_reminder_clock(cast, study_visit, django_capture_on_commit_callbacks):
    in_state(study_visit, State.SUBMITTED)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(state_changed_at=timezone.now() - timedelta(days=8))
    services.exchange_request_endorse(exchange_request=study_visit, actor=cast.approver_sn)
    assert services.exchange_request_send_reminders() == 0


def test_the_reminder_task_does_nothing_while_another_run_holds_the_lock(cast, study_visit):
    from django.core.cache import cache

    in_state(study_visit, State.SUBMITTED)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(state_changed_at=timezone.now() - timedelta(days=8))
    cache.set(REMINDER_LOCK, "1", 60)
    try:
        assert send_decision_reminders() == 0
    finally:
        cache.delete(REMINDER_LOCK)
    assert send_decision_reminders() == 1
    study_visit.refresh_from_db()
    assert study_visit.last_reminder_at is not None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_reminder_task_once(cast, study_visit, celery_worker_process):
    in_state(study_visit, State.SUBMITTED)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(state_changed_at=timezone.now() - timedelta(days=8))
    assert send_decision_reminders.delay().get(timeout=60) == 1
    assert send_decision_reminders.delay().get(timeout=60) == 0
    study_visit.refresh_from_db()
    assert study_visit.last_reminder_at is not None
    # The reminder left through the outreach pipeline: one delivery, sent by the same worker.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = list(Delivery.objects.filter(kind="exchange_reminder").values_list("state", flat=True))
        if states == [Delivery.State.SENT]:
            break
        time.sleep(0.2)
    assert states == [Delivery.State.SENT]


@pytest.mark.django_db(transaction=True)
def test_two_participants_added_at_once_cannot_make_four_from_one_country(cast, study_visit, monkeypatch):
    from apps.core.models import Country

    _slow_audit(monkeypatch)

    senegal = Country.objects.get(pk="SN")

    def add(n):
        fields = {"name": f"P{n}", "institution": "Institute", "country": senegal, "email": f"late{n}@example.org"}
        return services.participant_add(exchange_request=study_visit, actor=cast.focal, fields=fields)

    results = _run_together(lambda: add(1), lambda: add(2))  # the visit already has two Senegalese participants

    assert sum(1 for r in results if isinstance(r, ValidationError)) == 1, results
    assert study_visit.participants.filter(country_id="SN").count() == 3
