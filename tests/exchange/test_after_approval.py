"""After approval, as ministries live it: the schedule as a record, completion on or after the end date, every
participant's evaluation, closing by the portal, certificates, and what each person is told in their language."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.exchange import services
from apps.exchange.models import Certificate, Decision, ExchangeRequest, State
from apps.exchange.tasks import PEOPLE_REMINDER_LOCK, remind_people
from tests.factories import UserFactory, user_with_role
from tests.factories.exchange import ParticipantFactory, ScheduleFactory
from tests.notifications import notifications_deliver

from .conftest import in_state

SCHEDULE = {
    "venue": "Ministère des Marocains du monde, salle 2",
    "city": "Rabat",
    "host_contact_name": "Amina Berrada",
    "host_contact_email": "amina@example.org",
    "host_contact_phone": "+212 537 00 00 00",
    "logistics_notes": "Hôtel réservé par l'hôte.",
}
SCORES = {"usefulness": 4, "organisation": 5, "would_recommend": True}
REPORT = {"activities": "Visits.", "results": "A plan.", "knowledge_sharing": "A workshop at home."}


def _schedule_fields(request, **extra):
    return {
        **SCHEDULE,
        "start_date": request.start_date,
        "end_date": request.end_date,
        "evaluation_deadline": request.end_date + timedelta(days=20),
        **extra,
    }


def _items(request):
    return [
        {"day": request.start_date, "start_time": time(9), "end_time": time(10, 30), "title": "Ouverture"},
        {"day": request.end_date, "start_time": time(14), "end_time": None, "title": "Bilan"},
    ]


def _took_place(request):
    """The visit's dates are now behind us."""
    ExchangeRequest.objects.filter(pk=request.pk).update(
        start_date=date.today() - timedelta(days=5), end_date=date.today() - timedelta(days=1)
    )
    request.refresh_from_db()


def _accounts(request, languages=("fr", "ar")):
    users = []
    for participant, language in zip(request.participants.all(), languages, strict=False):
        users.append(user_with_role(Role.MEMBER, email=participant.email, preferred_language=language))
    return users


# --- 1. scheduling as a record ------------------------------------------------------------------------------------


