from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .services import report_views_refresh, report_views_refresh_stale

LOCK_KEY = "reports:refresh-lock"
LOCK_SECONDS = 30 * 60


@shared_task(name="reports.refresh_views")
def refresh_views() -> dict[str, int] | None:
    """Refresh every report view (beat, every 15 minutes: figures that depend on the date, such as "confirmed in
    the last 12 months", move without any row changing). A Redis lock keeps two runs from overlapping."""
    if not cache.add(LOCK_KEY, "1", timeout=LOCK_SECONDS):
        return None
    try:
        return report_views_refresh()
    finally:
        cache.delete(LOCK_KEY)


@shared_task(name="reports.refresh_stale_views")
def refresh_stale_views() -> dict[str, int] | None:
    """Refresh the views whose data changed (beat, every 30 seconds; cheap when nothing changed). Same lock."""
    if not cache.add(LOCK_KEY, "1", timeout=LOCK_SECONDS):
        return None
    try:
        return report_views_refresh_stale()
    finally:
        cache.delete(LOCK_KEY)
