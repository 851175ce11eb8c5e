"""A campaign whose worker stopped, seen by an Arabic outreach manager: the page says so, "resume now" gives the
rows back, and cancelling says what has already gone. In its own module: no Celery worker may run beside it (the
campaign tests' worker is module-scoped), or it would send the rows the test counts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.outreach.models import Campaign
from tests.browser.accessibility import serious_violations
from tests.browser.session import sign_in
from tests.conftest import ARTIFACTS
from tests.factories.outreach import member, outreach_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The test ends with a flush; put reference data (roles, countries) back for the modules that run after it."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


def test_an_arabic_manager_sees_a_stopped_worker_resumes_now_and_cancels_knowing_what_has_gone(
    live_server, page, settings
):
    """No worker here: the campaign's rows are held by a worker that stopped beating a minute ago."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.outreach import services
    from apps.outreach.models import Delivery, SendingWorker
    from apps.outreach.sending import deliveries_claim
    from tests.factories.outreach import CampaignFactory

    call_command("load_reference_data", verbosity=0)
    manager = outreach_manager(preferred_language="ar", full_name="سلمى بنعلي")
    for _ in range(3):
        member("ar")
    campaign = CampaignFactory(created_by=manager, name="منتدى الكفاءات")
    services.campaign_schedule(actor=manager, campaign=campaign)
    services.campaign_start(campaign_id=campaign.pk)
    ids = list(Delivery.objects.filter(campaign=campaign).order_by("id").values_list("id", flat=True))
    a_minute_ago = timezone.now() - timedelta(seconds=60)
    SendingWorker.objects.create(name="host:1:stopped", started_at=a_minute_ago, heartbeat_at=a_minute_ago)
    deliveries_claim(delivery_ids=ids, campaign=campaign, owner="host:1:stopped")
    Delivery.objects.filter(pk=ids[0]).update(state="sent", sent_at=a_minute_ago)
    sign_in(page, live_server, manager)

    page.goto(f"{live_server.url}/ar/outreach/campaigns/{campaign.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    health = page.get_by_test_id("campaign-health").inner_text()
    assert "توقفت عملية" in health and "آخر رسالة قبل" in health
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "outreach-campaign-stopped-worker-ar.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("resume-now").click()
    assert Delivery.objects.filter(campaign=campaign, state="pending", claimed_by="").count() == 2

    page.get_by_test_id("cancel").click()
    summary = page.get_by_test_id("cancel-summary").inner_text()
    assert "أُرسلت رسالة واحدة" in summary and "لن تُرسَل رسالتان" in summary
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "outreach-campaign-cancel-ar.png"), full_page=True)
    assert Campaign.objects.get(pk=campaign.pk).state == "sending"  # nothing happened yet
    with page.expect_navigation():
        page.get_by_test_id("confirm-cancel").click()
    assert Campaign.objects.get(pk=campaign.pk).state == "cancelled"
