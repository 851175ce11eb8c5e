"""The exchange report's evaluations: each completed request's count and the programme's averages, with the
small-number rule of every report, and never one person's own answers."""

from __future__ import annotations

import pytest

from apps.core.roles import Role
from apps.exchange.models import Evaluation
from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run
from tests.factories import OrganisationFactory, UserFactory, user_with_role
from tests.factories.exchange import ExchangeRequestFactory, ExpertAssignmentFactory

pytestmark = pytest.mark.django_db


def rows(result, key):
    return {row.label: [c.display for c in row.cells] for row in result.table(key).rows}


def _evaluate(request, respondent, scores):
    for usefulness, organisation, recommend in scores:
        Evaluation.objects.create(
            request=request,
            author=UserFactory(),
            respondent=respondent,
            usefulness=usefulness,
            organisation=organisation,
            would_recommend=recommend,
            comments="Owncomment q",
        )


@pytest.fixture
def evaluated():
    return make_evaluated()


def make_evaluated():
    """A completed visit with 6 evaluations, a closed one with 2 (scores 1 and 2, no one would recommend), a
    completed one with none, and a closed expert assignment with 5 expert evaluations."""
    senegal = OrganisationFactory(country_id="SN")
    six = ExchangeRequestFactory(requesting_institution=senegal, state="completed")
    _evaluate(six, "participant", [(5, 4, True), (5, 4, True), (4, 4, True), (4, 4, True), (3, 4, True), (3, 4, True)])
    two = ExchangeRequestFactory(requesting_institution=senegal, state="closed")
    _evaluate(two, "participant", [(1, 2, False), (2, 2, False)])
    ExchangeRequestFactory(requesting_institution=senegal, state="completed")
    experts = ExpertAssignmentFactory(requesting_institution=senegal, state="closed")
    _evaluate(experts, "expert", [(5, 3, True)] * 5)
    return six, two, experts


def exchange():
    return report_run(report=framework.get("exchange"), filters=Filters())


def test_each_completed_request_shows_its_evaluation_count_and_averages_only_from_five(evaluated):
    six, two, experts = evaluated
    assert rows(exchange(), "per_request") == {
        f"Request no. {six.pk}": ["5", "4.0", "4.0"],  # 6, published rounded to 5; averages of the 6
        f"Request no. {experts.pk}": ["5", "5.0", "3.0"],
        f"Request no. {two.pk}": ["<5", "–", "–"],  # 2: neither the count nor the two people's scores
    }


def test_the_programme_averages_are_given_by_participants_and_by_experts(evaluated):
    # Participants: 8 evaluations (published 5), usefulness 27/8 = 3.4, organisation 28/8 = 3.5; 6 would
    # recommend (published 5, so 100% of the published 5). Experts: 5, 5.0, 3.0, all 5 recommend.
    result = exchange()
    assert rows(result, "programme") == {
        "Participant": ["5", "3.4", "3.5", "5", "100"],
        "Expert": ["5", "5.0", "3.0", "5", "100"],
    }
    assert result.table("programme").totals[0].display == "15"  # 13


def test_a_request_with_fewer_than_five_evaluations_gives_no_score_anywhere(analyst_client, evaluated):
    _six, two, _experts = evaluated
    body = analyst_client.get("/api/v1/reports/exchange/").json()
    table = next(t for t in body["tables"] if t["key"] == "per_request")
    row = next(r for r in table["rows"] if r["label"] == f"Request no. {two.pk}")
    assert [c["value"] for c in row["cells"]] == [None, None, None]
    for url in ("/reports/exchange/", "/reports/exchange/export.csv", "/api/v1/reports/exchange/"):
        text = analyst_client.get(url).content.decode("utf-8-sig")
        assert "Owncomment q" not in text and two.title not in text, url


def test_the_per_request_table_speaks_the_page_language(client, evaluated):
    six, _two, _experts = evaluated
    client.force_login(user_with_role(Role.COORDINATOR, preferred_language="fr"))
    page = client.get("/fr/reports/exchange/").content.decode()
    assert "Évaluations de chaque échange terminé" in page
    assert f"Demande n° {six.pk}" in page


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.APPROVER, Role.MEMBER])
def test_the_people_of_an_exchange_do_not_reach_the_report(client, evaluated, role):
    scoped = role in (Role.FOCAL_POINT, Role.APPROVER)
    client.force_login(user_with_role(role, OrganisationFactory(country_id="SN")) if scoped else user_with_role(role))
    for url in ("/reports/exchange/", "/reports/exchange/export.csv", "/api/v1/reports/exchange/"):
        assert client.get(url).status_code == 403, url
