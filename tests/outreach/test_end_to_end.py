"""A real worker (separate process, real Redis) sending to the local SMTP sink."""

import time

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.outreach import services
from apps.outreach.models import Campaign, Delivery
from tests.factories.outreach import CampaignFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last test of this module ends with a flush; put reference data (roles, countries) back for the
    modules that run after it (module teardown comes after that flush)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def worker(smtp_sink, celery_worker_process):
    """The module's worker, started after the sink so it sends there. Reference data is loaded again because the
    previous transactional test ended with a flush."""
    call_command("load_reference_data", verbosity=0)
    smtp_sink.messages.clear()
    return smtp_sink


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_campaign_sent_now_reaches_each_consenting_member_once_in_their_language(worker):
    people = [member("fr"), member("ar"), member("en"), member("fr")]
    member("fr", consent_newsletter_email=False)
    campaign = CampaignFactory()
    services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
    assert wait_for(lambda: Campaign.objects.get(pk=campaign.pk).state == Campaign.State.SENT)
    ids = worker.message_ids()
    assert len(ids) == 4 and set(ids.values()) == {1}
    subjects = {p.user.email: worker.to(p.user.email)[0]["Subject"] for p in people}
    assert subjects[people[1].user.email] == f"أخبار إلى {people[1].first_name}"
    assert subjects[people[0].user.email] == f"Nouvelles pour {people[0].first_name}"
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_rolled_back_campaign_sends_nothing(worker):
    member("en"), member("fr")
    doomed = [CampaignFactory() for _ in range(5)]
    for campaign in doomed:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.campaign_schedule(actor=campaign.created_by, campaign=campaign)
            services.notification_send(
                user=campaign.created_by, kind="decision", context={"title": "x", "decision": "y"}
            )
            raise RuntimeError("the request failed after scheduling")
    committed = CampaignFactory()
    services.campaign_schedule(actor=committed.created_by, campaign=committed)
    assert wait_for(lambda: Campaign.objects.get(pk=committed.pk).state == Campaign.State.SENT)
    time.sleep(1)  # anything wrongly queued by the rolled-back transactions would have run by now
    assert len(worker.messages) == 2
    assert all(f".{committed.pk}@" in message_id for message_id in worker.message_ids())
    assert set(Campaign.objects.filter(pk__in=[c.pk for c in doomed]).values_list("state", flat=True)) == {"draft"}
    assert not Delivery.objects.filter(campaign__in=doomed).exists() and not Delivery.objects.filter(campaign=None)


def test_a_notification_goes_through_the_worker_in_the_users_language(worker):
    person = member("ar", consent_newsletter_email=False)
    services.notification_send(user=person.user, kind="decision", context={"title": "طلب 7", "decision": "ok"})
    assert wait_for(lambda: worker.to(person.user.email))
    message = worker.to(person.user.email)[0]
    assert "طلب 7" in message["Subject"]
    assert 'dir="rtl"' in message.get_body(("html",)).get_content()
