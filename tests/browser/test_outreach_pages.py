"""The campaign pages in English, French and Arabic: direction, language and a screenshot of each to look at."""

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import ARTIFACTS
from tests.factories.outreach import CampaignFactory, member, outreach_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last test of this module ends with a flush; put reference data (roles, countries) back for the
    modules that run after it (module teardown comes after that flush)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.mark.parametrize("language,direction", [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl")])
def test_campaign_pages_read_in_each_language(live_server, page, language, direction):
    call_command("load_reference_data", verbosity=0)
    manager = outreach_manager(preferred_language=language)
    member("ar"), member("fr")
    campaign = CampaignFactory(created_by=manager, segment__created_by=manager, channel="sms", messages=["fr", "ar"])
    client = Client()
    client.force_login(manager)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    prefix = "" if language == "en" else f"/{language}"
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in (
        ("list", "/outreach/"),
        ("detail", f"/outreach/campaigns/{campaign.pk}/"),
        ("segment", "/outreach/segments/new/"),
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        assert page.locator("html").get_attribute("dir") == direction
        assert page.locator("html").get_attribute("lang") == language
        page.screenshot(path=str(ARTIFACTS / f"outreach-{name}-{language}.png"), full_page=True)
    page.goto(f"{live_server.url}{prefix}/outreach/campaigns/{campaign.pk}/")
    assert page.locator(".alert-warning").count() == 0  # every recipient's language has a message