def test_scheduling_requires_venue_contact_and_programme_and_the_bare_transition_is_refused(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.exchange_request_schedule(exchange_request=study_visit, actor=cast.coordinator)
    assert "schedule" in refused.value.message_dict
    with pytest.raises(ValidationError) as missing:
        services.schedule_save(
            exchange_request=study_visit,
            actor=cast.coordinator,
            fields={"start_date": study_visit.start_date, "end_date": study_visit.end_date},
            items=[],
        )
    for field in ("venue", "city", "host_contact_name", "host_contact_email", "evaluation_deadline", "programme"):
        assert field in missing.value.message_dict, field
    study_visit.refresh_from_db()
    assert study_visit.state == State.APPROVED

    api = APIClient()
    api.force_authenticate(cast.coordinator)
    response = api.post(f"/api/v1/exchange-requests/{study_visit.pk}/transitions/", {"action": "schedule"})
    assert response.status_code == 400 and "schedule" in response.json()["error"]["fields"]


def test_a_programme_item_outside_the_dates_and_a_deadline_before_the_end_are_refused(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    late = [{"day": study_visit.end_date + timedelta(days=1), "start_time": time(9), "end_time": None, "title": "x"}]
    with pytest.raises(ValidationError) as refused:
        services.schedule_save(
            exchange_request=study_visit,
            actor=cast.coordinator,
            fields=_schedule_fields(study_visit, evaluation_deadline=study_visit.end_date),
            items=late,
        )
    assert set(refused.value.message_dict) >= {"programme", "evaluation_deadline"}


def test_the_schedule_is_recorded_and_printed_on_the_sheet(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    services.schedule_save(
        exchange_request=study_visit,
        actor=cast.coordinator,
        fields=_schedule_fields(study_visit),
        items=_items(study_visit),
    )
    study_visit.refresh_from_db()
    assert study_visit.state == State.SCHEDULED
    assert study_visit.schedule.venue == SCHEDULE["venue"]
    assert [item.title for item in study_visit.schedule.items.all()] == ["Ouverture", "Bilan"]
    with translation.override("fr"):
        html = render_to_string("exchange/pdf/request_sheet.html", {"exchange_request": study_visit})
    for text in ("Ministère des Marocains du monde", "Rabat", "Amina Berrada", "Ouverture", "Bilan", "Hôtel"):
        assert text in html.replace("&#x27;", "'"), text


def test_a_change_after_scheduling_is_a_decision_with_its_reason_and_the_fields_changed(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    services.schedule_save(
        exchange_request=study_visit,
        actor=cast.coordinator,
        fields=_schedule_fields(study_visit),
        items=_items(study_visit),
    )
    moved = _schedule_fields(study_visit, venue="Hôtel de ville", city="Casablanca")
    with pytest.raises(ValidationError) as no_reason:
        services.schedule_save(exchange_request=study_visit, actor=cast.coordinator, fields=moved, items=None)
    assert "comment" in no_reason.value.message_dict
    services.schedule_save(
        exchange_request=study_visit, actor=cast.coordinator, fields=moved, items=None, comment="Salle indisponible."
    )
    change = Decision.objects.filter(request=study_visit).last()
    assert (change.action, change.from_state, change.to_state) == ("reschedule", State.SCHEDULED, State.SCHEDULED)
    assert change.changed_fields == ["venue", "city"] and change.comment == "Salle indisponible."
    assert [item.title for item in study_visit.schedule.items.all()] == ["Ouverture", "Bilan"], "items kept"


def test_only_the_coordinator_schedules(cast, study_visit, login):
    in_state(study_visit, State.APPROVED)
    with pytest.raises(services.PermissionDenied):
        services.schedule_save(
            exchange_request=study_visit, actor=cast.approver_ma, fields=_schedule_fields(study_visit), items=[]
        )
    assert login(cast.focal).get(f"/exchange/{study_visit.pk}/schedule/").status_code == 403
    assert login(cast.approver_ke).get(f"/exchange/{study_visit.pk}/schedule/").status_code == 404
    assert login(cast.coordinator).get(f"/exchange/{study_visit.pk}/schedule/").status_code == 200


def test_the_schedule_page_keeps_what_was_typed_and_names_a_programme_line_it_does_not_understand(
    cast, study_visit, login
):
    in_state(study_visit, State.APPROVED)
    cast.coordinator.preferred_language = "fr"
    cast.coordinator.save()
    data = {**_schedule_fields(study_visit), "programme": "lundi matin ouverture"}
    response = login(cast.coordinator).post(f"/fr/exchange/{study_visit.pk}/schedule/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "lundi matin ouverture" in page and "Ligne 1" in page
    assert "Amina Berrada" in page
    study_visit.refresh_from_db()
    assert study_visit.state == State.APPROVED


# --- 3. completion and closure ------------------------------------------------------------------------------------


def test_completing_before_the_end_date_is_refused_with_a_clear_message(cast, study_visit, login):
    in_state(study_visit, State.SCHEDULED)
    with pytest.raises(ValidationError) as early:
        services.exchange_request_complete(exchange_request=study_visit, actor=cast.focal)
    assert "from that day" in early.value.messages[0]
    api = APIClient()
    api.force_authenticate(cast.focal)
    response = api.post(f"/api/v1/exchange-requests/{study_visit.pk}/transitions/", {"action": "complete"})
    assert response.status_code == 400
    cast.focal.preferred_language = "fr"
    cast.focal.save()
    page = login(cast.focal).post(f"/fr/exchange/{study_visit.pk}/transition/", {"action": "complete"}, follow=True)
    assert "à partir de ce jour" in page.content.decode()
    study_visit.refresh_from_db()
    assert study_visit.state == State.SCHEDULED


def test_the_coordinator_records_an_early_end_only_with_a_reason(cast, study_visit):
    in_state(study_visit, State.SCHEDULED)
    with pytest.raises(ValidationError):
        services.exchange_request_transition(exchange_request=study_visit, actor=cast.coordinator, action="end_early")
    decision = services.exchange_request_transition(
        exchange_request=study_visit, actor=cast.coordinator, action="end_early", comment="Grève des transports."
    )
    assert decision.to_state == State.COMPLETED and decision.comment == "Grève des transports."


def test_the_request_closes_at_the_deadline_when_not_everyone_evaluated(cast, study_visit):
    in_state(study_visit, State.SCHEDULED)
    ScheduleFactory(request=study_visit, evaluation_deadline=date.today() + timedelta(days=3))
    _took_place(study_visit)
    services.exchange_request_complete(exchange_request=study_visit, actor=cast.focal)
    first, _second = _accounts(study_visit)
    services.report_submit(exchange_request=study_visit, actor=cast.focal, fields=REPORT)
    services.evaluation_submit(exchange_request=study_visit, actor=first, fields=SCORES)
    assert services.exchange_requests_close_overdue() == 0
    study_visit.refresh_from_db()
    assert study_visit.state == State.COMPLETED

    after_deadline = date.today() + timedelta(days=4)
    assert services.exchange_requests_close_overdue(today=after_deadline) == 1
    assert services.exchange_requests_close_overdue(today=after_deadline) == 0
    study_visit.refresh_from_db()
    closing = study_visit.decisions.last()
    assert study_visit.state == State.CLOSED
    assert (closing.actor_id, closing.role, closing.reason) == (None, "system", "deadline_passed")


def test_an_evaluation_after_the_deadline_is_refused(cast, study_visit):
    in_state(study_visit, State.COMPLETED)
    ScheduleFactory(request=study_visit, evaluation_deadline=date.today() - timedelta(days=1))
    (first,) = _accounts(study_visit, languages=("fr",))
    with pytest.raises(services.TransitionConflictError, match="closed on"):
        services.evaluation_submit(exchange_request=study_visit, actor=first, fields=SCORES)


# --- 4. the evaluation summary ------------------------------------------------------------------------------------


def test_the_request_page_counts_evaluations_and_suppresses_averages_under_five(cast, study_visit, login):
    in_state(study_visit, State.COMPLETED)
    first, _second = _accounts(study_visit)
    services.evaluation_submit(exchange_request=study_visit, actor=first, fields=SCORES)
    page = login(cast.focal).get(f"/exchange/{study_visit.pk}/").content.decode()
    assert "1 evaluation received of 2 expected." in page
    assert "Average usefulness" not in page
    participant_page = login(first).get(f"/exchange/{study_visit.pk}/").content.decode()
    assert "evaluation received" not in participant_page


# --- 2. the people taking part: My exchanges and messages in their language ---------------------------------------


def test_a_participant_without_any_role_finds_the_exchange_under_my_exchanges(cast, study_visit, login):
    in_state(study_visit, State.SCHEDULED)
    ScheduleFactory(request=study_visit)
    participant = UserFactory(email=study_visit.participants.first().email.upper())
    page = login(participant).get("/exchange/mine/")
    assert page.status_code == 200
    assert study_visit.title in page.content.decode()
    assert login(participant).get(f"/exchange/{study_visit.pk}/").status_code == 200
    stranger = UserFactory()
    assert study_visit.title not in login(stranger).get("/exchange/mine/").content.decode()
    assert login(stranger).get(f"/exchange/{study_visit.pk}/").status_code == 404


def test_each_step_tells_the_participants_in_their_own_language(cast, study_visit, django_capture_on_commit_callbacks):
    in_state(study_visit, State.APPROVED)
    french, arabic = _accounts(study_visit)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_save(
            exchange_request=study_visit,
            actor=cast.coordinator,
            fields=_schedule_fields(study_visit),
            items=_items(study_visit),
        )
    notifications_deliver()
    invitations = {m.to[0]: m for m in mail.outbox}
    assert "Vous êtes invité" in invitations[french.email].subject
    assert "Ouverture" in invitations[french.email].body and "Amina Berrada" in invitations[french.email].body
    assert "دعوة" in invitations[arabic.email].subject
    assert f"/ar/exchange/{study_visit.pk}/" in invitations[arabic.email].body

    mail.outbox.clear()
    _took_place(study_visit)
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_request_complete(exchange_request=study_visit, actor=cast.focal)
    notifications_deliver()
    links = {m.to[0]: m.body for m in mail.outbox}
    assert f"/fr/exchange/{study_visit.pk}/evaluation/" in links[french.email]
    assert f"/ar/exchange/{study_visit.pk}/evaluation/" in links[arabic.email]


def test_participants_are_reminded_before_the_start_once_and_weekly_to_evaluate_until_they_do(
    cast, study_visit, django_capture_on_commit_callbacks
):
    in_state(study_visit, State.SCHEDULED)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(
        start_date=date.today() + timedelta(days=3), end_date=date.today() + timedelta(days=5)
    )
    study_visit.refresh_from_db()
    ScheduleFactory(request=study_visit)
    french, arabic = _accounts(study_visit)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.exchange_requests_remind_people()
    notifications_deliver()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([french.email, arabic.email]), "once each"

    mail.outbox.clear()
    _took_place(study_visit)
    in_state(study_visit, State.COMPLETED)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(state_changed_at=timezone.now() - timedelta(days=8))
    services.evaluation_submit(exchange_request=study_visit, actor=french, fields=SCORES)
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_requests_remind_people()
        services.exchange_requests_remind_people()
    notifications_deliver()
    assert [m.to[0] for m in mail.outbox] == [arabic.email], "only who has not evaluated, once a week"


def test_the_people_reminder_task_does_nothing_while_another_run_holds_the_lock(cast, study_visit):
    from django.core.cache import cache

    cache.add(PEOPLE_REMINDER_LOCK, "1", timeout=60)
    try:
        assert remind_people() == 0
    finally:
        cache.delete(PEOPLE_REMINDER_LOCK)


# --- 5. certificates ----------------------------------------------------------------------------------------------


def _closed_with_certificates(cast, study_visit):
    in_state(study_visit, State.COMPLETED)
    french, arabic = _accounts(study_visit)
    services.report_submit(exchange_request=study_visit, actor=cast.focal, fields=REPORT)
    for user in (french, arabic):
        services.evaluation_submit(exchange_request=study_visit, actor=user, fields=SCORES)
    study_visit.refresh_from_db()
    return french, arabic


def test_closing_issues_a_certificate_per_participant_in_their_language_and_tells_them(
    cast, study_visit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        french, arabic = _closed_with_certificates(cast, study_visit)
    assert study_visit.state == State.CLOSED
    certificates = {c.holder_email: c for c in Certificate.objects.filter(request=study_visit)}
    assert certificates[french.email].language == "fr" and certificates[arabic.email].language == "ar"
    assert len({c.code for c in certificates.values()}) == 2
    assert services.certificates_issue(exchange_request=study_visit) and Certificate.objects.count() == 2, "idempotent"
    notifications_deliver()
    assert any(certificates[arabic.email].code in m.body for m in mail.outbox if m.to == [arabic.email])


def test_a_certificate_verifies_on_the_public_page_and_a_wrong_code_does_not(cast, study_visit, client):
    french, _arabic = _closed_with_certificates(cast, study_visit)
    code = Certificate.objects.get(holder_email=french.email).code
    spaced = f"{code[:4]} {code[4:8]}-{code[8:].lower()}"
    page = client.get("/fr/exchange/certificates/verify/", {"code": spaced}).content.decode()
    assert 'data-testid="certificate-valid"' in page and study_visit.title in page
    wrong = client.get("/fr/exchange/certificates/verify/", {"code": "0000000000000000"}).content.decode()
    assert 'data-testid="certificate-invalid"' in wrong


def test_a_certificate_pdf_goes_to_its_holder_and_the_requester_only(cast, study_visit, login):
    french, arabic = _closed_with_certificates(cast, study_visit)
    code = Certificate.objects.get(holder_email=french.email).code
    response = login(french).get(f"/fr/exchange/certificates/{code}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert login(cast.focal).get(f"/exchange/certificates/{code}.pdf").status_code == 200
    assert login(arabic).get(f"/ar/exchange/certificates/{code}.pdf").status_code == 404
    assert login(cast.approver_ke).get(f"/exchange/certificates/{code}.pdf").status_code == 404


# --- 7. withdraw and cancel ask to confirm ------------------------------------------------------------------------


def test_withdraw_asks_to_confirm_and_says_what_follows_before_acting(cast, study_visit, login):
    client = login(cast.focal)
    page = client.post(f"/exchange/{study_visit.pk}/transition/", {"action": "withdraw", "comment": "Plus tard"})
    assert page.status_code == 200 and "for good" in page.content.decode() and "Plus tard" in page.content.decode()
    study_visit.refresh_from_db()
    assert study_visit.state == State.DRAFT
    client.post(f"/exchange/{study_visit.pk}/transition/", {"action": "withdraw", "confirmed": "1"})
    study_visit.refresh_from_db()
    assert study_visit.state == State.WITHDRAWN


# --- the schedule through the API ---------------------------------------------------------------------------------


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_schedules_with_the_programme_and_refuses_the_wrong_role_and_a_change_without_reason(cast, study_visit):
    in_state(study_visit, State.APPROVED)
    url = f"/api/v1/exchange-requests/{study_visit.pk}/schedule/"
    body = {
        **SCHEDULE,
        "start_date": study_visit.start_date.isoformat(),
        "end_date": study_visit.end_date.isoformat(),
        "evaluation_deadline": (study_visit.end_date + timedelta(days=20)).isoformat(),
        "items": [{"day": study_visit.start_date.isoformat(), "start_time": "09:00", "title": "Ouverture"}],
    }
    assert _api(cast.focal).put(url, body, format="json").status_code == 403
    assert _api(cast.approver_ke).put(url, body, format="json").status_code == 404
    missing = _api(cast.coordinator).put(url, {"start_date": body["start_date"]}, format="json")
    assert missing.status_code == 400 and "venue" in missing.json()["error"]["fields"]
    response = _api(cast.coordinator).put(url, body, format="json")
    assert response.status_code == 200 and response.json()["items"][0]["title"] == "Ouverture"
    detail = _api(cast.focal).get(f"/api/v1/exchange-requests/{study_visit.pk}/").json()
    assert detail["state"] == State.SCHEDULED and detail["schedule"]["venue"] == SCHEDULE["venue"]

    moved = _api(cast.coordinator).put(url, {**body, "city": "Fès"}, format="json")
    assert moved.status_code == 400 and "comment" in moved.json()["error"]["fields"]
    moved = _api(cast.coordinator).put(url, {**body, "city": "Fès", "comment": "Salle à Fès."}, format="json")
    assert moved.status_code == 200
    log = _api(cast.focal).get(f"/api/v1/exchange-requests/{study_visit.pk}/").json()["decisions"]
    assert log[-1]["action"] == "reschedule" and log[-1]["changed_fields"] == ["city"]


def test_a_schedule_change_tells_the_requester_and_the_participants_what_changed_and_why(
    cast, study_visit, django_capture_on_commit_callbacks
):
    in_state(study_visit, State.APPROVED)
    (french,) = _accounts(study_visit, languages=("fr",))
    services.schedule_save(
        exchange_request=study_visit,
        actor=cast.coordinator,
        fields=_schedule_fields(study_visit),
        items=_items(study_visit),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_save(
            exchange_request=study_visit,
            actor=cast.coordinator,
            fields=_schedule_fields(study_visit, city="Fès"),
            items=None,
            comment="Salle à Fès.",
        )
    notifications_deliver()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "changed the schedule" in by_recipient[cast.focal.email].body
    assert "Salle à Fès." in by_recipient[cast.focal.email].body
    participant = by_recipient[french.email]
    assert "a changé" in participant.subject and "ville" in participant.body and "Salle à Fès." in participant.body


# --- a real worker, an expert assignment, constant queries --------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_closes_an_overdue_exchange_once_and_sends_the_certificate(
    cast, study_visit, celery_worker_process
):
    import time as clock

    from apps.exchange.tasks import close_overdue
    from apps.outreach.models import Delivery

    in_state(study_visit, State.COMPLETED)
    ScheduleFactory(request=study_visit, evaluation_deadline=date.today() - timedelta(days=1))
    (french,) = _accounts(study_visit, languages=("fr",))
    from apps.exchange.models import Report

    Report.objects.create(request=study_visit, author=cast.focal, **REPORT)
    assert close_overdue.delay().get(timeout=60) == 1
    assert close_overdue.delay().get(timeout=60) == 0
    study_visit.refresh_from_db()
    assert study_visit.state == State.CLOSED
    deadline = clock.monotonic() + 60
    while clock.monotonic() < deadline:
        states = list(Delivery.objects.filter(kind="exchange_certificate").values_list("state", flat=True))
        if states == [Delivery.State.SENT]:
            break
        clock.sleep(0.2)
    assert states == [Delivery.State.SENT]
    assert Delivery.objects.get(kind="exchange_certificate").language == "fr"


def test_a_selected_expert_is_invited_evaluates_and_gets_an_expert_certificate(
    cast, django_capture_on_commit_callbacks
):
    from tests.factories.exchange import ExpertAssignmentFactory, ExpertSelectionFactory

    assignment = ExpertAssignmentFactory(requesting_institution=cast.institution, created_by=cast.focal)
    expert = user_with_role(Role.MEMBER, email="expert@example.org", preferred_language="ar")
    ExpertSelectionFactory(request=assignment, expert=expert, status="selected", provider_country_id="MA")
    in_state(assignment, State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_save(
            exchange_request=assignment,
            actor=cast.coordinator,
            fields=_schedule_fields(assignment),
            items=_items(assignment),
        )
    notifications_deliver()
    assert [m.to[0] for m in mail.outbox if "دعوة" in m.subject] == [expert.email]
    in_state(assignment, State.COMPLETED)
    services.report_submit(exchange_request=assignment, actor=cast.focal, fields=REPORT)
    services.evaluation_submit(exchange_request=assignment, actor=expert, fields=SCORES)
    assignment.refresh_from_db()
    assert assignment.state == State.CLOSED
    certificate = Certificate.objects.get(request=assignment)
    assert (certificate.holder_kind, certificate.holder_id, certificate.language) == ("expert", expert.pk, "ar")


def test_my_exchanges_runs_the_same_number_of_queries_for_3_and_for_12_exchanges(cast, login):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from tests.factories.exchange import ExchangeRequestFactory

    person = UserFactory(email="often@example.org")
    client = login(person)

    def exchanges(count):
        for _n in range(count):
            request = ExchangeRequestFactory(requesting_institution=cast.institution, created_by=cast.focal)
            ParticipantFactory(request=request, email=person.email)
            ParticipantFactory(request=request)
            ScheduleFactory(request=request)
            in_state(request, State.COMPLETED)
        with CaptureQueriesContext(db) as queries:
            assert client.get("/exchange/mine/").status_code == 200
        return len(queries)

    assert exchanges(3) == exchanges(9)


def test_the_requester_prints_every_certificate_at_once_each_in_its_holders_language(cast, study_visit, login):
    import io
    import zipfile

    from pypdf import PdfReader

    from apps.core.models import PdfBatch
    from apps.core.pdf_batches import pdf_batch_render

    french, arabic = _closed_with_certificates(cast, study_visit)
    assert login(arabic).post(f"/exchange/{study_visit.pk}/certificates/print/").status_code == 403
    response = login(cast.focal).post(f"/exchange/{study_visit.pk}/certificates/print/")
    batch = PdfBatch.objects.get(requested_by=cast.focal)
    assert response.status_code == 302 and batch.total == 2
    batch = pdf_batch_render(batch_id=batch.pk)
    certificates = {c.code: c for c in Certificate.objects.filter(request=study_visit)}
    with zipfile.ZipFile(io.BytesIO(batch.file.read())) as archive:
        assert sorted(archive.namelist()) == sorted(f"certificate-{code}.pdf" for code in certificates)
        for code, certificate in certificates.items():
            text = " ".join(
                p.extract_text() for p in PdfReader(io.BytesIO(archive.read(f"certificate-{code}.pdf"))).pages
            )
            assert certificate.holder_name in text and code in text.replace(" ", "")
