"""The exchange report's evaluation tables in Chromium, in English, French and Arabic (right to left): the tables
and their charts read in the page's language, small counts as "<5" and no score beside them (screenshots in
test-artifacts/)."""

import pytest
from django.conf import settings

from apps.core.roles import Role
from tests.browser.accessibility import serious_violations
from tests.conftest import ARTIFACTS
from tests.factories import user_with_role

from .test_exchange_evaluations import make_evaluated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "en": "Evaluations of each completed exchange",
    "fr": "Évaluations de chaque échange terminé",
    "ar": "تقييمات كل تبادل مكتمل",
}


@pytest.fixture
def evaluated(db):
    from django.core.management import call_command

    from apps.core.models import Country

    if not Country.objects.filter(pk="SN").exists():
        call_command("load_reference_data", verbosity=0)
    return make_evaluated()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_evaluation_tables_read_in_the_page_language(browser, live_server, client, evaluated, language):
    _six, two, _experts = evaluated
    client.force_login(user_with_role(Role.COORDINATOR, preferred_language=language))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{live_server.url}{prefix}/reports/exchange/")
    section = page.locator("section[data-table=per_request]")
    assert TITLES[language] in section.inner_text()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    row = section.locator("tr", has_text=str(two.pk)).first
    assert row.locator("td").all_inner_texts()[:3] == ["<5", "–", "–"]
    assert serious_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / f"exchange-report-per-request-{language}.png"))
    page.locator("section[data-table=programme]").screenshot(
        path=str(ARTIFACTS / f"exchange-report-evaluations-{language}.png")
    )
    context.close()
