"""The campaign page tells the truth about a stopped worker and offers "resume now"; sending and cancelling ask
first, stating who gets what and what has already gone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.outreach import services
from apps.outreach.models import Campaign, Delivery, SendingWorker
from apps.outreach.sending import deliveries_claim, deliveries_send_block
from tests.factories import user_with_role
from tests.factories.outreach import CampaignFactory, member, outreach_manager

pytestmark = pytest.mark.django_db


def started(campaign):
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    return list(Delivery.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))


def held_by_a_worker_that_stopped(campaign, ids, seconds_ago=60):
    """A worker claimed the campaign's messages, sent one, then stopped beating."""
    name = "host:4242:dead"
    SendingWorker.objects.create(name=name, started_at=timezone.now(), heartbeat_at=timezone.now())
    deliveries_claim(delivery_ids=ids, campaign=campaign, owner=name)
    past = timezone.now() - timedelta(seconds=seconds_ago)
    Delivery.objects.filter(pk=ids[0]).update(state="sent", sent_at=past)
    SendingWorker.objects.filter(name=name).update(heartbeat_at=past)
    return name


def test_the_page_and_the_api_say_a_worker_stopped_with_the_time_since_the_last_message(client):
    manager = outreach_manager()
    for _ in range(3):
        member("fr")
    campaign = CampaignFactory(created_by=manager)
    ids = started(campaign)
    client.force_login(manager)
    assert (
        'data-testid="campaign-health"'
        not in client.get(f"/outreach/campaigns/{campaign.pk}/progress/").content.decode()
    )

    held_by_a_worker_that_stopped(campaign, ids, seconds_ago=75)
    manager.preferred_language = "fr"
    manager.save(update_fields=["preferred_language"])
    response = client.get(f"/fr/outreach/campaigns/{campaign.pk}/progress/")
    assert response.status_code == 200, response
    fragment = response.content.decode()
    assert 'data-testid="campaign-health"' in fragment and 'data-testid="resume-now"' in fragment
    assert "75 secondes" in fragment or "76 secondes" in fragment
    api = APIClient()
    api.force_authenticate(manager)
    stats = api.get(f"/api/v1/campaigns/{campaign.pk}/stats/").json()
    assert stats["health"] == "resuming" and stats["seconds_since_last_message"] in (75, 76)


def test_resume_now_gives_the_stopped_workers_messages_back_and_they_are_sent_once(client, sink):
    manager = outreach_manager()
    for _ in range(3):
        member("en")
    campaign = CampaignFactory(created_by=manager)
    ids = started(campaign)
    held_by_a_worker_that_stopped(campaign, ids)
    # Nothing can take them while they are held, and the sweep waits for the dead threshold.
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == []
    client.force_login(manager)
    client.post(f"/outreach/campaigns/{campaign.pk}/resume-now/")
    assert deliveries_send_block(delivery_ids=ids, campaign_id=campaign.pk).sent == ids[1:]
    assert len(sink.messages) == 2
    assert client.get(f"/api/v1/campaigns/{campaign.pk}/stats/").json()["health"] == "ok"


def test_resume_now_is_refused_to_other_roles_and_for_a_campaign_not_sending(client):
    campaign = CampaignFactory()
    api = APIClient()
    api.force_authenticate(user_with_role(Role.ANALYST))
    assert api.post(f"/api/v1/campaigns/{campaign.pk}/resume-now/").status_code == 403
    api.force_authenticate(outreach_manager())
    response = api.post(f"/api/v1/campaigns/{campaign.pk}/resume-now/")
    assert response.status_code == 400 and "error" in response.json()
    assert api.post("/api/v1/campaigns/999999/resume-now/").status_code == 404


