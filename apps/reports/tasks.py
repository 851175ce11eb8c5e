from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .services import report_views_refresh

LOCK_KEY = "reports:refresh-lock"
LOCK_SECONDS = 30 * 60


@shared_task(name="reports.refresh_views")
def refresh_views() -> dict[str, int] | None:
    """Refresh the report views (beat, every 15 minutes). A Redis lock keeps two runs from overlapping."""
    if not cache.add(LOCK_KEY, "1", timeout=LOCK_SECONDS):
        return None
    try:
        return report_views_refresh()
    finally:
        cache.delete(LOCK_KEY)
