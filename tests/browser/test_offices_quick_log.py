"""A counsellor, in Arabic and with the keyboard alone, logs a contact reported by a family member, sets a
follow-up, then refers the person to a partner organisation."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone

from apps.accounts.models import Organisation
from apps.offices.models import Contact, Person, Referral
from tests.browser.session import sign_in
from tests.factories import OrganisationFactory
from tests.factories.offices import OfficeFactory, counsellor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    """The last transactional test's flush runs after the shared per-test reload; reload once more afterwards so
    the tests that follow still find the countries."""
    yield
    import os

    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test that ran before may have flushed the countries; put them back (idempotent)."""
    import os

    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _tab_to(page, element_id: str, limit: int = 40) -> int:
    """Press Tab until ``element_id`` has the focus; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"#{element_id} never received the focus")


def test_a_counsellor_logs_a_family_reported_contact_in_arabic_with_the_keyboard_only(live_server, page):
    office = OfficeFactory()
    user = counsellor(office, full_name="Moussa Ndiaye", preferred_language="ar")
    partner = OrganisationFactory(name="Centre de formation", type=Organisation.Type.TRAINING_CENTRE)
    sign_in(page, live_server, user)

    started = time.monotonic()
    page.goto(f"{live_server.url}/ar/offices/log/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.activeElement.id") == "id_person_query"  # autofocus on the person picker

    # New person, typed inline (the picker stays on "new person")
    assert _tab_to(page, "id_name_latin") == 1
    page.keyboard.type("Mohamed Ould Ahmed")
    page.keyboard.press("Tab")
    page.keyboard.type("محمد ولد أحمد")
    page.keyboard.press("Tab")
    page.keyboard.type("1988")
    _tab_to(page, "id_summary")
    page.keyboard.type("أخوه يقول إنه يخطط للعودة")
    # Topics: one stop in the tab order; the arrows reach "return and reintegration", the space bar ticks it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_topics_0"
    for _ in range(7):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == "id_topics_7"
    page.keyboard.press("Space")
    # Channel: "reported by a family member" is the last option; its fields appear after it
    _tab_to(page, "id_channel")
    for _ in range(6):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_family_relationship"
    page.keyboard.type("أخ")
    _tab_to(page, "id_notes")
    page.keyboard.type("Contact at his employer in Tripoli")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_follow_up_due"
    due = timezone.localdate() + dt.timedelta(days=2)
    # The date field's segments follow the browser's own locale: find their order with a probe, then retype.
    page.keyboard.type("01022030")
    month_first = page.eval_on_selector("#id_follow_up_due", "el => el.value") == "2030-01-02"
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_follow_up_due"
    day, month = f"{due.day:02d}", f"{due.month:02d}"
    page.keyboard.type((month + day if month_first else day + month) + str(due.year))
    assert page.eval_on_selector("#id_follow_up_due", "el => el.value") == due.isoformat()
    # The assignee defaults to the counsellor; Enter in a single-line field saves
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ar/offices/persons/\d+/$"))
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"logging took {elapsed:.1f} s"

    contact = Contact.objects.get()
    person = Person.objects.get()
    assert person.name_arabic == "محمد ولد أحمد" and person.birth_year == 1988
    assert contact.channel == "family_report" and contact.family_relationship == "أخ"
    assert contact.topics == ["return_reintegration"]
    assert contact.follow_up_due == due and contact.follow_up_assignee == user
    assert "Tripoli" not in contact.notes_encrypted
    assert page.get_by_test_id("restricted-notes").inner_text().endswith("Contact at his employer in Tripoli")

    # Refer the person
    page.get_by_role("link", name="إحالة", exact=True).click()
    page.get_by_label("المنظمة الشريكة").select_option(str(partner.pk))
    page.get_by_label("السبب").fill("تكوين في تسيير المقاولات الصغيرة")
    page.get_by_label("يوافق الشخص على هذه الإحالة").check()
    page.get_by_role("button", name="إرسال الإحالة").click()
    page.wait_for_url(re.compile(r"/ar/offices/persons/\d+/$"))
    referral = Referral.objects.get()
    assert referral.organisation == partner and referral.person == person
    assert page.get_by_test_id("timeline-referral").count() == 1
