"""An analyst, in Arabic, makes an access token for the statistics office, sees it once, uses it, revokes it."""

import io
import json
import re
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

from apps.core.roles import Role
from tests.conftest import ARTIFACTS
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _restore_shared_rows_for_later_modules(django_db_blocker):
    """These tests commit, so the database is flushed after each: put the role groups and reference data back."""
    yield
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def call_api(live_server, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{live_server.url}/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_analyst_makes_uses_and_revokes_a_token_in_arabic(live_server, page):
    analyst = user_with_role(Role.ANALYST, preferred_language="ar", email="stats@example.org")
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.locator("#id_login").fill(analyst.email)
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.goto(f"{live_server.url}/ar/account/")
    page.get_by_role("link", name="رموز الوصول إلى واجهة البرمجة").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_label("الاسم").fill("مكتب الإحصاء")
    page.get_by_label("مدة الصلاحية (بالأيام)").fill("30")
    page.get_by_role("button", name="إنشاء الرمز").click()
    secret = page.get_by_test_id("token-secret").locator("code").first.inner_text().strip()
    assert secret.startswith("dep_")
    page.screenshot(path=str(ARTIFACTS / "api-tokens-ar.png"), full_page=True)

    status, body = call_api(live_server, secret)
    assert status == 200 and body["email"] == analyst.email

    page.reload()  # the secret is not shown again, and no second token is made
    assert secret not in page.content()
    assert page.get_by_role("button", name=re.compile("إلغاء")).count() == 1
    page.get_by_role("button", name=re.compile("إلغاء")).click()
    assert "تم إلغاء الرمز" in page.content()
    status, body = call_api(live_server, secret)
    assert status == 401 and body["error"]["message"] == "This access token has been revoked."
