from __future__ import annotations

from celery import shared_task

from apps.core.locks import one_at_a_time

from .services import report_views_refresh, report_views_refresh_stale

LOCK_KEY = "reports:refresh-lock"
LOCK_SECONDS = 30 * 60


@shared_task(name="reports.refresh_views")
@one_at_a_time(LOCK_KEY, timeout=LOCK_SECONDS)
def refresh_views() -> dict[str, int] | None:
    """Refresh every report view (beat, every 15 minutes: figures that depend on the date, such as "confirmed in
    the last 12 months", move without any row changing). Two runs never overlap (None: another holds the lock)."""
    return report_views_refresh()


@shared_task(name="reports.refresh_stale_views")
@one_at_a_time(LOCK_KEY, timeout=LOCK_SECONDS)
def refresh_stale_views() -> dict[str, int] | None:
    """Refresh the views whose data changed (beat, every 30 seconds; cheap when nothing changed). Same lock."""
    return report_views_refresh_stale()
