"""A staff member of the Dakar office searches the skills bank in French, filters, opens a profile, verifies it."""

import re

import pytest

from apps.core.roles import Role
from apps.skills.models import ProfileVerification
from tests.browser.pickers import pick
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data():
    """Countries and languages, also when an earlier transactional test's flush ran after the shared reload."""
    import os

    from django.core.management import call_command

    from apps.core.models import Country

    if not Country.objects.filter(code="SN").exists():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_staff_member_searches_in_french_and_verifies_a_profile(live_server, page):
    taxonomy()
    staff = user_with_role(
        Role.OFFICE_STAFF,
        organisation=OrganisationFactory(country_id="SN", name="Bureau de Dakar"),
        email="moussa.staff@example.org",
        full_name="Moussa Ndiaye",
        preferred_language="fr",
    )
    surgeon = listed_profile(
        first_name="Mohamed",
        last_name="Diop",
        first_name_ar="محمد",
        job_title="Chirurgien",
        skills=["surgery"],
        sectors=["health"],
        languages=["fr", "ar"],
    )
    listed_profile(first_name="Mohammed", last_name="Sarr", skills=["water-treatment"], sectors=["water"])
    listed_profile(first_name="Mohamed", last_name="Caché", consent_listed=False)

    page.goto(f"{live_server.url}/fr/accounts/login/")
    page.locator("[name=login]").fill(staff.email)
    page.locator("[name=password]").fill("correct-horse-battery")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/fr/dashboard/"))

    page.get_by_role("link", name="Recherche dans la banque de compétences").first.click()
    page.wait_for_url(re.compile(r"/fr/skills/staff/search/"))
    page.get_by_label("Rechercher", exact=True).fill("Mohammed")
    page.get_by_test_id("search-submit").click()
    assert page.get_by_test_id("result-count").inner_text() == "2 profils trouvés"
    assert page.locator("[data-testid=result] mark").first.inner_text() in ("Mohamed", "Mohammed")
    assert "Caché" not in page.get_by_test_id("results").inner_text()

    assert page.locator("main details").get_attribute("open") is not None  # filters stay open after a search
    pick(page, "id_sector", "health")
    page.get_by_role("button", name="Appliquer les filtres").click()
    assert page.get_by_test_id("result-count").inner_text() == "1 profil trouvé"
    results = page.get_by_test_id("results").inner_text()
    assert "Diop" in results and "Chirurgie" in results and "Sarr" not in results

    page.get_by_role("link", name=re.compile("Mohamed Diop")).click()
    page.get_by_label("Pièce d'identité").check()
    page.get_by_label("Note").fill("Passeport vu au bureau")
    page.get_by_role("button", name="Marquer comme vérifié").click()
    assert page.get_by_test_id("verified-badge").inner_text().startswith("Vérifié le")
    verification = ProfileVerification.objects.get(profile=surgeon)
    assert verification.verified_by == staff and verification.checks == ["identity_document"]
