"""A study visit walks from draft to closed across four people, in French, Arabic and English."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.roles import Role
from apps.exchange.models import ExchangeRequest, State
from tests.browser.keyboard import tab_and_press_enter, tab_to
from tests.factories import OrganisationFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def people(db):
    from django.core.management import call_command

    from apps.core.models import Country

    if not Country.objects.filter(pk="SN").exists():
        call_command("load_reference_data", verbosity=0)
    institution = OrganisationFactory(name="Agence sénégalaise de la diaspora", country_id="SN")
    return {
        "focal": user_with_role(
            Role.FOCAL_POINT, institution, email="focal@example.org", full_name="Ibrahima Fall", preferred_language="fr"
        ),
        "approver_sn": user_with_role(
            Role.APPROVER,
            OrganisationFactory(name="Ministère des Sénégalais de l'extérieur", country_id="SN"),
            email="approver.sn@example.org",
            full_name="Awa Mbaye",
            preferred_language="fr",
        ),
        "approver_ma": user_with_role(
            Role.APPROVER,
            OrganisationFactory(name="Ministère chargé des MRE", country_id="MA"),
            email="approver.ma@example.org",
            full_name="Youssef El Amrani",
            preferred_language="ar",
        ),
        "coordinator": user_with_role(
            Role.COORDINATOR,
            OrganisationFactory(name="Secretariat", country_id="SN"),
            email="coordinator@example.org",
            full_name="Grace Mensah",
            preferred_language="en",
        ),
    }


def sign_in(browser, live_server, email):
    """A fresh browser session, signed in through the login page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    return page


def decide(page, action, comment=""):
    if comment:
        page.locator("#id_comment").fill(comment)
    page.locator(f"button[data-action={action}]").click()
    page.wait_for_load_state()


def state_badge(page):
    return page.get_by_test_id("state").first.inner_text().strip()


def fill_schedule(page, start, programme=None):
    """The coordinator opens the schedule form from the request page and records the schedule."""
    page.get_by_test_id("schedule").click()
    page.locator("input[name=start_date]").fill(start.isoformat())
    page.locator("input[name=end_date]").fill((start + timedelta(days=4)).isoformat())
    page.locator("input[name=venue]").fill("Ministère chargé des MRE, salle 2")
    page.locator("input[name=city]").fill("Rabat")
    page.locator("input[name=host_contact_name]").fill("Amina Berrada")
    page.locator("input[name=host_contact_email]").fill("amina@example.org")
    page.locator("textarea[name=programme]").fill(programme or f"{start.isoformat()} 09:00-10:30 Ouverture")
    page.locator("input[name=evaluation_deadline]").fill((start + timedelta(days=30)).isoformat())
    page.get_by_test_id("schedule-form").locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/exchange/\d+/$"))


def took_place(request):
    """The visit's dates are now behind us (the browser cannot wait for a month)."""
    today = timezone.localdate()
    ExchangeRequest.objects.filter(pk=request.pk).update(start_date=today - timedelta(days=5), end_date=today)


