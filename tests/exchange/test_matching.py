"""Matching experts from the skills bank: the ranked order and its reasons, the same scorer for open calls."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.exchange import matching
from apps.exchange.models import State

from .matching_fixture import build, profile


def _ranked(request):
    criteria = matching.criteria_for(request)
    rows = list(matching.candidate_queryset(request, criteria))
    return rows, matching.candidates_page(rows, request=request, criteria=criteria)


def test_candidates_come_in_the_order_the_fixture_explains(cast):
    request, people = build(cast)
    rows, candidates = _ranked(request)
    assert [c.profile.first_name for c in candidates] == ["Amina", "Bakary", "Chloe", "Driss", "Emma"]
    assert [c.score for c in candidates] == [110, 75, 60, 40, 40]
    assert people.driss.pk < people.emma.pk  # the tie goes to the lower id


def test_each_candidate_carries_the_reasons_of_its_score(cast):
    request, _people = build(cast)
    _rows, candidates = _ranked(request)
    by_name = {c.profile.first_name: c.reasons for c in candidates}
    assert by_name["Amina"] == [
        "Same occupation (ISCO-08 unit group)",
        "2 of the skills sought",
        "Speaks the working language",
        "Speaks 1 other language sought",
        "10 years of experience (at least 5 sought)",
        "Available over the proposed dates",
        "Resident in the provider country (Morocco)",
    ]
    assert by_name["Bakary"][-1] == "National of the provider country (Morocco)"
    assert by_name["Chloe"][0] == "Same ISCO-08 minor group"
    assert by_name["Driss"] == [
        "Same ISCO-08 sub-major group",
        "2 of the skills sought",
        "Available over the proposed dates",
    ]


def test_reasons_are_in_the_readers_language(cast):
    request, _people = build(cast)
    with translation.override("fr"):
        _rows, candidates = _ranked(request)
    assert "Same occupation (ISCO-08 unit group)" not in candidates[0].reasons
    assert any("Maroc" in reason for reason in candidates[0].reasons)


def test_the_python_scorer_for_open_calls_agrees_with_the_sql_ranking(cast):
    request, people = build(cast)
    _rows, candidates = _ranked(request)
    criteria = matching.criteria_for(request)
    for candidate in candidates:
        loaded = matching.member_profile(candidate.profile.user)
        assert matching.profile_components(loaded, criteria).score == candidate.score


def test_without_isco_codes_or_vocabulary_skills_there_is_no_candidate(cast):
    request, _people = build(cast)
    request.isco_codes = []
    request.save()
    request.skills.clear()
    assert list(matching.candidate_queryset(request)) == []


def test_the_provider_country_follows_the_experts_already_selected(cast):
    from tests.factories.exchange import ExpertSelectionFactory

    request, people = build(cast)
    ExpertSelectionFactory(request=request, expert=people.driss.user, provider_country_id="FR")
    request = type(request).objects.get(pk=request.pk)
    assert matching.provider_country_id(request) == "FR"
    _rows, candidates = _ranked(request)
    # Driss and Emma live in France: 15 more each, now above Chloe (60).
    assert [c.profile.first_name for c in candidates][:4] == ["Amina", "Bakary", "Driss", "Emma"]


def test_a_page_of_candidates_takes_the_same_number_of_queries_at_10_and_40_profiles(cast):
    request, _people = build(cast)

    def count(extra):
        for n in range(extra):
            profile(f"Extra{extra}x{n}", codes=["2511"], languages=["fr"])
        criteria = matching.criteria_for(request)
        with CaptureQueriesContext(connection) as queries:
            rows = list(matching.candidate_queryset(request, criteria)[:25])
            matching.candidates_page(rows, request=request, criteria=criteria)
        return len(queries)

    assert count(5) == count(35)


def test_the_ranking_reads_the_bank_through_the_indexed_link_tables(cast):
    """The candidate set is drawn from the occupation and skill link tables (indexed by occupation / skill)."""
    request, _people = build(cast)
    sql = str(matching.candidate_queryset(request).query)
    assert "skills_diasporaprofile_occupations" in sql and "skills_profileskill" in sql
    assert '"consent_expert_contact"' in sql and '"erased_at" IS NULL' in sql


@pytest.mark.parametrize("state", [State.ENDORSED, State.ACCEPTED])
def test_open_calls_show_a_member_the_requests_that_fit_with_the_same_reasons(cast, state):
    request, people = build(cast, state=state)
    calls = matching.open_calls_for(user=people.chloe.user)
    assert [call.request for call in calls] == [request]
    assert calls[0].score == 60
    assert calls[0].reasons[0] == "Same ISCO-08 minor group"
    assert matching.open_calls_for(user=people.hassan.user) == []  # nothing in common
    assert matching.open_calls_for(user=people.farid.user) == []  # no consent to expert missions


@pytest.mark.parametrize("state", [State.SUBMITTED, State.APPROVED, State.DRAFT])
def test_requests_not_open_for_experts_are_no_open_call(cast, state):
    _request, people = build(cast, state=state)
    assert matching.open_calls_for(user=people.amina.user) == []


def test_a_request_with_all_its_experts_selected_is_no_longer_an_open_call(cast):
    from tests.factories.exchange import ExpertSelectionFactory

    request, people = build(cast)
    ExpertSelectionFactory(request=request, expert=people.bakary.user, provider_country_id="MA")  # 1 of 1
    assert matching.open_calls_for(user=people.amina.user) == []


def test_the_sql_score_is_the_points_table_applied_to_the_sql_components(cast):
    request, _people = build(cast)
    rows = list(matching.candidate_queryset(request))
    assert rows and all(row.m_score == matching._components_from_row(row).score for row in rows)


def test_without_languages_years_or_working_language_the_ranking_still_agrees_with_the_python_scorer(cast):
    request, _people = build(cast)
    request.min_years_experience = None
    request.working_language = None
    request.save()
    request.languages_sought.clear()
    request = type(request).objects.get(pk=request.pk)
    _rows, candidates = _ranked(request)
    criteria = matching.criteria_for(request)
    assert candidates[0].profile.first_name == "Amina" and candidates[0].score == 40 + 20 + 10 + 15
    for candidate in candidates:
        loaded = matching.member_profile(candidate.profile.user)
        assert matching.profile_components(loaded, criteria).score == candidate.score


def test_a_paginator_counts_and_shows_the_first_page_in_one_ranking_query(cast):
    from django.core.paginator import Paginator

    request, _people = build(cast)
    criteria = matching.criteria_for(request)
    ranked = matching.candidate_queryset(request, criteria)
    with CaptureQueriesContext(connection) as queries:
        page = Paginator(ranked, 2).get_page(1)
        first = [row.pk for row in page.object_list]
    assert len(queries) == 1
    assert page.paginator.count == 5 and page.paginator.num_pages == 3
    whole = [row.pk for row in matching.candidate_queryset(request, criteria)]
    assert first == whole[:2]
    assert [row.pk for row in Paginator(ranked, 2).get_page(3).object_list] == whole[4:]
    assert [row.pk for row in matching.candidate_queryset(request, criteria)[1:4]] == whole[1:4]
    assert matching.candidate_queryset(request, criteria)[4].pk == whole[4]
