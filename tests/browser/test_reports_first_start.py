"""A newcomer's first minute: what `make run` prepares (prepare_dev, with synthetic demo data) gives reports with
computed figures and charts that show bars, on the first visit, within a minute."""

import io
import re
import time

import pytest
from django.core.management import call_command

from apps.accounts.demo import DEMO_PASSWORD
from apps.accounts.models import User
from apps.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _restore_shared_rows_for_later_modules(django_db_blocker):
    """This test commits, so the database is flushed after it; put back the role groups and reference data."""
    yield
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def test_after_the_first_start_every_report_shows_figures_and_bars(live_server, page):
    started = time.monotonic()
    call_command("prepare_dev", volume=1500, force=True, stdout=io.StringIO())
    User.objects.filter(email="analyst@demo.example.org").update(preferred_language="en")  # to read the English
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill("analyst@demo.example.org")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.goto(f"{live_server.url}/reports/")
    cards = page.locator("article[data-report]")
    assert cards.count() == 5
    for index in range(cards.count()):
        card = cards.nth(index)
        slug = card.get_attribute("data-report")
        freshness = card.get_by_test_id("refreshed-at").inner_text()
        assert "Figures as of" in freshness and "first time" not in freshness, (slug, freshness)
        assert card.get_by_test_id("withheld").count() == 0, slug
        bars = card.locator("svg rect:has(title), svg g[data-country]")
        assert bars.count() >= 2, slug
        assert bars.first.bounding_box()["width"] > 1, slug
    assert time.monotonic() - started < 60