def test_the_dead_workers_rows_are_released_by_the_sweep_only_after_the_dead_threshold(settings):
    from apps.outreach.sending import deliveries_recover

    member("en"), member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    name = held_by_a_worker_that_stopped(campaign, ids, seconds_ago=settings.OUTREACH_WORKER_DEAD_SECONDS - 10)
    assert deliveries_recover()["from_dead_workers"] == 0
    SendingWorker.objects.filter(name=name).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.OUTREACH_WORKER_DEAD_SECONDS + 1)
    )
    assert deliveries_recover()["from_dead_workers"] == 1
    assert not SendingWorker.objects.filter(name=name).exists()
    assert Delivery.objects.get(pk=ids[1]).state == "pending"


def test_send_now_states_the_recipients_per_language_and_sends_only_once_confirmed(client):
    manager = outreach_manager()
    member("fr"), member("fr"), member("ar"), member("en")
    campaign = CampaignFactory(created_by=manager)
    manager.preferred_language = "fr"
    manager.save(update_fields=["preferred_language"])
    client.force_login(manager)
    page = client.post(f"/fr/outreach/campaigns/{campaign.pk}/schedule/", {"when": "now"}).content.decode()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT  # nothing happened yet
    assert 'data-testid="confirm-schedule"' in page and "4 personnes" in page
    assert '<td>français</td><td class="text-end">2</td>' in page.replace("Français", "français")
    client.post(f"/outreach/campaigns/{campaign.pk}/schedule/", {"when": "now", "confirmed": "1"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCHEDULED


def test_cancelling_asks_first_and_says_what_has_already_gone(client, sink):
    manager = outreach_manager()
    for _ in range(3):
        member("en")
    campaign = CampaignFactory(created_by=manager)
    ids = started(campaign)
    deliveries_send_block(delivery_ids=ids[:1], campaign_id=campaign.pk)
    client.force_login(manager)
    page = client.post(f"/outreach/campaigns/{campaign.pk}/cancel/").content.decode()
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENDING
    assert "1 message has already gone" in page and "2 messages will not be sent" in page
    client.post(f"/outreach/campaigns/{campaign.pk}/cancel/", {"confirmed": "1"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CANCELLED


def test_a_campaign_nobody_is_sending_is_stalled_and_resume_now_queues_its_pending_messages(
    client, settings, django_capture_on_commit_callbacks
):
    manager = outreach_manager()
    member("en"), member("en")
    campaign = CampaignFactory(created_by=manager)
    started(campaign)  # queued, but no worker ever took the blocks (the broker lost them)
    Campaign.objects.filter(pk=campaign.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.OUTREACH_WORKER_DEAD_SECONDS + 5)
    )
    api = APIClient()
    api.force_authenticate(manager)
    stats = api.get(f"/api/v1/campaigns/{campaign.pk}/stats/").json()
    assert stats["health"] == "stalled" and stats["seconds_since_last_message"] is None
    client.force_login(manager)
    assert (
        "No message has been sent yet." in client.get(f"/outreach/campaigns/{campaign.pk}/progress/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(f"/api/v1/campaigns/{campaign.pk}/resume-now/")
    assert response.status_code == 200 and len(callbacks) == 1  # every pending message queued again


def test_rows_given_back_and_notifications_are_read_before_a_campaigns_waiting_blocks(
    django_capture_on_commit_callbacks,
):
    """No worker: what lands in Redis is read back in the order a worker of the `outreach` queue reads it."""
    from diaspora_portal.celery import app

    member("en"), member("en")
    campaign = CampaignFactory()
    ids = started(campaign)
    someone = member("fr")
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_purge("outreach")
        services.deliveries_enqueue(campaign_id=campaign.pk)  # the campaign's block, waiting
        services.deliveries_enqueue(campaign_id=campaign.pk, ids=ids[:1], first=True)  # given back by the sweep
        with django_capture_on_commit_callbacks(execute=True):
            notification = services.notification_send(
                user=someone.user, kind="decision", context={"title": "t", "decision": "d"}
            )
        # The transport's own read, in the order BRPOP takes the priority lists: 0 before 6.
        order = [channel._get("outreach")["headers"]["argsrepr"] for _ in range(3)]
        channel.queue_purge("outreach")
    assert order == [f"([{ids[0]}], {campaign.pk})", f"([{notification.pk}], None)", f"({ids}, {campaign.pk})"]
