"""Labour matching on a small fixture whose order is known. Points (apps/returns/matching.py): shared ISCO group
unit 8 / minor 6 / sub-major 4 / major 2; each required skill held 3; each required language spoken 1; the vacancy's
country as origin or destination 2, same region 1 more; same sector 1."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.models import Language
from apps.core.roles import Role
from apps.returns import matching
from apps.returns.models import Vacancy
from apps.skills.models import ProfileLanguage, ProfileSkill
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.offices import OfficeFactory, PersonFactory
from tests.factories.returns import ReturnPlanFactory, VacancyFactory
from tests.factories.skills import ProfileFactory, occupation, sector, skill

pytestmark = pytest.mark.django_db


def language(code, name):
    obj, _created = Language.objects.get_or_create(code=code, defaults={"name": name})
    return obj


def profile(name, *, occupations=(), skills=(), languages=(), sectors=(), origin="SN", region="", days_ago=0, **kw):
    defaults = {"consent_listed": True, "last_confirmed_at": timezone.now() - datetime.timedelta(days=days_ago)}
    obj = ProfileFactory(first_name=name, origin_country_id=origin, origin_region=region, **(defaults | kw))
    obj.occupations.set([occupation(code) for code in occupations])
    obj.sectors.set(sectors)
    for item in skills:
        ProfileSkill.objects.create(profile=obj, skill=item, kind="formal")
    for item in languages:
        ProfileLanguage.objects.create(profile=obj, language=item, level="fluent")
    return obj


@pytest.fixture
def world():
    water = sector("water", "Water")
    irrigation = skill("test-irrigation", "Irrigation design", "water")
    surveying = skill("test-surveying", "Land surveying", "water")
    french, wolof = language("fr", "French"), language("wo", "Wolof")
    occupation("2142", "Civil engineers")
    vacancy = VacancyFactory(
        title="Irrigation engineer", country_id="SN", region="Thiès", sector=water, occupation_id="2142"
    )
    vacancy.skills.set([irrigation, surveying])
    vacancy.languages.set([french, wolof])
    desk = OrganisationFactory(name="Dakar desk", country_id="SN")
    staff = user_with_role(Role.OFFICE_STAFF, organisation=desk)
    p = {
        # unit group 8 + two skills 6 + French 1 + origin 2 + region 1 + sector 1 = 19
        "aminata": profile(
            "Aminata",
            occupations=["2142"],
            skills=[irrigation, surveying],
            languages=[french],
            sectors=[water],
            region="thiès",
        ),
        # unit group 8 + one skill 3 + French and Wolof 2 + origin 2 (region Dakar: no point) = 15
        "bakary": profile(
            "Bakary", occupations=["2142"], skills=[irrigation], languages=[french, wolof], region="Dakar"
        ),
        # minor group 214 6 + two skills 6 + origin 2 = 14
        "cheikh": profile("Cheikh", occupations=["2143"], skills=[irrigation, surveying]),
        # one skill 3 + French 1 + origin 2 = 6, confirmed a year ago
        "dior": profile("Dior", skills=[surveying], languages=[french], days_ago=365),
        # sub-major group 21 4 + origin 2 = 6, confirmed today: the fresher profile goes first on a tie
        "ebou": profile("Ebou", occupations=["2111"]),
        # Not candidates: language, place and sector alone, or only the major group, do not make a match ...
        "fatou": profile("Fatou", occupations=["3112"], languages=[french, wolof], sectors=[water], region="Thiès"),
        "jules": profile("Jules", occupations=["2"]),
        # ... and neither do a withdrawn consent, an erased profile, or a country outside the staff's offices.
        "gora": profile("Gora", skills=[irrigation], consent_listed=False),
        "hawa": profile("Hawa", skills=[irrigation], erased_at=timezone.now()),
        "idriss": profile("Idriss", skills=[irrigation], origin="MA"),
    }
    return {"vacancy": vacancy, "staff": staff, "desk": desk, "profiles": p, "water": water, "french": french}


def test_profiles_for_a_vacancy_come_in_the_explained_order_with_their_reasons(world):
    vacancy = Vacancy.objects.prefetch_related("skills", "languages").get(pk=world["vacancy"].pk)
    matches = matching.profile_matches(user=world["staff"], vacancy=vacancy)
    p = world["profiles"]
    assert [m.obj for m in matches] == [p["aminata"], p["bakary"], p["cheikh"], p["ebou"], p["dior"]]
    assert [m.score for m in matches] == [19, 15, 14, 6, 6]
    # The SQL that ranks and the reasons shown agree.
    ranked = matching.profile_candidates(user=world["staff"], vacancy=vacancy)
    assert [row.match_score for row in ranked] == [19, 15, 14, 6, 6]
    kinds = {m.obj.first_name: {r.kind: r.text for r in m.reasons} for m in matches}
    assert kinds["Aminata"] == {
        "occupation": "Same ISCO-08 unit group (2142)",
        "skills": "Required skills: Irrigation design and Land surveying",
        "languages": "Speaks the language required: French",
        "country": "Country of origin: Senegal",
        "region": "Same region: Thiès",
        "sector": "same sector",
    }
    assert kinds["Cheikh"]["occupation"] == "Same ISCO-08 minor group (214)"
    assert kinds["Ebou"] == {"occupation": "Same ISCO-08 sub-major group (21)", "country": "Country of origin: Senegal"}


def test_return_plans_for_a_vacancy_are_the_desks_open_plans_going_there_ranked(world):
    desk, water, p = world["desk"], world["water"], world["profiles"]
    office = OfficeFactory(organisation=desk)
    client = PersonFactory(office=office, name_latin="Modou Fall")
    client.languages.set([world["french"], language("wo", "Wolof")])
    # the profile's 8 + 6 + 1 + destination 2 + region 1 + sector 1 = 19
    best = ReturnPlanFactory(desk=desk, profile=p["aminata"], destination_region="Thiès", sector=water)
    # the client's two languages 2 + destination 2 + sector 1 = 5
    by_client = ReturnPlanFactory(desk=desk, person=client, sector=water)
    # destination only: 2
    plain = ReturnPlanFactory(desk=desk)
    ReturnPlanFactory(desk=desk, destination_country_id="MA", sector=water)  # elsewhere
    ReturnPlanFactory(desk=desk, stage="dropped", sector=water)  # not open
    ReturnPlanFactory(sector=water)  # another desk
    # A profile that withdrew its consent counts for nothing: destination only, 2; updated last, so before `plain`.
    withdrawn = ReturnPlanFactory(desk=desk, profile=p["gora"], destination_region="Elsewhere")
    matches = matching.plan_matches(user=world["staff"], vacancy=world["vacancy"])
    assert [(m.obj, m.score) for m in matches] == [(best, 19), (by_client, 5), (withdrawn, 2), (plain, 2)]
    assert {r.kind for r in matches[1].reasons} == {"languages", "country", "sector"}
    assert "Destination: Senegal" in [r.text for r in matches[2].reasons]


def test_vacancies_that_fit_a_profile_a_client_and_a_plan(world):
    p, water = world["profiles"], world["water"]
    VacancyFactory(title="Closed", occupation_id="2142", closing_date=timezone.localdate() - datetime.timedelta(days=1))
    VacancyFactory(title="Cook", country_id="SN")  # nothing in common
    nurse = VacancyFactory(title="Nurse", country_id="SN", sector=sector("health", "Health"))
    assert [m.obj.title for m in matching.vacancies_for_profile(profile=p["ebou"])] == ["Irrigation engineer"]
    assert matching.vacancies_for_profile(profile=p["gora"]) == []  # consent withdrawn: nothing is read
    # A client without a profile: their nationality and languages.
    client = PersonFactory(name_latin="Modou Fall", nationality_id="SN")
    client.languages.set([world["french"]])
    fits = matching.vacancies_for_person(person=client)
    assert [m.obj.title for m in fits] == ["Irrigation engineer"]
    assert {r.kind for r in fits[0].reasons} == {"languages", "country"}
    # A plan: every open vacancy at the destination, the best first.
    plan = ReturnPlanFactory(profile=p["bakary"], sector=water)
    # Irrigation engineer: unit group 8 + one skill 3 + two languages 2 + destination 2 + sector 1 = 16; the cook
    # and the nurse (another sector) only share the destination, 2 each, and close the same day: by id.
    fits = matching.vacancies_for_plan(plan=plan)
    assert [(m.obj.title, m.score) for m in fits] == [("Irrigation engineer", 16), ("Cook", 2), ("Nurse", 2)]
    assert nurse == fits[2].obj


def test_the_profile_candidates_are_found_through_indexes_not_a_scan_of_the_bank(world):
    vacancy = Vacancy.objects.prefetch_related("skills", "languages").get(pk=world["vacancy"].pk)
    sql, params = matching.profile_candidates(user=world["staff"], vacancy=vacancy).sql_with_params()
    with connection.cursor() as cursor:
        # With sequential scans priced out, a plan that still scans the profiles has no index path at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on skills_diasporaprofile " not in plan, plan
    # The candidate ids come from an index on the skills and one on the occupations held (whichever of their
    # indexes the planner picks: the condition is written with or without the cast).
    assert re.search(r"Index Cond: \(+skill_id\)?(?:::text)? = ANY", plan), plan
    assert re.search(r"Index Cond: \(+occupation_id\)?(?:::text)? = ANY", plan), plan


def test_the_matching_page_lists_profiles_and_plans_and_match_adds_the_vacancy_to_the_plan(client, world):
    plan = ReturnPlanFactory(desk=world["desk"], sector=world["water"])
    client.force_login(world["staff"])
    url = reverse("returns:vacancy-matches", args=[world["vacancy"].pk])
    page = client.get(url).content.decode()
    assert page.index("Aminata") < page.index("Bakary") < page.index("Cheikh")
    assert "Fatou" not in page and "Idriss" not in page
    response = client.post(
        reverse("returns:plan-action", args=[plan.pk, "match-vacancy"]),
        {"vacancy": world["vacancy"].pk, "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert list(plan.matched_vacancies.all()) == [world["vacancy"]]
    assert f'data-testid="plan-match-{plan.pk}"' in client.get(url).content.decode()


def test_matching_is_403_for_content_editors_and_404_for_a_closed_vacancy(client, world):
    closed = VacancyFactory(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(user_with_role(Role.CONTENT_EDITOR))
    assert client.get(reverse("returns:vacancy-matches", args=[world["vacancy"].pk])).status_code == 403
    client.force_login(world["staff"])
    assert client.get(reverse("returns:vacancy-matches", args=[closed.pk])).status_code == 404
    assert client.get(reverse("returns:profile-vacancies", args=[world["profiles"]["gora"].pk])).status_code == 404
    assert client.get(reverse("returns:profile-vacancies", args=[world["profiles"]["ebou"].pk])).status_code == 200


def test_api_matches_give_scores_and_reasons_and_are_403_for_editors(world):
    api = APIClient()
    api.force_authenticate(world["staff"])
    response = api.get(f"/api/v1/vacancies/{world['vacancy'].pk}/matches/")
    assert response.status_code == 200
    body = response.json()
    assert [row["score"] for row in body["profiles"]] == [19, 15, 14, 6, 6]
    assert body["profiles"][0]["id"] == world["profiles"]["aminata"].pk
    assert {r["kind"] for r in body["profiles"][0]["reasons"]} >= {"occupation", "skills"}
    api.force_authenticate(user_with_role(Role.CONTENT_EDITOR))
    response = api.get(f"/api/v1/vacancies/{world['vacancy'].pk}/matches/")
    assert response.status_code == 403 and "error" in response.json()
