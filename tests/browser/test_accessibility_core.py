"""axe-core on the shell's pages in English, French and Arabic: no serious or critical violations."""

import pytest

from apps.core.roles import Role
from tests.browser.accessibility import serious_violations
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_public_pages_have_no_serious_accessibility_violations(live_server, browser, language):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    try:
        for path in PUBLIC_PAGES:
            page.goto(f"{live_server.url}{prefix}{path}")
            assert serious_violations(page) == [], f"{prefix}{path}"
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_dashboard_has_no_serious_accessibility_violations(live_server, browser, client, language):
    user = user_with_role(Role.OFFICE_STAFF, preferred_language=language)
    client.force_login(user)
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    try:
        prefix = "" if language == "en" else f"/{language}"
        page.goto(f"{live_server.url}{prefix}/dashboard/")
        assert page.locator("html").get_attribute("lang") == language
        assert serious_violations(page) == []
    finally:
        context.close()
