"""Participants without a portal account: told at each step in their language through the outreach pipeline, and
evaluating by a personal link (signed, for one participant of one request, usable once, closed with the
evaluations) that refuses a wrong, expired or reused link with a page in the reader's language."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.accounts.models import User
from apps.exchange import services
from apps.exchange.models import CloseReason, Evaluation, ExchangeRequest, Participant, State
from apps.exchange.services.people import evaluation_link_token
from apps.outreach.models import Delivery
from tests.factories.exchange import ParticipantFactory, ScheduleFactory
from tests.notifications import notifications_deliver

from .conftest import in_state
from .test_after_approval import REPORT, _items, _schedule_fields, _took_place

LINK = re.compile(r"https?://[^/\s]+((?:/(?:fr|ar))?/exchange/evaluate/[^/\s]+/)")
SCORES = {"usefulness": "4", "organisation": "5", "would_recommend": "yes", "comments": "Très utile."}


@pytest.fixture
def languages(study_visit):
    """The two participants: one for whom French was chosen, one for whom Arabic was; no account for either."""
    french, arabic = study_visit.participants.order_by("pk")
    Participant.objects.filter(pk=french.pk).update(language="fr")
    Participant.objects.filter(pk=arabic.pk).update(language="ar")
    assert not User.objects.filter(email__in=[french.email, arabic.email]).exists()
    return french.email, arabic.email


def _scheduled(cast, study_visit, capture):
    in_state(study_visit, State.APPROVED)
    with capture(execute=True):
        services.schedule_save(
            exchange_request=study_visit,
            actor=cast.coordinator,
            fields=_schedule_fields(study_visit),
            items=_items(study_visit),
        )
    return {m.to[0]: m for m in notifications_deliver()}


def _completed(cast, study_visit, capture):
    mail.outbox.clear()
    _took_place(study_visit)
    with capture(execute=True):
        services.exchange_request_complete(exchange_request=study_visit, actor=cast.focal)
    return {m.to[0]: LINK.search(m.body).group(1) for m in notifications_deliver()}


@pytest.fixture
def links(cast, study_visit, languages, django_capture_on_commit_callbacks):
    """Scheduled, then completed: each participant's personal link from their "evaluate" e-mail, by address."""
    _scheduled(cast, study_visit, django_capture_on_commit_callbacks)
    return _completed(cast, study_visit, django_capture_on_commit_callbacks)


def _deadline_passed(request):
    request.schedule.evaluation_deadline = date.today() - timedelta(days=1)
    request.schedule.save()


def test_participants_without_an_account_are_invited_in_their_language_through_the_pipeline(
    cast, study_visit, languages, django_capture_on_commit_callbacks
):
    french, arabic = languages
    invitations = _scheduled(cast, study_visit, django_capture_on_commit_callbacks)
    assert "Vous êtes invité" in invitations[french].subject and "Ouverture" in invitations[french].body
    assert "دعوة" in invitations[arabic].subject
    assert "/fr/accounts/password/reset/" in invitations[french].body  # how to claim the account, if they wish
    deliveries = Delivery.objects.filter(address__in=[french, arabic], kind="exchange_invitation")
    assert sorted(deliveries.values_list("language", flat=True)) == ["ar", "fr"]
    kept = User.objects.get(email=french)
    assert not kept.has_usable_password() and not kept.memberships.exists()


def test_a_participant_without_a_chosen_language_is_written_to_in_the_working_language(
    cast, study_visit, django_capture_on_commit_callbacks
):
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(working_language_id="ar")
    study_visit.refresh_from_db()
    invitations = _scheduled(cast, study_visit, django_capture_on_commit_callbacks)
    emails = list(study_visit.participants.values_list("email", flat=True))
    assert all("دعوة" in invitations[email].subject for email in emails)


def test_they_are_reminded_before_the_start(cast, study_visit, languages, django_capture_on_commit_callbacks):
    french, arabic = languages
    in_state(study_visit, State.SCHEDULED)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(
        start_date=date.today() + timedelta(days=3), end_date=date.today() + timedelta(days=5)
    )
    ScheduleFactory(request=study_visit)
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_requests_remind_people()
    assert sorted(m.to[0] for m in notifications_deliver()) == sorted([french, arabic])


