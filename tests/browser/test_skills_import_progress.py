"""An office counsellor runs the dry run of a skills list of 12,250 rows and watches the counters move on the page
while the Celery worker checks it (htmx polling the progress fragment), in English, French and Arabic, then the
page says the check is over and links to the report."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from apps.core.roles import Role
from apps.skills.services import import_batch_upload
from apps.skills.services.imports import CHUNK
from tests.browser.accessibility import serious_violations
from tests.browser.session import sign_in
from tests.conftest import ARTIFACTS
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import taxonomy

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

GOOD, BAD = CHUNK * 24, CHUNK // 2


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """Each test ends with a flush; put reference data (roles, countries) back for the modules that run after."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.mark.parametrize(("language", "done_word"), [("en", "Checked"), ("fr", "Vérifié"), ("ar", "تم الفحص")])
def test_the_dry_run_counters_move_on_the_page_while_the_worker_checks(
    celery_worker_process, live_server, page, language, done_word, settings
):
    # The page asks often enough to see a fast worker's chunks go by (every 2 s by default; an idle machine checks
    # the 12,250 rows in a few seconds).
    settings.SKILLS_IMPORT_PROGRESS_POLL_SECONDS = 0.2
    call_command("load_reference_data", verbosity=0)
    taxonomy()
    staff = user_with_role(
        Role.OFFICE_STAFF, organisation=OrganisationFactory(country_id="SN"), preferred_language=language
    )
    lines = [f"m{i}@example.org;Awa{i};Diop;France" for i in range(GOOD)]
    lines += [f"x{i}@example.org;Bad{i};Row;Atlantis" for i in range(BAD)]
    text = "email;prénom;nom;pays de résidence\n" + "\n".join(lines) + "\n"
    batch = import_batch_upload(actor=staff, name="liste.csv", content=text.encode(), default_language=language)
    sign_in(page, live_server, staff)
    with translation.override(language):
        page.goto(live_server.url + reverse("skills:staff-import", args=[batch.pk]))
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
    with page.expect_navigation():
        page.get_by_test_id("check").click()

    seen, shot = [], False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = page.locator("#import-progress-now")
        status = now.get_attribute("data-status")
        if status != "checking":
            break
        processed = page.get_by_test_id("progress-processed").inner_text()
        if not seen or seen[-1] != processed:
            seen.append(processed)
        if not shot and len(seen) >= 2:
            page.screenshot(path=str(ARTIFACTS / f"skills-import-progress-{language}.png"), full_page=True)
            shot = True
        page.wait_for_timeout(250)
    assert status == "checked"
    assert len(seen) >= 3, seen  # the page showed at least three different counts while the worker ran
    final = page.locator("#import-progress-now").inner_text()
    total = GOOD + BAD
    assert f"{total:,}".replace(",", "") in final.replace(",", "").replace("\u202f", "").replace("\xa0", "")
    assert done_word in final
    # the live region stayed the same element, its words changed inside it
    assert page.locator('[role="status"][aria-live="polite"] #import-progress-now').count() == 1
    assert page.get_by_test_id("see-report").is_visible()
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"skills-import-progress-done-{language}.png"), full_page=True)