def test_a_study_visit_goes_from_draft_to_closed_across_four_people_in_three_languages(browser, live_server, people):
    start = timezone.localdate() + timedelta(days=45)

    # 1. The focal point in Senegal drafts, adds a participant and submits — in French.
    focal = sign_in(browser, live_server, "focal@example.org")
    assert focal.locator("html").get_attribute("lang") == "fr"
    focal.get_by_role("link", name="Nouvelle demande d'échange").first.click()
    focal.locator("select[name=kind]").select_option("study_visit")
    focal.locator("input[name=title]").fill("Visite d'étude sur la banque de compétences")
    focal.locator("select[name=theme]").select_option("skills_networks")
    focal.locator("select[name=host_country]").select_option("MA")
    focal.locator("textarea[name=objectives]").fill("Comprendre la mise à jour des profils.")
    focal.locator("textarea[name=expected_results]").fill("Un plan pour notre banque de compétences.")
    focal.locator("input[name=start_date]").fill(start.isoformat())
    focal.locator("input[name=end_date]").fill((start + timedelta(days=4)).isoformat())
    focal.locator("select[name=working_language]").select_option("fr")
    focal.get_by_role("button", name="Enregistrer").click()
    focal.wait_for_url(re.compile(r"/fr/exchange/\d+/$"))
    assert state_badge(focal) == "Brouillon"
    request = ExchangeRequest.objects.get()

    focal.get_by_role("link", name="Ajouter un participant").click()
    focal.locator("input[name=name]").fill("Ibrahima Fall")
    focal.locator("input[name=institution]").fill("Agence sénégalaise de la diaspora")
    focal.locator("select[name=country]").select_option("SN")
    focal.locator("input[name=email]").fill("focal@example.org")
    focal.get_by_role("button", name="Enregistrer").click()
    focal.wait_for_url(re.compile(rf"/fr/exchange/{request.pk}/$"))
    decide(focal, "submit")
    assert "C'est fait" in focal.get_by_role("status").inner_text()
    assert state_badge(focal) == "Soumise"

    # 2. The approver in Senegal endorses it — in French, from "waiting for me".
    approver_sn = sign_in(browser, live_server, "approver.sn@example.org")
    approver_sn.get_by_role("link", name="En attente de moi").first.click()
    approver_sn.get_by_role("link", name="Visite d'étude sur la banque de compétences").click()
    decide(approver_sn, "endorse", "Conforme à notre stratégie diaspora.")
    assert state_badge(approver_sn) == "Avalisée"

    # 3. The approver in Morocco accepts it — in Arabic, right to left.
    approver_ma = sign_in(browser, live_server, "approver.ma@example.org")
    assert approver_ma.locator("html").get_attribute("dir") == "rtl"
    approver_ma.goto(f"{live_server.url}/ar/exchange/{request.pk}/")
    assert "Conforme à notre stratégie diaspora." in approver_ma.get_by_test_id("timeline").inner_text()
    decide(approver_ma, "accept", "مرحباً بالوفد.")
    assert state_badge(approver_ma) == "مقبول"

    # 4. The coordinator approves and schedules it — in English.
    coordinator = sign_in(browser, live_server, "coordinator@example.org")
    coordinator.goto(f"{live_server.url}/exchange/{request.pk}/")
    decide(coordinator, "approve")
    assert state_badge(coordinator) == "Approved"
    fill_schedule(coordinator, start)
    assert state_badge(coordinator) == "Scheduled"
    coordinator.locator("details.portal-menu > summary").click()  # the "My tools" menu
    coordinator.get_by_role("link", name="Exchange calendar").first.click()
    assert "Visite d'étude sur la banque de compétences" in coordinator.locator("main").inner_text()

    # 5. After the visit the focal point completes, reports and evaluates — in French — and it closes.
    took_place(request)
    focal.reload()
    decide(focal, "complete")
    assert state_badge(focal) == "Réalisée"
    focal.get_by_role("link", name="Rédiger le rapport").click()
    focal.locator("textarea[name=activities]").fill("Visites de trois services.")
    focal.locator("textarea[name=results]").fill("Un plan d'action.")
    focal.locator("textarea[name=knowledge_sharing]").fill("Atelier de restitution à Dakar.")
    focal.get_by_role("button", name="Envoyer le rapport").click()
    focal.wait_for_url(re.compile(rf"/fr/exchange/{request.pk}/$"))
    assert state_badge(focal) == "Réalisée"
    focal.get_by_role("link", name="Évaluer l'échange").click()
    focal.locator("select[name=usefulness]").select_option("5")
    focal.locator("select[name=organisation]").select_option("4")
    focal.locator("input[name=would_recommend][value=yes]").check()
    focal.get_by_role("button", name="Envoyer l'évaluation").click()
    focal.wait_for_url(re.compile(rf"/fr/exchange/{request.pk}/$"))
    assert state_badge(focal) == "Clôturée"
    assert focal.get_by_test_id("decision").count() == 7
    assert "Le portail (automatiquement)" in focal.get_by_test_id("timeline").inner_text()

    request.refresh_from_db()
    assert request.state == State.CLOSED
    for page in (focal, approver_sn, approver_ma, coordinator):
        page.context.close()


