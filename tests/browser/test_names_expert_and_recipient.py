"""The name matcher's new places walked in a browser, with screenshots in en, fr and ar (test-artifacts/): a
coordinator finds an expert by a name written in the other script, an outreach manager finds a campaign's
recipient the same way."""

import os
import re

import pytest
from django.core.management import call_command

from apps.core.roles import Role
from apps.outreach.models import Campaign, Delivery
from tests.browser.session import sign_in, without_isolates
from tests.conftest import ARTIFACTS
from tests.exchange.matching_fixture import build
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.outreach import CampaignFactory, member
from tests.factories.skills import profile_renamed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def _reference_data_after_module(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def _in(user, language: str) -> str:
    """The URL prefix of ``language`` (English has none), the user reading it (the portal follows their setting)."""
    type(user).objects.filter(pk=user.pk).update(preferred_language=language)
    return "" if language == "en" else f"/{language}"


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_coordinator_finds_an_expert_by_a_name_written_in_the_other_script(live_server, page):
    secretariat = OrganisationFactory(name="Secretariat", country_id="SN", type="international_organisation")
    cast = type("Cast", (), {})()
    cast.institution = OrganisationFactory(name="Senegalese Institute", country_id="SN")
    cast.focal = user_with_role(Role.FOCAL_POINT, cast.institution)
    coordinator = user_with_role(Role.COORDINATOR, secretariat, preferred_language="fr")
    request, people = build(cast)
    profile_renamed(people.amina, "Amina", "Test", "محمد", "العمراني")
    profile_renamed(people.bakary, "Mamadou", "Diallo")
    sign_in(page, live_server, coordinator)
    for language in ("fr", "ar", "en"):
        page.goto(f"{live_server.url}{_in(coordinator, language)}/exchange/{request.pk}/experts/")
        page.get_by_test_id("candidate-name-search").locator("[name=name]").fill("Mohamed El Amrani")
        with page.expect_navigation():
            page.get_by_test_id("candidate-name-search").locator("[name=name]").press("Enter")
        assert re.search(r"name=", page.url)
        candidates = page.get_by_test_id("candidate")
        assert candidates.count() == 1
        assert "Amina" in candidates.first.inner_text()
        assert "محمد" in without_isolates(page.get_by_test_id("name-match").first.inner_text())
        _shoot(page, f"names-experts-{language}")


def test_an_outreach_manager_finds_a_recipient_typed_in_latin_letters_from_arabic(live_server, page):
    manager = user_with_role(Role.OUTREACH_MANAGER, preferred_language="ar")
    campaign = CampaignFactory(state=Campaign.State.SENT, created_by=manager, segment__created_by=manager)
    for first, last, first_ar, last_ar in [("Youssef", "El Amrani", "", ""), ("", "", "يوسف", "العمراني"),
                                           ("Younes", "Amrani", "", "")]:  # fmt: skip
        profile = profile_renamed(member(), first, last, first_ar, last_ar)
        Delivery.objects.create(
            campaign=campaign, user=profile.user, profile=profile, channel="email", language="fr",
            address=profile.user.email, state=Delivery.State.DELIVERED,
        )  # fmt: skip
    sign_in(page, live_server, manager)
    for language in ("ar", "fr", "en"):
        page.goto(f"{live_server.url}{_in(manager, language)}/outreach/campaigns/{campaign.pk}/")
        with page.expect_navigation():
            page.get_by_test_id("find-recipient").click()
        page.get_by_test_id("recipient-lookup").locator("[name=name]").fill("يوسف العمراني")
        with page.expect_navigation():
            page.get_by_test_id("recipient-lookup").locator("[name=name]").press("Enter")
        rows = page.get_by_test_id("recipient")
        assert rows.count() == 2
        assert "Younes" not in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]
        assert "Youssef" in without_isolates(rows.nth(1).inner_text())
        _shoot(page, f"names-recipients-{language}")
