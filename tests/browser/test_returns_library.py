"""A visitor reads the information library in Arabic, right to left, and meets a sheet not yet in Arabic."""

import io
import re

import pytest
from django.core.management import call_command

from tests.factories.returns import InfoSheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """Put countries and role groups back for the tests that follow: the shared after-flush reload runs before
    pytest-django's flush for committing tests."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Countries for the sheets: a committing test that ran before may have flushed them."""
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def test_library_in_arabic_is_right_to_left_and_a_sheet_missing_arabic_offers_english_and_french(
    live_server, transactional_db, page
):
    complete = InfoSheetFactory(title_ar="العودة إلى السنغال: الخطوات الأولى")
    missing = InfoSheetFactory(
        title_en="Enrolling your children in school",
        title_fr="Inscrire vos enfants à l'école",
        title_ar="",
        body_ar="",
        topic="education",
    )

    page.goto(f"{live_server.url}/ar/returns/information/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.get_by_role("link", name=complete.title_ar).is_visible()
    row = page.get_by_test_id(f"sheet-{missing.pk}")
    assert "غير متوفرة بعد بهذه اللغة" in row.get_by_test_id("missing-translation").inner_text()

    page.goto(f"{live_server.url}/ar/returns/information/{missing.pk}/")
    notice = page.get_by_test_id("missing-translation")
    assert "هذه البطاقة غير متوفرة بعد باللغة" in notice.inner_text()
    offered = page.get_by_test_id("offered-languages").get_by_role("link")
    assert offered.count() == 2
    assert "Enrolling your children" not in page.content()

    page.locator('[data-language-link="fr"]').click()
    page.wait_for_url(re.compile(rf"/fr/returns/information/{missing.pk}/$"))
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="Inscrire vos enfants à l'école").is_visible()