def test_after_completion_each_evaluates_by_a_personal_link_without_signing_in(
    cast, study_visit, languages, links, client, django_capture_on_commit_callbacks
):
    french, arabic = languages
    assert links[french].startswith("/fr/exchange/evaluate/") and links[arabic].startswith("/ar/exchange/evaluate/")
    assert links[french] != links[arabic]

    page = client.get(links[french])
    assert page.status_code == 200 and "Évaluer l'échange" in page.content.decode()
    done = client.post(links[french], SCORES)
    assert done.status_code == 200 and "Merci : votre évaluation a été envoyée." in done.content.decode()
    evaluation = Evaluation.objects.get(request=study_visit)
    assert evaluation.author.email == french and evaluation.respondent == "participant"
    assert (evaluation.usefulness, evaluation.organisation, evaluation.would_recommend) == (4, 5, True)

    services.report_submit(exchange_request=study_visit, actor=cast.focal, fields=REPORT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(links[arabic], SCORES).status_code == 200
    study_visit.refresh_from_db()
    assert study_visit.state == State.CLOSED
    assert study_visit.decisions.last().reason == CloseReason.ALL_EVALUATED
    # Their certificate: the code, and how to claim the account the portal keeps for them to download it.
    certificates = {m.to[0]: m.body for m in notifications_deliver() if m.to[0] in (french, arabic)}
    assert (
        "/fr/accounts/password/reset/" in certificates[french]
        and "/ar/accounts/password/reset/" in certificates[arabic]
    )


def test_a_reused_link_gets_a_403_page_in_the_reader_s_language(cast, study_visit, languages, links, client):
    french, _arabic = languages
    link = links[french]
    assert client.post(link, SCORES).status_code == 200
    for again in (client.get(link), client.post(link, {**SCORES, "usefulness": "1"})):
        assert again.status_code == 403
        assert "Une évaluation a déjà été envoyée avec ce lien" in again.content.decode()
    assert Evaluation.objects.filter(request=study_visit).count() == 1


def test_a_wrong_link_gets_a_404_page_in_the_reader_s_language(cast, study_visit, languages, client):
    in_state(study_visit, State.COMPLETED)
    participant = study_visit.participants.order_by("pk").first()
    token = evaluation_link_token(participant)
    altered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for url in (f"/ar/exchange/evaluate/{altered}/", "/ar/exchange/evaluate/made-up/"):
        response = client.get(url)
        assert response.status_code == 404 and "هذا الرابط غير صالح" in response.content.decode()
    # A link stops working when its participant is removed from the request, or their address changes.
    Participant.objects.filter(pk=participant.pk).update(email="someone.else@example.org")
    assert client.get(f"/exchange/evaluate/{token}/").status_code == 404
    assert not Evaluation.objects.exists()


def test_an_expired_link_gets_a_403_page_once_the_evaluations_close(cast, study_visit, languages, links, client):
    french, arabic = languages
    _deadline_passed(study_visit)
    response = client.post(links[french], SCORES)
    assert response.status_code == 403 and "Les évaluations de cet échange sont closes" in response.content.decode()
    assert client.get(links[arabic]).status_code == 403
    assert not Evaluation.objects.exists()


def test_they_are_reminded_weekly_with_their_link_until_they_evaluate_or_the_deadline_passes(
    cast, study_visit, languages, links, client, django_capture_on_commit_callbacks
):
    french, arabic = languages
    client.post(links[french], SCORES)
    mail.outbox.clear()
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(state_changed_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_requests_remind_people()
    reminders = notifications_deliver()
    assert [m.to[0] for m in reminders] == [arabic]
    assert LINK.search(reminders[0].body).group(1).startswith("/ar/exchange/evaluate/")

    mail.outbox.clear()
    _deadline_passed(study_visit)
    ExchangeRequest.objects.filter(pk=study_visit.pk).update(evaluation_reminder_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        services.exchange_requests_remind_people(now=timezone.now())
    assert notifications_deliver() == []


def test_bad_scores_by_link_keep_what_was_typed_and_say_what_is_wrong(cast, study_visit, languages, links, client):
    french, _arabic = languages
    link = links[french]
    response = client.post(link, {**SCORES, "usefulness": "9"})
    assert response.status_code == 200
    assert "usefulness" in response.context["form"].errors
    assert "Très utile." in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_participant_added_with_a_language_through_the_api_keeps_it(cast, study_visit):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.focal)
    body = {
        "name": "Awa Diop",
        "institution": "Ministry",
        "country": "SN",
        "email": "awa@example.org",
        "language": "ar",
    }
    response = api.post(f"/api/v1/exchange-requests/{study_visit.pk}/participants/", body, format="json")
    assert response.status_code == 201 and response.json()["language"] == "ar"
    bad = api.post(
        f"/api/v1/exchange-requests/{study_visit.pk}/participants/", {**body, "language": "xx"}, format="json"
    )
    assert bad.status_code == 400 and "language" in bad.json()["error"]["fields"]
    assert ParticipantFactory._meta.model.objects.get(email="awa@example.org").language == "ar"
