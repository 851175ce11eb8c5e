"""Segments and the staff search filter profiles with one engine (apps.skills.filters.profile_filter_apply)."""

import pytest

from apps.outreach.selectors import SEGMENT_TO_SEARCH_FILTER, profiles_matching
from apps.skills.filters import profile_filter_queryset
from apps.skills.models import DiasporaProfile
from tests.factories.skills_staff import listed_profile, taxonomy

pytestmark = pytest.mark.django_db


def test_a_segment_and_a_staff_search_with_the_same_filters_find_the_same_people():

    taxonomy()
    water_fr = listed_profile(sectors=["water"], residence_country_id="FR", occupations=["2142"])
    listed_profile(sectors=["health"], residence_country_id="FR")
    listed_profile(sectors=["water"], residence_country_id="ES")
    group = "21"  # an ISCO sub-major group: its unit groups start with it

    segment = profiles_matching({"sectors": ["water"], "residence_countries": ["FR"], "occupations": [group]})
    search = profile_filter_queryset(
        DiasporaProfile.objects.all(), {"sector": ["water"], "residence_country": ["FR"], "occupation": [group]}
    )
    assert set(segment) == set(search) == {water_fr}


def test_every_segment_filter_is_a_filter_of_the_one_engine():
    from apps.outreach.selectors import FILTER_KEYS

    assert set(SEGMENT_TO_SEARCH_FILTER) == set(FILTER_KEYS)
