"""In French: a counsellor follows a returnee from the first contact logged at the desk (with the sheets handed
out) to a return plan and a matched vacancy. The member joining a full event's waiting list in French is walked in
tests/browser/test_returns_plan_and_event.py."""

import re

import pytest

from apps.core.models import Country, Language
from apps.offices.models import OfficeType
from apps.offices.services import contact_log, person_create
from apps.returns.models import ReturnPlan, SheetHandout
from tests.browser.test_skills_wizard import sign_in
from tests.factories.offices import OfficeFactory, counsellor
from tests.factories.returns import InfoSheetFactory, VacancyFactory, sector

from .conftest import reload_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db, reference_data_after_module):
    reload_reference_data()


def test_a_returnee_goes_from_a_first_contact_to_a_matched_vacancy_in_french(live_server, page):
    office = OfficeFactory(organisation__name="Guichet retour de Dakar", type=OfficeType.RETURN_DESK)
    staff = counsellor(office, preferred_language="fr")
    french = Language.objects.get(pk="fr")
    returnee = person_create(
        office=office,
        actor=staff,
        name_latin="Modou Fall",
        nationality=Country.objects.get(pk="SN"),
        languages=[french],
    )
    contact_log(
        person=returnee,
        actor=staff,
        channel="walk_in",
        topics=["return_reintegration"],
        summary="Premier entretien : veut rentrer travailler dans l'irrigation",
    )
    sheet = InfoSheetFactory(title_fr="Faire reconnaître ses diplômes")
    agriculture = sector("agriculture")
    vacancy = VacancyFactory(title="Technicien agricole", employer="SODAGRI", sector=agriculture, region="Thiès")
    vacancy.languages.set([french])

    sign_in(page, live_server, staff, "fr")
    page.goto(f"{live_server.url}/fr/returns/persons/{returnee.pk}/")
    contact = page.get_by_test_id("contacts").locator("li").first
    assert "Premier entretien" in contact.inner_text()
    contact.get_by_role("link", name="Remettre des fiches").click()
    page.get_by_label("Faire reconnaître ses diplômes").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf"/fr/returns/persons/{returnee.pk}/$"))
    assert "Faire reconnaître ses diplômes" in page.get_by_test_id("sheets-given").inner_text()
    # Her languages and nationality already point to the vacancy.
    assert "Technicien agricole" in page.get_by_test_id("fitting-vacancies").inner_text()

    page.get_by_role("link", name="Nouveau projet de retour").click()
    page.get_by_label("Type de retour").select_option("employment")
    page.get_by_label("Pays de destination").select_option("SN")
    page.get_by_label("Région de destination").fill("Thiès")
    page.get_by_label("Secteur").select_option("agriculture")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/fr/returns/plans/\d+/$"))
    assert page.get_by_test_id("plan-person").inner_text() == "Modou Fall"
    assert "Faire reconnaître ses diplômes" in page.get_by_test_id("sheets-given").inner_text()

    suggestion = page.get_by_test_id(f"suggested-{vacancy.pk}")
    reasons = suggestion.get_by_test_id("reasons").inner_text()
    assert "Destination : Sénégal" in reasons and "Même région : Thiès" in reasons and "même secteur" in reasons
    assert "Parle la langue requise : français" in reasons
    suggestion.get_by_role("button", name="Retenir").click()
    page.wait_for_load_state()
    assert "Technicien agricole — SODAGRI" in page.get_by_test_id("matched-vacancies").inner_text()
    plan = ReturnPlan.objects.get()
    assert plan.person == returnee and list(plan.matched_vacancies.all()) == [vacancy]
    assert SheetHandout.objects.get().sheet == sheet
