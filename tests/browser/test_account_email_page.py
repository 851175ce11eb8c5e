"""A member looks at the e-mail addresses of their account in English, French and Arabic, on a desktop and on a
390 px phone: the addresses read left to right inside right-to-left text and the page fits the phone.

Screenshots: test-artifacts/account-email-<language>-<width>.png.
"""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from apps.core.roles import Role
from tests.conftest import ARTIFACTS
from tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {"en": "E-mail addresses", "fr": "Adresses e-mail", "ar": "عناوين البريد الإلكتروني"}


@pytest.fixture(scope="module", autouse=True)
def _restore_shared_rows_for_later_modules(django_db_blocker):
    """These tests commit, so the database is flushed after each: put the role groups and reference data back."""
    yield
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_addresses_read_left_to_right_and_the_page_fits_a_phone(live_server, page, language):
    user = user_with_role(Role.MEMBER, preferred_language=language, email="karim.benali@example.org")
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    EmailAddress.objects.create(user=user, email="k.benali+travail@example.net", primary=False, verified=False)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    ARTIFACTS.mkdir(exist_ok=True)

    prefix = "" if language == "en" else f"/{language}"  # English is the unprefixed default
    page.goto(f"{live_server.url}{prefix}/accounts/email/")
    assert page.get_by_role("heading", level=1).inner_text() == HEADINGS[language]
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    directions = page.eval_on_selector_all(
        "[data-testid=address]", "spans => spans.map(s => getComputedStyle(s).direction)"
    )
    assert directions == ["ltr", "ltr"]
    label_direction = page.eval_on_selector("[data-testid=email-address] label", "l => getComputedStyle(l).direction")
    assert label_direction == ("rtl" if language == "ar" else "ltr")
    page.screenshot(path=str(ARTIFACTS / f"account-email-{language}-1280.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#id_email").fill("karim@exemple.ma")
    assert page.eval_on_selector("#id_email", "i => getComputedStyle(i).direction") == "ltr"
    page.screenshot(path=str(ARTIFACTS / f"account-email-{language}-390.png"), full_page=True)
