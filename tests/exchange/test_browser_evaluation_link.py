"""A participant without an account evaluates from the link in their e-mail, on a phone, in Arabic; the page in
French and English, and a used link's page, are looked at too (screenshots in test-artifacts/)."""

from datetime import date, timedelta

import pytest

from apps.exchange.models import Evaluation, ExchangeRequest, Participant, Schedule, State
from apps.exchange.services.people import evaluation_link_token
from tests.browser.accessibility import serious_violations
from tests.conftest import ARTIFACTS
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def link(db):
    from django.core.management import call_command

    from apps.core.models import Country

    if not Country.objects.filter(pk="SN").exists():
        call_command("load_reference_data", verbosity=0)
    request = ExchangeRequestFactory(
        requesting_institution=OrganisationFactory(country_id="SN"),
        title="Visite d'étude : banques de compétences de la diaspora",
        state=State.COMPLETED,
        start_date=date.today() - timedelta(days=5),
        end_date=date.today() - timedelta(days=1),
    )
    Schedule.objects.create(
        request=request,
        venue="Ministère",
        city="Rabat",
        host_contact_name="Amina Berrada",
        host_contact_email="amina@example.org",
        evaluation_deadline=date.today() + timedelta(days=20),
    )
    participant = ParticipantFactory(request=request, name="Fatoumata Diallo", language="ar")
    kept = UserFactory(email=participant.email)  # the account the portal keeps for the address: no password
    kept.set_unusable_password()
    kept.save()
    return ExchangeRequest.objects.get(pk=request.pk), evaluation_link_token(Participant.objects.get(pk=participant.pk))


def test_a_participant_evaluates_from_the_link_on_a_phone_in_arabic(browser, live_server, link):
    request, token = link
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15000)
    for language in ("en", "fr"):
        prefix = "" if language == "en" else f"/{language}"
        page.goto(f"{live_server.url}{prefix}/exchange/evaluate/{token}/")
        page.screenshot(path=str(ARTIFACTS / f"evaluation-link-{language}-390.png"), full_page=True)
    page.goto(f"{live_server.url}/ar/exchange/evaluate/{token}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "evaluation-link-ar-390.png"), full_page=True)
    page.select_option("#id_usefulness", "4")
    page.select_option("#id_organisation", "5")
    page.check("#id_would_recommend_0")
    page.fill("#id_comments", "زيارة مفيدة جدًا")
    page.get_by_role("button").last.click()
    page.get_by_test_id("evaluation-sent").wait_for()
    page.screenshot(path=str(ARTIFACTS / "evaluation-link-ar-390-sent.png"), full_page=True)
    evaluation = Evaluation.objects.get(request=request)
    assert (evaluation.usefulness, evaluation.organisation, evaluation.comments) == (4, 5, "زيارة مفيدة جدًا")
    page.goto(f"{live_server.url}/ar/exchange/evaluate/{token}/")
    page.get_by_test_id("link-used").wait_for()
    page.screenshot(path=str(ARTIFACTS / "evaluation-link-ar-390-used.png"), full_page=True)
    context.close()
