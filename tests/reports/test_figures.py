"""Each figure of the profile and skills reports against the fixture in conftest.py, whose answers are known.

Figures are published rounded (``REPORTS_ROUNDING_BASE`` = 5: 5–8 read 5, 9–12 read 10…); the true counts are in
the comments. Suppression is decided on the true counts, before rounding.
"""

from datetime import date

import pytest

from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run

pytestmark = pytest.mark.django_db


def figures(result, table_key, measure=0):
    """{row label: shown text} for one measure of one table."""
    table = result.table(table_key)
    return {row.label: row.cells[measure].display for row in table.rows}


def total(result, table_key, measure=0):
    return result.table(table_key).totals[measure].display


@pytest.fixture
def profiles(known_members):
    return report_run(report=framework.get("profiles"), filters=Filters())


@pytest.fixture
def skills(known_members):
    return report_run(report=framework.get("skills"), filters=Filters())


def test_the_headline_counts_current_members_and_not_the_erased_profile(profiles):
    assert profiles.headline.display == "25"  # 24


def test_members_by_country_of_residence_hide_canada_and_the_next_smallest_country(profiles):
    # France 12, United States 9, Canada 3; total 24.
    assert figures(profiles, "residence") == {"France": "10", "United States of America": "hidden", "Canada": "<5"}
    assert total(profiles, "residence") == "25"
    labels = [row.label for row in profiles.table("residence").rows]
    assert labels == [
        "France",
        "Canada",
        "United States of America",
    ]  # hidden rows last, by label: their order says nothing


def test_regions_of_origin_are_normalised_and_rare_typed_regions_merged_into_other(profiles):
    assert figures(profiles, "origin_region") == {
        "Dakar": "5",  # 8
        "Thiès": "hidden",
        "Not stated": "hidden",
        "Other (fewer than 5 each)": "<5",
    }
    assert total(profiles, "origin_region") == "25"


def test_members_by_generation(profiles):
    # 14 and 10, total 24.
    assert figures(profiles, "generation") == {"First generation": "15", "Second generation": "10"}
    assert total(profiles, "generation") == "25"


def test_members_by_highest_education_level_count_each_member_once(profiles):
    assert figures(profiles, "education") == {
        "Bachelor's or equivalent level": "5",  # 8
        "Master's or equivalent level": "10",  # 10
        "Not stated": "5",  # 6
    }
    assert total(profiles, "education") == "25"  # 24: rounded on its own, not the sum of the rounded rows


def test_members_by_sector_isco_group_language_and_interest(profiles):
    assert figures(profiles, "sector") == {"Health": "10", "Education": "5", "Agriculture": "<5"}  # 10, 7, 2
    assert figures(profiles, "isco_major") == {
        "2 · Professionals": "15",  # 15: the member with two occupations in group 2 counts once
        "3 · Technicians and associate professionals": "5",  # 6
    }
    assert figures(profiles, "language") == {"French": "25", "Arabic": "20", "English": "5"}  # 24, 20, 6
    assert figures(profiles, "interest") == {"Mentoring": "5", "Investment": "5", "Expert missions": "<5"}  # 8, 5, 3
    assert profiles.table("sector").totals is None  # members may be in several rows: no total to difference


def test_growth_counts_registrations_including_since_erased_and_erasures_by_month(profiles):
    growth = profiles.table("growth")
    rows = {row.label: [c.display for c in row.cells] for row in growth.rows}
    # Registrations: Jan 10, Feb 11, Mar 4 (3 members + the since-erased profile). March is small, so January
    # (the next smallest) is hidden. Erasures: one in April, a column that cannot be protected: withheld, and the
    # April row, with nothing else to show, is dropped.
    assert rows == {"January 2026": ["hidden", "–"], "February 2026": ["10", "–"], "March 2026": ["<5", "–"]}
    assert [c.display for c in growth.totals] == ["25", "–"]  # 25


def test_freshness_is_the_share_confirmed_in_the_last_twelve_months(profiles):
    assert figures(profiles, "freshness") == {
        "Not confirmed in the last 12 months": "5",  # 6
        "Confirmed in the last 12 months": "20",  # 18
    }


def test_skills_supply_by_isco_group_and_sector(skills):
    """Supply only (no request or vacancy in this fixture); demand: tests/reports/test_exchange_and_demand.py."""
    assert {row.label: [c.display for c in row.cells[:2]] for row in skills.table("isco_major").rows} == {
        "2 · Professionals": ["10", "5"],  # 9 listed, 5 open to missions
        "3 · Technicians and associate professionals": ["<5", "0"],
    }
    assert {row.label: [c.display for c in row.cells[:2]] for row in skills.table("sector").rows} == {
        "Health": ["10", "5"],  # 9, 5
        "Education": ["<5", "0"],
    }
    assert [m for m, _label in skills.table("isco_major").measures][:2] == ["listed", "expert_contact"]


def test_the_country_filter_selects_the_country_of_origin_and_small_populations_are_withheld(known_members):
    result = report_run(report=framework.get("profiles"), filters=Filters(country="MA"))
    assert result.headline.display == "<5"
    assert result.table("residence").withheld
    assert result.table("residence").rows == []
    assert figures(result, "language") == {"French": "<5", "English": "<5"}


def test_the_period_filter_selects_months_of_registration(known_members):
    february = date(2026, 2, 1)
    result = report_run(report=framework.get("profiles"), filters=Filters(month_from=february, month_to=february))
    assert result.headline.display == "10"  # 11
    # 4 first-generation and 7 second-generation members: hiding the 7 would leave a margin of 2 only, so the
    # breakdown is withheld rather than let the total pin the small count down.
    assert result.table("generation").withheld
    assert figures(result, "isco_major") == {
        "2 · Professionals": "5",  # 5
        "3 · Technicians and associate professionals": "5",  # 6
    }
    assert {row.label for row in result.table("growth").rows} == {"February 2026"}


def test_labels_follow_the_language_of_the_request(known_members):
    from django.utils import translation

    with translation.override("fr"):
        result = report_run(report=framework.get("profiles"), filters=Filters())
        assert "États-Unis d'Amérique" in figures(result, "residence")
    with translation.override("ar"):
        result = report_run(report=framework.get("profiles"), filters=Filters())
        assert "فرنسا" in figures(result, "residence")


def test_figures_show_when_they_were_computed(profiles):
    assert profiles.refreshed_at is not None
