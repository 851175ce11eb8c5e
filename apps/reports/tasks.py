from __future__ import annotations

from celery import shared_task

from apps.core.locks import one_at_a_time

from .services import report_views_refresh

LOCK_KEY = "reports:refresh-lock"
LOCK_SECONDS = 30 * 60


@shared_task(name="reports.refresh_views")
@one_at_a_time(LOCK_KEY, timeout=LOCK_SECONDS)
def refresh_views() -> dict[str, int] | None:
    """Refresh the report views (beat, every 15 minutes). Two runs never overlap (None: another holds the lock)."""
    return report_views_refresh()
