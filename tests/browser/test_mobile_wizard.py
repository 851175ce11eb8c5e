"""A new member on a phone (390 × 844, touch only) signs up and fills the whole skills wizard, in French and in
Arabic: the header stays small, every tap target is at least 44 × 44 px, and every picker works by typing."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from apps.skills import reference
from apps.skills.models import DiasporaProfile
from tests.browser.accessibility import serious_violations
from tests.browser.pickers import pick
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MAX_HEADER = 0.15 * PHONE["height"]
MIN_TARGET = 44

# Everything a thumb can tap in the header and the page, as it is on screen (checkboxes and radios by their label;
# links inside running text are exempt, as WCAG 2.5.8 says).
TARGETS_JS = """() => {
  const selector = 'header a, header button, header summary, main button, main select, main textarea, main summary, '
    + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main a.btn, main .wizard-step-link, '
    + 'main label:has(input[type=checkbox]), main label:has(input[type=radio]), main .form-check, '
    + 'main [role=option]';
  return [...document.querySelectorAll(selector)].filter(el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && style.visibility !== 'hidden' && !el.closest('[hidden]')
      && !el.closest('details:not([open]) > :not(summary)')
      && !el.classList.contains('visually-hidden-focusable');
  }).map(el => { const r = el.getBoundingClientRect();
    return {what: el.outerHTML.slice(0, 90), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10}; })
    .filter(t => t.width < MIN || t.height < MIN);
}""".replace("MIN", str(MIN_TARGET))

TEXT = {
    "fr": {
        "email": "awa.mobile@example.org", "name": "Awa Konaté", "first": "Awa", "last": "Konaté",
        "origin": ("sene", "Sénégal"), "residence": ("fran", "France"), "language": ("wol", "wolof"),
        "occupation": ("infirmière", "Cadres infirmiers"), "sector": ("sante", "Santé"),
        "skill": ("surveillance epidemio", "Surveillance épidémiologique"), "none": "Rien ne correspond",
        "confirm": "Confirmer", "job": "Infirmière de bloc",
    },
    "ar": {
        "email": "amina.mobile@example.org", "name": "أمينة الفاسي", "first_ar": "أمينة", "last_ar": "الفاسي",
        "origin": ("مغرب", "المغرب"), "residence": ("فرنسا", "فرنسا"), "language": ("عربي", "العربية"),
        "occupation": ("ممرضة", "الاختصاصيون في التمريض"), "sector": ("الصحه", "الصحة"),
        "skill": ("الترصد", "الترصد الوبائي"), "none": "لا شيء يطابق",
        "confirm": "تأكيد", "job": "ممرضة",
    },
}  # fmt: skip


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def reference_data(django_db_blocker):
    import os

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    reference.load()


def check_page(page, language: str, name: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    header = page.locator("header").bounding_box()["height"]
    assert header <= MAX_HEADER, f"{name}: header {header}px"
    small = page.evaluate(TARGETS_JS)
    assert not small, f"{name}: tap targets under {MIN_TARGET}px: {small}"
    # Nothing runs sideways: the page is as wide as the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def next_step(page, language: str, step: str) -> None:
    check_page(page, language, page.url)
    page.get_by_test_id("save-next").tap()
    page.wait_for_url(re.compile(rf"/{language}/skills/me/wizard/{step}/"))


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_new_member_signs_up_and_fills_the_wizard_on_a_phone(live_server, phone, reference_data, language):
    page, text = phone, TEXT[language]
    page.goto(f"{live_server.url}/{language}/")
    check_page(page, language, "home")
    page.locator(".site-tools a[href*='signup']").tap()

    check_page(page, language, "sign-up")
    page.locator("#id_email").fill(text["email"])
    page.locator("#id_full_name").fill(text["name"])
    page.locator("#id_password1").fill("une-phrase-de-passe-longue")
    page.locator("#id_password2").fill("une-phrase-de-passe-longue")
    page.locator("main form [type=submit]").tap()
    page.wait_for_url(re.compile(rf"/{language}/accounts/confirm-email/"))
    link = re.search(rf"https?://\S+/{language}/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.get_by_role("button", name=text["confirm"]).tap()
    page.wait_for_url(re.compile(rf"/{language}/skills/me/wizard/identity/"))

    # The step says where the member is in one line, the form comes first, and the name typed at sign-up is there.
    counter = page.get_by_test_id("step-counter")
    assert re.search(r"1\D+14", counter.inner_text())
    assert page.locator(".wizard-jump").get_attribute("open") is None  # the list of steps stays folded
    if language == "fr":
        expect(page.locator("#id_first_name")).to_have_value(text["first"])
        expect(page.locator("#id_last_name")).to_have_value(text["last"])
    else:
        expect(page.locator("#id_first_name_ar")).to_have_value(text["first_ar"])
        expect(page.locator("#id_last_name_ar")).to_have_value(text["last_ar"])
        page.locator("#id_first_name").fill("Amina")
        page.locator("#id_last_name").fill("El Fassi")
    # The menu folds the links away and opens with one tap.
    page.get_by_test_id("menu-button").tap()
    expect(page.locator("#site-nav")).to_have_class(re.compile(r"^(?!.*collapsing).*\bshow\b"))
    page.get_by_test_id("menu-button").tap()
    expect(page.locator("#site-nav")).to_be_hidden()
    next_step(page, language, "origin")
    assert page.locator("h1").bounding_box()["y"] < 200  # the step's form starts near the top

    pick(page, "id_origin_country", text["origin"][0], text["origin"][1], touch=True)
    pick(page, "id_residence_country", text["residence"][0], text["residence"][1], touch=True)
    page.locator("#id_residence_city").fill("Lyon")
    page.locator("label:has([name=generation][value='1'])").tap()
    next_step(page, language, "phone")

    page.locator("#id_phone").fill("06 12 34 56 78")
    next_step(page, language, "languages")

    pick(page, "id_languages-0-language", text["language"][0], text["language"][1], touch=True)
    page.locator("#id_languages-0-level").select_option("native")
    next_step(page, language, "education")
    next_step(page, language, "work")

    # A word that matches nothing says so and can be proposed: it goes to the job title, in the member's words.
    page.locator("#id_occupations-input").fill("zzqx")
    expect(page.locator("#id_occupations-listbox")).to_contain_text(text["none"])
    page.locator(".chips-propose").tap()
    expect(page.locator("#id_job_title")).to_have_value("zzqx")
    page.locator("#id_job_title").fill(text["job"])
    pick(page, "id_occupations", text["occupation"][0], text["occupation"][1], touch=True)
    check_page(page, language, "work with a chip")
    page.screenshot(path=str(ARTIFACTS / f"mobile-{language}-work.png"), full_page=True)
    next_step(page, language, "sectors")

    pick(page, "id_sectors", text["sector"][0], text["sector"][1], touch=True)
    next_step(page, language, "skills")

    pick(page, "id_skills-0-skill", text["skill"][0], text["skill"][1], touch=True)
    page.locator("#id_skills-0-kind").select_option("informal")
    next_step(page, language, "registrations")
    next_step(page, language, "associations")
    next_step(page, language, "interests")
    page.locator("label:has([name=engagement_interests][value=mentoring])").tap()
    next_step(page, language, "availability")
    next_step(page, language, "cv")
    next_step(page, language, "consents")

    assert serious_violations(page) == []
    page.locator(".form-check:has([name=listed])").tap()
    page.get_by_test_id("save-next").tap()
    page.wait_for_url(re.compile(rf"/{language}/skills/me/$"))
    check_page(page, language, "profile")

    profile = DiasporaProfile.objects.get(user__email=text["email"])
    assert profile.origin_country_id == ("SN" if language == "fr" else "MA") and profile.residence_country_id == "FR"
    assert list(profile.occupations.values_list("code", flat=True)) == ["2221"]
    assert list(profile.sectors.values_list("code", flat=True)) == ["health"]
    assert profile.skills.get().skill_id == "health-epidemiology"
    assert profile.languages.get().language_id == ("wo" if language == "fr" else "ar")
    assert profile.job_title == text["job"] and "mentoring" in profile.engagement_interests
    assert profile.consent_listed and profile.wizard_step == "consents"
    if language == "ar":
        assert (profile.first_name_ar, profile.last_name_ar) == (text["first_ar"], text["last_ar"])


def test_without_javascript_the_menu_is_open_and_the_plain_lists_still_work(live_server, browser, reference_data):
    from tests.factories.skills import ProfileFactory, member

    user = member(email="nojs.mobile@example.org", preferred_language="fr")
    ProfileFactory(user=user, wizard_step="education")
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/fr/accounts/login/")
        page.locator("[name=login]").fill(user.email)
        page.locator("[name=password]").fill("correct-horse-battery")
        page.locator("main form [type=submit]").tap()
        page.wait_for_url(re.compile(r"/fr/dashboard/"))
        expect(page.locator("#site-nav")).to_be_visible()  # no menu button to press: the links are there
        expect(page.get_by_test_id("menu-button")).to_be_hidden()

        page.goto(f"{live_server.url}/fr/skills/me/wizard/work/")
        occupations = page.locator("#id_occupations")
        expect(occupations).to_be_visible()
        assert occupations.bounding_box()["height"] > 100  # the full list box, not the one-line placeholder
        expect(page.locator(".chips-fallback").first).to_be_visible()
        page.locator("#id_occupation_search").fill("infirmiere")  # the same forgiving search as the type-ahead
        page.locator("button[value=search]").tap()
        occupations.select_option("2221")
        page.get_by_test_id("save-next").tap()
        page.wait_for_url(re.compile(r"/fr/skills/me/wizard/sectors/"))
        page.locator("#id_sectors").select_option("health")
        page.get_by_test_id("save-next").tap()
        page.wait_for_url(re.compile(r"/fr/skills/me/wizard/skills/"))
    finally:
        context.close()
    profile = DiasporaProfile.objects.get(user=user)
    assert list(profile.occupations.values_list("code", flat=True)) == ["2221"]
    assert list(profile.sectors.values_list("code", flat=True)) == ["health"]
