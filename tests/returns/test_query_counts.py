"""Every list runs the same number of queries at 10 and at 100 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.roles import Role
from tests.factories import user_with_role
from tests.factories.returns import (
    EventFactory,
    EventRegistrationFactory,
    FundingOpportunityFactory,
    InfoSheetFactory,
    NetworkPartnerFactory,
    VacancyFactory,
    sector,
)

pytestmark = pytest.mark.django_db


def make_sheets(n, user):
    InfoSheetFactory.create_batch(n // 2)
    InfoSheetFactory.create_batch(n - n // 2, title_ar="", body_ar="")


def make_funding(n, user):
    agriculture = sector("agriculture")
    FundingOpportunityFactory.create_batch(n, countries=["SN", "ML"], sectors=[agriculture])


def make_partners(n, user):
    NetworkPartnerFactory.create_batch(n)


def make_vacancies(n, user):
    from apps.core.models import Language
    from tests.factories.skills import skill

    coding, french = skill("test-coding", "Coding", "ict"), Language.objects.get(pk="fr")
    for vacancy in VacancyFactory.create_batch(n, sector=sector("ict")):
        vacancy.skills.set([coding])
        vacancy.languages.set([french])


def make_events(n, user):
    for event in EventFactory.create_batch(n):
        EventRegistrationFactory(event=event, user=user)


def make_registrations(n, user):
    for event in EventFactory.create_batch(n):
        EventRegistrationFactory(event=event, user=user)


CASES = [
    ("returns:info-sheet-list", None, make_sheets, "?q="),
    ("returns:info-sheet-list", None, make_sheets, "?q=returning"),
    ("returns:editor-sheet-list", Role.CONTENT_EDITOR, make_sheets, ""),
    ("returns:funding-list", None, make_funding, ""),
    ("returns:editor-funding-list", Role.CONTENT_EDITOR, make_funding, ""),
    ("returns:partner-directory", Role.OFFICE_STAFF, make_partners, ""),
    ("returns:vacancy-list", Role.OFFICE_STAFF, make_vacancies, ""),
    ("returns:event-list", Role.MEMBER, make_events, ""),
    ("returns:editor-event-list", Role.CONTENT_EDITOR, make_events, ""),
    ("returns:my-events", Role.MEMBER, make_registrations, ""),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("url_name", "role", "make", "query"), CASES)
def test_list_page_query_count_is_the_same_at_10_and_100_rows(client, url_name, role, make, query):
    user = user_with_role(role) if role else None
    if user:
        client.force_login(user)
    url = reverse(url_name) + query
    make(10, user)
    at_10 = count_queries(client, url)
    make(90, user)
    at_100 = count_queries(client, url)
    assert at_10 == at_100


API_CASES = [
    ("/api/v1/info-sheets/", None, make_sheets),
    ("/api/v1/info-sheets/", Role.CONTENT_EDITOR, make_sheets),
    ("/api/v1/funding-opportunities/", None, make_funding),
    ("/api/v1/vacancies/", Role.OFFICE_STAFF, make_vacancies),
    ("/api/v1/events/", Role.MEMBER, make_events),
]


@pytest.mark.parametrize(("url", "role", "make"), API_CASES)
def test_api_list_query_count_is_the_same_at_10_and_100_rows(client, url, role, make):
    user = user_with_role(role) if role else None
    if user:
        client.force_login(user)
    make(10, user)
    at_10 = count_queries(client, url)
    make(90, user)
    at_100 = count_queries(client, url)
    assert at_10 == at_100


def test_matching_person_and_plan_pages_run_the_same_queries_at_10_and_100_rows(client):
    """The vacancy's matching page (profiles and plans), a client's page and a plan's page (contacts with the
    sheets handed out), and the pipeline naming each plan's client."""
    from apps.core.models import Language
    from apps.returns.models import SheetHandout
    from apps.skills.models import ProfileLanguage, ProfileSkill
    from tests.factories.offices import ContactFactory, OfficeFactory, PersonFactory, counsellor
    from tests.factories.returns import ReturnPlanFactory
    from tests.factories.skills import ProfileFactory, occupation, skill

    office = OfficeFactory()
    staff = counsellor(office)
    irrigation, french = skill("test-irrigation", "Irrigation", "water"), Language.objects.get(pk="fr")
    vacancy = VacancyFactory(occupation=occupation("2142", "Civil engineers"), sector=sector("water"))
    vacancy.skills.set([irrigation])
    vacancy.languages.set([french])
    person = PersonFactory(office=office)
    plan = ReturnPlanFactory(desk=office.organisation, person=person)
    sheet = InfoSheetFactory()

    def make(n):
        for _ in range(n):
            profile = ProfileFactory(consent_listed=True)
            profile.occupations.add("2142")
            ProfileSkill.objects.create(profile=profile, skill=irrigation, kind="formal")
            ProfileLanguage.objects.create(profile=profile, language=french, level="fluent")
            ReturnPlanFactory(desk=office.organisation, person=PersonFactory(office=office), profile=profile)
            contact = ContactFactory(person=person, staff=staff)
            SheetHandout.objects.create(contact=contact, sheet=sheet, handed_out_by=staff)

    urls = [
        reverse("returns:vacancy-matches", args=[vacancy.pk]),
        reverse("returns:person-detail", args=[person.pk]),
        reverse("returns:plan-detail", args=[plan.pk]),
        reverse("returns:plan-pipeline"),
    ]
    client.force_login(staff)
    make(10)
    at_10 = [count_queries(client, url) for url in urls]
    make(90)
    assert [count_queries(client, url) for url in urls] == at_10
