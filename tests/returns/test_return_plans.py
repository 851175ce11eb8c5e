import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.returns.matching import vacancies_for_plan
from apps.returns.models import ReturnPlan
from apps.returns.services import (
    funding_alerts_send,
    return_plan_create,
    return_plan_match_vacancy,
    return_plan_set_stage,
)
from tests.factories import OrganisationFactory, user_with_role
from tests.factories.returns import (
    FundingOpportunityFactory,
    NetworkPartnerFactory,
    ReturnPlanFactory,
    VacancyFactory,
    sector,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return OrganisationFactory(name="Dakar return desk")


@pytest.fixture
def counsellor(desk):
    return user_with_role(Role.OFFICE_STAFF, organisation=desk)


def test_a_counsellor_creates_a_plan_for_their_desk_only(counsellor, desk):
    from apps.core.models import Country

    plan = return_plan_create(
        actor=counsellor,
        desk=desk,
        data={
            "kind": "business",
            "destination_country": Country.objects.get(pk="SN"),
            "needs": ["training", "financing"],
        },
    )
    assert plan.stage == "exploring" and plan.needs == ["financing", "training"]
    with pytest.raises(PermissionDenied):
        return_plan_create(actor=counsellor, desk=OrganisationFactory(), data={"kind": "study"})


def test_a_plan_moves_through_its_stages_and_refuses_a_jump(counsellor, desk):
    plan = ReturnPlanFactory(desk=desk)
    with pytest.raises(ValidationError):
        return_plan_set_stage(plan=plan, actor=counsellor, stage="reintegrated")
    for stage in ("preparing", "returned", "reintegrated"):
        plan = return_plan_set_stage(plan=plan, actor=counsellor, stage=stage)
    assert plan.stage == "reintegrated"
    with pytest.raises(ValidationError):
        return_plan_set_stage(plan=plan, actor=counsellor, stage="dropped")


def test_a_dropped_plan_can_be_taken_up_again(counsellor, desk):
    plan = ReturnPlanFactory(desk=desk, stage="dropped")
    assert return_plan_set_stage(plan=plan, actor=counsellor, stage="exploring").stage == "exploring"


def test_publishing_funding_matches_open_plans_by_destination_and_sector(desk):
    agriculture, ict = sector("agriculture"), sector("ict")
    fits = ReturnPlanFactory(desk=desk, destination_country_id="SN", sector=agriculture)
    other_sector = ReturnPlanFactory(desk=desk, destination_country_id="SN", sector=ict)
    other_country = ReturnPlanFactory(desk=desk, destination_country_id="MA", sector=agriculture)
    dropped = ReturnPlanFactory(desk=desk, destination_country_id="SN", sector=agriculture, stage="dropped")
    opportunity = FundingOpportunityFactory(countries=["SN"], sectors=[agriculture])
    funding_alerts_send(opportunity_id=opportunity.pk)
    funding_alerts_send(opportunity_id=opportunity.pk)
    assert list(opportunity.matched_plans.all()) == [fits]
    assert not {other_sector, other_country, dropped} & set(opportunity.matched_plans.all())


def test_vacancies_for_a_plan_are_at_the_destination_with_the_same_sector_first(desk):
    agriculture, ict = sector("agriculture"), sector("ict")
    plan = ReturnPlanFactory(desk=desk, destination_country_id="SN", sector=agriculture)
    soon_other_sector = VacancyFactory(sector=ict, closing_date=timezone.localdate() + datetime.timedelta(days=2))
    later_same_sector = VacancyFactory(
        sector=agriculture, closing_date=timezone.localdate() + datetime.timedelta(days=9)
    )
    VacancyFactory(country_id="MA", sector=agriculture)  # elsewhere
    VacancyFactory(sector=agriculture, closing_date=timezone.localdate() - datetime.timedelta(days=1))  # closed
    # Same sector beats an earlier closing date; the plan's country is required.
    assert [m.obj for m in vacancies_for_plan(plan=plan)] == [later_same_sector, soon_other_sector]


def test_matching_a_vacancy_records_it_on_the_plan(counsellor, desk):
    plan = ReturnPlanFactory(desk=desk)
    vacancy = VacancyFactory()
    return_plan_match_vacancy(plan=plan, actor=counsellor, vacancy=vacancy)
    assert list(plan.matched_vacancies.all()) == [vacancy]
    assert vacancies_for_plan(plan=plan) == []


def test_plans_of_another_desk_are_404_and_other_roles_403(client, counsellor, desk):
    mine = ReturnPlanFactory(desk=desk)
    theirs = ReturnPlanFactory()
    client.force_login(counsellor)
    assert client.get(reverse("returns:plan-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("returns:plan-detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("returns:plan-action", args=[theirs.pk, "stage"]), {"stage": "preparing"}).status_code
        == 404
    )
    client.force_login(user_with_role(Role.CONTENT_EDITOR))
    assert client.get(reverse("returns:plan-pipeline")).status_code == 403


def test_the_pipeline_counts_plans_per_stage_for_the_desk(client, counsellor, desk):
    ReturnPlanFactory.create_batch(2, desk=desk)
    ReturnPlanFactory(desk=desk, stage="preparing")
    ReturnPlanFactory(stage="preparing")  # another desk
    client.force_login(counsellor)
    html = client.get(reverse("returns:plan-pipeline")).content.decode()
    pipeline = client.get(reverse("returns:plan-pipeline")).context["pipeline"]
    assert {row["stage"]: row["count"] for row in pipeline}["exploring"] == 2
    assert {row["stage"]: row["count"] for row in pipeline}["preparing"] == 1
    assert 'data-testid="stage-preparing"' in html


def test_the_page_walks_a_plan_to_a_matched_vacancy_and_a_referral(client, counsellor, desk):
    partner = NetworkPartnerFactory()
    vacancy = VacancyFactory(sector=sector("agriculture"))
    client.force_login(counsellor)
    response = client.post(
        reverse("returns:plan-create"),
        {
            "desk": desk.pk,
            "kind": "employment",
            "destination_country": "SN",
            "sector": "agriculture",
            "needs": ["training"],
        },
    )
    plan = ReturnPlan.objects.get()
    assert response.status_code == 302
    client.post(reverse("returns:plan-action", args=[plan.pk, "stage"]), {"stage": "preparing"})
    client.post(reverse("returns:plan-action", args=[plan.pk, "refer"]), {"partner": partner.pk})
    client.post(reverse("returns:plan-action", args=[plan.pk, "match-vacancy"]), {"vacancy": vacancy.pk})
    plan.refresh_from_db()
    assert plan.stage == "preparing"
    assert list(plan.referrals.all()) == [partner] and list(plan.matched_vacancies.all()) == [vacancy]


@pytest.mark.parametrize("url", ["/returns/plans/", "/api/v1/return-plans/"])
def test_plan_lists_query_count_is_the_same_at_10_and_100_rows(client, counsellor, desk, url):
    client.force_login(counsellor)
    partner = NetworkPartnerFactory()

    def add(n):
        for plan in ReturnPlanFactory.create_batch(n, desk=desk, sector=sector("ict")):
            plan.referrals.add(partner)

    add(10)
    with CaptureQueriesContext(connection) as at_10:
        assert client.get(url).status_code == 200
    add(90)
    with CaptureQueriesContext(connection) as at_100:
        assert client.get(url).status_code == 200
    assert len(at_10) == len(at_100)


def test_api_return_plans_are_scoped_to_the_desk(counsellor, desk):
    api = APIClient()
    ReturnPlanFactory(desk=desk)
    theirs = ReturnPlanFactory()
    api.force_authenticate(counsellor)
    assert api.get("/api/v1/return-plans/").json()["count"] == 1
    assert api.get(f"/api/v1/return-plans/{theirs.pk}/").status_code == 404
    response = api.post(
        "/api/v1/return-plans/", {"desk": theirs.desk_id, "kind": "study", "destination_country": "SN"}, format="json"
    )
    assert response.status_code == 403
    response = api.post(
        "/api/v1/return-plans/", {"desk": desk.pk, "kind": "study", "destination_country": "SN"}, format="json"
    )
    assert response.status_code == 201
    plan_id = response.json()["id"]
    response = api.post(f"/api/v1/return-plans/{plan_id}/stage/", {"stage": "reintegrated"}, format="json")
    assert response.status_code == 400 and "stage" in response.json()["error"]["fields"]
    api.force_authenticate(user_with_role(Role.MEMBER))
    assert api.get("/api/v1/return-plans/").status_code == 403
