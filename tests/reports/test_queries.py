"""Report pages run the same number of queries whatever the number of members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reports.services import report_views_refresh
from apps.skills.models import DiasporaProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COUNTRIES = ["FR", "US", "CA", "IT", "ES", "BE", "DE", "GB", "CH", "NL"]


def add_members(count: int, start: int) -> None:
    for i in range(start, start + count):
        DiasporaProfile.objects.create(
            user=UserFactory(),
            first_name="X",
            last_name="Y",
            origin_country_id="SN",
            residence_country_id=COUNTRIES[i % len(COUNTRIES)],
            generation=str(1 + i % 3),
            engagement_interests=["mentoring"],
        )
    report_views_refresh(concurrently=False)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/reports/", "/reports/profiles/", "/api/v1/reports/profiles/"])
def test_report_query_count_is_the_same_at_10_and_100_members(analyst_client, url):
    add_members(10, 0)
    at_10 = queries(analyst_client, url)
    add_members(90, 10)
    assert queries(analyst_client, url) == at_10
