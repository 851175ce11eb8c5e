"""The decision log, a person's timeline, the reports, the office finder and an account e-mail, in Arabic and
French, in a real Chromium: local date formats, user content isolated from the interface text around it.

Screenshots are kept in test-artifacts/ (local-formats-<page>-<language>.png) for a person to look at.
"""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from apps.accounts.demo import DEMO_PASSWORD
from apps.core.roles import Role
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An English date-time in an Arabic or French page ("ديسمبر 6, 2026", "December 6, 2026").
ENGLISH_ORDER = re.compile(r"[^\W\d_]+ \d{1,2}, \d{4}")


@pytest.fixture(scope="module", autouse=True)
def _restore_shared_rows_for_later_modules(django_db_blocker):
    yield
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def sign_in(page, live_server, email, language):
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form[action*='login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def shoot(page, name, language):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"local-formats-{name}-{language}.png"), full_page=True)


def isolated(page, text: str) -> bool:
    """Whether the element showing ``text`` sits in a <bdi> or an element with dir="auto"/"ltr"."""
    return page.evaluate(
        """(text) => {
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                if (!walker.currentNode.textContent.includes(text)) continue;
                const el = walker.currentNode.parentElement;
                return !!el.closest('bdi, [dir="auto"], [dir="ltr"]') && el.closest('bdi, [dir]') !== document.documentElement;
            }
            return null;
        }""",
        text,
    )


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_pages_show_local_formats_and_isolated_user_content(live_server, page, settings, language):
    from apps.exchange.models import ExchangeRequest
    from apps.offices.models import Person

    settings.PORTAL_REQUIRE_MFA = False
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    call_command("load_demo_data", force=True, verbosity=0, stdout=io.StringIO())
    from apps.accounts.models import User

    User.objects.filter(email__endswith="@demo.example.org").update(preferred_language=language)

    # Decision log, as the Senegalese approver.
    sign_in(page, live_server, "approver.sn@demo.example.org", language)
    request = ExchangeRequest.objects.filter(decisions__isnull=False).distinct().first()
    page.goto(f"{live_server.url}/{language}/exchange/{request.pk}/")
    timeline = page.get_by_test_id("timeline").inner_text()
    assert not ENGLISH_ORDER.search(timeline), timeline
    # The institution as the page names it: the demo names its organisations in the three languages.
    assert isolated(page, getattr(request.requesting_institution, f"name_{language}"))
    shoot(page, "decision-log", language)
    page.context.clear_cookies()

    # A person's timeline, as the counsellor.
    sign_in(page, live_server, "staff@demo.example.org", language)
    person = Person.objects.filter(contacts__summary__startswith="Brother").first()
    page.goto(f"{live_server.url}/{language}/offices/persons/{person.pk}/")
    assert not ENGLISH_ORDER.search(page.locator("ol.timeline").inner_text())
    assert isolated(page, "Brother says he plans to return")
    shoot(page, "person-timeline", language)

    # The office finder (open to anyone).
    page.goto(f"{live_server.url}/{language}/offices/")
    names = {"ar": "مكتب الهجرة بداكار", "fr": "Bureau des migrations de Dakar"}
    assert isolated(page, names[language]) and isolated(page, "Place de l'Indépendance, Dakar")
    shoot(page, "office-finder", language)
    page.context.clear_cookies()

    # The reports, as the analyst: the "as of" line in the local format.
    sign_in(page, live_server, "analyst@demo.example.org", language)
    page.goto(f"{live_server.url}/{language}/reports/exchange/")
    assert not ENGLISH_ORDER.search(page.locator("main").inner_text())
    shoot(page, "reports", language)
    page.context.clear_cookies()

    # An account e-mail: the HTML of a password reset, as the member receives it.
    mail.outbox = []
    page.goto(f"{live_server.url}/{language}/accounts/password/reset/")
    page.locator("#id_email").fill("member@demo.example.org")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    html = mail.outbox[-1].alternatives[0][0]
    assert f'lang="{language}"' in html
    page.set_content(html)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    shoot(page, "email", language)
