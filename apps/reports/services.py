"""Writes of the reports app: refreshing the pre-aggregated views, and recording exports.

A view is refreshed when the rows it reads have changed: PostgreSQL counts every row inserted, updated or deleted
in each table (``pg_stat_user_tables``, whatever wrote them: a page, the API, an import by ``COPY``, raw SQL), and
the tables a materialized view reads are listed in its dependencies (``pg_depend``). Each refresh records the sum
of those counters taken just before it ran; when the sum has moved, the view is stale. A backend reports its
counters when its transaction ends (at most about ten seconds later when it stays connected), so with the check
every 30 seconds the figures follow a change within a minute.
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils import timezone

from apps.core.audit import audit_record

from .models import ViewRefresh
from .sql import VIEWS

SOURCE_CHANGES_SQL = """
SELECT COALESCE(sum(s.n_tup_ins + s.n_tup_upd + s.n_tup_del), 0)
FROM pg_stat_user_tables s
WHERE s.relid IN (
    SELECT d.refobjid FROM pg_rewrite r JOIN pg_depend d ON d.objid = r.oid
    WHERE r.ev_class = %s::regclass AND d.classid = 'pg_rewrite'::regclass
      AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
)
"""


def view_source_changes(view: str) -> int:
    """How many rows have ever been inserted, updated or deleted in the tables ``view`` reads (a counter that
    only moves forward, until the server's statistics are reset; any difference means the view may be stale)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # read the counters as they are now, not as cached
        cursor.execute(SOURCE_CHANGES_SQL, [view])
        return int(cursor.fetchone()[0])


def report_views_stale() -> list[str]:
    """The views never refreshed, or whose source tables changed since their last refresh."""
    seen = dict(ViewRefresh.objects.values_list("view_name", "source_changes"))
    return [view for view in VIEWS if view not in seen or seen[view] != view_source_changes(view)]


def report_views_refresh(*, views: list[str] | None = None, concurrently: bool = True) -> dict[str, int]:
    """Refresh the materialized views and record when; returns each view's duration in milliseconds.

    ``CONCURRENTLY`` keeps the view readable while it is rebuilt (readers see the previous figures until the
    refresh commits). Running it twice in a row is harmless: the second run recomputes the same figures. The
    source counters are read before the refresh starts, so a change made during it makes the view stale again.
    """
    durations = {}
    for view in VIEWS if views is None else views:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view}")
        changes = view_source_changes(view)
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"REFRESH MATERIALIZED VIEW {'CONCURRENTLY ' if concurrently else ''}{view}")
            duration = round((time.monotonic() - started) * 1000)
            ViewRefresh.objects.update_or_create(
                view_name=view,
                defaults={"refreshed_at": timezone.now(), "duration_ms": duration, "source_changes": changes},
            )
        durations[view] = duration
    return durations


# A stale view waits until its last refresh is this many times its duration old, so that on a busy national
# database (the profile view takes about 30 s at 2,000,000 profiles, docs/reports.md) refreshing takes at most
# half of the server's time for it; small views (under a second) are refreshed at the next check.
REFRESH_SPACING = 2


def report_views_due(stale: list[str]) -> list[str]:
    """Of the ``stale`` views, those whose last refresh is old enough to run another (see ``REFRESH_SPACING``)."""
    now = timezone.now()
    last = {r.view_name: r for r in ViewRefresh.objects.filter(view_name__in=stale)}
    return [
        view
        for view in stale
        if view not in last
        or (now - last[view].refreshed_at).total_seconds() * 1000 >= REFRESH_SPACING * last[view].duration_ms
    ]


def report_views_refresh_stale(*, concurrently: bool = True) -> dict[str, int]:
    """Refresh the views that are stale (see :func:`report_views_stale`) and due; returns their durations."""
    due = report_views_due(report_views_stale())
    return report_views_refresh(views=due, concurrently=concurrently) if due else {}


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
