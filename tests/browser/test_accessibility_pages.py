"""axe-core on every page of every role's navigation, in English, French and Arabic, on the demo data: no serious
or critical violations. The pages come from the navigation registry itself, so a page an app adds to its menu is
checked without touching this test."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core.navigation import items_for
from tests.browser.accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One demo account per kind of user; between them they see every entry of the navigation.
ACCOUNTS = [
    "member@demo.example.org",
    "staff@demo.example.org",
    "manager@demo.example.org",
    "focalpoint@demo.example.org",
    "coordinator@demo.example.org",
    "outreach@demo.example.org",
    "editor@demo.example.org",
    "analyst@demo.example.org",
    "admin@demo.example.org",
]


# Swagger UI and Django's admin are third-party pages outside the portal's language prefixes.
NOT_OURS = ("/api/", "/admin/")


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """Transactional tests end with a flush; put the reference data back for the modules that follow."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_every_page_of_every_roles_navigation_has_no_serious_accessibility_violations(
    live_server, browser, language, settings
):
    settings.PORTAL_REQUIRE_MFA = False
    call_command("load_demo_data", force=True, verbosity=0)
    prefix = "" if language == "en" else f"/{language}"
    checked: set[str] = set()
    problems: dict[str, list] = {}
    for email in ACCOUNTS:
        user = User.objects.get(email=email)
        User.objects.filter(pk=user.pk).update(preferred_language=language)  # the page language follows the user
        client = Client()
        client.force_login(user)
        context = browser.new_context(bypass_csp=True)  # axe is injected as a script
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        page = context.new_page()
        try:
            for item in items_for(user):
                path = reverse(item.url_name)
                if path.startswith(NOT_OURS) or path in checked:
                    continue
                checked.add(path)
                response = page.goto(f"{live_server.url}{prefix}{path}")
                assert response.status == 200, f"{email} {prefix}{path}: {response.status}"
                assert page.locator("html").get_attribute("lang") == language
                if language == "ar":
                    assert page.locator("html").get_attribute("dir") == "rtl"
                found = serious_violations(page)
                if found:
                    problems[f"{prefix}{path}"] = found
        finally:
            context.close()
    assert len(checked) >= 15, sorted(checked)
    assert problems == {}
