"""A member signs in in Arabic and walks through the skills registration wizard, right to left throughout."""

import re

import pytest

from apps.skills.models import DiasporaProfile
from tests.browser.keyboard import tab_and_press_enter, tab_to
from tests.browser.pickers import pick
from tests.factories.skills import member, taxonomy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(django_db_blocker):
    """Countries, languages and role groups, even when an earlier live-server test flushed them."""
    import os

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def sign_in(page, live_server, user, language: str) -> None:
    page.goto(f"{live_server.url}/{language}/accounts/login/")
    page.locator("[name=login]").fill(user.email)
    page.locator("[name=password]").fill("correct-horse-battery")
    page.locator("form:has([name=login]) [type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/dashboard/"))


def save_and_continue(page, next_step: str):
    page.get_by_test_id("save-next").click()
    page.wait_for_url(re.compile(rf"/ar/skills/me/wizard/{next_step}/"))
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_a_member_registers_their_skills_in_arabic(live_server, page, reference_data):
    tax = taxonomy()
    user = member(email="amina.browser@example.org", preferred_language="ar")

    sign_in(page, live_server, user, "ar")

    page.get_by_role("link", name="ملف مهاراتي").first.click()
    page.wait_for_url(re.compile(r"/ar/skills/me/wizard/identity/"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "الهوية"

    # A bad entry is refused at the field, in Arabic, and what was typed stays.
    page.locator("#id_first_name").fill("Amina")
    page.locator("#id_last_name").fill("El\u202eFassi")
    page.locator("#id_first_name_ar").fill("أمينة")
    page.get_by_test_id("save-next").click()
    assert "أزل من هذا النص" in page.locator("#id_last_name-errors").inner_text()
    assert page.locator("#id_first_name_ar").input_value() == "أمينة"

    page.locator("#id_last_name").fill("El Fassi")
    page.locator("#id_last_name_ar").fill("الفاسي")
    save_and_continue(page, "origin")

    pick(page, "id_origin_country", "مغرب", "المغرب")
    pick(page, "id_residence_country", "فرنسا", "فرنسا")
    page.locator("#id_residence_city").fill("Lyon")
    page.locator("[name=generation][value='2']").check()
    save_and_continue(page, "phone")

    page.locator("#id_phone").fill("06 12 34 56 78")
    save_and_continue(page, "languages")

    pick(page, "id_languages-0-language", "العربية", "العربية")
    page.locator("#id_languages-0-level").select_option("native")
    save_and_continue(page, "education")
    save_and_continue(page, "work")

    pick(page, "id_occupations", "مهندسة مدنية")  # an everyday title, feminine, in Arabic
    page.locator("#id_job_title").fill("مهندسة مدنية")
    save_and_continue(page, "sectors")

    pick(page, "id_sectors", "water")
    save_and_continue(page, "skills")

    pick(page, "id_skills-0-skill", "irrigation")
    page.locator("#id_skills-0-kind").select_option("formal")
    save_and_continue(page, "registrations")
    save_and_continue(page, "associations")
    save_and_continue(page, "interests")
    page.locator("[name=engagement_interests][value=mentoring]").check()
    save_and_continue(page, "availability")
    save_and_continue(page, "cv")
    save_and_continue(page, "consents")

    assert not page.locator("[name=listed]").is_checked()
    page.locator("[name=listed]").check()
    page.get_by_test_id("save-next").click()
    page.wait_for_url(re.compile(r"/ar/skills/me/$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "اكتمال الملف" in page.content()

    profile = DiasporaProfile.objects.get(user=user)
    assert (profile.first_name_ar, profile.phone, profile.wizard_step) == ("أمينة", "+33612345678", "consents")
    assert profile.consent_listed and list(profile.occupations.values_list("code", flat=True)) == ["2142"]
    assert profile.skills.get().skill_id == tax["skill2"].code


def test_the_whole_wizard_works_with_the_keyboard_alone(live_server, page, reference_data):
    """Every step in French with Tab, typing, type-ahead in selects, arrow keys, Space and Enter only."""
    user = member(email="keyboard.only@example.org", preferred_language="fr")
    sign_in(page, live_server, user, "fr")
    page.goto(f"{live_server.url}/fr/skills/me/wizard/identity/")

    page.locator("body").focus()
    tab_to(page, "#id_first_name")
    page.keyboard.type("Aïssatou")
    tab_to(page, "#id_last_name")
    page.keyboard.type("Bah")
    tab_and_press_enter(page, "[data-testid=save-next]")
    assert re.search(r"/fr/skills/me/wizard/origin/", page.url)

    page.locator("body").focus()
    tab_to(page, "#id_origin_country-input")
    page.keyboard.type("Guin")  # the picker suggests, the first suggestion is active: Enter chooses it
    page.keyboard.press("Enter")
    tab_to(page, "#id_residence_country-input")
    page.keyboard.type("Canad")
    page.keyboard.press("Enter")
    tab_to(page, "[name=generation]:checked, [name=generation]")
    page.keyboard.press("Space")  # a radio group: Space chooses the focused option
    tab_and_press_enter(page, "[data-testid=save-next]")
    assert re.search(r"/fr/skills/me/wizard/phone/", page.url), page.url

    page.locator("body").focus()
    tab_to(page, "#id_phone")
    page.keyboard.type("+1 514 555 0199")
    _keyboard_next(page, "languages")

    page.locator("body").focus()
    tab_to(page, "#id_languages-0-language-input")
    page.keyboard.type("Fran")
    page.keyboard.press("Enter")
    tab_to(page, "#id_languages-0-level")
    page.keyboard.press("ArrowDown")
    _keyboard_next(page, "education")
    for step in ("work", "sectors", "skills", "registrations", "associations", "interests"):
        _keyboard_next(page, step)

    page.locator("body").focus()
    tab_to(page, "[name=engagement_interests][value=mentoring]")
    page.keyboard.press("Space")  # a checkbox
    for step in ("availability", "cv", "consents"):
        _keyboard_next(page, step)

    page.locator("body").focus()
    tab_to(page, "[name=listed]")
    page.keyboard.press("Space")
    tab_and_press_enter(page, "[data-testid=save-next]")
    assert re.search(r"/fr/skills/me/$", page.url), page.url

    profile = DiasporaProfile.objects.get(user=user)
    assert (profile.first_name, profile.last_name) == ("Aïssatou", "Bah")
    assert profile.origin_country_id == "GN" and profile.residence_country_id == "CA"
    assert profile.generation
    assert profile.phone.startswith("+1514")
    assert profile.languages.get().language_id == "fr"
    assert "mentoring" in profile.engagement_interests
    assert profile.consent_listed


def _keyboard_next(page, next_step: str) -> None:
    """Tab to "Save and continue" and press Enter: the wizard moves to ``next_step``."""
    page.locator("body").focus()
    tab_and_press_enter(page, "[data-testid=save-next]")
    assert re.search(rf"/fr/skills/me/wizard/{next_step}/", page.url), page.url
