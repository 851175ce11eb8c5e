"""Names across scripts, walked in a real browser: an Arabic-speaking counsellor finds and is warned of a client
typed in Latin letters; a French staff member finds a member registered in Arabic script."""

import os
import re

import pytest
from django.core.management import call_command

from apps.core.roles import Role
from tests.browser.session import sign_in, without_isolates
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.offices import OfficeFactory, PersonFactory, counsellor
from tests.factories.skills_staff import listed_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last transactional test's flush runs after the shared reload; reload once more for the tests after."""
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_an_arabic_speaking_counsellor_finds_and_is_warned_of_a_client_typed_in_latin_letters(live_server, page):
    office = OfficeFactory()
    user = counsellor(office, full_name="Youssef Counsellor", preferred_language="ar")
    PersonFactory(office=office, name_latin="Youssef El Amrani", name_arabic="", birth_year=1987)
    PersonFactory(office=office, name_latin="Younes Amrani", name_arabic="", birth_year=1987)
    sign_in(page, live_server, user)

    page.goto(f"{live_server.url}/ar/offices/persons/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("[name=q]").fill("يوسف العمراني")
    page.locator("[name=q]").press("Enter")
    page.wait_for_url(re.compile(r"q="))
    rows = page.get_by_test_id("person-row")
    assert rows.count() == 1
    assert "Youssef El Amrani" in without_isolates(rows.first.inner_text())
    assert "الاسم بالحروف اللاتينية Youssef يطابق يوسف" in without_isolates(rows.first.inner_text())

    # Logging a contact for the same man, typed in Arabic script: the quick log says he may be on file, and why
    page.goto(f"{live_server.url}/ar/offices/log/")
    page.locator("#id_name_arabic").fill("يوسف العمراني")
    page.locator("#id_birth_year").fill("1987")
    page.locator("#id_topics_0").check()
    page.locator("#id_summary").fill("سأل عن الأوراق")
    page.locator("#id_follow_up_assignee").select_option("")  # no follow-up
    with page.expect_navigation():
        page.get_by_test_id("save-contact").click()
    warning = page.get_by_test_id("duplicates")
    warning.wait_for()
    assert "Youssef El Amrani" in without_isolates(warning.inner_text())
    assert "Younes" not in without_isolates(warning.inner_text())
    assert "الاسم بالحروف اللاتينية Youssef يطابق يوسف" in without_isolates(warning.inner_text())
    assert page.locator("#id_summary").input_value() == "سأل عن الأوراق"  # nothing typed is lost


def test_a_french_staff_search_finds_a_member_registered_in_arabic_script(live_server, page):
    staff = user_with_role(
        Role.OFFICE_STAFF,
        organisation=OrganisationFactory(country_id="SN", name="Bureau de Dakar"),
        full_name="Awa Ndiaye",
        preferred_language="fr",
    )
    listed_profile(first_name="", last_name="", first_name_ar="محمد", last_name_ar="العمراني")
    listed_profile(first_name="Mahmoud", last_name="Sarr")
    sign_in(page, live_server, staff)

    page.goto(f"{live_server.url}/fr/skills/staff/search/")
    page.get_by_label("Rechercher", exact=True).fill("Mouhamed Elamrani")
    page.get_by_test_id("search-submit").click()
    assert page.get_by_test_id("result-count").inner_text() == "1 profil trouvé"
    result = page.get_by_test_id("result").first
    assert "محمد" in without_isolates(result.inner_text())
    assert "Le nom arabe محمد correspond à Mouhamed" in without_isolates(result.inner_text())
