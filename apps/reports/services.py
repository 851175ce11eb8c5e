"""Writes of the reports app: refreshing the pre-aggregated views, and recording exports."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from apps.core.audit import audit_record

from .models import ViewRefresh
from .sql import VIEWS


def report_views_refresh(*, views: list[str] | None = None, concurrently: bool = True) -> dict[str, int]:
    """Refresh the materialized views and record when; returns each view's duration in milliseconds.

    ``CONCURRENTLY`` keeps the view readable while it is rebuilt (readers see the previous figures until the
    refresh commits). Running it twice in a row is harmless: the second run recomputes the same figures.
    """
    durations = {}
    for view in views or VIEWS:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view}")
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if concurrently else ''}{view}")
            duration = round((time.monotonic() - started) * 1000)
            ViewRefresh.objects.update_or_create(
                view_name=view, defaults={"refreshed_at": timezone.now(), "duration_ms": duration}
            )
        durations[view] = duration
    return durations


def report_export_record(*, actor, report, filters, fmt: str, request=None) -> None:
    """Exports carry only protected aggregates; they are still logged, like every export of the portal."""
    audit_record(
        actor=actor,
        action="report.export",
        object_type="report",
        object_id=report.slug,
        summary=f"{report.slug} as {fmt}",
        request=request,
        extra={"filters": filters.as_query(), "format": fmt},
    )
