"""In French: a counsellor walks a returnee's plan to a matched vacancy; a member joins a full event's waiting list."""

import io
import re

import pytest
from django.core.management import call_command

from apps.core.roles import Role
from apps.returns.models import EventRegistration, ReturnPlan
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.returns import EventFactory, EventRegistrationFactory, VacancyFactory, sector

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
    """Countries: a committing test that ran before may have flushed them."""
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())


def sign_in(page, base, user):
    page.goto(f"{base}/fr/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill("correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/fr/dashboard/"))


def test_a_counsellor_takes_a_plan_from_first_idea_to_a_matched_vacancy_in_french(live_server, page):
    desk = OrganisationFactory(name="Guichet retour de Dakar")
    counsellor = user_with_role(Role.OFFICE_STAFF, organisation=desk, preferred_language="fr")
    agriculture = sector("agriculture")
    vacancy = VacancyFactory(title="Technicien agricole", employer="SODAGRI", sector=agriculture, region="Thiès")
    sign_in(page, live_server.url, counsellor)

    page.get_by_role("link", name="Projets de retour").first.click()
    page.get_by_role("link", name="Nouveau projet de retour").click()
    page.get_by_label("Type de retour").select_option("employment")
    page.get_by_label("Pays de destination").select_option("SN")
    page.get_by_label("Région de destination").fill("Thiès")
    page.get_by_label("Secteur").select_option("agriculture")
    page.get_by_label("L'idée").fill("Revenir travailler dans l'irrigation.")
    page.get_by_label("Formation").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/fr/returns/plans/\d+/$"))
    assert page.get_by_test_id("plan-stage").inner_text() == "Exploration"

    page.get_by_label("Passer à l'étape").select_option("preparing")
    page.get_by_role("button", name="Changer d'étape").click()
    assert page.get_by_test_id("plan-stage").inner_text() == "Préparation"

    row = page.locator("li", has_text="Technicien agricole").filter(has=page.get_by_role("button", name="Retenir"))
    assert "même secteur" in row.inner_text()
    row.get_by_role("button", name="Retenir").click()
    page.wait_for_load_state()
    assert "Technicien agricole — SODAGRI" in page.get_by_test_id("matched-vacancies").inner_text()
    plan = ReturnPlan.objects.get()
    assert plan.stage == "preparing" and list(plan.matched_vacancies.all()) == [vacancy]


def test_a_member_registers_for_a_full_event_and_lands_on_the_waiting_list_in_french(
    live_server, transactional_db, page
):
    event = EventFactory(capacity=1, title_fr="Salon de l'emploi de Dakar")
    EventRegistrationFactory(event=event)
    member = user_with_role(Role.MEMBER, preferred_language="fr")
    sign_in(page, live_server.url, member)

    page.goto(f"{live_server.url}/fr/returns/events/")
    assert "Complet — liste d'attente ouverte" in page.get_by_test_id(f"event-{event.pk}").inner_text()
    page.get_by_role("link", name="Salon de l'emploi de Dakar").click()
    page.get_by_role("button", name="S'inscrire sur la liste d'attente").click()
    page.wait_for_load_state()
    assert page.get_by_text("vous êtes sur liste d'attente", exact=False).first.is_visible()
    assert "Vous êtes sur liste d'attente" in page.get_by_test_id("my-registration").inner_text()
    assert EventRegistration.objects.get(user=member).status == "waitlisted"
