"""A counsellor at the desk, in English, French and Arabic, with the keyboard alone: an existing client found by
typing and the contact saved, a new client in one screen, and a contact reported by a family member with the
relative's phone. Every key pressed that is not text typed is counted."""

import re

import pytest
from django.conf import settings

from apps.offices.models import Contact, Person
from tests.browser.session import sign_in
from tests.factories.offices import OfficeFactory, PersonFactory, counsellor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the save after the summary is typed: the topics (Tab into them, Space on the first), then Enter
MAX_KEYS_AFTER_SUMMARY = 3


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last transactional test's flush runs after the shared per-test reload; reload once more afterwards."""
    yield
    import os

    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    import os

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


class Keys:
    """The page's keyboard, counting the key actions (every press that is not text typed)."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self) -> str:
        return self.page.evaluate("document.activeElement.id")

    def tab_to(self, element_id: str, limit: int = 40) -> None:
        for _ in range(limit):
            self.press("Tab")
            if self.focused() == element_id:
                return
        raise AssertionError(f"#{element_id} never received the focus")


def _open_quick_log(page, live_server, language):
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"  # English pages have no prefix
    page.goto(f"{live_server.url}{prefix}/offices/log/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.activeElement.id") == "id_person_query"  # the picker has the focus
    return Keys(page)


def _find_and_save(page, keys, typed: str, expected: Person) -> tuple[int, int]:
    """Type ``typed`` in the picker, pick the first match, type a summary, tick the first topic and save;
    returns (key actions before the summary, key actions after it)."""
    keys.type(typed)
    first = page.locator("#person-options [role=option]").first
    first.wait_for()
    assert first.get_attribute("id") == f"person-option-{expected.pk}"
    assert first.get_attribute("aria-selected") == "true"  # the first match is highlighted: Enter takes it
    keys.press("Enter")
    assert page.get_by_test_id("new-person").is_hidden()  # the new-client fields left the tab order
    assert keys.focused() == "id_summary"
    before = keys.count
    keys.type("Asked about a work visa")
    keys.press("Tab")
    assert keys.focused() == "id_topics_0"  # the topics are one stop in the tab order
    keys.press("Space")
    keys.press("Enter")
    page.wait_for_url(re.compile(rf"/offices/persons/{expected.pk}/$"))
    return before, keys.count - before


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_an_existing_client_is_found_by_typing_and_the_contact_saved_in_three_keys(live_server, page, language):
    office = OfficeFactory()
    user = counsellor(office, preferred_language=language)
    awa = PersonFactory(office=office, name_latin="Awa Sy", birth_year=1990, phone="+221 77 123 4567")
    PersonFactory(office=office, name_latin="Awa Sy", birth_year=1972)  # a namesake
    PersonFactory.create_batch(30, office=office)
    sign_in(page, live_server, user)
    keys = _open_quick_log(page, live_server, language)

    before, after = _find_and_save(page, keys, "Awa Sy 1990", awa)

    print(f"{language}: {before} key action(s) to pick the client, {after} after the summary")
    assert before == 1 and after <= MAX_KEYS_AFTER_SUMMARY
    contact = Contact.objects.get()
    assert contact.person == awa and contact.topics == ["pre_departure"] and contact.follow_up_due is None
    assert Person.objects.count() == 32  # nobody was created


def test_an_arabic_client_is_found_by_typing_the_name_in_latin_letters(live_server, page):
    office = OfficeFactory()
    user = counsellor(office, preferred_language="ar")
    mohamed = PersonFactory(office=office, name_latin="", name_arabic="محمد ولد أحمد", birth_year=1988)
    sign_in(page, live_server, user)
    keys = _open_quick_log(page, live_server, "ar")
    page.set_default_timeout(3000)
    before, after = _find_and_save(page, keys, "Mohamed Ould Ahmed", mohamed)
    assert before == 1 and after <= MAX_KEYS_AFTER_SUMMARY


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_new_client_and_the_contact_are_saved_from_one_screen(live_server, page, language):
    office = OfficeFactory()
    user = counsellor(office, preferred_language=language)
    sign_in(page, live_server, user)
    keys = _open_quick_log(page, live_server, language)

    keys.tab_to("id_name_latin")
    keys.type("Ibrahima Fall")
    keys.press("Tab")
    keys.type("إبراهيما فال")
    keys.press("Tab")
    keys.type("1995")
    keys.tab_to("id_summary")
    keys.type("First visit: pre-departure information")
    before = keys.count
    keys.press("Tab")
    keys.press("Space")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/offices/persons/\d+/$"))  # one submission: no second screen

    print(f"{language}: new client in {keys.count} key actions, {keys.count - before} after the summary")
    assert keys.count - before <= MAX_KEYS_AFTER_SUMMARY
    person = Person.objects.get()
    assert (person.name_latin, person.name_arabic, person.birth_year) == ("Ibrahima Fall", "إبراهيما فال", 1995)
    assert Contact.objects.get().person == person


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_contact_reported_by_a_family_member_keeps_the_relatives_phone(live_server, page, language):
    office = OfficeFactory()
    user = counsellor(office, preferred_language=language)
    awa = PersonFactory(office=office, name_latin="Awa Sy", birth_year=1990)
    sign_in(page, live_server, user)
    keys = _open_quick_log(page, live_server, language)
    assert page.get_by_test_id("family-reporter-fields").is_hidden()  # only for that channel

    keys.type("Awa Sy")
    page.locator(f"#person-option-{awa.pk}").wait_for()
    keys.press("Enter")
    keys.type("Her mother has had no news for a month")
    keys.press("Tab")
    keys.press("ArrowDown")  # second topic: legal channels
    keys.press("Space")
    keys.press("Tab")
    assert keys.focused() == "id_channel"
    page.keyboard.press("End")  # "reported by a family member" is the last channel
    keys.count += 1
    keys.press("Tab")
    assert keys.focused() == "id_family_relationship"
    keys.type("mère" if language == "fr" else "أم" if language == "ar" else "mother")
    keys.press("Tab")
    keys.type("Khady Sy")
    keys.press("Tab")
    keys.type("+221 77 000 11 22")
    keys.press("Tab")
    keys.press("Space")  # may call back
    keys.press("Tab")
    assert keys.focused() == "id_outcome"
    keys.press("Enter")  # Enter in a single-line field saves
    page.wait_for_url(re.compile(rf"/offices/persons/{awa.pk}/$"))

    print(f"{language}: family-reported contact in {keys.count} key actions")
    contact = Contact.objects.get()
    assert contact.channel == "family_report" and contact.reporter_name == "Khady Sy"
    assert contact.call_back_phone == "+221 77 000 11 22"
    assert contact.topics == ["legal_channels"]
    reporter = page.get_by_test_id("family-reporter")
    assert "Khady Sy" in reporter.inner_text() and "+221 77 000 11 22" in reporter.inner_text()
