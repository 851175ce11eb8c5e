"""The pre-aggregated figures are refreshed by beat tasks that are idempotent and never run twice at once: every
view every 15 minutes, and the views whose data changed within a minute of the change."""

import io
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.core.bulk import copy_rows
from apps.reports.models import ViewRefresh
from apps.reports.schedule import BEAT_SCHEDULE
from apps.reports.services import (
    report_views_refresh,
    report_views_refresh_stale,
    report_views_stale,
    view_source_changes,
)
from apps.reports.sql import DELIVERY_CUBE, PROFILE_CUBE, VIEWS
from apps.reports.tasks import LOCK_KEY, refresh_stale_views, refresh_views
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


def flush_statistics() -> None:
    """Report this connection's row counters to the server now (a backend otherwise does it when idle)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    with connection.cursor() as cursor:  # the flush happens when the next statement ends
        cursor.execute("SELECT 1")


def test_the_stale_views_are_checked_every_thirty_seconds():
    entry = BEAT_SCHEDULE["reports-refresh-stale-views"]
    assert entry["task"] == "reports.refresh_stale_views"
    assert entry["schedule"].total_seconds() <= 30


@pytest.mark.django_db(transaction=True)
def test_a_view_is_stale_until_refreshed_and_again_when_a_row_it_reads_changes():
    assert report_views_stale() == VIEWS  # never computed: every view
    report_views_refresh(concurrently=False)
    flush_statistics()
    assert report_views_stale() == []
    assert report_views_refresh_stale() == {}  # nothing changed: nothing recomputed

    DiasporaProfile.objects.create(user=UserFactory(), first_name="A", last_name="B", origin_country_id="SN")
    flush_statistics()
    # The delivery view joins the profiles too (for the recipient's country); the office view does not.
    assert report_views_stale() == [PROFILE_CUBE, DELIVERY_CUBE]
    assert set(report_views_refresh_stale()) == {PROFILE_CUBE, DELIVERY_CUBE}
    assert cube_members() == 1
    flush_statistics()
    assert report_views_stale() == []


@pytest.mark.django_db(transaction=True)
def test_rows_loaded_by_copy_make_the_view_stale_too():
    """Imports and the synthetic generator write with COPY, past the ORM: the counters still see them."""
    report_views_refresh(concurrently=False)
    flush_statistics()
    assert report_views_stale() == []
    profile = DiasporaProfile.objects.create(user=UserFactory(), first_name="A", last_name="B")
    flush_statistics()
    report_views_refresh(concurrently=False)
    flush_statistics()
    with connection.cursor() as cursor:
        copy_rows(
            cursor, "skills_profilelanguage", ["profile_id", "language_id", "level"], [(profile.pk, "fr", "fluent")]
        )
    flush_statistics()
    assert report_views_stale() == [PROFILE_CUBE]  # only the profile view reads the languages


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_only_the_changed_view_within_a_minute_of_the_change(celery_worker_process):
    report_views_refresh(concurrently=False)
    DiasporaProfile.objects.create(user=UserFactory(), first_name="C", last_name="D", origin_country_id="SN")
    changed = time.monotonic()
    # The beat task, run by the worker until it sees the change (the writer's counters reach the server when
    # its connection goes idle: this test's connection stays open, as a web worker's would).
    while time.monotonic() - changed < 60:
        if refresh_stale_views.delay().get(timeout=60):
            break
        time.sleep(1)
    assert time.monotonic() - changed < 60
    assert cube_members() == 1
    assert ViewRefresh.objects.get(view_name=PROFILE_CUBE).source_changes == view_source_changes(PROFILE_CUBE)


@pytest.mark.django_db
def test_the_command_computes_the_figures_at_start_up():
    out = io.StringIO()
    call_command("refresh_reports", stdout=out)
    assert set(ViewRefresh.objects.values_list("view_name", flat=True)) == set(VIEWS)
    assert "reports_profile_cube refreshed" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_slow_view_is_refreshed_again_only_when_its_last_refresh_is_twice_its_duration_old():
    """On a national database the profile view takes tens of seconds: refreshing it back to back would keep the
    server busy all the time, so a stale view waits until its last refresh is twice its duration old."""
    report_views_refresh(concurrently=False)
    DiasporaProfile.objects.create(user=UserFactory(), first_name="A", last_name="B", origin_country_id="SN")
    flush_statistics()
    ViewRefresh.objects.filter(view_name=PROFILE_CUBE).update(refreshed_at=timezone.now(), duration_ms=30_000)
    assert PROFILE_CUBE in report_views_stale()
    assert PROFILE_CUBE not in report_views_refresh_stale()  # stale, not yet due: 60 s after the last one
    ViewRefresh.objects.filter(view_name=PROFILE_CUBE).update(refreshed_at=timezone.now() - timedelta(seconds=61))
    assert PROFILE_CUBE in report_views_refresh_stale()
    assert cube_members() == 1
