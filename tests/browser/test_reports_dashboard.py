"""An analyst opens the reports dashboard in Arabic (right-to-left, mirrored charts), French and English.

Screenshots are kept in test-artifacts/ (reports-dashboard-ar.png is the one the issue asks for).
"""

import io
import re

import pytest
from django.core.management import call_command

from apps.core.roles import Role
from tests.conftest import ARTIFACTS
from tests.factories import user_with_role
from tests.reports.conftest import seed_known_members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _restore_shared_rows_for_later_modules(django_db_blocker):
    """These tests commit, so the database is flushed after each; later test modules expect the role groups
    (created by a migration) and the reference data, so put them back once this module is done."""
    yield
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def sign_in(page, live_server, user, prefix):
    page.goto(f"{live_server.url}{prefix}/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_analyst_opens_the_reports_dashboard(live_server, page, language):
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())  # a previous test may have flushed it
    seed_known_members()
    analyst = user_with_role(Role.ANALYST, preferred_language=language)
    prefix = "" if language == "en" else f"/{language}"
    sign_in(page, live_server, analyst, prefix)
    page.goto(f"{live_server.url}{prefix}/reports/")
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    # 24 members, published rounded to the nearest 5.
    assert page.get_by_test_id("headline-profiles").inner_text() == "25"
    chart = page.locator("svg.report-chart").first
    assert chart.get_attribute("data-direction") == ("rtl" if language == "ar" else "ltr")
    if language == "ar":
        # The bars grow from the right: the axis sits right of the middle, and the first label is at the right.
        box = chart.bounding_box()
        axis = chart.locator("line").first.bounding_box()
        assert axis["x"] > box["x"] + box["width"] / 2
        assert "فرنسا" in page.locator("[data-table=residence] table").inner_text()
    assert "<5" in page.locator("[data-table=residence] table").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reports-dashboard-{language}.png"), full_page=True)
    assert (ARTIFACTS / f"reports-dashboard-{language}.png").stat().st_size > 10_000

    page.goto(f"{live_server.url}{prefix}/reports/profiles/?country=SN")
    assert page.get_by_test_id("headline").inner_text() == "20"
    page.screenshot(path=str(ARTIFACTS / f"reports-profiles-{language}.png"), full_page=True)
