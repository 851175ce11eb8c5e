"""The exchange report and the demand side of the skills report, against a fixture whose answers are known."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.exchange.models import Decision, Evaluation, ExchangeRequest
from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run
from apps.returns.models import Vacancy
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.exchange import ExchangeRequestFactory, ExpertAssignmentFactory

pytestmark = pytest.mark.django_db


def rows(result, key):
    return {row.label: [c.display for c in row.cells] for row in result.table(key).rows}


@pytest.fixture
def known_exchanges(db):
    """20 requests: Senegal → Morocco study visits (9 approved, 2 completed), Tunisia → Senegal expert assignments
    (8 submitted), one Morocco → Tunisia draft; 11 decisions out of draft, 2 out of submitted, 6 evaluations."""
    now = timezone.now()
    actor = UserFactory()
    senegal = OrganisationFactory(country_id="SN")
    for i in range(11):
        request = ExchangeRequestFactory(
            requesting_institution=senegal, state="approved" if i < 9 else "completed", title=f"Secrettitle{i}q"
        )
        days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20][i]
        ExchangeRequest.objects.filter(pk=request.pk).update(created_at=now - timedelta(days=days))
        Decision.objects.create(
            request=request,
            actor=actor,
            actor_label="Focalname q",
            role="focal_point",
            action="submit",
            from_state="draft",
            to_state="submitted",
            comment=f"Secretcomment{i}q",
        )
        if i >= 9:
            Decision.objects.create(
                request=request,
                actor=actor,
                actor_label="Approvername q",
                role="ministry_approver",
                action="endorse",
                from_state="submitted",
                to_state="endorsed",
            )
            for score in range(3):
                Evaluation.objects.create(
                    request=request,
                    author=UserFactory(),
                    respondent="participant",
                    usefulness=[5, 4, 3][score],
                    organisation=4 if i == 9 else 5,
                    would_recommend=not (i == 10 and score > 0),
                    comments=f"Evalcomment{i}{score}q",
                )
    tunisia = OrganisationFactory(country_id="TN")
    for i in range(8):
        ExpertAssignmentFactory(
            requesting_institution=tunisia,
            host_country_id="SN",
            state="submitted",
            theme="remittances_investment",
            isco_codes=["2120"] if i < 5 else ["2211", "3111"],
            sectors="Health, finance, Nonsense",
        )
    ExpertAssignmentFactory(
        requesting_institution=OrganisationFactory(country_id="MA"),
        host_country_id="TN",
        state="draft",
        theme="health",
        isco_codes=["3111"],
    )


def exchange(**filters):
    return report_run(report=framework.get("exchange"), filters=Filters(**filters))


def test_requests_by_state_kind_theme_and_country_pair(known_exchanges):
    result = exchange()
    # Published rounded to 5 (true counts in comments).
    assert result.headline.display == "20"  # 20
    assert rows(result, "state") == {"Approved": ["10"], "Submitted": ["hidden"], "Completed": ["<5"], "Draft": ["<5"]}
    assert rows(result, "kind") == {"Study visit": ["10"], "Expert assignment": ["10"]}  # 11, 9
    assert rows(result, "theme") == {
        "Skills networks": ["10"],  # 11
        "Remittances and investment": ["hidden"],
        "Health": ["<5"],
    }
    assert rows(result, "pair") == {
        "Senegal → Morocco": ["10"],  # 11
        "Morocco → Tunisia": ["<5"],
        "Tunisia → Senegal": ["hidden"],
    }
    assert result.table("pair").totals[0].display == "20"


def test_time_at_each_decision_step_is_given_only_for_steps_with_five_decisions(known_exchanges):
    # Out of draft: 11 decisions after 1..10 and 20 days: median 6, 90th percentile 10 (percentile_cont).
    # The statistics are not rounded (given only above 5 decisions); the count is (11).
    assert rows(exchange(), "steps") == {"Draft": ["10", "6.0", "10.0"], "Submitted": ["<5", "–", "–"]}


def test_completed_exchanges_and_their_evaluation_averages(known_exchanges):
    # Two completed study visits: a column of one row with 2 cannot be protected (withheld); their 6
    # evaluations (published 5) are enough for averages: usefulness 4.0, organisation 4.5 (not rounded). 4 of 6
    # would recommend: a column of one row with 4, withheld like the first; so the share, computed from the
    # published counts only, is not given either (67% would say 4 of 6).
    assert rows(exchange(), "completed") == {"Study visit": ["–", "5", "4.0", "4.5", "–", "–"]}


def test_the_exchange_country_filter_keeps_requests_of_either_side(known_exchanges):
    assert exchange(country="TN").headline.display == "10"  # 9
    assert rows(exchange(country="TN"), "pair") == {
        "Tunisia → Senegal": ["hidden"],  # 8 and 1 of 9: the 8 is hidden so the total does not give the 1 away
        "Morocco → Tunisia": ["<5"],
    }


def test_the_exchange_report_shows_no_title_comment_or_name(analyst_client, known_exchanges):
    secrets = ["Secrettitle1q", "Secretcomment1q", "Focalname q", "Approvername q", "Evalcomment100q"]
    for url in ("/reports/exchange/", "/reports/exchange/export.csv", "/api/v1/reports/exchange/"):
        text = analyst_client.get(url).content.decode("utf-8-sig")
        assert not [s for s in secrets if s in text], url


def test_supply_beside_demand_from_open_requests_and_vacancies_with_the_gap(known_members, known_exchanges):
    for i in range(7):
        Vacancy.objects.create(
            title=f"Vacancytitle{i}q",
            employer="Hospital",
            country_id="SN",
            closing_date=date(2026, 12, 1),
            occupation_id="2211" if i < 5 else "3111",
            sector_id="health" if i < 5 else "agriculture",
        )
    result = report_run(report=framework.get("skills"), filters=Filters())
    assert [key for key, _label in result.table("isco_major").measures] == [
        "listed",
        "expert_contact",
        "requests",
        "vacancies",
        "gap",
    ]
    # ISCO 2: 9 listed, 5 open to missions, 8 open requests (the draft does not count), 5 vacancies, published
    # 10, 5, 5, 5: the gap is computed from the published figures, 10-5-5 (9-8-5 would be -4).
    assert rows(result, "isco_major") == {
        "2 · Professionals": ["10", "5", "5", "5", "0"],
        "3 · Technicians and associate professionals": ["<5", "0", "<5", "<5", "–"],
    }
    # Typed sectors "Health, finance, Nonsense": Health matches the vocabulary; the others match nothing.
    assert rows(result, "sector") == {
        "Health": ["10", "5", "5", "5", "0"],
        "Education": ["<5", "0", "0", "0", "–"],
        "Agriculture": ["0", "0", "0", "<5", "–"],
    }


def test_the_exchange_report_says_its_figures_are_live_and_speaks_of_requests(analyst_client):
    """The exchange report reads the requests directly: no "not computed yet" banner, and its withheld and empty
    tables speak of requests, not members."""
    ExchangeRequestFactory()
    page = analyst_client.get("/reports/exchange/").content.decode()
    assert "computed from the current data when this page was opened" in page
    assert "for the first time" not in page
    assert "Too few requests to show this breakdown" in page  # one request: every partition is withheld
    assert "Too few members" not in page
    empty = analyst_client.get("/reports/exchange/?from=2020-01&to=2020-02").content.decode()
    assert "No request matches these filters." in empty and "No one matches" not in empty
    export = analyst_client.get("/reports/exchange/export.csv").content.decode("utf-8-sig")
    assert "Too few requests to show this breakdown" in export and "not yet" not in export


def test_a_report_on_views_never_computed_says_it_will_be_within_a_minute(analyst_client, db):
    page = analyst_client.get("/reports/profiles/").content.decode()
    assert "These figures are being computed for the first time; reload the page in a minute." in page
