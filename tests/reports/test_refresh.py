"""The pre-aggregated figures are refreshed by a beat task that is idempotent and never runs twice at once."""

import pytest
from django.core.cache import cache
from django.db import connection

from apps.reports.models import ViewRefresh
from apps.reports.schedule import BEAT_SCHEDULE
from apps.reports.services import report_views_refresh
from apps.reports.sql import PROFILE_CUBE, VIEWS
from apps.reports.tasks import LOCK_KEY, refresh_views
from apps.skills.models import DiasporaProfile
from tests.factories import UserFactory


def cube_members() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(sum(members), 0) FROM {PROFILE_CUBE} WHERE dimension = 'all'")
        return cursor.fetchone()[0]


def test_the_refresh_is_scheduled_by_beat():
    assert BEAT_SCHEDULE["reports-refresh-views"]["task"] == "reports.refresh_views"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_the_figures_concurrently_and_records_when(celery_worker_process):
    DiasporaProfile.objects.create(user=UserFactory(), first_name="A", last_name="B", origin_country_id="SN")
    report_views_refresh(concurrently=False)  # the view must hold data once before a concurrent refresh
    DiasporaProfile.objects.create(user=UserFactory(), first_name="C", last_name="D", origin_country_id="SN")
    assert cube_members() == 1
    durations = refresh_views.delay().get(timeout=60)
    assert set(durations) == set(VIEWS)
    assert cube_members() == 2
    first = ViewRefresh.objects.get(view_name=PROFILE_CUBE).refreshed_at
    refresh_views.delay().get(timeout=60)  # again: same figures, a later time, no error
    assert cube_members() == 2
    assert ViewRefresh.objects.get(view_name=PROFILE_CUBE).refreshed_at > first


@pytest.mark.django_db
def test_a_refresh_does_nothing_while_another_holds_the_lock():
    assert cache.add(LOCK_KEY, "1", timeout=60)
    try:
        assert refresh_views() is None
        assert not ViewRefresh.objects.exists()
    finally:
        cache.delete(LOCK_KEY)
    assert refresh_views() == dict(ViewRefresh.objects.values_list("view_name", "duration_ms"))
    assert ViewRefresh.objects.count() == len(VIEWS) == 3
    assert cache.get(LOCK_KEY) is None