def test_an_approver_endorses_with_the_keyboard_only_in_arabic(browser, live_server, people):
    from apps.exchange import services
    from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory

    people["approver_sn"].preferred_language = "ar"
    people["approver_sn"].save()
    request = ExchangeRequestFactory(
        requesting_institution=people["focal"].memberships.first().organisation, created_by=people["focal"]
    )
    ParticipantFactory.create_batch(2, request=request)
    services.exchange_request_submit(exchange_request=request, actor=people["focal"])

    approver = sign_in(browser, live_server, "approver.sn@example.org")
    approver.goto(f"{live_server.url}/ar/exchange/{request.pk}/")
    assert approver.locator("html").get_attribute("dir") == "rtl"
    approver.locator("body").focus()
    tab_to(approver, "#id_comment")
    approver.keyboard.type("موافق عليه")
    tab_and_press_enter(approver, "button[data-action=endorse]")
    request.refresh_from_db()
    assert request.state == State.ENDORSED
    assert "موافق عليه" in approver.get_by_test_id("timeline").inner_text()


def test_a_visit_goes_from_scheduling_to_certificates_in_arabic(browser, live_server, people):
    """Scheduling, the invitation under "My exchanges", completion, the report, two evaluations, closing by the
    portal and the certificate checked on the public page — every person in Arabic."""
    from apps.exchange import services
    from apps.exchange.models import Certificate
    from tests.factories import UserFactory
    from tests.factories.exchange import ExchangeRequestFactory, ParticipantFactory

    for name in ("focal", "coordinator"):
        people[name].preferred_language = "ar"
        people[name].save()
    request = ExchangeRequestFactory(
        requesting_institution=people["focal"].memberships.first().organisation,
        created_by=people["focal"],
        title="زيارة دراسية حول بنك الكفاءات",
    )
    ParticipantFactory(request=request, email="focal@example.org", name="إبراهيما فال")
    ParticipantFactory(request=request, email="salma@example.org", name="سلمى جالو")
    UserFactory(email="salma@example.org", full_name="سلمى جالو", preferred_language="ar")  # no role at all
    ExchangeRequest.objects.filter(pk=request.pk).update(state=State.APPROVED)
    start = request.start_date

    coordinator = sign_in(browser, live_server, "coordinator@example.org")
    coordinator.goto(f"{live_server.url}/ar/exchange/{request.pk}/")
    assert coordinator.locator("html").get_attribute("dir") == "rtl"
    fill_schedule(coordinator, start, programme=f"{start.isoformat()} 09:00-10:30 الجلسة الافتتاحية")
    assert state_badge(coordinator) == "مُجدوَل"
    assert "الجلسة الافتتاحية" in coordinator.get_by_test_id("programme").inner_text()

    participant = sign_in(browser, live_server, "salma@example.org")
    participant.goto(f"{live_server.url}/ar/exchange/mine/")
    assert "زيارة دراسية حول بنك الكفاءات" in participant.get_by_test_id("my-exchanges").inner_text()

    took_place(request)
    focal = sign_in(browser, live_server, "focal@example.org")
    focal.goto(f"{live_server.url}/ar/exchange/{request.pk}/")
    decide(focal, "complete")
    request.refresh_from_db()
    assert request.state == State.COMPLETED
    services.report_submit(
        exchange_request=request,
        actor=people["focal"],
        fields={"activities": "زيارات", "results": "خطة", "knowledge_sharing": "ورشة"},
    )
    for page in (focal, participant):
        page.goto(f"{live_server.url}/ar/exchange/mine/")
        page.get_by_role("link", name="تقييم التبادل").first.click()
        page.locator("select[name=usefulness]").select_option("5")
        page.locator("select[name=organisation]").select_option("4")
        page.locator("input[name=would_recommend][value=yes]").check()
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(re.compile(rf"/ar/exchange/{request.pk}/$"))
    request.refresh_from_db()
    assert request.state == State.CLOSED
    focal.reload()
    assert "البوابة (تلقائياً)" in focal.get_by_test_id("timeline").inner_text()

    participant.goto(f"{live_server.url}/ar/exchange/mine/")
    assert participant.get_by_test_id("certificate").count() == 1
    code = Certificate.objects.get(holder_email="salma@example.org").code
    participant.goto(f"{live_server.url}/ar/exchange/certificates/verify/?code={code}")
    assert "سلمى جالو" in participant.get_by_test_id("certificate-valid").inner_text()
    for page in (coordinator, participant, focal):
        page.context.close()
